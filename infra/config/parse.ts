/**
 * `parseStackConfig`: raw stack object → tier defaults merged → validated → resolved plain values.
 * Pure (no Pulumi runtime), so tests and `npm run policy:check` can call it directly.
 */
import { DEFAULT_APP_PORT, DEFAULT_RESTART_MAX_RETRIES } from "./constants";
import {
  bytesFromMB,
  parseDurationSeconds,
  parseSizeMB,
  prNumberOf,
  PRODUCTION_ENVIRONMENT,
  type Region,
} from "../domain/rules";
import { dataServiceName, isNamedForm } from "./data-services";
import { type ConfigIssue, fromZodIssues, uniqueIssues, yamlPath } from "./issues";
import {
  type LimitsOutput,
  RailwayDeploySettings,
  type ServiceOutput,
  StackConfigSchema,
  type StackConfigOutput,
  type VariableOutput,
} from "./schema";
import { TIERS, TIER_DEFAULTS, applyTierDefaults, isObject } from "./tiers";
import type {
  AppServiceConfig,
  AppSettings,
  DataServiceConfig,
  ParsedStackConfig,
  ProjectConfig,
  ResourceLimits,
  Tier,
  VariableSpec,
} from "./types";

export type ParseResult =
  { ok: true; config: ParsedStackConfig } | { ok: false; issues: ConfigIssue[] };

export { prNumberOf };

/**
 * Validates the object under `railway-stacks:app` for stack `stackName`: merges the tier
 * defaults, checks every field and every cross-field rule, and returns either the resolved config
 * or every problem found.
 */
export function parseStackConfig(raw: unknown, stackName: string): ParseResult {
  const merged = applyTierDefaults(raw);
  const result = StackConfigSchema.safeParse(merged, { reportInput: true });
  const issues = [
    ...(result.success ? [] : fromZodIssues(result.error.issues, StackConfigSchema, [], merged)),
    ...stackIssues(raw, stackName),
  ].map((issue) => ({
    ...issue,
    fix: issue.fix.replace(/%STACK%/g, stackName),
  }));

  if (!result.success || issues.length > 0) return { ok: false, issues: uniqueIssues(issues) };
  return { ok: true, config: resolve(result.data, stackName) };
}

/**
 * Checks that need the stack name or the whole tier: a stack named after a tier must have that
 * tier, and a production stack must deploy at least one app service.
 */
function stackIssues(raw: unknown, stackName: string): ConfigIssue[] {
  if (!isObject(raw)) return [];
  const tier = raw["tier"];
  if (typeof tier !== "string" || !(TIERS as readonly string[]).includes(tier)) return [];
  const services = raw["services"];
  const empty =
    services === undefined ||
    services === null ||
    (isObject(services) && Object.keys(services).length === 0);
  // A production stack with only data services is almost always a file cut short or a wrong
  // path: it would pass every policy while serving nothing. Dev and preview may start empty.
  const emptyProduction: ConfigIssue[] =
    tier === "production" && empty
      ? [
          {
            path: yamlPath(["services"]),
            segments: ["services"],
            problem: `lists no app service, so production stack "${stackName}" would deploy only its data services`,
            fix: `add the app services under "services" (see docs/config-reference.md), or check that this is the right Pulumi.${stackName}.yaml`,
          },
        ]
      : [];
  const expected =
    prNumberOf(stackName) !== undefined
      ? "preview"
      : (TIERS as readonly string[]).includes(stackName)
        ? stackName
        : undefined;
  if (expected === undefined || expected === tier) return emptyProduction;
  return [
    ...emptyProduction,
    {
      path: yamlPath(["tier"]),
      segments: ["tier"],
      problem: `is "${tier}" but stack "${stackName}" must be tier ${expected}`,
      fix: `set tier: ${expected}, or check that this is Pulumi.${stackName}.yaml`,
      suggestion: { rule: "stack-tier", value: expected },
    },
  ];
}

// ---------------------------------------------------------------------------------------------
// Resolution (runs only on valid input)

