/**
 * Railway's EnvironmentConfig (docs/railway-api.md §10) and the mapping between a ServiceInstance's inputs
 * and the part of a service's config it owns. One patch per service per apply: the desired view
 * is diffed against the previous one, unchanged keys are left out and removed keys become `null`
 * (Railway's merge deletes a key set to null).
 */
import type { RestartPolicyType, ServiceInstanceInputs, Builder } from "../domain/types";

export type JsonValue =
  string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export interface EnvironmentConfig {
  services?: Record<string, JsonObject | null>;
  volumes?: Record<string, JsonObject | null>;
  sharedVariables?: Record<string, JsonObject | null>;
  [key: string]: JsonValue | undefined;
}

const isObject = (value: unknown): value is JsonObject =>
  typeof value === "object" && value !== null && !Array.isArray(value);

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, i) => deepEqual(item, b[i]));
  }
  if (isObject(a) && isObject(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].every((key) => deepEqual(a[key], b[key]));
  }
  return false;
}

/** Drops undefined values and objects left empty, so views compare structurally. */
function compact(value: unknown): JsonValue | undefined {
  if (value === undefined) return undefined;
  if (Array.isArray(value)) return value.map((item) => compact(item) ?? null);
  if (isObject(value)) {
    const out: JsonObject = {};
    for (const [key, item] of Object.entries(value)) {
      const compacted = compact(item);
      if (compacted !== undefined) out[key] = compacted;
    }
    return out;
  }
  return value as JsonValue;
}

/**
 * The patch that turns `previous` into `desired`: changed leaves set, removed keys null,
 * arrays replaced whole. Maps whose keys are data (variables, domains) and plain sections alike.
 * Undefined when nothing changed.
 */
export function patchBetween(
  previous: JsonObject | undefined,
  desired: JsonObject,
): JsonObject | undefined {
  const patch: JsonObject = {};
  const before = previous ?? {};
  for (const [key, value] of Object.entries(desired)) {
    const old = before[key];
    if (isObject(value) && isObject(old)) {
      const nested = patchBetween(old, value);
      if (nested !== undefined) patch[key] = nested;
    } else if (!deepEqual(old, value)) {
      patch[key] = value;
    }
  }
  for (const key of Object.keys(before)) {
    if (!(key in desired)) patch[key] = null;
  }
  return Object.keys(patch).length > 0 ? patch : undefined;
}

/** The part of a service's config that a ServiceInstance owns, as its inputs want it. */
export function serviceInstanceView(inputs: ServiceInstanceInputs): JsonObject {
  const { source, build, deploy, networking } = inputs;
  const replicas = (): JsonObject => {
    if (deploy.multiRegion && Object.keys(deploy.multiRegion).length > 0) {
      return {
        multiRegionConfig: Object.fromEntries(
          Object.entries(deploy.multiRegion).map(([region, numReplicas]) => [
            region,
            { numReplicas },
          ]),
        ),
      };
    }
    if (deploy.region) {
      return { multiRegionConfig: { [deploy.region]: { numReplicas: deploy.numReplicas ?? 1 } } };
    }
    return deploy.numReplicas === undefined ? {} : { numReplicas: deploy.numReplicas };
  };
  const limits =
    deploy.cpu === undefined && deploy.memoryBytes === undefined
      ? undefined
      : { containers: { cpu: deploy.cpu, memoryBytes: deploy.memoryBytes } };
  const variables: JsonObject = {};
  for (const [key, value] of Object.entries({ ...inputs.variables, ...inputs.secretVariables })) {
    variables[key] = { value };
  }
  const view = {
    source: source.image
      ? { image: source.image }
      : { repo: source.repo, branch: source.branch, rootDirectory: source.rootDirectory },
    build: {
      builder: build.builder,
      buildCommand: build.buildCommand,
      dockerfilePath: build.dockerfilePath,
      watchPatterns: build.watchPatterns,
    },
    deploy: {
      startCommand: deploy.startCommand,
      preDeployCommand: deploy.preDeployCommand,
      healthcheckPath: deploy.healthcheckPath,
      healthcheckTimeout: deploy.healthcheckTimeout,
      ...replicas(),
      limitOverride: limits,
      restartPolicyType: deploy.restartPolicyType,
      restartPolicyMaxRetries: deploy.restartPolicyMaxRetries,
      cronSchedule: deploy.cronSchedule,
      sleepApplication: deploy.sleepApplication,
      overlapSeconds: deploy.overlapSeconds,
      drainingSeconds: deploy.drainingSeconds,
    },
    variables,
    networking: {
      customDomains: Object.fromEntries(
        Object.entries(networking.customDomains).map(([domain, port]) => [domain, { port }]),
      ),
      tcpProxies: Object.fromEntries(networking.tcpProxyPorts.map((port) => [String(port), {}])),
    },
  };
  return compact(view) as JsonObject;
}

