/**
 * The emulator's data model: plain JSON records (so the whole state can be persisted as one JSON
 * file and inspected at GET /_emulator/state), lookups that raise Railway's "not found" errors, id
 * and name generation (seeded when asked), and atomic persistence.
 *
 * An environment's EnvironmentConfig (`EnvironmentRecord.config`) is the source of truth for
 * everything per-environment: service settings, variables, domains, TCP proxies, volume sizes and
 * mounts. The `serviceDomains`, `customDomains`, `tcpProxies` and `volumeInstances` tables only
 * give those config entries the stable ids and generated values (proxy host/port) that Railway's
 * object API exposes; reconcile.ts keeps them in step after every config change.
 */
import { createHash, randomUUID } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { emptyEnvironmentConfig, isPlainObject, JsonObject, stableStringify } from "./config-merge";
import { DEFAULT_DEPLOYMENT_SETTINGS, DeploymentSettings } from "./deployments";
import { fail, NOT_FOUND } from "./errors";
import { Prng, randomState, seedToState } from "./prng";

export const STATE_VERSION = 1;

export interface ProjectRecord {
  id: string;
  name: string;
  description: string | null;
  isPublic: boolean;
  prDeploys: boolean;
  botPrEnvironments: boolean;
  focusedPrEnvironments: boolean;
  baseEnvironmentId: string | null;
  workspaceId: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface EnvironmentRecord {
  id: string;
  projectId: string;
  name: string;
  isEphemeral: boolean;
  /** Set when created from another environment: such an environment is a fork. */
  sourceEnvironmentId: string | null;
  config: JsonObject;
  configEtag: string;
  /** Incremented on every commit (history only: the etag follows the config alone). */
  configVersion: number;
  /** Id the next staged patch gets (environmentStagedChanges always has one to show). */
  stagedPatchId: string;
  createdAt: string;
  updatedAt: string;
}

export interface ServiceRecord {
  id: string;
  projectId: string;
  name: string;
  icon: string | null;
  templateId: string | null;
  templateServiceId: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface VolumeRecord {
  id: string;
  projectId: string;
  name: string;
  region: string | null;
  createdAt: string;
}

export interface VolumeInstanceRecord {
  id: string;
  volumeId: string;
  environmentId: string;
  projectId: string;
  /** Service mounting it in this environment, null when detached. */
  serviceId: string | null;
  /** Last mount path (kept while detached: Railway's VolumeInstance.mountPath is non-null). */
  mountPath: string;
  createdAt: string;
}

export interface DomainRecord {
  id: string;
  domain: string;
  projectId: string;
  environmentId: string;
  serviceId: string;
  createdAt: string;
  updatedAt: string;
}

export interface CustomDomainRecord extends DomainRecord {
  verificationToken: string;
}

export interface TcpProxyRecord {
  id: string;
  projectId: string;
  environmentId: string;
  serviceId: string;
  applicationPort: number;
  domain: string;
  proxyPort: number;
  createdAt: string;
}

/** Railway's DeploymentStatus values the emulator produces (deployments.ts). */
export type DeploymentStatus =
  | "QUEUED"
  | "INITIALIZING"
  | "BUILDING"
  | "DEPLOYING"
  | "SUCCESS"
  | "FAILED"
  | "CRASHED"
  | "REMOVED"
  | "SKIPPED";

export interface DeploymentLogLine {
  kind: "build" | "deploy";
  message: string;
  severity: "info" | "error";
  timestamp: string;
}

export interface DeploymentRecord {
  id: string;
  projectId: string;
  environmentId: string;
  serviceId: string;
  status: DeploymentStatus;
  meta: JsonObject;
  /** Planned status changes, with the time each is due (deployments.ts advances them). */
  timeline: { status: DeploymentStatus; at: string }[];
  /** Build and deploy log lines; a line is visible once its timestamp has passed. */
  logs: DeploymentLogLine[];
  createdAt: string;
  updatedAt: string;
}

export interface PatchRecord {
  id: string;
  projectId: string;
  environmentId: string;
  status: "COMMITTED" | "STAGED";
  message: string | null;
  /** The mutation that produced it (environmentPatchCommit, serviceCreate, ...). */
  source: string;
  patch: JsonObject;
  /** Etag of the environment after this commit (null while staged). */
  configEtag: string | null;
  /** Services whose config this commit changed. */
  changedServiceIds: string[];
  deploymentIds: string[];
  createdAt: string;
  updatedAt: string;
  appliedAt: string | null;
}

export interface ProjectTokenRecord {
  id: string;
  name: string;
  projectId: string;
  environmentId: string;
  /** Only a hash is kept: the state file and /_emulator/state must not hold credentials. */
  tokenSha256: string;
  displayToken: string;
  createdAt: string;
}

/**
 * A Railway workspace the account has used: Railway's workspaces are made in the dashboard, so the
 * emulator knows one once a project was created in it (projectCreate with `workspaceId`).
 */
export interface WorkspaceRecord {
  id: string;
  /** Its billing customer; derived from the workspace id (customerIdOf), so stable across runs. */
  customerId: string;
  createdAt: string;
}

/** A customer's usage limit (usageLimitSet), in whole dollars; keyed by customer id. */
export interface UsageLimitRecord {
  id: string;
  customerId: string;
  softLimit: number;
  hardLimit: number | null;
  createdAt: string;
  updatedAt: string;
}

export interface StateData {
  version: number;
  /** PRNG state for ids/names when the emulator runs with a seed; null otherwise. */
  rng: number | null;
  projects: Record<string, ProjectRecord>;
  environments: Record<string, EnvironmentRecord>;
  services: Record<string, ServiceRecord>;
  volumes: Record<string, VolumeRecord>;
  volumeInstances: Record<string, VolumeInstanceRecord>;
  serviceDomains: Record<string, DomainRecord>;
  customDomains: Record<string, CustomDomainRecord>;
  tcpProxies: Record<string, TcpProxyRecord>;
  deployments: Record<string, DeploymentRecord>;
  patches: Record<string, PatchRecord>;
  projectTokens: Record<string, ProjectTokenRecord>;
  workspaces: Record<string, WorkspaceRecord>;
  /** By customer id (a customer has at most one). */
  usageLimits: Record<string, UsageLimitRecord>;
}

export function emptyStateData(rng: number | null): StateData {
  return {
    version: STATE_VERSION,
    rng,
    projects: {},
    environments: {},
    services: {},
    volumes: {},
    volumeInstances: {},
    serviceDomains: {},
    customDomains: {},
    tcpProxies: {},
    deployments: {},
    patches: {},
    projectTokens: {},
    workspaces: {},
    usageLimits: {},
  };
}

export interface StateOptions {
  /** JSON file the state is loaded from at start and saved to after every mutation. */
  stateFile?: string;
  /** Makes ids, names and generated domains reproducible. */
  seed?: number | string;
}

export class EmulatorState {
  data: StateData;
  /** How deployments progress and which services fail (runtime setting, not persisted). */
  deploymentSettings: DeploymentSettings = { ...DEFAULT_DEPLOYMENT_SETTINGS, failures: {} };
  readonly stateFile?: string;
  private readonly seed?: number | string;
  private rng: Prng;