function resolveLimits(limits: LimitsOutput | undefined): ResourceLimits | undefined {
  if (!limits) return undefined;
  const out: ResourceLimits = {};
  if (limits.cpu !== undefined) out.cpu = limits.cpu;
  const memoryMB = limits.memory === undefined ? undefined : parseSizeMB(limits.memory);
  if (memoryMB !== undefined) {
    out.memoryMB = memoryMB;
    out.memoryBytes = bytesFromMB(memoryMB);
  }
  return out;
}

const sizeMB = (value: string): number => parseSizeMB(value) ?? 0;

function resolveVariable(value: VariableOutput): VariableSpec {
  if (typeof value !== "object") return { kind: "plain", value: String(value) };
  if (value.secret !== undefined)
    return {
      kind: "secret",
      configKey: value.secret,
      optional: value.optional === true,
    };
  if (value.notSecret !== undefined)
    return { kind: "plain", value: String(value.notSecret), notSecret: true };
  if (value.ref !== undefined) {
    const dot = value.ref.indexOf(".");
    return {
      kind: "reference",
      service: value.ref.slice(0, dot),
      variable: value.ref.slice(dot + 1),
    };
  }
  return { kind: "generated", length: value.generate?.length ?? 32 };
}

function resolveVariables(variables: Record<string, VariableOutput>): Record<string, VariableSpec> {
  return Object.fromEntries(
    Object.entries(variables).map(([key, value]) => [key, resolveVariable(value)]),
  );
}

/** The `RailwayDeploySettings` a service sets, by the keys of that schema (never listed here). */
function railwayDeploySettings(service: ServiceOutput): RailwayDeploySettings {
  const settings: Record<string, unknown> = {};
  for (const key of Object.keys(RailwayDeploySettings.shape)) {
    const value = (service as Record<string, unknown>)[key];
    if (value !== undefined) settings[key] = value;
  }
  return settings as RailwayDeploySettings;
}

function resolveService(
  name: string,
  service: ServiceOutput,
  project: ProjectConfig,
  tier: Tier,
): AppServiceConfig<VariableSpec> {
  const { source } = service;
  const regions = service.regions as Partial<Record<Region, number>> | undefined;
  const custom = service.domains.custom;
  const build = service.build;
  const gateDefaults = TIER_DEFAULTS[tier].gate;
  const restartType = service.restartPolicy.type;

  const limits = resolveLimits(service.limits);
  const optional = <K extends string, T>(key: K, value: T | undefined): { [P in K]?: T } =>
    (value === undefined ? {} : { [key]: value }) as { [P in K]?: T };

  return {
    name,
    source:
      source.image !== undefined
        ? { kind: "image", image: source.image }
        : {
            kind: "repo",
            repo: source.repo ?? "",
            branch: source.branch ?? project.protectedBranch,
            ...optional("rootDirectory", source.rootDirectory),
          },
    ...(source.image === undefined
      ? {
          build: {
            builder:
              build?.builder ?? (build?.dockerfilePath !== undefined ? "DOCKERFILE" : "RAILPACK"),
            ...optional("buildCommand", build?.buildCommand),
            ...optional("dockerfilePath", build?.dockerfilePath),
            watchPatterns: build?.watchPatterns ?? [],
          },
        }
      : {}),
    ...optional("startCommand", service.startCommand),
    preDeployCommand: service.preDeployCommand,
    port: service.port ?? DEFAULT_APP_PORT,
    ...optional("tcpProxy", service.tcpProxy),
    ...optional(
      "volume",
      service.volume && {
        mountPath: service.volume.mountPath,
        sizeMB: sizeMB(service.volume.size),
        backups: service.volume.backups,
      },
    ),
    ...optional("healthcheck", service.healthcheck && { ...service.healthcheck }),
    ...optional("readinessPath", service.readinessPath),
    replicas: regions
      ? Object.values(regions).reduce((sum, n) => sum + (n ?? 0), 0)
      : (service.replicas ?? 1),
    ...optional("regions", regions && { ...regions }),
    ...optional("limits", limits),
    expectedUtilization: service.expectedUtilization,
    restartPolicy:
      restartType === "ON_FAILURE"
        ? {
            type: restartType,
            maxRetries: service.restartPolicy.maxRetries ?? DEFAULT_RESTART_MAX_RETRIES,
          }
        : { type: restartType },
    ...optional("cron", service.cron),
    sleep: service.sleep,
    deploy: railwayDeploySettings(service),
    domains: { railway: service.domains.railway, custom },
    public: service.domains.railway || custom.length > 0,
    variables: resolveVariables(service.variables),
    // `postgres` or `postgres.<name>` → the Railway service name (validated by the checks).
    links: service.links.map((link) => link.replace(".", "-")),
    skipDeploysOnVariableChange: service.skipDeploysOnVariableChange,
    gate: {
      enabled: service.gate?.enabled ?? false,
      deployment: service.gate?.deployment ?? false,
      timeoutSeconds: service.gate?.timeoutSeconds ?? gateDefaults.timeoutSeconds,
      intervalSeconds: service.gate?.intervalSeconds ?? gateDefaults.intervalSeconds,
    },
  };
}

