import { railwayServiceRequireProtectedBranch as policy } from "../../policies/rules/railwayServiceRequireProtectedBranch";
import { app, postgres, SI, worker } from "./fixtures";
import { runResource, UNKNOWN_STRING } from "./helpers";

const MESSAGE = (branch: string, shown: string) =>
  `Production service "api" must deploy from the protected branch "${branch}" (branch is ${shown}). Fix: set \`railway-stacks:app.services.api.source.branch\` to ${branch}, or remove it and set \`railway-stacks:app.project.protectedBranch\` to ${branch} in Pulumi.production.yaml.`;

describe(policy.name, () => {
  it("passes production services on main", async () => {
    expect(await runResource(policy, SI, app())).toEqual({ violations: [] });
    expect(await runResource(policy, SI, worker())).toEqual({ violations: [] });
  });

  it("fails a feature branch", async () => {
    const result = await runResource(
      policy,
      SI,
      app("production", (p) => (p.source.branch = "feature/login")),
    );
    expect(result.violations).toEqual([
      { message: MESSAGE("main", '"feature/login"'), level: "mandatory" },
    ]);
  });

  it("fails a missing branch", async () => {
    const result = await runResource(
      policy,
      SI,
      app("production", (p) => delete p.source.branch),
    );
    expect(result.violations).toEqual([
      { message: MESSAGE("main", "not set"), level: "mandatory" },
    ]);
  });

  it("takes protectedBranch from the policy config", async () => {
    const config = { protectedBranch: "release" };
    expect((await runResource(policy, SI, app(), { config })).violations).toEqual([
      { message: MESSAGE("release", '"main"'), level: "mandatory" },
    ]);
    expect(
      await runResource(
        policy,
        SI,
        app("production", (p) => (p.source.branch = "release")),
        { config },
      ),
    ).toEqual({ violations: [] });
  });

  it("skips an unknown branch", async () => {
    expect(
      await runResource(
        policy,
        SI,
        app("production", (p) => (p.source.branch = UNKNOWN_STRING)),
      ),
    ).toEqual({ violations: [] });
  });

  it("is not applicable to image services or outside production", async () => {
    expect((await runResource(policy, SI, postgres())).notApplicable).toBe(
      "Only judges services deployed from a repository.",
    );
    const pr = await runResource(
      policy,
      SI,
      app("preview", (p) => (p.source.branch = "feature/login")),
      { stack: "pr-12" },
    );
    expect(pr).toEqual({
      violations: [],
      notApplicable: 'Only judged in production; stack "pr-12" is not production.',
    });
  });
});
