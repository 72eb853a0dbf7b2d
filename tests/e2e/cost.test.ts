/**
 * Cost through the real Pulumi CLI against the emulator: production comes up within its budget
 * with the policy pack, `pulumi preview` of one more backend replica shows the change of the
 * `monthlyCostUsd` output, and the budget policy blocks the same change once the budget is lower
 * than its upper bound, before anything reaches Railway.
 */
import { join } from "node:path";

import { REPO_ROOT } from "../helpers/program";
import {
  type Workspace,
  createWorkspace,
  deploymentsByService,
  describeE2E,
  expectSuccess,
  initStacks,
} from "../helpers/pulumi-cli";

jest.setTimeout(900_000);

const PACK = join(REPO_ROOT, "policies");
const POLICY_ARGS = [
  "--policy-pack",
  PACK,
  "--policy-pack-config",
  join(PACK, "config", "stacks.json"),
];

describeE2E("cost per stack in preview and the budget policy (real Pulumi CLI, emulator)", () => {
  let workspace: Workspace;
  const setPath = async (path: string, value: string) =>
    expectSuccess(
      await workspace.pulumi(["config", "set", "--path", path, value, "-s", "production"]),
    );

  beforeAll(async () => {
    workspace = await createWorkspace();
    await initStacks(workspace, ["production"]);
  });
  afterAll(() => workspace?.close());

  it("brings production up within its budget, exporting the estimate", async () => {
    expectSuccess(
      await workspace.pulumi(["up", "--yes", "--skip-preview", "-s", "production", ...POLICY_ARGS]),
    );
    const outputs = JSON.parse(
      expectSuccess(await workspace.pulumi(["stack", "output", "--json", "-s", "production"]))
        .stdout,
    );
    expect(outputs.monthlyCostUsd).toEqual({ lower: 223.3, upper: 883.3, budget: 1000 });
  });

  it("shows one more backend replica as +$15 lower and +$60 upper in preview", async () => {
    await setPath("app.services.backend.replicas", "4");
    const result = expectSuccess(
      await workspace.pulumi(["preview", "--diff", "-s", "production", ...POLICY_ARGS]),
    );
    expect(result.output).toMatch(/~ lower\s*: 223\.3 => 238\.3/);
    expect(result.output).toMatch(/~ upper\s*: 883\.3 => 943\.3/);
    expect(result.output).not.toContain("railway-stack-disallow-over-budget");
  });

  it("blocks the change once it breaks the budget, with nothing sent to Railway", async () => {
    await setPath("app.budget.monthlyUsd", "900");
    const before = deploymentsByService(workspace.emulator);
    const result = await workspace.pulumi(["up", "--yes", "-s", "production", ...POLICY_ARGS]);
    expect(result.code).not.toBe(0);
    expect(result.output).toMatch(
      /\[mandatory\] (\[severity: high\]\s+)?railway-stack-disallow-over-budget/,
    );
    expect(result.output).toContain(
      'Stack "production" is estimated at up to $943.30 per month, over its budget of $900.00; the largest: ml $320.00, backend $240.00, broker $180.00. Fix: lower replicas or limits of those services, or raise `railway-stacks:app.budget.monthlyUsd` in Pulumi.production.yaml.',
    );
    // A budget is metadata: it updates nothing, so no service shows as replaced.
    expect(result.output).not.toContain("unable to replace");
    expect(result.output).not.toContain("railway:Project railway-project update");
    expect(deploymentsByService(workspace.emulator)).toEqual(before);
  });
});
