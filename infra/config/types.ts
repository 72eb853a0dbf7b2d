/**
 * The resolved stack configuration: what components receive after `Pulumi.<stack>.yaml` has been
 * merged with the tier defaults, validated and converted. Every value is plain and final (numbers
 * in the units the resources take, arrays never undefined), so no component parses config again.
 */
import type * as pulumi from "@pulumi/pulumi";

import type { BackupSchedule, Builder, Layout, RestartPolicyType, Tier } from "../domain/types";
import type { Region } from "../domain/rules";
import type { EVICTION_POLICIES } from "./constants";
import type { RailwayDeploySettings } from "./schema";

export type RedisEvictionPolicy = (typeof EVICTION_POLICIES)[number];

export type { BackupSchedule, Builder, Layout, Region, RestartPolicyType, Tier };

export type LogFormat = "json" | "pretty";
export type DataServiceName = "postgres" | "redis" | "nats";

export interface ProjectConfig {
  /** Railway project name. Isolated PR stacks get `<preview name>-pr-<n>`. */
  name: string;
  workspaceId?: string;
  /** Region of the data services and of app services without `regions`. */
  region: Region;
  /** Branch repo-sourced services deploy from unless they name their own. */
  protectedBranch: string;
  /** Adopt the existing project, environment, services and volumes of these names instead of creating them. */
  adopt: boolean;
  /** One project for all stacks, an environment each (`shared`), or a project per stack. */
  layout: Layout;
  /**
   * The Railway environment this stack owns: `project.environment`, else `production` for the
   * production tier and the stack name for the others (`isolated`: the tier); `pr-<n>` for PRs.
   */
  environment: string;
  /**
   * Layout `shared`, PR stacks: the environment this one is forked from (the preview stack's).
   * The environment is then ephemeral: Railway's PR environments are.
   */
  forkOf?: string;
  /** Remove what the services have in Railway but the stack does not declare. */
  removeUndeclared: boolean;
}

/** Behaviour the app receives as variables (see {@link appVariables}). */
export interface AppSettings {
  rateLimit: { enabled: boolean; rpm: number };
  securityMiddleware: boolean;
  logFormat: LogFormat;
  debug: boolean;
  corsOrigins: string[];
}

/** Per-replica container limits; an absent field means Railway's plan default. */
export interface ResourceLimits {
  /** vCPUs per replica. */
  cpu?: number;
  memoryMB?: number;
  /** `memoryMB` in bytes, as `limitOverride.containers.memoryBytes` takes it. */
  memoryBytes?: number;
}

/** How `pulumi up` follows a deployment: the tier's gate timing (infra/config/tiers.ts). */
export interface DeployWaitConfig {
  timeoutSeconds: number;
  intervalSeconds: number;
}

interface DataServiceBase {
  /** Pinned image (tag or digest). */
  image: string;
  /** Every data service's deployment is followed (a database that does not start fails the up). */
  deployWait: DeployWaitConfig;
  volumeSizeMB: number;
  /** Expose the service's port through a public TCP proxy. */
  publicProxy: boolean;
  limits?: ResourceLimits;
  /** Average share of the limits in use, for the cost estimate's lower bound. */
  expectedUtilization: number;
}

export interface PostgresConfig extends DataServiceBase {
  database: string;
  user: string;
  backups: BackupSchedule[];
}

export interface RedisConfig extends DataServiceBase {
  maxMemoryMB: number;
  evictionPolicy: RedisEvictionPolicy;
  appendOnly: boolean;
}

export interface NatsStreamConfig {
  name: string;
  subjects: string[];
  /** As written, e.g. `"7d"` (the `nats` CLI's `--max-age` format). */
  maxAge: string;
  maxAgeSeconds: number;
}

export interface NatsConfig extends DataServiceBase {
  jetStream: { maxStorageMB: number; streams: NatsStreamConfig[] };
}

/** Where an instance of a data service sits in the stack: its kind, name and Railway service. */
interface DataInstance<K extends DataServiceName> {
  kind: K;
  /** The instance's name (`postgres: { <name>: ... }`); absent for the one-instance form. */
  instance?: string;
  /** Railway service name: `<kind>`, or `<kind>-<instance>` for a named instance. */
  serviceName: string;
  /** Path of its settings under `railway-stacks:app`: `[kind]` or `[kind, instance]`. */
  path: string[];
}

/** One data service the stack deploys (instances with `enabled: false` are left out). */
export type DataServiceConfig =
  | (DataInstance<"postgres"> & PostgresConfig)
  | (DataInstance<"redis"> & RedisConfig)
  | (DataInstance<"nats"> & NatsConfig);

export type ServiceSourceConfig =
  | { kind: "repo"; repo: string; branch: string; rootDirectory?: string }
  | { kind: "image"; image: string };

export interface ServiceBuildConfig {
  builder: Builder;
  buildCommand?: string;
  dockerfilePath?: string;
  watchPatterns: string[];
}

/** A plain value (numbers and booleans in YAML arrive as strings). */
export interface PlainVariable {
  kind: "plain";
  value: string;
  /** Written `{ notSecret: <value> }`: declared not a secret, so no secret check judges it. */
  notSecret?: boolean;
}

