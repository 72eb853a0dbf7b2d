import { railwayServiceConfigureRestartPolicy as policy } from "../../policies/rules/railwayServiceConfigureRestartPolicy";
import { app, nats, postgres, redis, SI } from "./fixtures";
import { runResource, UNKNOWN_STRING } from "./helpers";

const TYPE = (shown: string) =>
  `Production service "api" must restart after a crash (restartPolicyType is ${shown}). Fix: set \`railway-stacks:app.services.api.restartPolicy.type\` to ON_FAILURE in Pulumi.production.yaml.`;
const RETRIES = (shown: string) =>
  `Production service "api" must retry at least once after a crash (restartPolicyMaxRetries is ${shown}). Fix: set \`railway-stacks:app.services.api.restartPolicy.maxRetries\` to 1 or more in Pulumi.production.yaml.`;

describe(policy.name, () => {
  it.each([
    ["api", app()],
    ["postgres", postgres()],
    ["redis", redis()],
    ["nats", nats()],
  ])("passes production %s with ON_FAILURE and retries", async (_, props) => {
    expect(await runResource(policy, SI, props)).toEqual({ violations: [] });
  });

  it("passes ALWAYS, which has no retry limit", async () => {
    const props = app("production", (p) => {
      p.deploy.restartPolicyType = "ALWAYS";
      delete p.deploy.restartPolicyMaxRetries;
    });
    expect(await runResource(policy, SI, props)).toEqual({ violations: [] });
  });

  it.each([
    [
      "NEVER",
      (p: ReturnType<typeof app>) => (p.deploy.restartPolicyType = "NEVER"),
      TYPE('"NEVER"'),
    ],
    [
      "no policy",
      (p: ReturnType<typeof app>) => delete p.deploy.restartPolicyType,
      TYPE("not set"),
    ],
    [
      "ON_FAILURE with 0 retries",
      (p: ReturnType<typeof app>) => (p.deploy.restartPolicyMaxRetries = 0),
      RETRIES("0"),
    ],
    [
      "ON_FAILURE without retries",
      (p: ReturnType<typeof app>) => delete p.deploy.restartPolicyMaxRetries,
      RETRIES("not set"),
    ],
  ])("fails %s", async (_, change, message) => {
    expect((await runResource(policy, SI, app("production", change))).violations).toEqual([
      { message, level: "mandatory" },
    ]);
  });

  it("names the component for data services, whose restart policy no config key sets", async () => {
    const result = await runResource(
      policy,
      SI,
      redis("production", (p) => (p.deploy.restartPolicyType = "NEVER")),
    );
    expect(result.violations[0]!.message).toBe(
      'Production service "redis" must restart after a crash (restartPolicyType is "NEVER"). Fix: set deploy.restartPolicyType to ON_FAILURE with restartPolicyMaxRetries of 1 or more in the redis component.',
    );
  });

  it("skips an unknown policy", async () => {
    expect(
      await runResource(
        policy,
        SI,
        app("production", (p) => (p.deploy.restartPolicyType = UNKNOWN_STRING as "NEVER")),
      ),
    ).toEqual({ violations: [] });
  });

  it("is not applicable outside production", async () => {
    const result = await runResource(
      policy,
      SI,
      app("preview", (p) => (p.deploy.restartPolicyType = "NEVER")),
      { stack: "pr-4" },
    );
    expect(result).toEqual({
      violations: [],
      notApplicable: 'Only judged in production; stack "pr-4" is not production.',
    });
  });
});
