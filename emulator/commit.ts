/**
 * Committing an EnvironmentConfig patch: the single path through which EVERY per-environment
 * change goes (environmentPatchCommit, but also serviceCreate, serviceDomainCreate, volumeCreate,
 * variable upserts, ...), so that validation, the config etag, the patch history and deployment
 * records behave the same whichever API a client uses.
 */
import { GraphQLError } from "graphql";
import {
  applyEnvironmentPatch,
  clone,
  deepEqual,
  isPlainObject,
  Json,
  JsonObject,
  PatchError,
} from "./config-merge";
import { hasSource, startDeployment } from "./deployments";
import { MESSAGES } from "./errors";
import { isHostname, isServiceDomain } from "./names";
import { reconcile } from "./reconcile";
import { bumpEtag, EmulatorState, EnvironmentRecord, PatchRecord } from "./state";
import { maskConfig, renderServiceVariables } from "./variables";

export const DEFAULT_VOLUME_SIZE_MB = 5000;
const BACKUP_SCHEDULES = ["DAILY", "WEEKLY", "MONTHLY"];

export interface CommitOptions {
  /** Mutation that caused the commit; recorded on the patch and on deployments. */
  source: string;
  message?: string | null;
  /** Record a deployment for each service whose config changed (default true). */
  deploy?: boolean;
  /** Reuse this id for the patch record (committing staged changes). */
  patchId?: string;
}

function invalid(message: string): never {
  throw new PatchError(message);
}

function isPort(value: unknown): boolean {
  return typeof value === "number" && Number.isInteger(value) && value >= 1 && value <= 65535;
}

/** Checks that every id a patch addresses belongs to the environment's project. */
function validateTargets(state: EmulatorState, env: EnvironmentRecord, patch: JsonObject): void {
  if (patch.services !== undefined && isPlainObject(patch.services)) {
    for (const id of Object.keys(patch.services)) {
      const s = state.data.services[id];
      if (!s || s.projectId !== env.projectId)
        invalid(`Invalid patch: service "${id}" not found in this project`);
    }
  }
  if (patch.volumes !== undefined && isPlainObject(patch.volumes)) {
    for (const id of Object.keys(patch.volumes)) {
      const v = state.data.volumes[id];
      if (!v || v.projectId !== env.projectId)
        invalid(`Invalid patch: volume "${id}" not found in this project`);
    }
  }
}

function validateVariableMap(map: Json | undefined, where: string): void {
  if (map === undefined) return;
  if (!isPlainObject(map)) invalid(`Invalid patch: ${where} must be an object`);
  for (const [name, entry] of Object.entries(map)) {
    if (!isPlainObject(entry))
      invalid(`Invalid patch: ${where}.${name} must be an object like {"value": "..."} or null`);
    const hasValue = typeof entry.value === "string";
    const hasGenerator = typeof entry.generator === "string";
    if (!hasValue && !hasGenerator)
      invalid(`Invalid patch: ${where}.${name}.value must be a string`);
  }
}

