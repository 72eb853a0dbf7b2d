/**
 * Compliant resources as the components declare them (docs/decisions.md §4, §6, §7), one
 * builder per shape. Each call returns a fresh object; `change` mutates it for a bad case.
 */
import type {
  EnvironmentInputs,
  ProjectInputs,
  ServiceInputs,
  ServiceInstanceInputs,
  Tier,
  VolumeInputs,
} from "../../infra/domain/types";
import { TYPE_TOKENS } from "../../infra/domain/types";
import { natsStartCommand } from "../../infra/components/nats";
import { redisStartCommand } from "../../infra/components/redis";
import { RANDOM_PASSWORD_TYPE } from "../../policies/lib/contract";
import type { StackEntry } from "./helpers";
import { UNKNOWN_STRING } from "./helpers";

export const SI = TYPE_TOKENS.serviceInstance;
export const SECRET = "[secret]";
const GiB = 1024 ** 3;

type Change<T> = (props: T) => void;

/**
 * A fresh copy. Not structuredClone: under jest it returns objects of Node's realm, which fail the
 * policy proxy's `instanceof Object` and would go unproxied. JSON also drops undefined values, as
 * the engine does.
 */
function make<T>(props: T, change?: Change<T>): T {
  const copy = JSON.parse(JSON.stringify(props)) as T;
  change?.(copy);
  return copy;
}

const ids = { projectId: "prj-1", environmentId: "env-1" };

/** Tier defaults (docs/decisions.md §6). */
const TIERS: Record<
  Tier,
  { rpm: string; security: string; logs: string; replicas: number; domain?: string }
> = {
  local: { rpm: "0", security: "false", logs: "pretty", replicas: 1 },
  dev: { rpm: "1000", security: "false", logs: "json", replicas: 1, domain: "api.dev.acme.dev" },
  preview: {
    rpm: "100",
    security: "true",
    logs: "json",
    replicas: 1,
    domain: "api.preview.acme.dev",
  },
  production: { rpm: "60", security: "true", logs: "json", replicas: 2, domain: "api.acme.dev" },
};

/** A public app service (an API) with the tier's defaults. */
export function app(
  tier: Tier = "production",
  change?: Change<ServiceInstanceInputs>,
): ServiceInstanceInputs {
  const t = TIERS[tier];
  return make<ServiceInstanceInputs>(
    {
      ...ids,
      serviceId: "svc-api",
      serviceName: "api",
      role: "app",
      tier,
      source: { repo: "acme/monorepo", branch: "main", rootDirectory: "apps/api" },
      build: { builder: "RAILPACK" },
      deploy: {
        startCommand: "node dist/main.js",
        healthcheckPath: "/health",
        healthcheckTimeout: 60,
        numReplicas: t.replicas,
        cpu: 1,
        memoryBytes: GiB,
        restartPolicyType: "ON_FAILURE",
        restartPolicyMaxRetries: 10,
        sleepApplication: false,
      },
      variables: {
        APP_ENV: tier,
        RATE_LIMIT_ENABLED: tier === "local" ? "false" : "true",
        RATE_LIMIT_RPM: t.rpm,
        SECURITY_MIDDLEWARE: t.security,
        LOG_FORMAT: t.logs,
        DEBUG: "false",
        CORS_ORIGINS: "https://app.acme.dev,https://admin.acme.dev",
        // Links, as the data components' linkVariables() give them.
        DATABASE_URL: "${{postgres.DATABASE_URL}}",
        REDIS_URL: "${{redis.REDIS_URL}}",
        REDIS_PASSWORD: "${{redis.REDIS_PASSWORD}}",
        NATS_URL: "${{nats.NATS_URL}}",
        NATS_AUTH_TOKEN: "${{nats.NATS_AUTH_TOKEN}}",
        NATS_STREAMS: '[{"name":"AGENT_EVENTS","subjects":["agents.>"],"maxAge":"7d"}]',
        PORT: "8080",
      },
      secretVariables: { SECRET_KEY: SECRET, OPENAI_API_KEY: SECRET },
      networking: {
        railwayDomainPort: 8080,
        customDomains: t.domain ? { [t.domain]: 8080 } : {},
        tcpProxyPorts: [],
      },
    },
    change,
  );
}

/** An app service without a public domain (a worker). */
export function worker(
  tier: Tier = "production",
  change?: Change<ServiceInstanceInputs>,
): ServiceInstanceInputs {
  return app(tier, (p) => {
    p.serviceId = "svc-worker";
    p.serviceName = "worker";
    p.source.rootDirectory = "apps/worker";
    p.deploy.healthcheckPath = undefined;
    p.deploy.numReplicas = 1;
    p.networking = { customDomains: {}, tcpProxyPorts: [] };
    change?.(p);
  });
}