const pick = (from: JsonValue | undefined, keys: readonly string[]): JsonObject => {
  if (!isObject(from)) return {};
  return Object.fromEntries(
    keys.filter((key) => key in from).map((key) => [key, from[key] as JsonValue]),
  );
};

const SOURCE_KEYS = ["image", "repo", "branch", "rootDirectory"] as const;
const BUILD_KEYS = ["builder", "buildCommand", "dockerfilePath", "watchPatterns"] as const;
const DEPLOY_KEYS = [
  "startCommand",
  "preDeployCommand",
  "healthcheckPath",
  "healthcheckTimeout",
  "numReplicas",
  "multiRegionConfig",
  "limitOverride",
  "restartPolicyType",
  "restartPolicyMaxRetries",
  "cronSchedule",
  "sleepApplication",
  "overlapSeconds",
  "drainingSeconds",
] as const;

/** The owned part of a service's live config, in the same shape as `serviceInstanceView`. */
export function liveServiceInstanceView(serviceConfig: JsonObject): JsonObject {
  const variables: JsonObject = {};
  if (isObject(serviceConfig.variables)) {
    for (const [key, entry] of Object.entries(serviceConfig.variables)) {
      if (isObject(entry) && typeof entry.value === "string")
        variables[key] = { value: entry.value };
    }
  }
  const networking = isObject(serviceConfig.networking) ? serviceConfig.networking : {};
  const limit = isObject(serviceConfig.deploy) ? serviceConfig.deploy.limitOverride : undefined;
  const containers = isObject(limit) && isObject(limit.containers) ? limit.containers : undefined;
  const deploy = pick(serviceConfig.deploy, DEPLOY_KEYS);
  if (containers) deploy.limitOverride = { containers: pick(containers, ["cpu", "memoryBytes"]) };
  return compact({
    source: pick(serviceConfig.source, SOURCE_KEYS),
    build: pick(serviceConfig.build, BUILD_KEYS),
    deploy,
    variables,
    networking: {
      customDomains: pick(
        networking.customDomains,
        Object.keys(isObject(networking.customDomains) ? networking.customDomains : {}),
      ),
      tcpProxies: pick(
        networking.tcpProxies,
        Object.keys(isObject(networking.tcpProxies) ? networking.tcpProxies : {}),
      ),
    },
  }) as JsonObject;
}

const str = (value: JsonValue | undefined): string | undefined =>
  typeof value === "string" ? value : undefined;
const num = (value: JsonValue | undefined): number | undefined =>
  typeof value === "number" ? value : undefined;
const bool = (value: JsonValue | undefined): boolean | undefined =>
  typeof value === "boolean" ? value : undefined;
const strings = (value: JsonValue | undefined): string[] | undefined =>
  Array.isArray(value)
    ? value.filter((item): item is string => typeof item === "string")
    : undefined;

/**
 * Inputs that describe a live view, for refresh. Keys that were secret before stay secret; new
 * keys found live are treated as plain. The replica shape (`numReplicas`/`region`/`multiRegion`)
 * follows what the previous inputs used when it still fits.
 */
export function inputsFromLiveView(
  view: JsonObject,
  previous: ServiceInstanceInputs,
): Pick<
  ServiceInstanceInputs,
  "source" | "build" | "deploy" | "variables" | "secretVariables" | "networking"