/** Invariants of a whole config after a patch; `before` is the config it replaces. */
function validateConfig(
  state: EmulatorState,
  env: EnvironmentRecord,
  after: JsonObject,
  before: JsonObject,
): void {
  validateVariableMap(after.sharedVariables, "sharedVariables");
  const volumes = isPlainObject(after.volumes) ? after.volumes : {};
  const oldVolumes = isPlainObject(before.volumes) ? before.volumes : {};
  for (const [id, volume] of Object.entries(volumes)) {
    if (!isPlainObject(volume)) invalid(`Invalid patch: volumes.${id} must be an object`);
    if (volume.sizeMB === undefined) volume.sizeMB = DEFAULT_VOLUME_SIZE_MB;
    const size = volume.sizeMB;
    if (typeof size !== "number" || !Number.isInteger(size) || size <= 0)
      invalid(`Invalid patch: volumes.${id}.sizeMB must be a positive integer`);
    const old = oldVolumes[id];
    if (isPlainObject(old) && typeof old.sizeMB === "number" && size < old.sizeMB)
      invalid(MESSAGES.volumeShrink(old.sizeMB, size));
  }

  const services = isPlainObject(after.services) ? after.services : {};
  const mountedBy = new Map<string, string>();
  const claimed = new Map<string, string>();
  // Domains held by other service instances anywhere in the emulator.
  const elsewhere = new Map<string, string>();
  for (const r of [
    ...Object.values(state.data.serviceDomains),
    ...Object.values(state.data.customDomains),
  ]) {
    if (r.environmentId !== env.id) elsewhere.set(r.domain, `${r.environmentId}/${r.serviceId}`);
  }
  const claim = (domain: string, owner: string): void => {
    if (elsewhere.has(domain) || (claimed.has(domain) && claimed.get(domain) !== owner)) {
      throw new PatchError(MESSAGES.domainTaken(domain));
    }
    claimed.set(domain, owner);
  };

  for (const [serviceId, service] of Object.entries(services)) {
    if (!isPlainObject(service)) invalid(`Invalid patch: services.${serviceId} must be an object`);
    const at = `services.${serviceId}`;
    validateVariableMap(service.variables, `${at}.variables`);
    const networking = service.networking;
    if (networking !== undefined) {
      if (!isPlainObject(networking)) invalid(`Invalid patch: ${at}.networking must be an object`);
      const checkPortEntry = (entry: Json, where: string): void => {
        if (!isPlainObject(entry))
          invalid(`Invalid patch: ${where} must be an object like {"port": 8080} or null`);
        if (entry.port !== undefined && entry.port !== null && !isPort(entry.port))
          invalid(MESSAGES.invalidPort(entry.port));
      };
      if (networking.serviceDomains !== undefined) {
        if (!isPlainObject(networking.serviceDomains))
          invalid(`Invalid patch: ${at}.networking.serviceDomains must be an object`);
        const names = Object.keys(networking.serviceDomains);
        if (names.length > 1) invalid(MESSAGES.oneServiceDomain);
        for (const domain of names) {
          if (!isServiceDomain(domain)) invalid(MESSAGES.invalidServiceDomain(domain));
          checkPortEntry(
            networking.serviceDomains[domain]!,
            `${at}.networking.serviceDomains.${domain}`,
          );
          claim(domain, serviceId);
        }
      }
      if (networking.customDomains !== undefined) {
        if (!isPlainObject(networking.customDomains))
          invalid(`Invalid patch: ${at}.networking.customDomains must be an object`);
        for (const [domain, entry] of Object.entries(networking.customDomains)) {
          if (!isHostname(domain) || domain.endsWith(".railway.app"))
            invalid(MESSAGES.invalidCustomDomain(domain));
          checkPortEntry(entry, `${at}.networking.customDomains.${domain}`);
          claim(domain, serviceId);
        }
      }
      if (networking.tcpProxies !== undefined) {
        if (!isPlainObject(networking.tcpProxies))
          invalid(`Invalid patch: ${at}.networking.tcpProxies must be an object`);
        for (const [port, entry] of Object.entries(networking.tcpProxies)) {
          if (!/^\d+$/.test(port) || !isPort(Number(port))) invalid(MESSAGES.invalidPort(port));
          if (!isPlainObject(entry))
            invalid(`Invalid patch: ${at}.networking.tcpProxies.${port} must be an object or null`);
        }
      }
    }
    const mounts = service.volumeMounts;
    if (mounts !== undefined) {
      if (!isPlainObject(mounts)) invalid(`Invalid patch: ${at}.volumeMounts must be an object`);
      const ids = Object.keys(mounts);
      if (ids.length > 1) invalid(MESSAGES.oneVolumePerService);
      for (const volumeId of ids) {
        const mount = mounts[volumeId];
        const v = state.data.volumes[volumeId];
        if (!v || v.projectId !== env.projectId)
          invalid(`Invalid patch: volume "${volumeId}" not found in this project`);
        if (!(volumeId in volumes))
          invalid(`Invalid patch: volume "${volumeId}" has no instance in this environment`);
        if (!isPlainObject(mount))
          invalid(`Invalid patch: ${at}.volumeMounts.${volumeId} must be an object`);
        if (typeof mount.mountPath !== "string" || !mount.mountPath.startsWith("/"))
          invalid(MESSAGES.invalidMountPath(String(mount.mountPath)));
        if (mount.backupSchedules !== undefined) {
          const b = mount.backupSchedules;
          if (
            !Array.isArray(b) ||
            b.some((k) => typeof k !== "string" || !BACKUP_SCHEDULES.includes(k))
          ) {
            invalid(
              `Invalid patch: ${at}.volumeMounts.${volumeId}.backupSchedules must be a list of ${BACKUP_SCHEDULES.join(", ")}`,
            );
          }
        }
        const other = mountedBy.get(volumeId);
        if (other && other !== serviceId)
          invalid(`Invalid patch: volume "${volumeId}" is already mounted by service "${other}"`);
        mountedBy.set(volumeId, serviceId);
      }
    }
  }
}