  constructor(options: StateOptions = {}) {
    this.stateFile = options.stateFile;
    this.seed = options.seed;
    const loaded = this.stateFile ? loadStateFile(this.stateFile) : undefined;
    if (loaded) {
      this.data = loaded;
      // A seeded run resumes the persisted sequence so a restart never repeats an id.
      if (this.seed !== undefined && this.data.rng === null) this.data.rng = seedToState(this.seed);
      if (this.seed === undefined) this.data.rng = null;
    } else {
      this.data = emptyStateData(this.seed !== undefined ? seedToState(this.seed) : null);
    }
    this.rng = new Prng(this.data.rng ?? randomState());
  }

  /** Clears every record (POST /_emulator/reset); a seeded emulator restarts its sequence. */
  reset(): void {
    this.data = emptyStateData(this.seed !== undefined ? seedToState(this.seed) : null);
    this.rng = new Prng(this.data.rng ?? randomState());
  }

  /** Writes the state file atomically (temp file + rename) when one is configured. */
  save(): void {
    if (this.stateFile) saveStateFile(this.stateFile, this.data);
  }

  // --- randomness --------------------------------------------------------------------------

  /** The PRNG for names/domains; its state is tracked in `data.rng` when seeded. */
  random<T>(draw: (rng: Prng) => T): T {
    const value = draw(this.rng);
    if (this.data.rng !== null) this.data.rng = this.rng.state;
    return value;
  }