> {
  const source = isObject(view.source) ? view.source : {};
  const build = isObject(view.build) ? view.build : {};
  const deploy = isObject(view.deploy) ? view.deploy : {};
  const networking = isObject(view.networking) ? view.networking : {};
  const containers =
    isObject(deploy.limitOverride) && isObject(deploy.limitOverride.containers)
      ? deploy.limitOverride.containers
      : {};

  let numReplicas = num(deploy.numReplicas);
  let region: string | undefined;
  let multiRegion: Record<string, number> | undefined;
  if (isObject(deploy.multiRegionConfig)) {
    const regions = Object.entries(deploy.multiRegionConfig).map(
      ([name, entry]) => [name, isObject(entry) ? (num(entry.numReplicas) ?? 1) : 1] as const,
    );
    if (
      regions.length === 1 &&
      previous.deploy.region !== undefined &&
      !previous.deploy.multiRegion
    ) {
      region = regions[0]![0];
      numReplicas = regions[0]![1];
    } else {
      multiRegion = Object.fromEntries(regions);
    }
  }

  const variables: Record<string, string> = {};
  const secretVariables: Record<string, string> = {};
  if (isObject(view.variables)) {
    for (const [key, entry] of Object.entries(view.variables)) {
      const value = isObject(entry) ? str(entry.value) : undefined;
      if (value === undefined) continue;
      if (key in previous.secretVariables) secretVariables[key] = value;
      else variables[key] = value;
    }
  }

  return {
    source: compact({
      image: str(source.image),
      repo: str(source.repo),
      branch: str(source.branch),
      rootDirectory: str(source.rootDirectory),
    }) as ServiceInstanceInputs["source"],
    build: compact({
      builder: str(build.builder) as Builder | undefined,
      buildCommand: str(build.buildCommand),
      dockerfilePath: str(build.dockerfilePath),
      watchPatterns: strings(build.watchPatterns),
    }) as ServiceInstanceInputs["build"],
    deploy: compact({
      startCommand: str(deploy.startCommand),
      preDeployCommand: strings(deploy.preDeployCommand),
      healthcheckPath: str(deploy.healthcheckPath),
      healthcheckTimeout: num(deploy.healthcheckTimeout),
      numReplicas,
      region,
      multiRegion,
      cpu: num(containers.cpu),
      memoryBytes: num(containers.memoryBytes),
      restartPolicyType: str(deploy.restartPolicyType) as RestartPolicyType | undefined,
      restartPolicyMaxRetries: num(deploy.restartPolicyMaxRetries),
      cronSchedule: str(deploy.cronSchedule),
      sleepApplication: bool(deploy.sleepApplication),
      overlapSeconds: num(deploy.overlapSeconds),
      drainingSeconds: num(deploy.drainingSeconds),
    }) as ServiceInstanceInputs["deploy"],
    variables,
    secretVariables,
    networking: {
      railwayDomainPort: previous.networking.railwayDomainPort,
      customDomains: Object.fromEntries(
        Object.entries(isObject(networking.customDomains) ? networking.customDomains : {}).map(
          ([domain, entry]) => [domain, (isObject(entry) ? num(entry.port) : undefined) ?? 0],
        ),
      ),
      tcpProxyPorts: Object.keys(isObject(networking.tcpProxies) ? networking.tcpProxies : {})
        .map(Number)
        .sort((a, b) => a - b),
    },
  };
}

/** The service's own section of an environment config, or undefined if it has none. */
export function serviceSection(
  config: EnvironmentConfig,
  serviceId: string,
): JsonObject | undefined {
  const section = config.services?.[serviceId];
  return isObject(section) ? section : undefined;
}

/** Live Railway domain of a service (`networking.serviceDomains`), with its port. */
export function railwayDomainOf(
  serviceConfig: JsonObject,
): { domain: string; port: number | undefined } | undefined {
  const networking = isObject(serviceConfig.networking) ? serviceConfig.networking : {};
  const domains = isObject(networking.serviceDomains) ? networking.serviceDomains : {};
  const [first] = Object.entries(domains);
  if (!first) return undefined;
  const [domain, entry] = first;
  return { domain, port: isObject(entry) ? num(entry.port) : undefined };
}

export const volumeConfigOf = (
  config: EnvironmentConfig,
  volumeId: string,
): JsonObject | undefined => {
  const entry = config.volumes?.[volumeId];
  return isObject(entry) ? entry : undefined;
};

export { isObject };

/** Deploy keys that say how many replicas run where: owned together (one overrides the other). */
const REPLICA_KEYS = ["numReplicas", "multiRegionConfig"];

/**
 * The keys of one section of a service view that a declared view owns. `source` is owned whole
 * (an image replaces a repo); the replica keys together; elsewhere key by key, so a variable or
 * a setting the stack does not declare is not its to change.
 */
function ownedKeys(section: string, live: JsonObject, declared: JsonObject): string[] {
  if (section === "source") return Object.keys(live);
  const declaredKeys = Object.keys(declared);
  const keys = declaredKeys.filter((key) => key in live);
  if (section === "deploy" && declaredKeys.some((key) => REPLICA_KEYS.includes(key))) {
    keys.push(...REPLICA_KEYS.filter((key) => key in live && !keys.includes(key)));
  }
  return keys;
}

