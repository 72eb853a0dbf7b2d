import { TYPE_TOKENS } from "../../policies/lib/contract";
import { railwayDatastoreRequireVolume as policy } from "../../policies/rules/railwayDatastoreRequireVolume";
import { stack } from "./fixtures";
import type { StackEntry } from "./helpers";
import { runStack, urnOf } from "./helpers";

const without = (entries: StackEntry[], name: string) => entries.filter((e) => e.name !== name);
const MESSAGE = (role: string) =>
  `Stateful service "${role}" (${role}) must have a volume; without one its data is lost on every redeploy. Fix: declare a Volume with serviceId from this Service in the ${role} component.`;

describe(policy.name, () => {
  it("passes a stack whose data services all have volumes, matched by dependency while ids are unknown", async () => {
    expect(await runStack(policy, stack("production", "production", true))).toEqual({
      violations: [],
    });
  });

  it("passes a stack whose volumes are matched by known serviceId", async () => {
    const entries = stack("production", "production", false).map((e) => ({
      ...e,
      dependsOn: undefined,
    }));
    expect(await runStack(policy, entries)).toEqual({ violations: [] });
  });

  it("fails a data service without a volume, on the Service, as mandatory in production", async () => {
    const result = await runStack(policy, without(stack("production", "production"), "redis-data"));
    expect(result.violations).toEqual([
      {
        message: MESSAGE("redis"),
        level: "mandatory",
        urn: urnOf(TYPE_TOKENS.service, "redis", "production"),
      },
    ]);
  });

  it("does not match a volume of another service", async () => {
    const entries = stack("production", "production").map((e) =>
      e.name === "nats-data" ? { ...e, dependsOn: { ...e.dependsOn, serviceId: ["postgres"] } } : e,
    );
    expect((await runStack(policy, entries)).violations.map((v) => v.message)).toEqual([
      MESSAGE("nats"),
    ]);
  });

  it.each(["preview", "pr-3", "dev"])("warns (advisory) in stack %s", async (stackName) => {
    const result = await runStack(policy, without(stack(stackName, "preview"), "postgres-data"), {
      stack: stackName,
    });
    expect(result.violations).toEqual([
      {
        message: MESSAGE("postgres"),
        level: "advisory",
        urn: urnOf(TYPE_TOKENS.service, "postgres", stackName),
      },
    ]);
  });

  it("is not applicable without data services or resources", async () => {
    const appOnly = stack("production", "production").filter(
      (e) => !/^(postgres|redis|nats)/.test(e.name),
    );
    expect((await runStack(policy, appOnly)).notApplicable).toBe(
      "The stack has no postgres, redis or nats service.",
    );
    expect((await runStack(policy, [])).notApplicable).toBe("The stack has no resources.");
  });
});
