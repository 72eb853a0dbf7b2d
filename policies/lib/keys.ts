/**
 * Where each judged input comes from in `Pulumi.<stack>.yaml`: the fix a message names.
 *
 * The stack's whole declaration is one object under `railway-stacks:app` (infra/config/schema.ts);
 * keys are written in `pulumi config set --path` syntax, as the config loader writes its own
 * errors. Data services live under their role (`postgres`, `redis`, `nats`), app services under
 * `services.<name>`, the app settings every app receives as variables under `app`. Some inputs
 * have no key because the components decide them (a data service's start command, restart policy
 * or variables): for those `keyOf` returns undefined and the message names the component instead.
 * `tests/policies/keys.test.ts` checks every key here against the config schema.
 */
import type { ServiceRole } from "./contract";
import { DATASTORE_ROLES } from "./contract";
import { peek } from "./values";

export const CONFIG_ROOT = "railway-stacks:app";

/** The variables the stack sets on every app service from `app` settings (infra/config/constants.ts). */
export const APP_SETTING_KEYS: Readonly<Record<string, string>> = {
  RATE_LIMIT_ENABLED: "app.rateLimit.enabled",
  RATE_LIMIT_RPM: "app.rateLimit.rpm",
  SECURITY_MIDDLEWARE: "app.securityMiddleware",
  LOG_FORMAT: "app.logFormat",
  DEBUG: "app.debug",
  CORS_ORIGINS: "app.corsOrigins",
};

/** What a rule may ask to change on a service, by the ServiceInstance input it judged. */
export type Setting =
  | "source.image"
  | "source.branch"
  | "deploy.healthcheckPath"
  | "deploy.numReplicas"
  | "deploy.multiRegion"
  | "deploy.restartPolicyType"
  | "deploy.restartPolicyMaxRetries"
  | "deploy.sleepApplication"
  | "deploy.cpu"
  | "deploy.memoryBytes"
  | "deploy.startCommand"
  | "networking.tcpProxyPorts"
  | "networking.railwayDomainPort"
  | "networking.customDomains"
  | "volume"
  | "volume.backupSchedules"
  | `variables.${string}`
  | `secretVariables.${string}`;

const APP_SERVICE_KEYS: Partial<Record<Setting, string>> = {
  "source.image": "source.image",
  "source.branch": "source.branch",
  "deploy.healthcheckPath": "healthcheck.path",
  "deploy.numReplicas": "replicas",
  "deploy.multiRegion": "regions",
  "deploy.restartPolicyType": "restartPolicy.type",
  "deploy.restartPolicyMaxRetries": "restartPolicy.maxRetries",
  "deploy.sleepApplication": "sleep",
  "deploy.cpu": "limits.cpu",
  "deploy.memoryBytes": "limits.memory",
  "deploy.startCommand": "startCommand",
  "networking.railwayDomainPort": "domains.railway",
  "networking.customDomains": "domains.custom",
};

const DATA_SERVICE_KEYS: Partial<Record<Setting, string>> = {
  "source.image": "image",
  "deploy.cpu": "limits.cpu",
  "deploy.memoryBytes": "limits.memory",
  "networking.tcpProxyPorts": "publicProxy",
};

/** Only Postgres has configurable backups; Redis and NATS volumes are not backed up. */
const POSTGRES_KEYS: Partial<Record<Setting, string>> = {
  ...DATA_SERVICE_KEYS,
  "volume.backupSchedules": "backups",
};

/** A ServiceInstance (`serviceName`) or a Service (`name`). */
export interface NamedService {
  role?: unknown;
  serviceName?: unknown;
  name?: unknown;
}

export function roleName(props: NamedService): ServiceRole | undefined {
  const role = peek(() => props.role);
  return typeof role === "string" ? (role as ServiceRole) : undefined;
}

export function serviceName(props: NamedService): string {
  const name = peek(() => props.serviceName ?? props.name);
  return typeof name === "string" ? name : "?";
}

/** `"a.b"` as `railway-stacks:app.a.b`, quoting segments that are not bare keys. */
export function configPath(...segments: string[]): string {
  return segments
    .flatMap((s) => s.split("."))
    .reduce(
      (out, s) => (/^[A-Za-z0-9_-]+$/.test(s) ? `${out}.${s}` : `${out}["${s}"]`),
      CONFIG_ROOT,
    );
}

/**
 * Where a data service's settings live: `<role>` for the one-instance form (service `postgres`),
 * `<role>.<name>` for a named instance (service `postgres-<name>`, `postgres: { <name>: ... }`).
 */
export function dataServiceKey(role: string, name: string | undefined): string {
  return name !== undefined && name.startsWith(`${role}-`)
    ? `${role}.${name.slice(role.length + 1)}`
    : role;
}

/** The config key that sets `setting` of a service, or undefined when a component decides it. */
export function keyOf(props: NamedService, setting: Setting): string | undefined {
  const role = roleName(props);
  if (role !== undefined && (DATASTORE_ROLES as readonly string[]).includes(role)) {
    const key = (role === "postgres" ? POSTGRES_KEYS : DATA_SERVICE_KEYS)[setting];
    return key === undefined
      ? undefined
      : configPath(dataServiceKey(role, serviceName(props)), key);
  }
  const name = serviceName(props);
  if (setting.startsWith("variables.")) {
    const variable = setting.slice("variables.".length);
    const appSetting = APP_SETTING_KEYS[variable];
    return appSetting
      ? configPath(appSetting)
      : `${configPath("services", name, "variables")}${bare(variable)}`;
  }
  if (setting.startsWith("secretVariables.")) {
    return `${configPath("services", name, "variables")}${bare(setting.slice("secretVariables.".length))}`;
  }
  const key = APP_SERVICE_KEYS[setting];
  return key === undefined ? undefined : `${configPath("services")}${bare(name)}.${key}`;
}

/** The config key of a shared variable: `railway-stacks:app.sharedVariables.<NAME>`. */
export function sharedVariableKey(name: string): string {
  return `${configPath("sharedVariables")}${bare(name)}`;
}

function bare(segment: string): string {
  return /^[A-Za-z0-9_-]+$/.test(segment) ? `.${segment}` : `["${segment}"]`;
}

/** How a message names the component that decides a setting no config key sets. */
export function componentOf(props: NamedService): string {
  const role = roleName(props);
  return role && role !== "app" ? `the ${role} component` : "the app service component";
}
