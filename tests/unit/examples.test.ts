/**
 * The example systems under examples/: every `Pulumi.<stack>.yaml` parses for the stack its file
 * name gives, production files meet the production expectations, EXAMPLES (what the end-to-end
 * suite deploys) lists exactly the files on disk and their secrets, the READMEs say how to deploy,
 * and each example states the facts it exists to show.
 */
import { deploys, one } from "../helpers/data-services";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";

import {
  type AppServiceConfig,
  dataServicesOf,
  type ParsedStackConfig,
  type VariableSpec,
  formatIssue,
  parseStackConfig,
  secretReferences,
} from "../../infra/config";
import { EXAMPLES, stackFile } from "../../examples";

const EXAMPLES_DIR = path.join(__dirname, "..", "..", "examples");
const STACK_FILE = /^Pulumi\.(.+)\.yaml$/;

type Raw = Record<string, any>;

/** Every `examples/<name>/Pulumi.<stack>.yaml` on disk, as [name, stack] pairs. */
function discover(): [string, string][] {
  const found: [string, string][] = [];
  for (const entry of fs.readdirSync(EXAMPLES_DIR, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    for (const file of fs.readdirSync(path.join(EXAMPLES_DIR, entry.name))) {
      const match = STACK_FILE.exec(file);
      if (match) found.push([entry.name, match[1]!]);
    }
  }
  return found.sort();
}

const FILES = discover();

function raw(name: string, stack: string): Raw {
  const text = fs.readFileSync(path.join(EXAMPLES_DIR, name, `Pulumi.${stack}.yaml`), "utf8");
  const document = parse(text) as { config?: Record<string, unknown> };
  return document.config?.["railway-stacks:app"] as Raw;
}

/** The parsed config; fails with every issue, one line each, when the file is invalid. */
function load(name: string, stack: string): ParsedStackConfig {
  const result = parseStackConfig(raw(name, stack), stack);
  if (!result.ok) {
    throw new Error(
      `examples/${name}/Pulumi.${stack}.yaml is invalid:\n${result.issues.map(formatIssue).join("\n")}`,
    );
  }
  return result.config;
}

function service(config: ParsedStackConfig, name: string): AppServiceConfig<VariableSpec> {
  const found = config.services[name];
  if (!found) throw new Error(`${config.stack}: no service ${name}`);
  return found;
}

const stacksOf = (name: string): string[] =>
  FILES.filter(([example]) => example === name).map(([, stack]) => stack);

// ---------------------------------------------------------------------------------------------

describe("example stack files", () => {
  it("are the five examples, with the stacks each one documents", () => {
    expect(Object.fromEntries(EXAMPLES.map((e) => [e.name, stacksOf(e.name)]))).toEqual({
      "fastapi-graph": ["dev", "production"],
      "backend-postgres-redis": ["dev", "production"],
      "agent-broker": ["dev", "production"],
      "ai-engine": ["dev", "preview", "production"],
      monorepo: ["dev", "production"],
    });
  });

  it.each(FILES)("%s/Pulumi.%s.yaml parses for its stack", (name, stack) => {
    const result = parseStackConfig(raw(name, stack), stack);
    expect(result.ok ? [] : result.issues.map(formatIssue)).toEqual([]);
    expect(result.ok && result.config.tier).toBe(stack);
  });

  it.each(FILES)(
    "%s/Pulumi.%s.yaml never allows every origin and keeps data services private",
    (name, stack) => {
      const config = load(name, stack);
      expect(config.app.corsOrigins).not.toContain("*");
      expect(config.app.corsOrigins.length).toBeGreaterThan(0);
      for (const data of config.dataServices) {
        expect(data.publicProxy).toBe(false);
      }
    },
  );

  const production = FILES.filter(([, stack]) => stack === "production");

  it.each(production)("%s/Pulumi.%s.yaml meets the production expectations", (name, stack) => {
    const config = load(name, stack);
    expect(config.project.protectedBranch).toBe("main");
    expect(config.app).toMatchObject({
      securityMiddleware: true,
      logFormat: "json",
      debug: false,
      rateLimit: { enabled: true },
    });
    expect(config.app.rateLimit.rpm).toBeLessThanOrEqual(60);

    for (const data of config.dataServices) {
      expect(data.limits?.cpu).toBeGreaterThan(0);
      expect(data.limits?.memoryMB).toBeGreaterThan(0);
    }
    for (const data of dataServicesOf(config, "postgres")) {
      expect(data.backups).toContain("DAILY");
    }

    for (const svc of Object.values(config.services)) {
      const where = `${name}/${stack} ${svc.name}`;
      if (svc.public) {
        expect([where, svc.replicas >= 2]).toEqual([where, true]);
        expect([where, svc.healthcheck?.path]).toEqual([where, expect.stringMatching(/^\//)]);
      }
      expect([where, svc.limits?.cpu !== undefined, svc.limits?.memoryMB !== undefined]).toEqual([
        where,
        true,
        true,
      ]);
      expect([where, svc.restartPolicy.type]).toEqual([where, "ON_FAILURE"]);
      expect(svc.restartPolicy.maxRetries).toBeGreaterThanOrEqual(1);
      expect([where, svc.sleep]).toEqual([where, false]);
      expect(svc.domains.custom.every((d) => !d.includes("railway.app"))).toBe(true);
      if (svc.source.kind === "repo") {
        expect([where, svc.source.branch]).toEqual([where, "main"]);
      } else {
        // Pinned: a version tag (checked by the schema) that names a version, not a channel.
        expect(svc.source.image).toMatch(/:\d+\.\d+\.\d+/);
      }
      for (const [variable, value] of Object.entries(svc.variables)) {
        if (/PASSWORD|SECRET|TOKEN|API_KEY|AUTH/.test(variable) && value.kind === "plain") {
          // The one plain credential-shaped value is a template of a generated secret.
          expect([where, variable, value.value]).toEqual([
            where,
            variable,
            expect.stringMatching(/^[^$]*\$\{\{[A-Z_]+\}\}$/),
          ]);
        }
      }
    }
  });
});

describe("EXAMPLES", () => {
  it("lists every example directory with its stacks and an absolute dir", () => {
    expect(EXAMPLES.map((e) => e.name).sort()).toEqual([...new Set(FILES.map(([name]) => name))]);
    for (const example of EXAMPLES) {
      expect(example.dir).toBe(path.join(EXAMPLES_DIR, example.name));
      expect([...example.stacks].sort()).toEqual(stacksOf(example.name));
      expect(Object.keys(example.secrets).sort()).toEqual(stacksOf(example.name));
      for (const stack of example.stacks) {
        expect(fs.existsSync(stackFile(example, stack))).toBe(true);
      }
    }
  });

  it.each(EXAMPLES.flatMap((e) => e.stacks.map((s) => [e.name, s] as const)))(
    "%s %s: secrets are exactly the required secret config keys of the file",
    (name, stack) => {
      const example = EXAMPLES.find((e) => e.name === name)!;
      const references = secretReferences(raw(name, stack));
      expect(references.filter((r) => r.optional)).toEqual([]);
      expect([...example.secrets[stack]!].sort()).toEqual(
        [...new Set(references.map((r) => r.configKey))].sort(),
      );
    },
  );
});

describe("example READMEs", () => {
  it.each(EXAMPLES.map((e) => [e.name]))("%s/README.md says how to deploy every stack", (name) => {
    const example = EXAMPLES.find((e) => e.name === name)!;
    const readme = fs.readFileSync(path.join(example.dir, "README.md"), "utf8");
    for (const stack of example.stacks) {
      expect(readme).toContain(`cp examples/${name}/Pulumi.${stack}.yaml Pulumi.${stack}.yaml`);
      expect(readme).toContain(`pulumi up -s ${stack}`);
      for (const key of example.secrets[stack]!) {
        expect(readme).toContain(`pulumi config set --secret ${key} `);
      }
    }
  });
});

// ---------------------------------------------------------------------------------------------

describe("fastapi-graph", () => {
  it.each(["dev", "production"])(
    "%s: a FastAPI API from main and a private Neo4j image, no data services",
    (stack) => {
      const config = load("fastapi-graph", stack);
      expect([
        deploys(config, "postgres"),
        deploys(config, "redis"),
        deploys(config, "nats"),
      ]).toEqual([false, false, false]);
      expect(Object.keys(config.services)).toEqual(["api", "neo4j"]);

      const api = service(config, "api");
      expect(api.source).toEqual({
        kind: "repo",
        repo: "acme/fastapi-graph",
        branch: "main",
      });
      expect(api.healthcheck?.path).toBe("/health");
      expect(api.public).toBe(true);
      expect(api.variables["OPENAI_API_KEY"]).toEqual({
        kind: "secret",
        configKey: "openaiApiKey",
        optional: false,
      });
      expect(api.variables["NEO4J_PASSWORD"]).toEqual({
        kind: "reference",
        service: "neo4j",
        variable: "GRAPH_PASSWORD",
      });
      expect(api.variables["NEO4J_URI"]).toEqual({
        kind: "plain",
        value: "bolt://${{neo4j.RAILWAY_PRIVATE_DOMAIN}}:7687",
      });

      const neo4j = service(config, "neo4j");
      expect(neo4j.source).toEqual({
        kind: "image",
        image: "neo4j:5.26.2-community",
      });
      expect(neo4j.build).toBeUndefined();
      expect(neo4j.public).toBe(false);
      expect(neo4j.domains).toEqual({ railway: false, custom: [] });
      expect(neo4j.replicas).toBe(1);
      expect(neo4j.variables["GRAPH_PASSWORD"]).toEqual({
        kind: "generated",
        length: 32,
      });
      expect(neo4j.variables["NEO4J_AUTH"]).toEqual({
        kind: "plain",
        value: "neo4j/${{GRAPH_PASSWORD}}",
      });
      // The image turns NEO4J_* variables into settings: the password must not be one.
      expect(
        Object.keys(neo4j.variables).filter(
          (v) => v.startsWith("NEO4J_") && !v.startsWith("NEO4J_server_"),
        ),
      ).toEqual(["NEO4J_AUTH"]);
    },
  );

  it("production runs the API on 2 replicas", () => {
    expect(service(load("fastapi-graph", "production"), "api").replicas).toBe(2);
  });
});

describe("backend-postgres-redis", () => {
  it.each(["dev", "production"])(
    "%s: Postgres and Redis linked, generated SECRET_KEY, OPENAI_API_KEY secret, readiness path",
    (stack) => {
      const config = load("backend-postgres-redis", stack);
      expect([
        deploys(config, "postgres"),
        deploys(config, "redis"),
        deploys(config, "nats"),
      ]).toEqual([true, true, false]);
      const backend = service(config, "backend");
      // The redis link sets REDIS_URL, REDIS_HOST, REDIS_PORT, REDIS_USER and REDIS_PASSWORD.
      expect(backend.links).toEqual(["postgres", "redis"]);
      expect(Object.keys(backend.variables).filter((v) => v.startsWith("REDIS_"))).toEqual([]);
      expect(backend.readinessPath).toBe("/api/v1/health/readiness");
      expect(backend.healthcheck?.path).toBe("/api/v1/health/readiness");
      expect(backend.gate.enabled).toBe(true);
      expect(backend.variables["SECRET_KEY"]).toEqual({
        kind: "generated",
        length: 64,
      });
      expect(backend.variables["OPENAI_API_KEY"]).toEqual({
        kind: "secret",
        configKey: "openaiApiKey",
        optional: false,
      });
    },
  );

  it("production backs Postgres up daily and weekly and runs 2 backend replicas", () => {
    const config = load("backend-postgres-redis", "production");
    expect(one(config, "postgres").backups).toEqual(["DAILY", "WEEKLY"]);
    expect(service(config, "backend").replicas).toBe(2);
  });
});

describe("agent-broker", () => {
  it.each(["dev", "production"])(
    "%s: Node 22 Dockerfile broker on 8080 with pgvector, Redis 7, NATS 2.10 JetStream",
    (stack) => {
      const config = load("agent-broker", stack);
      const broker = service(config, "broker");
      expect(broker.build).toMatchObject({
        builder: "DOCKERFILE",
        dockerfilePath: "Dockerfile",
      });
      expect(broker.variables["NODE_VERSION"]).toEqual({
        kind: "plain",
        value: "22",
      });
      expect(broker.port).toBe(8080);
      expect(broker.healthcheck).toEqual({
        path: "/health/ready",
        timeoutSeconds: 300,
      });
      expect(broker.readinessPath).toBe("/health/ready");
      expect(broker.links).toEqual(["postgres", "redis", "nats"]);
      expect(broker.variables["BROKER_SIGNING_KEY"]).toEqual({
        kind: "generated",
        length: 48,
      });

      expect(one(config, "postgres").image).toBe("pgvector/pgvector:0.8.0-pg16");
      expect(one(config, "redis")).toMatchObject({
        image: "redis:7.4-alpine",
        maxMemoryMB: 512,
        evictionPolicy: "allkeys-lru",
        appendOnly: false,
      });
      expect(one(config, "nats").image).toBe("nats:2.10-alpine");
      expect(one(config, "nats").jetStream).toEqual({
        maxStorageMB: 1024,
        streams: [
          {
            name: "AGENT_EVENTS",
            subjects: ["agents.>"],
            maxAge: "7d",
            maxAgeSeconds: 7 * 86400,
          },
        ],
      });
      expect(one(config, "nats").volumeSizeMB).toBeGreaterThanOrEqual(
        one(config, "nats").jetStream.maxStorageMB,
      );
      expect(config.app.corsOrigins.length).toBeGreaterThan(0);
      expect(config.app.corsOrigins.some((origin) => origin.includes("*"))).toBe(false);
    },
  );

  it("runs 1 broker replica in dev and 3 in production", () => {
    expect(service(load("agent-broker", "dev"), "broker").replicas).toBe(1);
    expect(service(load("agent-broker", "production"), "broker").replicas).toBe(3);
  });

  it("production sets the exact CORS origins and daily backups", () => {
    const config = load("agent-broker", "production");
    expect(config.app.corsOrigins).toEqual([
      "https://agents.example.com",
      "https://admin.agents.example.com",
    ]);
    expect(one(config, "postgres").backups).toEqual(["DAILY", "WEEKLY"]);
  });
});

describe("ai-engine", () => {
  const TIERS = [
    ["dev", false, 1000, "http://localhost:3000"],
    ["preview", true, 100, "https://preview.ai-engine.example.com"],
    ["production", true, 60, "https://ai-engine.example.com"],
  ] as const;

  it.each(TIERS)(
    "%s: security middleware %s, JSON logs, %d requests per minute",
    (stack, middleware, rpm, origin) => {
      expect(load("ai-engine", stack).app).toEqual({
        securityMiddleware: middleware,
        logFormat: "json",
        rateLimit: { enabled: true, rpm },
        debug: false,
        corsOrigins: [origin],
      });
    },
  );

  it.each(TIERS)("%s: the file writes every app setting out, tier defaults included", (stack) => {
    const app = raw("ai-engine", stack)["app"] as Raw;
    expect(Object.keys(app).sort()).toEqual(
      ["corsOrigins", "debug", "logFormat", "rateLimit", "securityMiddleware"].sort(),
    );
    expect(Object.keys(app["rateLimit"]).sort()).toEqual(["enabled", "rpm"]);
  });

  it("scales the engine by tier: 1, 1, 2 replicas", () => {
    expect(TIERS.map(([stack]) => service(load("ai-engine", stack), "engine").replicas)).toEqual([
      1, 1, 2,
    ]);
  });
});

describe("monorepo", () => {
  it.each(["dev", "production"])(
    "%s: backend, ml and frontend each built from its own root directory with watch patterns",
    (stack) => {
      const config = load("monorepo", stack);
      expect(Object.keys(config.services)).toEqual(["backend", "ml", "frontend"]);
      for (const name of ["backend", "ml", "frontend"]) {
        const svc = service(config, name);
        expect(svc.source).toEqual({
          kind: "repo",
          repo: "acme/monorepo",
          branch: "main",
          rootDirectory: `services/${name}`,
        });
        expect(svc.build?.watchPatterns).toEqual([`/services/${name}/**`]);
      }
      expect(service(config, "backend").healthcheck?.path).toBe("/api/health");
      expect(service(config, "ml").startCommand).toBe(
        "uvicorn ml_server:app --host 0.0.0.0 --port $PORT",
      );
      expect(service(config, "ml").public).toBe(false);
      expect(service(config, "backend").variables["ML_HOST"]).toEqual({
        kind: "reference",
        service: "ml",
        variable: "RAILWAY_PRIVATE_DOMAIN",
      });
    },
  );

  it("production serves the frontend on the origin the backend allows", () => {
    const config = load("monorepo", "production");
    expect(service(config, "frontend").domains.custom).toEqual(["app.monorepo.example.com"]);
    expect(config.app.corsOrigins).toEqual(["https://app.monorepo.example.com"]);
  });
});