  newId(): string {
    return this.data.rng !== null ? this.random((r) => r.uuid()) : randomUUID();
  }

  now(): string {
    return new Date().toISOString();
  }

  // --- lookups (each raises Railway's "not found" error) -------------------------------------

  project(id: string): ProjectRecord {
    return this.data.projects[id] ?? fail(NOT_FOUND.project);
  }

  environment(id: string): EnvironmentRecord {
    return this.data.environments[id] ?? fail(NOT_FOUND.environment);
  }

  service(id: string): ServiceRecord {
    return this.data.services[id] ?? fail(NOT_FOUND.service);
  }

  volume(id: string): VolumeRecord {
    return this.data.volumes[id] ?? fail(NOT_FOUND.volume);
  }

  workspace(id: string): WorkspaceRecord {
    return this.data.workspaces[id] ?? fail(NOT_FOUND.workspace);
  }

  /** The workspace whose billing customer this is. */
  workspaceOfCustomer(customerId: string): WorkspaceRecord {
    return (
      Object.values(this.data.workspaces).find((w) => w.customerId === customerId) ??
      fail(NOT_FOUND.customer)
    );
  }

  /** Records a workspace the first time a project names it (Railway's exist beforehand). */
  addWorkspace(id: string): WorkspaceRecord {
    const existing = this.data.workspaces[id];
    if (existing) return existing;
    const workspace: WorkspaceRecord = { id, customerId: customerIdOf(id), createdAt: this.now() };
    this.data.workspaces[id] = workspace;
    return workspace;
  }

  /** An environment that must belong to `projectId`. */
  environmentOf(projectId: string, environmentId: string): EnvironmentRecord {
    const env = this.environment(environmentId);
    if (env.projectId !== projectId) fail(NOT_FOUND.environment);
    return env;
  }

  /** A service that must belong to `projectId`. */
  serviceOf(projectId: string, serviceId: string): ServiceRecord {
    const service = this.service(serviceId);
    if (service.projectId !== projectId) fail(NOT_FOUND.service);
    return service;
  }

  /** The service's config entry in the environment (its "service instance"), or undefined. */
  instanceConfig(env: EnvironmentRecord, serviceId: string): JsonObject | undefined {
    const services = env.config.services;
    const entry = isPlainObject(services) ? services[serviceId] : undefined;
    return isPlainObject(entry) ? entry : undefined;
  }

  /** Like instanceConfig but raises "Service instance not found". */
  requireInstance(env: EnvironmentRecord, serviceId: string): JsonObject {
    return this.instanceConfig(env, serviceId) ?? fail(NOT_FOUND.serviceInstance);
  }

  environmentsOf(projectId: string): EnvironmentRecord[] {
    return Object.values(this.data.environments).filter((e) => e.projectId === projectId);
  }

  servicesOf(projectId: string): ServiceRecord[] {
    return Object.values(this.data.services).filter((s) => s.projectId === projectId);
  }

  volumesOf(projectId: string): VolumeRecord[] {
    return Object.values(this.data.volumes).filter((v) => v.projectId === projectId);
  }

  isFork(env: EnvironmentRecord): boolean {
    return env.sourceEnvironmentId !== null;
  }

