/**
 * Tier defaults (docs/decisions.md §6). They are merged into the raw stack config BEFORE validation, so
 * the checks judge what will actually be deployed; anything a stack file sets wins.
 */
import { isNamedForm } from "./data-services";
import type { AppSettings, BackupSchedule, GateConfig, Tier } from "./types";

export const TIERS = ["local", "dev", "preview", "production"] as const satisfies readonly Tier[];

export interface TierDefaults {
  app: AppSettings;
  /** Replicas of a service without `replicas`, `regions` or `cron`. */
  replicas: { public: number; private: number };
  /**
   * Post-deploy gate. `enabled` (the HTTP part) applies to public services with a healthcheck or
   * readiness path; other services default to no HTTP gate (there is nothing it could poll).
   * `deployment` (following Railway's deployment status) applies to every service but a cron
   * job's, whose deployment runs on its schedule, not at `pulumi up`. The timing also applies to
   * following the data services' deployments.
   */
  gate: GateConfig;
  /** Postgres volume backup schedules when `postgres.backups` is not set (per named instance). */
  postgresBackups: BackupSchedule[];
}

export const TIER_DEFAULTS: Readonly<Record<Tier, TierDefaults>> = {
  local: {
    app: {
      rateLimit: { enabled: false, rpm: 1000 },
      securityMiddleware: false,
      logFormat: "pretty",
      debug: true,
      corsOrigins: [],
    },
    replicas: { public: 1, private: 1 },
    gate: { enabled: false, deployment: true, timeoutSeconds: 120, intervalSeconds: 5 },
    postgresBackups: [],
  },
  dev: {
    app: {
      rateLimit: { enabled: true, rpm: 1000 },
      securityMiddleware: false,
      logFormat: "json",
      debug: false,
      corsOrigins: [],
    },
    replicas: { public: 1, private: 1 },
    gate: { enabled: true, deployment: true, timeoutSeconds: 300, intervalSeconds: 10 },
    postgresBackups: [],
  },
  preview: {
    app: {
      rateLimit: { enabled: true, rpm: 100 },
      securityMiddleware: true,
      logFormat: "json",
      debug: false,
      corsOrigins: [],
    },
    replicas: { public: 1, private: 1 },
    gate: { enabled: true, deployment: true, timeoutSeconds: 600, intervalSeconds: 10 },
    postgresBackups: [],
  },
  production: {
    app: {
      rateLimit: { enabled: true, rpm: 60 },
      securityMiddleware: true,
      logFormat: "json",
      debug: false,
      corsOrigins: [],
    },
    replicas: { public: 2, private: 1 },
    gate: { enabled: true, deployment: true, timeoutSeconds: 900, intervalSeconds: 15 },
    postgresBackups: ["DAILY"],
  },
};

type Obj = Record<string, unknown>;

export const isObject = (value: unknown): value is Obj =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** Fills what `values` leaves undefined from `defaults`, recursing into nested mappings. */
export function mergeDefaults(defaults: Obj, values: Obj): Obj {
  const merged: Obj = { ...values };
  for (const [key, fallback] of Object.entries(defaults)) {
    const value = values[key];
    if (value === undefined) {
      merged[key] = structuredClone(fallback);
    } else if (isObject(fallback) && isObject(value)) {
      merged[key] = mergeDefaults(fallback, value);
    }
  }
  return merged;
}

/** A service is public when it has a Railway domain or at least one custom domain. */
export function isPublicService(service: Obj): boolean {
  const domains = service["domains"];
  if (!isObject(domains)) return false;
  const custom = domains["custom"];
  return domains["railway"] === true || (Array.isArray(custom) && custom.length > 0);
}

/**
 * Returns `raw` with the defaults of its tier merged in. When `raw` is not a mapping or names no
 * known tier, it is returned unchanged (validation then reports it).
 */
export function applyTierDefaults(raw: unknown): unknown {
  if (!isObject(raw)) return raw;
  const tier = raw["tier"];
  if (typeof tier !== "string" || !(TIERS as readonly string[]).includes(tier)) return raw;
  const defaults = TIER_DEFAULTS[tier as Tier];

  const result: Obj = { ...raw };
  const app = raw["app"];
  if (app === undefined || isObject(app)) {
    result["app"] = mergeDefaults(defaults.app as unknown as Obj, app ?? {});
  }

  // Per instance: each named Postgres gets the tier's backups unless it sets its own.
  const postgres = raw["postgres"];
  const postgresDefaults = { backups: defaults.postgresBackups };
  if (isNamedForm("postgres", postgres)) {
    result["postgres"] = Object.fromEntries(
      Object.entries(postgres).map(([instance, settings]) => [
        instance,
        isObject(settings) ? mergeDefaults(postgresDefaults, settings) : settings,
      ]),
    );
  } else if (postgres === undefined || isObject(postgres)) {
    result["postgres"] = mergeDefaults(postgresDefaults, postgres ?? {});
  }

  const services = raw["services"];
  if (isObject(services)) {
    const withDefaults: Obj = {};
    for (const [name, service] of Object.entries(services)) {
      withDefaults[name] = isObject(service) ? serviceDefaults(service, defaults) : service;
    }
    result["services"] = withDefaults;
  }
  return result;
}

/** True when the gate has a path to poll: `healthcheck.path` or `readinessPath`. */
export function hasGatePath(service: Obj): boolean {
  const healthcheck = service["healthcheck"];
  return (
    (isObject(healthcheck) && typeof healthcheck["path"] === "string") ||
    typeof service["readinessPath"] === "string"
  );
}

function serviceDefaults(service: Obj, defaults: TierDefaults): Obj {
  const isPublic = isPublicService(service);
  const result: Obj = { ...service };
  if (
    service["replicas"] === undefined &&
    service["regions"] === undefined &&
    service["cron"] === undefined
  ) {
    // A volume attaches to one replica only (Railway), whatever the tier's default.
    result["replicas"] =
      service["volume"] !== undefined
        ? 1
        : isPublic
          ? defaults.replicas.public
          : defaults.replicas.private;
  }
  const gate = service["gate"];
  if (gate === undefined || isObject(gate)) {
    const isCron = service["cron"] !== undefined;
    const gateDefaults = {
      ...defaults.gate,
      enabled: defaults.gate.enabled && isPublic && hasGatePath(service) && !isCron,
      deployment: defaults.gate.deployment && !isCron,
    };
    result["gate"] = mergeDefaults(gateDefaults as unknown as Obj, gate ?? {});
  }
  return result;
}