/**
 * The environment a stack owns when `project.environment` does not name one. Shared: production
 * stacks own `production`, the others the environment named after the stack (`railway
 * environment dev`). Isolated: the project's only environment, named after the tier.
 */
function defaultEnvironmentName(data: StackConfigOutput, stackName: string): string {
  if (data.project.layout === "isolated") return data.tier;
  return data.tier === "production" ? PRODUCTION_ENVIRONMENT : stackName;
}

type WithLimits = <T extends object>(
  base: T,
  limits: LimitsOutput | undefined,
) => T & { limits?: ResourceLimits };

/** One entry per enabled instance, in kind order then file order (./data-services.ts). */
function resolveDataServices(data: StackConfigOutput, withLimits: WithLimits): DataServiceConfig[] {
  const out: DataServiceConfig[] = [];
  const { timeoutSeconds, intervalSeconds } = TIER_DEFAULTS[data.tier].gate;
  const deployWait = { timeoutSeconds, intervalSeconds };
  const each = <T extends { enabled: boolean }>(
    kind: "postgres" | "redis" | "nats",
    value: T | Record<string, T>,
    add: (settings: T, at: { instance?: string; serviceName: string; path: string[] }) => void,
  ): void => {
    const named = isNamedForm(kind, value);
    const entries: [string | undefined, T][] = named
      ? Object.entries(value as Record<string, T>)
      : [[undefined, value as T]];
    for (const [instance, settings] of entries) {
      if (!settings.enabled) continue;
      add(settings, {
        ...(instance !== undefined ? { instance } : {}),
        serviceName: dataServiceName(kind, instance),
        path: instance === undefined ? [kind] : [kind, instance],
      });
    }
  };
  each("postgres", data.postgres, (postgres, at) =>
    out.push(
      withLimits(
        {
          kind: "postgres" as const,
          ...at,
          image: postgres.image,
          deployWait,
          database: postgres.database,
          user: postgres.user,
          volumeSizeMB: sizeMB(postgres.volumeSize),
          publicProxy: postgres.publicProxy,
          backups: postgres.backups,
          expectedUtilization: postgres.expectedUtilization,
        },
        postgres.limits,
      ),
    ),
  );
  each("redis", data.redis, (redis, at) =>
    out.push(
      withLimits(
        {
          kind: "redis" as const,
          ...at,
          image: redis.image,
          deployWait,
          maxMemoryMB: sizeMB(redis.maxMemory),
          evictionPolicy: redis.evictionPolicy,
          appendOnly: redis.appendOnly,
          volumeSizeMB: sizeMB(redis.volumeSize),
          publicProxy: redis.publicProxy,
          expectedUtilization: redis.expectedUtilization,
        },
        redis.limits,
      ),
    ),
  );
  each("nats", data.nats, (nats, at) =>
    out.push(
      withLimits(
        {
          kind: "nats" as const,
          ...at,
          image: nats.image,
          deployWait,
          jetStream: {
            maxStorageMB: sizeMB(nats.jetStream.maxStorage),
            streams: nats.jetStream.streams.map((stream) => ({
              name: stream.name,
              subjects: stream.subjects,
              maxAge: stream.maxAge,
              maxAgeSeconds: parseDurationSeconds(stream.maxAge) ?? 0,
            })),
          },
          volumeSizeMB: sizeMB(nats.volumeSize),
          publicProxy: nats.publicProxy,
          expectedUtilization: nats.expectedUtilization,
        },
        nats.limits,
      ),
    ),
  );
  return out;
}

