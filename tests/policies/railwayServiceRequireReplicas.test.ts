import { railwayServiceRequireReplicas as policy } from "../../policies/rules/railwayServiceRequireReplicas";
import { app, postgres, SI, worker } from "./fixtures";
import { messages, runResource, UNKNOWN_NUMBER } from "./helpers";

const MESSAGE = (min: number, runs: number, regions = false) =>
  `Public production service "api" must run at least ${min} replicas (it runs ${runs}). Fix: set \`railway-stacks:app.services.api.${regions ? "regions" : "replicas"}\` to ${min} or more${regions ? " replicas in total" : ""} in Pulumi.production.yaml.`;

describe(policy.name, () => {
  it("passes a public production API with 2 replicas", async () => {
    expect(await runResource(policy, SI, app())).toEqual({ violations: [] });
  });

  it("passes replicas summed over more than one region", async () => {
    const props = app("production", (p) => {
      delete p.deploy.numReplicas;
      p.deploy.multiRegion = { "us-west2": 1, "europe-west4-drams3a": 1 };
    });
    expect(await runResource(policy, SI, props)).toEqual({ violations: [] });
  });

  it("fails one replica", async () => {
    const result = await runResource(
      policy,
      SI,
      app("production", (p) => (p.deploy.numReplicas = 1)),
    );
    expect(result.violations).toEqual([{ message: MESSAGE(2, 1), level: "mandatory" }]);
  });

  it("fails no replica count (Railway's default is 1)", async () => {
    expect(
      messages(
        await runResource(
          policy,
          SI,
          app("production", (p) => delete p.deploy.numReplicas),
        ),
      ),
    ).toEqual([MESSAGE(2, 1)]);
  });

  it("fails one region with one replica", async () => {
    const props = app("production", (p) => {
      delete p.deploy.numReplicas;
      p.deploy.multiRegion = { "us-west2": 1 };
    });
    expect(messages(await runResource(policy, SI, props))).toEqual([MESSAGE(2, 1, true)]);
  });

  it("takes minReplicas from the policy config", async () => {
    expect(messages(await runResource(policy, SI, app(), { config: { minReplicas: 3 } }))).toEqual([
      MESSAGE(3, 2),
    ]);
  });

  it("skips unknown counts", async () => {
    expect(
      await runResource(
        policy,
        SI,
        app("production", (p) => (p.deploy.numReplicas = UNKNOWN_NUMBER)),
      ),
    ).toEqual({ violations: [] });
  });

  it("is not applicable to workers, data services, or outside production", async () => {
    expect((await runResource(policy, SI, worker())).notApplicable).toBe(
      "Only judges public app services.",
    );
    expect(
      (
        await runResource(
          policy,
          SI,
          postgres("production", (p) => (p.networking.railwayDomainPort = 5432)),
        )
      ).notApplicable,
    ).toBe("Only judges public app services.");
    expect(
      (await runResource(policy, SI, app("preview"), { stack: "preview" })).notApplicable,
    ).toBe('Only judged in production; stack "preview" is not production.');
  });
});
