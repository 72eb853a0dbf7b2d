/**
 * The whole pack over whole stacks as the program declares them: compliant stacks of every kind
 * pass every policy, and a production stack with every kind of mistake fails the policy for each.
 */
import { ENVIRONMENT_COMPONENT_TYPE } from "../../policies/lib/contract";
import { SI, sharedStack, stack } from "./fixtures";
import { policies } from "../../policies/rules";
import type { StackEntry } from "./helpers";
import { runPack } from "./program-pack";

describe("the pack over whole stacks", () => {
  it.each([
    ["production", "production", true],
    ["production", "production", false],
    ["preview", "preview", true],
    ["pr-17", "preview", true],
    ["dev", "dev", false],
  ] as const)(
    "passes a compliant %s stack (tier %s, unknown ids: %s)",
    async (name, tier, unknownIds) => {
      expect(await runPack(stack(name, tier, unknownIds), name)).toEqual({});
    },
  );

  it.each([
    ["production", "production", true],
    ["production", "production", false],
    ["preview", "preview", true],
    ["pr-17", "preview", true],
    ["dev", "dev", false],
  ] as const)(
    "passes a compliant %s stack in a shared project (tier %s, unknown ids: %s)",
    async (name, tier, unknownIds) => {
      expect(await runPack(sharedStack(name, tier, unknownIds), name)).toEqual({});
    },
  );

  it("fails a careless production stack on every rule it breaks", async () => {
    const entries = stack("production", "production").map((e): StackEntry => {
      const props = JSON.parse(JSON.stringify(e.props));
      if (e.name === "api-instance") {
        Object.assign(props.variables, {
          RATE_LIMIT_ENABLED: "false",
          SECURITY_MIDDLEWARE: "false",
          DEBUG: "true",
          LOG_FORMAT: "pretty",
          CORS_ORIGINS: "*",
          SECRET_KEY: "not-so-secret",
        });
        Object.assign(props.deploy, {
          numReplicas: 1,
          sleepApplication: true,
          restartPolicyType: "NEVER",
          healthcheckPath: undefined,
          cpu: undefined,
        });
        props.source.branch = "develop";
      }
      if (e.name === "postgres-instance") {
        props.networking.tcpProxyPorts = [5432];
      }
      if (e.name === "redis-instance") {
        props.deploy.startCommand = "redis-server";
        props.source.image = "redis:latest";
      }
      if (e.name === "nats-instance") {
        props.deploy.startCommand = "nats-server -js";
      }
      if (e.name === "postgres-data") {
        props.backupSchedules = [];
      }
      if (e.name === "api-secret-key") {
        props.length = 16;
      }
      return { ...e, props };
    });
    const found = await runPack(
      [
        // A budget the stack breaks, as the environment component registers it.
        { type: ENVIRONMENT_COMPONENT_TYPE, name: "railway", props: { budgetMonthlyUsd: 100 } },
        ...entries.filter((e) => e.name !== "nats-data"),
      ],
      "production",
    );
    expect(Object.keys(found).sort()).toEqual(
      policies
        .map((p) => p.name)
        .filter(
          (n) =>
            ![
              "railway-stack-disallow-production-targets",
              "railway-service-disallow-pr-custom-domains",
              // An isolated stack has no Environment; the shared case is below.
              "railway-environment-disallow-ephemeral-production",
            ].includes(n),
        )
        .sort(),
    );
    expect(
      Object.values(found)
        .flat()
        .every((v) => v.level === "mandatory"),
    ).toBe(true);
  });

  it("fails a shared production stack whose environment is an ephemeral fork", async () => {
    const entries = sharedStack("production", "production").map((e): StackEntry =>
      e.name === "environment"
        ? { ...e, props: { ...e.props, ephemeral: true, sourceEnvironmentName: "preview" } }
        : e,
    );
    const found = await runPack(entries, "production");
    expect(
      Object.fromEntries(Object.entries(found).map(([name, vs]) => [name, vs.map((v) => v.level)])),
    ).toEqual({
      "railway-environment-disallow-ephemeral-production": ["mandatory", "mandatory"],
      "railway-service-disallow-pr-custom-domains": ["mandatory"],
    });
  });

  it("fails a careless PR stack only on the rules that guard every stack, advisory where production-only matters", async () => {
    const entries = stack("pr-17", "preview").map((e): StackEntry => {
      const props = JSON.parse(JSON.stringify(e.props));
      if (e.type === SI && e.name === "api-instance") {
        props.networking.customDomains = { "api.acme.dev": 8080 };
        props.variables.OPENAI_API_KEY = "sk-live-123";
        props.variables.DEBUG = "true";
      }
      if (e.name === "redis-instance") {
        props.deploy.startCommand = "redis-server";
      }
      if (e.name === "project") {
        props.name = "acme-production";
      }
      return { ...e, props };
    });
    const found = await runPack(entries, "pr-17");
    expect(
      Object.fromEntries(Object.entries(found).map(([name, vs]) => [name, vs.map((v) => v.level)])),
    ).toEqual({
      "railway-service-disallow-plain-secrets": ["mandatory"],
      "railway-stack-disallow-production-targets": ["mandatory"],
      "railway-service-disallow-pr-custom-domains": ["mandatory"],
      "railway-redis-require-password": ["advisory"],
    });
  });
});