/** The sections of a service view whose entries are owned one by one (maps of data). */
const NESTED_MAPS: Record<string, readonly string[]> = {
  networking: ["customDomains", "tcpProxies"],
};

/**
 * The part of a live service view (`liveServiceInstanceView`) that a declared view owns: what the
 * stack declares, and nothing it does not (dashboard-set variables and settings are kept).
 */
export function ownedPart(live: JsonObject, declared: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const [section, declaredSection] of Object.entries(declared)) {
    if (!isObject(declaredSection)) continue;
    const liveSection = isObject(live[section]) ? live[section] : {};
    const part: JsonObject = {};
    const nested = NESTED_MAPS[section];
    if (nested) {
      for (const map of nested) {
        const declaredMap = declaredSection[map];
        if (!isObject(declaredMap)) continue;
        const liveMap = isObject(liveSection[map]) ? liveSection[map] : {};
        const owned = pick(liveMap, ownedKeys(map, liveMap, declaredMap));
        // Empty where the declared map is empty too, so that the two compare equal.
        if (Object.keys(owned).length > 0 || Object.keys(declaredMap).length === 0) {
          part[map] = owned;
        }
      }
    } else {
      Object.assign(part, pick(liveSection, ownedKeys(section, liveSection, declaredSection)));
    }
    if (Object.keys(part).length > 0 || Object.keys(declaredSection).length === 0) {
      out[section] = part;
    }
  }
  return out;
}

/**
 * What a live service has that a declared view does not own, as paths (`variables.FLAG`,
 * `deploy.sleepApplication`): kept unless the stack sets `project.removeUndeclared`.
 */
export function undeclaredPaths(live: JsonObject, declared: JsonObject): string[] {
  const owned = ownedPart(live, declared);
  const paths: string[] = [];
  const walk = (
    value: JsonValue | undefined,
    mine: JsonValue | undefined,
    at: string,
    depth: number,
  ) => {
    if (!isObject(value)) return;
    for (const [key, item] of Object.entries(value)) {
      const path = at ? `${at}.${key}` : key;
      const ownedItem = isObject(mine) ? mine[key] : undefined;
      const descend = depth === 0 || (depth === 1 && at in NESTED_MAPS);
      if (descend && isObject(item)) walk(item, ownedItem, path, depth + 1);
      else if (ownedItem === undefined) paths.push(path);
    }
  };
  walk(live, owned, "", 0);
  return paths.sort();
}

/**
 * `desired` with an empty section for each section (and nested map) `previous` has and
 * `desired` lacks: `patchBetween` then removes what `previous` had there key by key, instead of
 * dropping the whole section with whatever else Railway holds in it.
 */
export function withSectionsOf(desired: JsonObject, previous: JsonObject): JsonObject {
  const out: JsonObject = { ...desired };
  for (const [section, value] of Object.entries(previous)) {
    if (!isObject(value)) continue;
    const mine = isObject(out[section]) ? { ...(out[section] as JsonObject) } : {};
    for (const map of NESTED_MAPS[section] ?? []) {
      if (isObject(value[map]) && !isObject(mine[map])) mine[map] = {};
    }
    out[section] = mine;
  }
  return out;
}

const shown = (value: JsonValue | undefined): string =>
  value === undefined ? "(unset)" : JSON.stringify(value);

/**
 * Every difference between two views of a service (`serviceInstanceView` shapes), one line per
 * changed leaf: `deploy.numReplicas: 1 → 3`. Variable values are never shown (they may be
 * secrets): `variables.API_URL: changed`, `... added`, `... removed`.
 */
export function differences(expected: JsonObject, live: JsonObject, at = ""): string[] {
  const lines: string[] = [];
  const keys = [...new Set([...Object.keys(expected), ...Object.keys(live)])].sort();
  for (const key of keys) {
    const path = at ? `${at}.${key}` : key;
    const before = expected[key];
    const after = live[key];
    if (deepEqual(before, after)) continue;
    if (at === "variables") {
      lines.push(
        `${path}: ${before === undefined ? "added" : after === undefined ? "removed" : "changed"}`,
      );
    } else if (isObject(before) && isObject(after)) {
      lines.push(...differences(before, after, path));
    } else if (path === "variables") {
      lines.push(
        ...differences(isObject(before) ? before : {}, isObject(after) ? after : {}, path),
      );
    } else {
      lines.push(`${path}: ${shown(before)} → ${shown(after)}`);
    }
  }
  return lines;
}