/** Validates a patch against an environment and returns the config it would produce. */
export function previewPatch(
  state: EmulatorState,
  env: EnvironmentRecord,
  patch: Json | undefined,
): JsonObject {
  try {
    const p = patch ?? {};
    if (!isPlainObject(p)) invalid("Invalid patch: expected a JSON object");
    validateTargets(state, env, p);
    const { config } = applyEnvironmentPatch(env.config, p);
    validateConfig(state, env, config, env.config);
    return config;
  } catch (err) {
    if (err instanceof PatchError) throw new GraphQLError(err.message);
    throw err;
  }
}

/** Applies a patch to an environment: validate, merge, reconcile ids, etag, history, deployments. */
export function commitPatch(
  state: EmulatorState,
  env: EnvironmentRecord,
  patch: Json | undefined,
  options: CommitOptions,
): PatchRecord {
  const after = previewPatch(state, env, patch);
  const before = env.config;
  env.config = after;
  bumpEtag(env, state.now());
  reconcile(state, env);

  const now = state.now();
  const beforeServices = isPlainObject(before.services) ? before.services : {};
  const afterServices = isPlainObject(after.services) ? after.services : {};
  const changed = Object.keys(afterServices).filter(
    (id) => !deepEqual(beforeServices[id], afterServices[id]),
  );
  const record: PatchRecord = {
    id: options.patchId ?? state.newId(),
    projectId: env.projectId,
    environmentId: env.id,
    status: "COMMITTED",
    message: options.message ?? null,
    source: options.source,
    patch: clone(isPlainObject(patch) ? patch : {}),
    configEtag: env.configEtag,
    changedServiceIds: changed,
    deploymentIds: [],
    createdAt: now,
    updatedAt: now,
    appliedAt: now,
  };
  state.data.patches[record.id] = record;
  if (options.deploy !== false) {
    // A service with nothing to build or pull (no image, no repo) gets no deployment.
    for (const serviceId of changed.filter((id) => hasSource(state.instanceConfig(env, id))))
      record.deploymentIds.push(recordDeployment(state, env, serviceId, record).id);
  }
  return record;
}

/**
 * Starts a deployment of a service instance (deployments.ts plays its lifecycle). The instance's
 * current SUCCESS deployment keeps serving until this one succeeds.
 */
export function recordDeployment(
  state: EmulatorState,
  env: EnvironmentRecord,
  serviceId: string,
  patch: PatchRecord,
) {
  const instance = state.instanceConfig(env, serviceId) ?? {};
  const unresolved = renderServiceVariables(state, env, serviceId).unresolved;
  const manifest = maskConfig({ services: { [serviceId]: instance } }, false)
    .services as JsonObject;
  return startDeployment(state, env, serviceId, instance, {
    reason: patch.source,
    patchId: patch.id,
    commitMessage: patch.message,
    configEtag: env.configEtag,
    serviceManifest: manifest[serviceId] ?? null,
    unresolvedReferences: unresolved as unknown as Json,
  });
}
