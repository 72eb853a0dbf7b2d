/**
 * Two named Postgres instances under mocks: the dev stack with `postgres: { main, analytics }`,
 * backend linked to main and ml to analytics. Each instance is a component of its own (Railway
 * service `postgres-<name>`, its own password, volume and credentials), each app's DATABASE_URL
 * references its own instance, and the cost estimate counts both. The one-instance form's names
 * are pinned by dev.test.ts and the other program tests.
 */
import { parseStackConfig } from "../../infra/config";
import { estimateStackCost } from "../../infra/cost";
import { readStackFile } from "../fixtures/config";
import {
  byName,
  inventory,
  runProgram,
  stackConfig,
  type DeclaredResource,
} from "../helpers/program";
import { input } from "./expectations";

let resources: DeclaredResource[];
let outputs: Record<string, unknown>;

beforeAll(async () => {
  const app = readStackFile("dev");
  app.postgres = {
    main: app.postgres,
    analytics: { database: "analytics", user: "analyst", volumeSize: "5GB" },
  };
  app.services.backend.links = ["postgres.main", "redis", "nats"];
  app.services.ml.links = ["postgres.analytics", "nats"];
  app.services.frontend.variables.ANALYTICS_DB = { ref: "postgres-analytics.DATABASE_URL" };
  ({ resources, outputs } = await runProgram(
    "dev",
    stackConfig("dev", { "railway-stacks:app": app }),
  ));
});

const postgresParts = (name: string): string[] =>
  inventory(resources).filter((line) => line.includes(` railway-${name}`));

describe("two named Postgres services (dev, under mocks)", () => {
  it("declares one Postgres component per instance, with its own service, volume and password", () => {
    for (const instance of ["main", "analytics"]) {
      expect(postgresParts(`postgres-${instance}`)).toEqual([
        `pulumi-nodejs:dynamic/railway:Service railway-postgres-${instance}-service`,
        `pulumi-nodejs:dynamic/railway:ServiceInstance railway-postgres-${instance}-instance`,
        `pulumi-nodejs:dynamic/railway:Volume railway-postgres-${instance}-volume`,
        `railway-stacks:data:Postgres railway-postgres-${instance}`,
        `random:index/randomPassword:RandomPassword railway-postgres-${instance}-password`,
      ]);
    }
    expect(inventory(resources).filter((line) => / railway-postgres(-|$)/.test(line))).toHaveLength(
      10,
    );
    expect(byName(resources, "railway-postgres-main-service").inputs).toMatchObject({
      name: "postgres-main",
      role: "postgres",
    });
    expect(byName(resources, "railway-postgres-analytics-service").inputs).toMatchObject({
      name: "postgres-analytics",
      role: "postgres",
    });
    expect(byName(resources, "railway-postgres-analytics-volume").inputs).toMatchObject({
      name: "postgres-analytics-data-dev",
      sizeMB: 5120,
    });
  });

  it("gives each instance its own settings and its own password variable", () => {
    expect(input(resources, "railway-postgres-main-instance", "variables")).toMatchObject({
      POSTGRES_DB: "agents",
      POSTGRES_USER: "agents",
    });
    expect(input(resources, "railway-postgres-analytics-instance", "variables")).toMatchObject({
      POSTGRES_DB: "analytics",
      POSTGRES_USER: "analyst",
    });
    for (const instance of ["main", "analytics"]) {
      expect(
        Object.keys(
          input(resources, `railway-postgres-${instance}-instance`, "secretVariables") as object,
        ),
      ).toEqual(["POSTGRES_PASSWORD"]);
    }
  });

  it("points each app's DATABASE_URL at its own instance", () => {
    const variables = (service: string) =>
      input(resources, `railway-${service}-instance`, "variables") as Record<string, string>;
    expect(variables("backend")["DATABASE_URL"]).toBe("${{postgres-main.DATABASE_URL}}");
    expect(variables("ml")["DATABASE_URL"]).toBe("${{postgres-analytics.DATABASE_URL}}");
    expect(variables("frontend")["ANALYTICS_DB"]).toBe("${{postgres-analytics.DATABASE_URL}}");
    expect(variables("broker")["DATABASE_URL"]).toBeUndefined();
  });

  it("prices both instances", () => {
    const parsed = parseStackConfig(readStackFile("dev"), "dev");
    if (!parsed.ok) throw new Error("the shipped dev stack does not parse");
    const base = estimateStackCost(parsed.config).monthly;
    const cost = outputs.monthlyCostUsd as { lower: number; upper: number };
    // The second Postgres has no limits (the plan's ceiling) and a 5 GB volume.
    expect(cost.upper).toBeGreaterThan(base.upper);
    expect(cost.lower).toBeGreaterThan(base.lower);
  });
});
