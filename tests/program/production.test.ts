import {
  byName,
  inventory,
  runProgram,
  stackConfig,
  type DeclaredResource,
} from "../helpers/program";
import {
  GIB,
  STANDARD_INVENTORY,
  input,
  isSecretInput,
  plainInputs,
  tierVariables,
} from "./expectations";

let resources: DeclaredResource[];
let outputs: Record<string, unknown>;

beforeAll(async () => {
  ({ resources, outputs } = await runProgram(
    "production",
    stackConfig("production", { "railway-stacks:openaiApiKey": "sk-test-production" }),
    ["railway-stacks:openaiApiKey"],
  ));
});

describe("production stack under mocks", () => {
  it("declares exactly the reference app", () => {
    expect(inventory(resources)).toEqual(STANDARD_INVENTORY);
  });

  it("owns environment production of the shared project agent-platform", () => {
    expect(plainInputs(byName(resources, "railway-project"))).toEqual({
      name: "agent-platform",
      defaultEnvironmentName: "production",
      shared: true,
      prDeploys: false,
      stack: "production",
      tier: "production",
    });
    expect(plainInputs(byName(resources, "railway-environment"))).toEqual({
      projectId: "railway-project-project-id",
      name: "production",
      ephemeral: false,
      stack: "production",
      tier: "production",
    });
  });

  it("names each data volume after the environment, in the shared project", () => {
    for (const service of ["postgres", "redis", "nats"]) {
      expect(input(resources, `railway-${service}-volume`, "name")).toBe(
        `${service}-data-production`,
      );
      expect(input(resources, `railway-${service}-volume`, "sharedProject")).toBe(true);
      expect(input(resources, `railway-${service}-instance`, "sharedProject")).toBe(true);
    }
  });

  it("gives public services replicas, limits, healthchecks and the production tier", () => {
    expect(input(resources, "railway-backend-instance", "deploy")).toEqual({
      numReplicas: 3,
      region: "us-west2",
      cpu: 2,
      memoryBytes: 2 * GIB,
      healthcheckPath: "/api/health",
      healthcheckTimeout: 300,
      preDeployCommand: ["npm", "run", "migrate"],
      restartPolicyType: "ON_FAILURE",
      restartPolicyMaxRetries: 10,
      sleepApplication: false,
    });
    expect(input(resources, "railway-broker-instance", "deploy")).toMatchObject({
      multiRegion: { "us-west2": 2, "europe-west4-drams3a": 1 },
      healthcheckTimeout: 300,
    });
    expect(input(resources, "railway-broker-instance", "source")).toEqual({
      repo: "acme/agent-platform",
      branch: "main",
      rootDirectory: "services/broker",
    });
    expect(input(resources, "railway-broker-instance", "networking")).toEqual({
      railwayDomainPort: 8080,
      customDomains: { "broker.acme-agents.com": 8080 },
      tcpProxyPorts: [],
    });
    const variables = input(resources, "railway-backend-instance", "variables") as Record<
      string,
      string
    >;
    expect(variables).toMatchObject(
      tierVariables("production", {
        rpm: 60,
        middleware: true,
        logFormat: "json",
        debug: false,
        cors: "https://app.acme-agents.com",
      }),
    );
    expect(variables.DATABASE_URL).toBe("${{postgres.DATABASE_URL}}");
    expect(variables.REDIS_URL).toBe("${{redis.REDIS_URL}}");
    expect(variables.NATS_URL).toBe("${{nats.NATS_URL}}");
  });

  it("keeps generated and configured secrets secret", () => {
    expect(isSecretInput(resources, "railway-backend-instance", "secretVariables")).toBe(true);
    expect(
      Object.keys(input(resources, "railway-backend-instance", "secretVariables") as object).sort(),
    ).toEqual(["OPENAI_API_KEY", "SECRET_KEY"]);
    expect(input(resources, "railway-backend-secret-key", "length")).toBe(64);
    for (const service of ["postgres", "redis", "nats"]) {
      const secrets = input(resources, `railway-${service}-instance`, "secretVariables") as Record<
        string,
        string
      >;
      expect(Object.keys(secrets)).toHaveLength(1);
    }
    const plain = JSON.stringify(resources.map((resource) => resource.inputs.variables ?? {}));
    expect(plain).not.toContain("sk-test-production");
  });

  it("keeps data services private, on volumes, with backups for Postgres", () => {
    for (const service of ["postgres", "redis", "nats"]) {
      expect(input(resources, `railway-${service}-instance`, "networking")).toEqual({
        customDomains: {},
        tcpProxyPorts: [],
      });
    }
    expect(input(resources, "railway-postgres-volume", "backupSchedules")).toEqual([
      "DAILY",
      "WEEKLY",
    ]);
    expect(input(resources, "railway-postgres-volume", "sizeMB")).toBe(20 * 1024);
    expect(input(resources, "railway-postgres-instance", "source")).toEqual({
      image: "pgvector/pgvector:0.8.0-pg16",
    });
    expect(input(resources, "railway-nats-volume", "mountPath")).toBe("/data");
  });

  it("protects the environment, the data services and their volumes, not the shared project", () => {
    expect(
      resources
        .filter((resource) => resource.protect)
        .map((resource) => resource.name)
        .sort(),
    ).toEqual([
      "railway-environment",
      "railway-nats-instance",
      "railway-nats-service",
      "railway-nats-volume",
      "railway-postgres-instance",
      "railway-postgres-service",
      "railway-postgres-volume",
      "railway-redis-instance",
      "railway-redis-service",
      "railway-redis-volume",
    ]);
  });

  it("gates the public services after each deployment", () => {
    expect(input(resources, "railway-broker-gate", "environment")).toEqual({
      GATE_SERVICE: "broker",
      GATE_DOMAIN: "broker.up.railway.app",
      GATE_PATHS: '["/health","/health/ready"]',
      GATE_TIMEOUT_SECONDS: "900",
      GATE_INTERVAL_SECONDS: "15",
    });
    expect(input(resources, "railway-broker-gate", "triggers")).toEqual(["commit-1"]);
  });

  it("exports project ids and URLs", () => {
    expect(outputs).toEqual({
      tier: "production",
      projectName: "agent-platform",
      layout: "shared",
      environmentId: "railway-environment-env-id",
      environmentName: "production",
      projectId: "railway-project-project-id",
      // environmentId is the Environment's; tests/helpers/program.ts's mocks give that resource
      // no outputs, so it is unset under them (and toEqual skips an undefined key).
      serviceUrls: {
        broker: "https://broker.up.railway.app",
        backend: "https://backend.up.railway.app",
        frontend: "https://frontend.up.railway.app",
      },
      healthUrls: {
        broker: "https://broker.up.railway.app/health",
        backend: "https://backend.up.railway.app/api/health",
        frontend: "https://frontend.up.railway.app/",
      },
      tcpProxies: {},
      // The mocks run no provider, so Railway gives no DNS records for the custom domains here.
      dnsRecords: [],
      // npm run cost -- production: the sums worked out by hand in tests/unit/cost.test.ts.
      monthlyCostUsd: { lower: 223.3, upper: 883.3, budget: 1000 },
    });
  });
});
