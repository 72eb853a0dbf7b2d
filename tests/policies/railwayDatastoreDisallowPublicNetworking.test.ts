import { railwayDatastoreDisallowPublicNetworking as policy } from "../../policies/rules/railwayDatastoreDisallowPublicNetworking";
import { app, nats, postgres, redis, SI } from "./fixtures";
import { runResource, UNKNOWN_ARRAY, UNKNOWN_NUMBER } from "./helpers";

describe(policy.name, () => {
  it.each([
    ["postgres", postgres()],
    ["redis", redis()],
    ["nats", nats()],
  ])("passes private production %s", async (_, props) => {
    expect(await runResource(policy, SI, props)).toEqual({ violations: [] });
  });

  it("fails a public TCP proxy", async () => {
    const result = await runResource(
      policy,
      SI,
      postgres("production", (p) => (p.networking.tcpProxyPorts = [5432])),
    );
    expect(result.violations).toEqual([
      {
        level: "mandatory",
        message:
          "Production postgres must not have a public TCP proxy (ports 5432). Fix: set `railway-stacks:app.postgres.publicProxy` to false in Pulumi.production.yaml.",
      },
    ]);
  });

  it("names a named instance's key in the fix", async () => {
    const result = await runResource(
      policy,
      SI,
      postgres("production", (p) => {
        p.serviceName = "postgres-analytics";
        p.networking.tcpProxyPorts = [5432];
      }),
    );
    expect(result.violations.map((v) => v.message)).toEqual([
      "Production postgres must not have a public TCP proxy (ports 5432). Fix: set `railway-stacks:app.postgres.analytics.publicProxy` to false in Pulumi.production.yaml.",
    ]);
  });

  it("fails a public Railway domain", async () => {
    const result = await runResource(
      policy,
      SI,
      redis("production", (p) => (p.networking.railwayDomainPort = 6379)),
    );
    expect(result.violations).toEqual([
      {
        level: "mandatory",
        message:
          "Production redis must not have a public Railway domain. Fix: declare it without networking.railwayDomainPort in the redis component.",
      },
    ]);
  });

  it("fails custom domains", async () => {
    const result = await runResource(
      policy,
      SI,
      nats("production", (p) => (p.networking.customDomains = { "nats.acme.dev": 4222 })),
    );
    expect(result.violations).toEqual([
      {
        level: "mandatory",
        message:
          "Production nats must not have custom domains (nats.acme.dev). Fix: declare it without networking.customDomains in the nats component.",
      },
    ]);
  });

  it("reports every public path at once", async () => {
    const result = await runResource(
      policy,
      SI,
      postgres(
        "production",
        (p) =>
          (p.networking = {
            railwayDomainPort: 5432,
            customDomains: { "db.acme.dev": 5432 },
            tcpProxyPorts: [5432, 6543],
          }),
      ),
    );
    expect(result.violations.map((v) => v.message.split(".")[0])).toEqual([
      "Production postgres must not have a public TCP proxy (ports 5432, 6543)",
      "Production postgres must not have a public Railway domain",
      "Production postgres must not have custom domains (db",
    ]);
  });

  it("judges a production-tier resource in a stack of another name", async () => {
    const result = await runResource(
      policy,
      SI,
      postgres("production", (p) => (p.networking.tcpProxyPorts = [5432])),
      { stack: "prod-eu" },
    );
    expect(result.violations[0]!.message).toContain("in Pulumi.prod-eu.yaml.");
  });

  it("skips values that are unknown during preview", async () => {
    const result = await runResource(
      policy,
      SI,
      postgres("production", (p) => {
        p.networking.tcpProxyPorts = UNKNOWN_ARRAY;
        p.networking.railwayDomainPort = UNKNOWN_NUMBER;
      }),
    );
    expect(result).toEqual({ violations: [] });
  });

  it("is not applicable outside production", async () => {
    const result = await runResource(
      policy,
      SI,
      postgres("preview", (p) => (p.networking.tcpProxyPorts = [5432])),
      { stack: "preview" },
    );
    expect(result).toEqual({
      violations: [],
      notApplicable: 'Only judged in production; stack "preview" is not production.',
    });
  });

  it("is not applicable to app services or other types", async () => {
    expect((await runResource(policy, SI, app())).notApplicable).toBe(
      "Only judges postgres, redis and nats services.",
    );
    expect(
      (await runResource(policy, "random:index/randomPassword:RandomPassword", { length: 32 }))
        .notApplicable,
    ).toBe("Only judges pulumi-nodejs:dynamic/railway:ServiceInstance.");
  });
});
