import { railwayServiceRequireHealthcheck as policy } from "../../policies/rules/railwayServiceRequireHealthcheck";
import { app, postgres, SI, worker } from "./fixtures";
import { runResource, UNKNOWN_STRING } from "./helpers";

const MESSAGE = (shown: string, stack = "production") =>
  `Public service "api" must have a healthcheck (healthcheckPath is ${shown}). Fix: set \`railway-stacks:app.services.api.healthcheck.path\` to its health endpoint, e.g. /health in Pulumi.${stack}.yaml.`;

describe(policy.name, () => {
  it.each([
    ["production", "production"],
    ["preview", "preview"],
    ["preview", "pr-3"],
  ] as const)("passes a public %s API with a healthcheck (stack %s)", async (tier, stack) => {
    expect(await runResource(policy, SI, app(tier), { stack })).toEqual({ violations: [] });
  });

  it("fails a public production service without one, as mandatory", async () => {
    const result = await runResource(
      policy,
      SI,
      app("production", (p) => delete p.deploy.healthcheckPath),
    );
    expect(result.violations).toEqual([{ message: MESSAGE("not set"), level: "mandatory" }]);
  });

  it("fails a path that is not absolute", async () => {
    const result = await runResource(
      policy,
      SI,
      app("production", (p) => (p.deploy.healthcheckPath = "health")),
    );
    expect(result.violations).toEqual([{ message: MESSAGE('"health"'), level: "mandatory" }]);
  });

  it("counts a custom domain alone as public", async () => {
    const props = app("production", (p) => {
      delete p.networking.railwayDomainPort;
      delete p.deploy.healthcheckPath;
    });
    expect((await runResource(policy, SI, props)).violations).toHaveLength(1);
  });

  it.each(["preview", "pr-3", "dev"])("warns (advisory) in stack %s", async (stack) => {
    const result = await runResource(
      policy,
      SI,
      app("preview", (p) => delete p.deploy.healthcheckPath),
      { stack },
    );
    expect(result.violations).toEqual([{ message: MESSAGE("not set", stack), level: "advisory" }]);
  });

  it("is mandatory for a production-tier service whatever the stack name", async () => {
    const result = await runResource(
      policy,
      SI,
      app("production", (p) => delete p.deploy.healthcheckPath),
      { stack: "prod-eu" },
    );
    expect(result.violations.map((v) => v.level)).toEqual(["mandatory"]);
  });

  it("skips an unknown path", async () => {
    expect(
      await runResource(
        policy,
        SI,
        app("production", (p) => (p.deploy.healthcheckPath = UNKNOWN_STRING)),
      ),
    ).toEqual({ violations: [] });
  });

  it("is not applicable to services without a public domain", async () => {
    expect((await runResource(policy, SI, worker())).notApplicable).toBe(
      "Only judges services with a public domain.",
    );
    expect((await runResource(policy, SI, postgres())).notApplicable).toBe(
      "Only judges services with a public domain.",
    );
  });
});