  /**
   * Environments a project-level change lands in (Railway's fan-out rule): the given environment
   * alone if it is a fork, otherwise every environment of the project that is not a fork.
   */
  fanOut(projectId: string, environmentId: string | null | undefined): EnvironmentRecord[] {
    if (environmentId) {
      const env = this.environmentOf(projectId, environmentId);
      if (this.isFork(env)) return [env];
    }
    return this.environmentsOf(projectId).filter((e) => !this.isFork(e));
  }

  /** Creates an environment record with an empty config. */
  addEnvironment(
    projectId: string,
    name: string,
    opts: { isEphemeral?: boolean; sourceEnvironmentId?: string | null } = {},
  ): EnvironmentRecord {
    const now = this.now();
    const env: EnvironmentRecord = {
      id: this.newId(),
      projectId,
      name,
      isEphemeral: opts.isEphemeral ?? false,
      sourceEnvironmentId: opts.sourceEnvironmentId ?? null,
      config: emptyEnvironmentConfig(),
      configEtag: "",
      configVersion: 0,
      stagedPatchId: this.newId(),
      createdAt: now,
      updatedAt: now,
    };
    env.configEtag = computeEtag(env);
    this.data.environments[env.id] = env;
    return env;
  }

  /** Removes an environment and everything that lives in it. */
  removeEnvironment(id: string): void {
    delete this.data.environments[id];
    const d = this.data;
    for (const table of [
      d.volumeInstances,
      d.serviceDomains,
      d.customDomains,
      d.tcpProxies,
      d.deployments,
      d.patches,
      d.projectTokens,
    ] as Record<string, { environmentId: string }>[]) {
      for (const [key, rec] of Object.entries(table))
        if (rec.environmentId === id) delete table[key];
    }
  }

  /** Removes a project and everything beneath it. */
  removeProject(id: string): void {
    for (const env of this.environmentsOf(id)) this.removeEnvironment(env.id);
    const d = this.data;
    for (const table of [
      d.services,
      d.volumes,
      d.volumeInstances,
      d.serviceDomains,
      d.customDomains,
      d.tcpProxies,
      d.deployments,
      d.patches,
      d.projectTokens,
    ] as Record<string, { projectId: string }>[]) {
      for (const [key, rec] of Object.entries(table)) if (rec.projectId === id) delete table[key];
    }
    delete d.projects[id];
  }
}

/** A UUID derived from `text`: ids the emulator derives rather than draws (no PRNG step). */
export function derivedId(text: string): string {
  const hex = createHash("sha256").update(text).digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** The billing customer of a workspace: one per workspace, its id derived from the workspace's. */
export const customerIdOf = (workspaceId: string): string => derivedId(`customer:${workspaceId}`);

/**
 * Opaque etag of an environment's config: changes when, and only when, the config changes (a
 * commit that changes nothing keeps it), so a client can tell "someone changed this" from "someone
 * committed".
 */
export function computeEtag(env: EnvironmentRecord): string {
  return createHash("sha256")
    .update(`${env.id}:${stableStringify(env.config)}`)
    .digest("hex")
    .slice(0, 32);
}

/** Marks a new config version and recomputes the etag from the config. */
export function bumpEtag(env: EnvironmentRecord, now: string): void {
  env.configVersion += 1;
  env.configEtag = computeEtag(env);
  env.updatedAt = now;
}

export function loadStateFile(file: string): StateData | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
  if (!text.trim()) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new Error(
      `railway-emulator: state file ${file} is not valid JSON (${(err as Error).message}); delete it to start empty`,
      { cause: err },
    );
  }
  if (!isPlainObject(parsed) || parsed.version !== STATE_VERSION) {
    throw new Error(
      `railway-emulator: state file ${file} has an unsupported format (expected version ${STATE_VERSION}); delete it to start empty`,
    );
  }
  // Fill tables added after the file was written.
  return { ...emptyStateData(null), ...(parsed as unknown as StateData) };
}

let tmpCounter = 0;

export function saveStateFile(file: string, data: StateData): void {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  // Same directory as the target so rename(2) is atomic; a reader sees the old or the new file.
  const tmp = `${file}.${process.pid}.${++tmpCounter}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(data, null, 2));
  fs.renameSync(tmp, file);
}
