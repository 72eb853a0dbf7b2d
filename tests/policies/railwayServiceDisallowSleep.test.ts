import { railwayServiceDisallowSleep as policy } from "../../policies/rules/railwayServiceDisallowSleep";
import { app, postgres, SI } from "./fixtures";
import { runResource } from "./helpers";

describe(policy.name, () => {
  it("passes production services that stay up", async () => {
    expect(await runResource(policy, SI, app())).toEqual({ violations: [] });
    expect(
      await runResource(
        policy,
        SI,
        app("production", (p) => delete p.deploy.sleepApplication),
      ),
    ).toEqual({ violations: [] });
  });

  it("fails a sleeping production app", async () => {
    const result = await runResource(
      policy,
      SI,
      app("production", (p) => (p.deploy.sleepApplication = true)),
    );
    expect(result.violations).toEqual([
      {
        level: "mandatory",
        message:
          'Production service "api" must not sleep when idle (sleepApplication is true). Fix: set `railway-stacks:app.services.api.sleep` to false in Pulumi.production.yaml.',
      },
    ]);
  });

  it("fails a sleeping production data service", async () => {
    const result = await runResource(
      policy,
      SI,
      postgres("production", (p) => (p.deploy.sleepApplication = true)),
    );
    expect(result.violations[0]!.message).toBe(
      'Production service "postgres" must not sleep when idle (sleepApplication is true). Fix: set deploy.sleepApplication to false in the postgres component.',
    );
  });

  it("is not applicable outside production (PR previews may sleep)", async () => {
    const result = await runResource(
      policy,
      SI,
      app("preview", (p) => (p.deploy.sleepApplication = true)),
      { stack: "pr-5" },
    );
    expect(result.notApplicable).toBe('Only judged in production; stack "pr-5" is not production.');
  });
});
