/** Names and enumerations shared by the schema, the checks, the loader and the docs. */

/** Pulumi project name; stack config keys are `railway-stacks:<key>`. */
export const PROJECT_NAME = "railway-stacks";
/** The config key (without namespace) that holds the whole stack object. */
export const APP_CONFIG_KEY = "app";
/** The stack PR stacks are derived from: they hold a copy of its `app` object. */
export const PR_SOURCE_STACK = "preview";
/** Config key (without namespace) a PR stack (`pr-<n>`) reads its branch from. */
export const PR_BRANCH_CONFIG_KEY = "prBranch";

export const DATA_SERVICES = ["postgres", "redis", "nats"] as const;
/** Where a program's stacks live in Railway (infra/domain/types.ts `Layout`). */
export const LAYOUTS = ["shared", "isolated"] as const;
export const BUILDERS = ["RAILPACK", "NIXPACKS", "DOCKERFILE"] as const;
export const RESTART_POLICIES = ["ALWAYS", "NEVER", "ON_FAILURE"] as const;
export const BACKUP_SCHEDULES = ["DAILY", "WEEKLY", "MONTHLY"] as const;
/**
 * Redis `maxmemory-policy` values. Defined here, not in the Redis component, so reading config
 * does not load the components (and the Pulumi SDK): `npm run config:check` stays fast.
 */
export const EVICTION_POLICIES = [
  "noeviction",
  "allkeys-lru",
  "allkeys-lfu",
  "allkeys-random",
  "volatile-lru",
  "volatile-lfu",
  "volatile-random",
  "volatile-ttl",
] as const;

/** Default images: pinned, pgvector-capable Postgres 16, Redis 7.4, NATS 2.10. */
export const DEFAULT_IMAGES = {
  postgres: "pgvector/pgvector:0.8.0-pg16",
  redis: "redis:7.4-alpine",
  nats: "nats:2.10-alpine",
} as const;

/** The port an app service listens on (`PORT`) when its config names none. */
export const DEFAULT_APP_PORT = 8080;

/** Railway's own default healthcheck timeout, in seconds. */
export const DEFAULT_HEALTHCHECK_TIMEOUT_SECONDS = 300;
/** Railway's default `restartPolicyMaxRetries` for ON_FAILURE. */
export const DEFAULT_RESTART_MAX_RETRIES = 10;

/** Variable names written in plain text must not look like they hold a secret. */
export { SECRET_LOOKING_NAME as SECRET_LOOKING_KEY } from "./secret-values";

/**
 * Variables the stack sets on every app service from `app` settings and the tier; a service must
 * not set them itself. Values: see `appVariables` in ./variables.ts.
 */
export const APP_SETTING_VARIABLES = {
  APP_ENV: "tier",
  LOG_FORMAT: "app.logFormat",
  RATE_LIMIT_ENABLED: "app.rateLimit.enabled",
  RATE_LIMIT_RPM: "app.rateLimit.rpm",
  SECURITY_MIDDLEWARE: "app.securityMiddleware",
  DEBUG: "app.debug",
  CORS_ORIGINS: "app.corsOrigins",
} as const;

/** The variable a link to each data service sets on the linking service. */
export const LINK_VARIABLES = {
  postgres: "DATABASE_URL",
  redis: "REDIS_URL",
  nats: "NATS_URL",
} as const;

/**
 * Share of its limits a service is expected to use on average (`expectedUtilization`), for the
 * lower bound of the cost estimate: Railway bills actual use, and idle web services and databases
 * sit well under their limits.
 */
export const DEFAULT_EXPECTED_UTILIZATION = 0.25;