function datastore(
  role: "postgres" | "redis" | "nats",
  tier: Tier,
  image: string,
  startCommand: string | undefined,
  variables: Record<string, string>,
  secretVariables: Record<string, string>,
  change?: Change<ServiceInstanceInputs>,
): ServiceInstanceInputs {
  return make<ServiceInstanceInputs>(
    {
      ...ids,
      serviceId: `svc-${role}`,
      serviceName: role,
      role,
      tier,
      source: { image },
      build: {},
      deploy: {
        ...(startCommand ? { startCommand } : {}),
        cpu: 1,
        memoryBytes: GiB,
        restartPolicyType: "ON_FAILURE",
        restartPolicyMaxRetries: 10,
        sleepApplication: false,
      },
      variables,
      secretVariables,
      networking: { customDomains: {}, tcpProxyPorts: [] },
    },
    change,
  );
}

export function postgres(
  tier: Tier = "production",
  change?: Change<ServiceInstanceInputs>,
): ServiceInstanceInputs {
  return datastore(
    "postgres",
    tier,
    "pgvector/pgvector:pg16",
    undefined,
    {
      PGDATA: "/var/lib/postgresql/data/pgdata",
      POSTGRES_USER: "app",
      POSTGRES_DB: "app",
      DATABASE_URL:
        "postgresql://${{POSTGRES_USER}}:${{POSTGRES_PASSWORD}}@${{RAILWAY_PRIVATE_DOMAIN}}:5432/${{POSTGRES_DB}}",
    },
    { POSTGRES_PASSWORD: SECRET },
    change,
  );
}

export function redis(
  tier: Tier = "production",
  change?: Change<ServiceInstanceInputs>,
): ServiceInstanceInputs {
  return datastore(
    "redis",
    tier,
    "redis:7.4-alpine",
    // What the redis component declares.
    redisStartCommand({ maxMemoryMB: 512, evictionPolicy: "allkeys-lru", appendOnly: false }),
    {
      REDIS_HOST: "${{RAILWAY_PRIVATE_DOMAIN}}",
      REDIS_PORT: "6379",
      REDIS_USER: "default",
      REDIS_URL: "redis://default:${{REDIS_PASSWORD}}@${{RAILWAY_PRIVATE_DOMAIN}}:6379",
    },
    { REDIS_PASSWORD: SECRET },
    change,
  );
}

export function nats(
  tier: Tier = "production",
  change?: Change<ServiceInstanceInputs>,
): ServiceInstanceInputs {
  return datastore(
    "nats",
    tier,
    "nats:2.10-alpine",
    // What the nats component declares: a config file with an authorization token.
    natsStartCommand({ maxStorageMB: 1024 }),
    { NATS_PORT: "4222", NATS_URL: "nats://${{RAILWAY_PRIVATE_DOMAIN}}:4222" },
    { NATS_AUTH_TOKEN: SECRET },
    change,
  );
}

export function project(
  stack = "production",
  tier: Tier = "production",
  change?: Change<ProjectInputs>,
): ProjectInputs {
  return make<ProjectInputs>(
    { name: `acme-${stack}`, defaultEnvironmentName: tier, prDeploys: false, stack, tier },
    change,
  );
}

export function service(
  role: ServiceInputs["role"],
  name: string = role,
  change?: Change<ServiceInputs>,
): ServiceInputs {
  return make<ServiceInputs>({ projectId: "prj-1", name, role }, change);
}

export function volume(
  role: "postgres" | "redis" | "nats",
  tier: Tier = "production",
  change?: Change<VolumeInputs>,
): VolumeInputs {
  return make<VolumeInputs>(
    {
      ...ids,
      serviceId: `svc-${role}`,
      name: `${role}-data`,
      mountPath: role === "postgres" ? "/var/lib/postgresql/data" : "/data",
      sizeMB: 5000,
      backupSchedules: role === "postgres" && tier === "production" ? ["DAILY"] : [],
    },
    change,
  );
}

/**
 * A whole compliant stack as the program declares it during a first preview: ids are outputs,
 * so unknown, and the engine records which resource each id input came from.
 */
