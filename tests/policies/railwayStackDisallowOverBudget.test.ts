import { ENVIRONMENT_COMPONENT_TYPE } from "../../policies/lib/contract";
import { railwayStackDisallowOverBudget as policy } from "../../policies/rules/railwayStackDisallowOverBudget";
import { SI, stack } from "./fixtures";
import type { StackEntry } from "./helpers";
import { runStack, UNKNOWN_NUMBER, urnOf } from "./helpers";

type Props = Record<string, unknown> & { deploy?: Record<string, unknown> };

/** The fixture stack with its props changed by `f` on every entry `pick` selects. */
function change(
  entries: StackEntry[],
  pick: (entry: StackEntry) => boolean,
  f: (props: Props) => void,
): StackEntry[] {
  return entries.map((entry) => {
    if (!pick(entry)) return entry;
    const props = JSON.parse(JSON.stringify(entry.props)) as Props;
    f(props);
    return { ...entry, props };
  });
}

/** The fixture stack with the environment component and the outputs the program registers on it. */
const withBudget = (name: string, tier: "production" | "preview", budget: number): StackEntry[] => [
  { type: ENVIRONMENT_COMPONENT_TYPE, name: "railway", props: { budgetMonthlyUsd: budget } },
  ...stack(name, tier, false),
];

/*
 * The fixture stack by hand, at $20/vCPU-month, $10/GB-month, $0.15/GB-month of volume:
 *   postgres, redis, nats: 1 replica × (1 vCPU × 20 + 1 GB × 10) = $30 each
 *   their volumes: 5000 MB = 4.8828125 GB × 0.15 = $0.732421875 each
 *   api (production): 2 replicas × $30 = $60
 *   total: 90 + 2.197265625 + 60 = $152.197265625 → $152.20
 */
describe(policy.name, () => {
  it("is not applicable to a stack without a budget", async () => {
    expect(await runStack(policy, stack("production", "production"), {})).toEqual({
      violations: [],
      notApplicable: "The stack sets no budget (budget.monthlyUsd).",
    });
  });

  it("passes a production stack within its budget", async () => {
    expect(await runStack(policy, withBudget("production", "production", 152.2), {})).toEqual({
      violations: [],
    });
  });

  it("blocks a production stack over its budget, naming the largest services", async () => {
    expect(await runStack(policy, withBudget("production", "production", 150), {})).toEqual({
      violations: [
        {
          level: "mandatory",
          urn: urnOf(ENVIRONMENT_COMPONENT_TYPE, "railway"),
          message:
            'Stack "production" is estimated at up to $152.20 per month, over its budget of $150.00; the largest: api $60.00, postgres $30.00, redis $30.00. Fix: lower replicas or limits of those services, or raise `railway-stacks:app.budget.monthlyUsd` in Pulumi.production.yaml.',
        },
      ],
    });
  });

  it("is advisory in a preview stack", async () => {
    const result = await runStack(policy, withBudget("preview", "preview", 100), {
      stack: "preview",
    });
    // Preview: api has 1 replica, so 30 × 4 + 2.197265625 = $122.20.
    expect(result.violations).toEqual([
      {
        level: "advisory",
        urn: urnOf(ENVIRONMENT_COMPONENT_TYPE, "railway", "preview"),
        message: `Stack "preview" is estimated at up to $122.20 per month, over its budget of $100.00; the largest: postgres $30.00, redis $30.00, nats $30.00. Fix: lower replicas or limits of those services, or raise \`railway-stacks:app.budget.monthlyUsd\` in Pulumi.preview.yaml.`,
      },
    ]);
  });

  it("prices multi-region replicas and a service without limits at the plan's ceiling", async () => {
    const entries = change(
      withBudget("production", "production", 1000),
      (entry) => entry.name === "api-instance",
      (p) => {
        delete p.deploy!.numReplicas;
        delete p.deploy!.cpu;
        p.deploy!.multiRegion = { "us-west2": 2, "europe-west4-drams3a": 1 };
      },
    );
    // api: 3 replicas × (32 vCPU × 20 + 1 GB × 10) = $1,950; total 90 + 2.197265625 + 1950.
    expect((await runStack(policy, entries, {})).violations.map((v) => v.message)).toEqual([
      'Stack "production" is estimated at up to $2,042.20 per month, over its budget of $1,000.00; the largest: api $1,950.00, postgres $30.00, redis $30.00. Fix: lower replicas or limits of those services, or raise `railway-stacks:app.budget.monthlyUsd` in Pulumi.production.yaml.',
    ]);
  });

  it("judges what is known and says what it could not count", async () => {
    const entries = change(
      withBudget("production", "production", 90),
      (entry) => entry.type === SI && entry.name === "api-instance",
      (p) => (p.deploy!.numReplicas = UNKNOWN_NUMBER),
    );
    expect((await runStack(policy, entries, {})).violations.map((v) => v.message)).toEqual([
      'Stack "production" is estimated at up to $92.20 per month (1 resource not known yet not counted), over its budget of $90.00; the largest: postgres $30.00, redis $30.00, nats $30.00. Fix: lower replicas or limits of those services, or raise `railway-stacks:app.budget.monthlyUsd` in Pulumi.production.yaml.',
    ]);
  });
});
