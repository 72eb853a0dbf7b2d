import { railwayServiceRequireResourceLimits as policy } from "../../policies/rules/railwayServiceRequireResourceLimits";
import { app, nats, postgres, redis, SI, worker } from "./fixtures";
import { runResource, UNKNOWN_NUMBER } from "./helpers";

const CPU = (service: string, key: string, shown: string) =>
  `Production service "${service}" must set a CPU limit (cpu is ${shown}). Fix: set \`railway-stacks:app.${key}.limits.cpu\` (vCPUs per replica, e.g. 1) in Pulumi.production.yaml.`;
const MEMORY = (service: string, key: string, shown: string) =>
  `Production service "${service}" must set a memory limit (memoryBytes is ${shown}). Fix: set \`railway-stacks:app.${key}.limits.memory\` (per replica, e.g. "1GB") in Pulumi.production.yaml.`;

describe(policy.name, () => {
  it.each([
    ["api", app()],
    ["worker", worker()],
    ["postgres", postgres()],
    ["redis", redis()],
    ["nats", nats()],
  ])("passes production %s with limits", async (_, props) => {
    expect(await runResource(policy, SI, props)).toEqual({ violations: [] });
  });

  it("fails missing limits", async () => {
    const result = await runResource(
      policy,
      SI,
      app("production", (p) => {
        delete p.deploy.cpu;
        delete p.deploy.memoryBytes;
      }),
    );
    expect(result.violations).toEqual([
      { message: CPU("api", "services.api", "not set"), level: "mandatory" },
      { message: MEMORY("api", "services.api", "not set"), level: "mandatory" },
    ]);
  });

  it("fails zero limits on a data service", async () => {
    const result = await runResource(
      policy,
      SI,
      postgres("production", (p) => (p.deploy.cpu = 0)),
    );
    expect(result.violations).toEqual([
      { message: CPU("postgres", "postgres", "0"), level: "mandatory" },
    ]);
  });

  it("skips unknown limits", async () => {
    expect(
      await runResource(
        policy,
        SI,
        app("production", (p) => (p.deploy.memoryBytes = UNKNOWN_NUMBER)),
      ),
    ).toEqual({ violations: [] });
  });

  it("is not applicable outside production", async () => {
    const result = await runResource(
      policy,
      SI,
      app("preview", (p) => delete p.deploy.cpu),
      { stack: "dev" },
    );
    expect(result.notApplicable).toBe('Only judged in production; stack "dev" is not production.');
  });
});