export function stack(stackName: string, tier: Tier, unknownIds = true): StackEntry[] {
  const id = (value: string): string => (unknownIds ? UNKNOWN_STRING : value);
  const withIds = <T extends { projectId: string; environmentId?: string; serviceId?: string }>(
    p: T,
    serviceId?: string,
  ): T => {
    p.projectId = id("prj-1");
    if (p.environmentId !== undefined) {
      p.environmentId = id("env-1");
    }
    if (p.serviceId !== undefined && serviceId) {
      p.serviceId = id(serviceId);
    }
    return p;
  };
  /** A Service as the stack policy sees it: its outputs add `serviceId` once it exists. */
  const serviceOutputs = (role: ServiceInputs["role"], name: string): object => {
    const props = withIds(service(role, name));
    return unknownIds ? props : { ...props, serviceId: `svc-${name}` };
  };
  const entries: StackEntry[] = [
    {
      type: TYPE_TOKENS.project,
      name: "project",
      props: project(stackName, tier, (p) => (p.name = `acme-${stackName}`)),
    },
  ];
  for (const role of ["postgres", "redis", "nats"] as const) {
    const instance = { postgres, redis, nats }[role](tier);
    entries.push(
      {
        type: TYPE_TOKENS.service,
        name: role,
        props: serviceOutputs(role, role),
        dependsOn: { projectId: ["project"] },
      },
      {
        type: TYPE_TOKENS.volume,
        name: `${role}-data`,
        props: withIds(volume(role, tier), `svc-${role}`),
        dependsOn: { projectId: ["project"], environmentId: ["project"], serviceId: [role] },
      },
      {
        type: SI,
        name: `${role}-instance`,
        props: withIds(instance, `svc-${role}`),
        dependsOn: { projectId: ["project"], environmentId: ["project"], serviceId: [role] },
      },
    );
  }
  const pr = /^pr-\d+$/.test(stackName);
  entries.push(
    {
      type: TYPE_TOKENS.service,
      name: "api",
      props: serviceOutputs("app", "api"),
      dependsOn: { projectId: ["project"] },
    },
    {
      type: SI,
      name: "api-instance",
      props: withIds(
        app(tier, (p) => {
          if (pr) {
            p.source.branch = "feature/login";
            p.networking.customDomains = {};
          }
        }),
        "svc-api",
      ),
      dependsOn: { projectId: ["project"], environmentId: ["project"], serviceId: ["api"] },
    },
    { type: RANDOM_PASSWORD_TYPE, name: "api-secret-key", props: { length: 48, special: false } },
  );
  return entries;
}

/** The environment a stack owns in a shared project, as the environment component declares it. */
export function environment(
  stack = "production",
  tier: Tier = "production",
  change?: Change<EnvironmentInputs>,
): EnvironmentInputs {
  const pr = /^pr-\d+$/.test(stack);
  return make<EnvironmentInputs>(
    {
      projectId: "prj-1",
      name: tier === "production" ? "production" : stack,
      ephemeral: pr,
      ...(pr ? { sourceEnvironmentName: "preview" } : {}),
      stack,
      tier,
    },
    change,
  );
}

/**
 * A whole compliant stack in the `shared` layout: the same project (`acme`, `shared: true`) in
 * every stack, the stack's own Environment, and every environment id taken from it. PR stacks own
 * an ephemeral environment forked from preview.
 */
export function sharedStack(stackName: string, tier: Tier, unknownIds = true): StackEntry[] {
  const entries = stack(stackName, tier, unknownIds).map((e): StackEntry => {
    if (e.name === "project") {
      return {
        ...e,
        props: project(stackName, tier, (p) => Object.assign(p, { name: "acme", shared: true })),
      };
    }
    const dependsOn = e.dependsOn?.environmentId
      ? { ...e.dependsOn, environmentId: ["environment"] }
      : e.dependsOn;
    return { ...e, ...(dependsOn ? { dependsOn } : {}) };
  });
  const env = environment(
    stackName,
    tier,
    (p) => (p.projectId = unknownIds ? UNKNOWN_STRING : "prj-1"),
  );
  entries.splice(
    1,
    0,
    {
      type: TYPE_TOKENS.environment,
      name: "environment",
      props: unknownIds ? env : { ...env, environmentId: "env-1", created: true },
      dependsOn: { projectId: ["project"] },
    },
    {
      type: TYPE_TOKENS.sharedVariables,
      name: "shared-variables",
      props: {
        projectId: unknownIds ? UNKNOWN_STRING : "prj-1",
        environmentId: unknownIds ? UNKNOWN_STRING : "env-1",
        variables: { SUPPORT_EMAIL: "support@acme.dev" },
        secretVariables: {},
        tier,
      },
      dependsOn: { projectId: ["project"], environmentId: ["environment"] },
    },
  );
  return entries;
}