function resolve(data: StackConfigOutput, stackName: string): ParsedStackConfig {
  const tier = data.tier;
  const tierApp = TIER_DEFAULTS[tier].app;
  const project: ProjectConfig = {
    name: data.project.name,
    region: data.project.region as Region,
    protectedBranch: data.project.protectedBranch,
    adopt: data.project.adopt,
    layout: data.project.layout,
    environment: data.project.environment ?? defaultEnvironmentName(data, stackName),
    removeUndeclared: data.project.removeUndeclared,
    ...(data.project.workspaceId !== undefined ? { workspaceId: data.project.workspaceId } : {}),
  };
  const app: AppSettings = {
    rateLimit: {
      enabled: data.app?.rateLimit?.enabled ?? tierApp.rateLimit.enabled,
      rpm: data.app?.rateLimit?.rpm ?? tierApp.rateLimit.rpm,
    },
    securityMiddleware: data.app?.securityMiddleware ?? tierApp.securityMiddleware,
    logFormat: data.app?.logFormat ?? tierApp.logFormat,
    debug: data.app?.debug ?? tierApp.debug,
    corsOrigins: data.app?.corsOrigins ?? [...tierApp.corsOrigins],
  };
  const withLimits = <T extends object>(
    base: T,
    limits: LimitsOutput | undefined,
  ): T & { limits?: ResourceLimits } => {
    const resolved = resolveLimits(limits);
    return resolved === undefined ? base : { ...base, limits: resolved };
  };
  const dataServices = resolveDataServices(data, withLimits);

  return {
    stack: stackName,
    tier,
    project,
    app,
    dataServices,
    services: Object.fromEntries(
      Object.entries(data.services).map(([name, service]) => [
        name,
        resolveService(name, service, project, tier),
      ]),
    ),
    sharedVariables: resolveVariables(data.sharedVariables),
    ...(data.budget ? { budget: resolveBudget(data.budget) } : {}),
  };
}

function resolveBudget(
  budget: NonNullable<StackConfigOutput["budget"]>,
): NonNullable<ParsedStackConfig["budget"]> {
  const limit = budget.railwayUsageLimit;
  return {
    monthlyUsd: budget.monthlyUsd,
    ...(limit
      ? {
          railwayUsageLimit: {
            softUsd: limit.softUsd,
            ...(limit.hardUsd !== undefined ? { hardUsd: limit.hardUsd } : {}),
          },
        }
      : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// Secret references (read from the raw object, so they can be checked even when parsing failed)

export interface SecretReference {
  /** Path segments under `railway-stacks:app`. */
  path: (string | number)[];
  configKey: string;
  optional: boolean;
}

/** Every `{ secret: <key> }` in `services.*.variables`, then in `sharedVariables`, in file order. */
export function secretReferences(raw: unknown): SecretReference[] {
  if (!isObject(raw)) return [];
  const found: SecretReference[] = [];
  const collect = (variables: unknown, at: (string | number)[]): void => {
    if (!isObject(variables)) return;
    for (const [name, variable] of Object.entries(variables)) {
      if (isObject(variable) && typeof variable["secret"] === "string") {
        found.push({
          path: [...at, name],
          configKey: variable["secret"],
          optional: variable["optional"] === true,
        });
      }
    }
  };
  if (isObject(raw["services"])) {
    for (const [service, value] of Object.entries(raw["services"])) {
      if (isObject(value)) collect(value["variables"], ["services", service, "variables"]);
    }
  }
  collect(raw["sharedVariables"], ["sharedVariables"]);
  return found;
}
