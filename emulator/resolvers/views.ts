/**
 * Turns records and config entries into the objects Railway's types describe, filling every
 * non-null field. Values the emulator does not model get fixed, schema-valid answers (documented
 * in emulator/README.md).
 */
import { createHash } from "node:crypto";
import { isPlainObject, JsonObject } from "../config-merge";
import { SERVICE_DOMAIN_SUFFIX } from "../names";
import {
  CustomDomainRecord,
  DeploymentRecord,
  DomainRecord,
  EmulatorState,
  EnvironmentRecord,
  TcpProxyRecord,
  VolumeInstanceRecord,
} from "../state";

function section(instance: JsonObject, key: string): JsonObject {
  const value = instance[key];
  return isPlainObject(value) ? value : {};
}

function str(value: unknown): string | null {
  return typeof value === "string" ? value : null;
}

function int(value: unknown): number | null {
  return typeof value === "number" && Number.isInteger(value) ? value : null;
}

function bool(value: unknown): boolean | null {
  return typeof value === "boolean" ? value : null;
}

/** A stable UUID-shaped id derived from a name (service instances have no record of their own). */
export function derivedId(...parts: string[]): string {
  const h = createHash("sha1").update(parts.join("/")).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Port of a domain entry in networking config (`{ port }`), null when not set. */
function portOf(
  env: EnvironmentRecord,
  serviceId: string,
  kind: "serviceDomains" | "customDomains",
  domain: string,
): number | null {
  const instance = isPlainObject(env.config.services) ? env.config.services[serviceId] : undefined;
  if (!isPlainObject(instance)) return null;
  const networking = section(instance, "networking");
  const map = networking[kind];
  const entry = isPlainObject(map) ? map[domain] : undefined;
  return isPlainObject(entry) ? int(entry.port) : null;
}

export function deploymentView(d: DeploymentRecord) {
  return {
    ...d,
    canRedeploy: true,
    canRollback: d.status === "REMOVED",
    deploymentStopped: d.status !== "SUCCESS",
    staticUrl: null,
    url: null,
    statusUpdatedAt: d.updatedAt,
    suggestAddServiceDomain: false,
  };
}

export function latestDeployment(state: EmulatorState, environmentId: string, serviceId: string) {
  const all = Object.values(state.data.deployments).filter(
    (d) => d.environmentId === environmentId && d.serviceId === serviceId,
  );
  const last = all[all.length - 1];
  return last ? deploymentView(last) : null;
}

export function serviceDomainView(state: EmulatorState, r: DomainRecord) {
  const env = state.data.environments[r.environmentId];
  return {
    ...r,
    suffix: SERVICE_DOMAIN_SUFFIX,
    syncStatus: "ACTIVE",
    targetPort: env ? portOf(env, r.serviceId, "serviceDomains", r.domain) : null,
    cdnMode: null,
    edgeId: null,
    deletedAt: null,
  };
}

export function customDomainView(state: EmulatorState, r: CustomDomainRecord) {
  const env = state.data.environments[r.environmentId];
  const labels = r.domain.split(".");
  const zone = labels.slice(-2).join(".");
  const hostlabel = labels.length > 2 ? labels.slice(0, -2).join(".") : "@";
  return {
    ...r,
    isRailwayDomain: false,
    syncStatus: "ACTIVE",
    targetPort: env ? portOf(env, r.serviceId, "customDomains", r.domain) : null,
    cdnMode: null,
    edgeId: null,
    deletedAt: null,
    status: {
      // Nothing resolves DNS here: a custom domain stays "waiting for DNS" forever.
      verified: false,
      certificateStatus: "CERTIFICATE_STATUS_TYPE_VALIDATING_OWNERSHIP",
      verificationDnsHost: `_railway-verify.${hostlabel === "@" ? zone : `${hostlabel}.${zone}`}`,
      verificationToken: r.verificationToken,
      dnsRecords: [
        {
          hostlabel,
          fqdn: r.domain,
          recordType: "DNS_RECORD_TYPE_CNAME",
          requiredValue: `${derivedId(r.id).slice(0, 8)}.${SERVICE_DOMAIN_SUFFIX}`,
          currentValue: "",
          status: "DNS_RECORD_STATUS_REQUIRES_UPDATE",
          zone,
          purpose: "DNS_RECORD_PURPOSE_TRAFFIC_ROUTE",
        },
      ],
    },
  };
}

export function tcpProxyView(r: TcpProxyRecord) {
  return { ...r, syncStatus: "ACTIVE", updatedAt: r.createdAt, deletedAt: null };
}

export function domainsView(state: EmulatorState, environmentId: string, serviceId: string) {
  return {
    serviceDomains: Object.values(state.data.serviceDomains)
      .filter((r) => r.environmentId === environmentId && r.serviceId === serviceId)
      .map((r) => serviceDomainView(state, r)),
    customDomains: Object.values(state.data.customDomains)
      .filter((r) => r.environmentId === environmentId && r.serviceId === serviceId)
      .map((r) => customDomainView(state, r)),
  };
}

export function volumeInstanceView(state: EmulatorState, r: VolumeInstanceRecord) {
  const env = state.data.environments[r.environmentId];
  const volumes = env && isPlainObject(env.config.volumes) ? env.config.volumes : {};
  const entry = isPlainObject(volumes[r.volumeId]) ? (volumes[r.volumeId] as JsonObject) : {};
  return {
    ...r,
    sizeMB: int(entry.sizeMB) ?? 0,
    currentSizeMB: 0,
    region: str(entry.region) ?? state.data.volumes[r.volumeId]?.region ?? null,
    state: "READY",
    isPendingDeletion: false,
    externalId: null,
    deletedAt: null,
    volume: state.data.volumes[r.volumeId],
    environment: env,
  };
}

const BUILDERS = new Set(["HEROKU", "NIXPACKS", "PAKETO", "RAILPACK"]);

/**
 * ServiceInstance read from the environment config. `builder` is an enum without DOCKERFILE
 * (which only EnvironmentConfig knows), so a DOCKERFILE build reads as RAILPACK here: read
 * `environment.config` for the real value.
 */
export function serviceInstanceView(
  state: EmulatorState,
  env: EnvironmentRecord,
  serviceId: string,
  instance: JsonObject,
) {
  const service = state.data.services[serviceId];
  const source = section(instance, "source");
  const build = section(instance, "build");
  const deploy = section(instance, "deploy");
  const regions = isPlainObject(deploy.multiRegionConfig) ? deploy.multiRegionConfig : {};
  const regionReplicas = Object.values(regions).reduce<number>(
    (sum, r) => sum + (isPlainObject(r) ? (int(r.numReplicas) ?? 0) : 0),
    0,
  );
  const builder = str(build.builder);
  return {
    id: derivedId("service-instance", env.id, serviceId),
    serviceId,
    serviceName: service?.name ?? "",
    environmentId: env.id,
    service,
    source:
      str(source.image) !== null || str(source.repo) !== null
        ? { image: str(source.image), repo: str(source.repo) }
        : null,
    rootDirectory: str(source.rootDirectory),
    builder: builder && BUILDERS.has(builder) ? builder : "RAILPACK",
    buildCommand: str(build.buildCommand),
    dockerfilePath: str(build.dockerfilePath),
    watchPatterns: Array.isArray(build.watchPatterns)
      ? build.watchPatterns.filter((p) => typeof p === "string")
      : [],
    startCommand: str(deploy.startCommand),
    preDeployCommand: deploy.preDeployCommand ?? null,
    healthcheckPath: str(deploy.healthcheckPath),
    healthcheckTimeout: int(deploy.healthcheckTimeout),
    numReplicas: int(deploy.numReplicas) ?? (regionReplicas || 1),
    region: str(deploy.region) ?? Object.keys(regions)[0] ?? null,
    cronSchedule: str(deploy.cronSchedule),
    restartPolicyType: str(deploy.restartPolicyType) ?? "ON_FAILURE",
    restartPolicyMaxRetries: int(deploy.restartPolicyMaxRetries) ?? 10,
    sleepApplication: bool(deploy.sleepApplication) ?? false,
    overlapSeconds: int(deploy.overlapSeconds),
    drainingSeconds: int(deploy.drainingSeconds),
    ipv6EgressEnabled: bool(deploy.ipv6EgressEnabled),
    railwayConfigFile: str(instance.configFile),
    isUpdatable: true,
    domains: domainsView(state, env.id, serviceId),
    latestDeployment: latestDeployment(state, env.id, serviceId),
    createdAt: service?.createdAt ?? env.createdAt,
    updatedAt: env.updatedAt,
    deletedAt: null,
  };
}