/** A Railway reference variable `${{<service>.<variable>}}`, resolved by Railway. */
export interface ReferenceVariable {
  kind: "reference";
  /**
   * The Railway service name: an app service key or a data service's (`postgres`,
   * `postgres-analytics`, …); `shared` for
   * the environment's shared variables (`${{shared.<KEY>}}`).
   */
  service: string;
  variable: string;
}

/** A random secret the stack generates (a Pulumi secret end to end). */
export interface GeneratedVariable {
  kind: "generated";
  length: number;
}

/** A secret stack config key, as parsed: not yet read. */
export interface SecretVariableRef {
  kind: "secret";
  configKey: string;
  optional: boolean;
}

/** A secret stack config key, as loaded: its value is a Pulumi secret. */
export interface SecretVariable {
  kind: "secret";
  configKey: string;
  value: pulumi.Output<string>;
}

/** Variables as `parseStackConfig` returns them. */
export type VariableSpec =
  PlainVariable | ReferenceVariable | GeneratedVariable | SecretVariableRef;
/** Variables as `loadStackConfig` returns them (optional secrets that are not set are left out). */
export type VariableValue = PlainVariable | ReferenceVariable | GeneratedVariable | SecretVariable;

export interface HealthcheckConfig {
  path: string;
  timeoutSeconds: number;
}

export interface RestartPolicyConfig {
  type: RestartPolicyType;
  /** Only for `ON_FAILURE`. */
  maxRetries?: number;
}

export interface GateConfig {
  /** Poll the health and readiness paths on the public domain after a deployment. */
  enabled: boolean;
  /**
   * Follow the deployment a change starts through Railway's statuses and fail the update unless
   * it serves (`SUCCESS`, or `SLEEPING` for a sleeping service).
   */
  deployment: boolean;
  timeoutSeconds: number;
  intervalSeconds: number;
}

export interface AppServiceConfig<V = VariableValue> {
  /** The key under `services`; also the Railway service name. */
  name: string;
  source: ServiceSourceConfig;
  /** How Railway builds the service; absent for image services. */
  build?: ServiceBuildConfig;
  startCommand?: string;
  /** Empty: no pre-deploy command. */
  preDeployCommand: string[];
  /** The port the service listens on (`PORT`); 8080 when the stack file names none. */
  port: number;
  /** Application port exposed through a public TCP proxy. */
  tcpProxy?: number;
  /** A persistent volume mounted in the service (then it runs one replica). */
  volume?: { mountPath: string; sizeMB: number; backups: BackupSchedule[] };
  healthcheck?: HealthcheckConfig;
  readinessPath?: string;
  /** Total replicas: the replica count in `project.region`, or the sum over `regions`. */
  replicas: number;
  /** Replicas per region; when set the service is multi-region and `replicas` is their sum. */
  regions?: Partial<Record<Region, number>>;
  limits?: ResourceLimits;
  /** Average share of the limits in use, for the cost estimate's lower bound. */
  expectedUtilization: number;
  restartPolicy: RestartPolicyConfig;
  cron?: string;
  sleep: boolean;
  /** Settings Railway takes as they are (`deploy.<key>`), see `RailwayDeploySettings`. */
  deploy: RailwayDeploySettings;
  domains: { railway: boolean; custom: string[] };
  /** True when the service has a Railway domain or a custom domain. */
  public: boolean;
  variables: Record<string, V>;
  /** Railway service names of the data services linked (`postgres`, `postgres-analytics`, …). */
  links: string[];
  /** Apply a change of variables only without redeploying (Railway's skipDeploys). */
  skipDeploysOnVariableChange: boolean;
  gate: GateConfig;
}

export interface StackConfig<V = VariableValue> {
  /** The Pulumi stack the config was loaded for (`dev`, `production`, `pr-42`, …). */
  stack: string;
  tier: Tier;
  project: ProjectConfig;
  app: AppSettings;
  /**
   * The data services deployed: every enabled instance, Postgres then Redis then NATS, named
   * instances in the order of the stack file.
   */
  dataServices: DataServiceConfig[];
  /** Keyed by service name, in the order of the stack file. */
  services: Record<string, AppServiceConfig<V>>;
  /**
   * The environment's shared variables (`sharedVariables`), in the order of the stack file; a
   * service reads one through a reference variable `{ service: "shared", variable: <KEY> }`.
   */
  sharedVariables: Record<string, V>;
  /** The stack's monthly cost budget, when it sets one. */
  budget?: {
    monthlyUsd: number;
    /**
     * Railway's own usage limit of the workspace (`project.workspaceId`, then set), in whole
     * dollars. Workspace-wide: every stack of the workspace shares it.
     */
    railwayUsageLimit?: { softUsd: number; hardUsd?: number };
  };
  /** Set on PR stacks (`pr-<n>`), derived from the preview stack's config. */
  pullRequest?: { number: number; branch: string };
}

/** What `parseStackConfig` returns on success: secrets are still config key names. */
export type ParsedStackConfig = StackConfig<VariableSpec>;

/** The data services of one kind, in file order. */
export function dataServicesOf<K extends DataServiceName, V>(
  config: Pick<StackConfig<V>, "dataServices">,
  kind: K,
): Extract<DataServiceConfig, { kind: K }>[] {
  return config.dataServices.filter(
    (data): data is Extract<DataServiceConfig, { kind: K }> => data.kind === kind,
  );
}
