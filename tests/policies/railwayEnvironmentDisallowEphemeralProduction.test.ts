import { TYPE_TOKENS } from "../../policies/lib/contract";
import { railwayEnvironmentDisallowEphemeralProduction as policy } from "../../policies/rules/railwayEnvironmentDisallowEphemeralProduction";
import { app, environment, SI } from "./fixtures";
import { runResource } from "./helpers";

const ENV = TYPE_TOKENS.environment;

describe(policy.name, () => {
  it("passes production's own permanent environment", async () => {
    expect(await runResource(policy, ENV, environment(), { stack: "production" })).toEqual({
      violations: [],
    });
  });

  it("fails an ephemeral production environment, as mandatory", async () => {
    const result = await runResource(
      policy,
      ENV,
      environment("production", "production", (p) => (p.ephemeral = true)),
      { stack: "production", name: "environment" },
    );
    expect(result.violations).toEqual([
      {
        level: "mandatory",
        message:
          'Environment "production" of production stack "production" must not be ephemeral: Railway deletes ephemeral environments with their pull request. Fix: set `railway-stacks:app.project.environment` to production (a permanent environment, not pr-<n>) in Pulumi.production.yaml.',
      },
    ]);
  });

  it("fails a production environment forked from another", async () => {
    const result = await runResource(
      policy,
      ENV,
      environment("production", "production", (p) => (p.sourceEnvironmentName = "preview")),
      { stack: "production" },
    );
    expect(result.violations).toEqual([
      {
        level: "mandatory",
        message:
          'Environment "production" of production stack "production" must not be a fork of "preview": a fork starts as a copy of it and no longer receives the project\'s service changes. Fix: set `railway-stacks:app.project.environment` to an environment of its own, or `railway-stacks:app.project.layout` to isolated in Pulumi.production.yaml.',
      },
    ]);
  });

  it("judges a production-tier environment in an oddly named stack (fails closed)", async () => {
    const result = await runResource(
      policy,
      ENV,
      environment("live", "production", (p) => Object.assign(p, { ephemeral: true, name: "live" })),
      { stack: "live" },
    );
    expect(result.violations.map((v) => v.message)).toEqual([
      'Environment "live" of production stack "live" must not be ephemeral: Railway deletes ephemeral environments with their pull request. Fix: set `railway-stacks:app.project.environment` to production (a permanent environment, not pr-<n>) in Pulumi.live.yaml.',
    ]);
  });

  it.each([
    ["pr-17", "preview"],
    ["preview", "preview"],
    ["dev", "dev"],
  ] as const)(
    "is not applicable in stack %s (PR environments are ephemeral forks)",
    async (stack, tier) => {
      expect(
        (await runResource(policy, ENV, environment(stack, tier), { stack })).notApplicable,
      ).toBe(`Only judged in production; stack "${stack}" is not production.`);
    },
  );

  it("only judges Environments", async () => {
    expect((await runResource(policy, SI, app(), { stack: "production" })).notApplicable).toBe(
      `Only judges ${ENV}.`,
    );
  });
});
