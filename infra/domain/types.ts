/**
 * The contract shared by the dynamic providers, the resources, the components and the policy pack:
 * type tokens and the plain (resolved) shape of each resource's inputs and outputs.
 *
 * Type tokens are `pulumi-nodejs:dynamic/railway:<Type>` because the resources pass module
 * "railway" and the type name to `dynamic.Resource`; policies match on these constants.
 */

export const RAILWAY_MODULE = "railway";

export const TYPE_NAMES = {
  project: "Project",
  service: "Service",
  volume: "Volume",
  serviceInstance: "ServiceInstance",
  environment: "Environment",
  sharedVariables: "SharedVariables",
  usageLimit: "UsageLimit",
} as const;

const token = (typeName: string): string => `pulumi-nodejs:dynamic/${RAILWAY_MODULE}:${typeName}`;

/**
 * The component that declares a whole stack (infra/components/environment.ts). Its registered
 * outputs carry `budgetMonthlyUsd` when the stack sets a budget: stack policies receive every
 * resource's outputs, and a component's outputs are known in preview and update nothing.
 */
export const ENVIRONMENT_COMPONENT_TYPE = "railway-stacks:index:RailwayEnvironment";

/** The outputs of the environment component that policies read. */
export interface EnvironmentComponentOutputs {
  /** The stack's monthly budget in US dollars (`budget.monthlyUsd`). */
  budgetMonthlyUsd?: number;
}

export const TYPE_TOKENS = {
  project: token(TYPE_NAMES.project),
  service: token(TYPE_NAMES.service),
  volume: token(TYPE_NAMES.volume),
  serviceInstance: token(TYPE_NAMES.serviceInstance),
  environment: token(TYPE_NAMES.environment),
  sharedVariables: token(TYPE_NAMES.sharedVariables),
  usageLimit: token(TYPE_NAMES.usageLimit),
} as const;

/**
 * Where a program's stacks live in Railway. `shared`: one project for all of them, each stack
 * owning one environment of it. `isolated`: a project per stack (its default environment).
 */
export type Layout = "shared" | "isolated";

/** What a service is for; policies and the deploy gate key on it. Not sent to Railway. */
export type ServiceRole = "postgres" | "redis" | "nats" | "app";

/** The stack tier a resource was declared for. Not sent to Railway. */
export type Tier = "local" | "dev" | "preview" | "production";

export interface ProjectInputs {
  /** Railway project name, unique in the workspace. */
  name: string;
  description?: string;
  /** Workspace to create the project in. Without one Railway creates a temporary project. */
  workspaceId?: string;
  /** Name of the project's default environment; Railway creates it with the project. */
  defaultEnvironmentName: string;
  /** Railway's own PR environments; always false: PR previews are stacks of their own. */
  prDeploys: boolean;
  /** Stack that owns the project (metadata for policies). */
  stack: string;
  tier: Tier;
  /** Adopt the existing project of this name instead of creating one. */
  adoptExisting?: boolean;
  /**
   * The project is shared by the environments of several stacks (layout `shared`): it is adopted
   * by name when it exists, created otherwise, and never deleted by a stack.
   */
  shared?: boolean;
}

export interface ProjectOutputs extends ProjectInputs {
  projectId: string;
  environmentId: string;
}

export interface ServiceInputs {
  projectId: string;
  /**
   * Layout `shared` only: the environment of the stack that declares it. The service is created
   * there (in a fork only there; otherwise Railway adds it to every environment that is not a
   * fork) or adopted by name, and deleted from the project only when no other environment has a
   * configured instance of it.
   */
  environmentId?: string;
  /** Service name, unique in the project; reference variables use it (`${{name.VAR}}`). */
  name: string;
  icon?: string;
  role: ServiceRole;
  /** Adopt the existing service of this name in the project instead of creating one. */
  adoptExisting?: boolean;
}

export interface ServiceOutputs extends ServiceInputs {
  serviceId: string;
}

export type BackupSchedule = "DAILY" | "WEEKLY" | "MONTHLY";

export interface VolumeInputs {
  projectId: string;
  environmentId: string;
  serviceId: string;
  /** Volume name, unique in the project. */
  name: string;
  mountPath: string;
  /**
   * Minimum size in MB. Railway creates volumes at the plan's size (5 GB on Hobby) and can only
   * grow them, so a smaller value is already met and a larger one grows the volume.
   */
  sizeMB: number;
  backupSchedules: BackupSchedule[];
  /** Adopt the volume already mounted at `mountPath` of the service instead of creating one. */
  adoptExisting?: boolean;
  /**
   * The project is shared by several stacks' environments (layout `shared`): a volume already
   * mounted at `mountPath` in this environment (a fork's copy) is used, and delete removes only
   * this environment's instance while another environment has one.
   */
  sharedProject?: boolean;
  /**
   * The environment is a fork (a PR's) of one that has this volume: the volume mounted here is
   * the source's copy, taken as it is (its name stays the source's). Known from the program, so
   * creating it reads the fork's volumes once for all of them and asks no other environment.
   */
  forkCopy?: boolean;
}

export interface VolumeOutputs extends VolumeInputs {
  volumeId: string;
  volumeInstanceId: string;
  /** The volume's size in Railway: at least `sizeMB`. */
  actualSizeMB: number;
}

export type Builder = "RAILPACK" | "NIXPACKS" | "DOCKERFILE";
export type RestartPolicyType = "ALWAYS" | "NEVER" | "ON_FAILURE";

export interface ServiceSourceInputs {
  /** Docker image with a pinned tag or digest. Exclusive with `repo`. */
  image?: string;
  /** GitHub repository `owner/name`. Exclusive with `image`. */
  repo?: string;
  branch?: string;
  rootDirectory?: string;
}

export interface ServiceBuildInputs {
  builder?: Builder;
  buildCommand?: string;
  dockerfilePath?: string;
  watchPatterns?: string[];
}

export interface ServiceDeployInputs {
  startCommand?: string;
  preDeployCommand?: string[];
  healthcheckPath?: string;
  /** Seconds. */
  healthcheckTimeout?: number;
  /** Replicas in the default region; exclusive with `multiRegion`. */
  numReplicas?: number;
  region?: string;
  /** Replicas per region, e.g. `{ "us-west2": 2, "europe-west4-drams3a": 1 }`. */
  multiRegion?: Record<string, number>;
  /** vCPUs per replica. */
  cpu?: number;
  /** Memory per replica in bytes (Railway's `limitOverride.containers.memoryBytes`). */
  memoryBytes?: number;
  restartPolicyType?: RestartPolicyType;
  restartPolicyMaxRetries?: number;
  cronSchedule?: string;
  sleepApplication?: boolean;
  /** Seconds the previous deployment overlaps a new one. */
  overlapSeconds?: number;
  /** Seconds between SIGTERM and SIGKILL for a stopping deployment. */
  drainingSeconds?: number;
}

export interface ServiceNetworkingInputs {
  /** Port of the generated `*.up.railway.app` domain; absent: no public Railway domain. */
  railwayDomainPort?: number;
  /** Custom domain name → target port. */
  customDomains: Record<string, number>;
  /** Application ports exposed through a public TCP proxy. */
  tcpProxyPorts: number[];
}

/** Following the deployment a change starts (the ServiceInstance provider does it). */
export interface DeployWaitInputs {
  /** Fail the update when the deployment is not SUCCESS after this long. */
  timeoutSeconds: number;
  /** Between two status reads. @default 5 */
  intervalSeconds: number;
}

export interface ServiceInstanceInputs {
  projectId: string;
  environmentId: string;
  serviceId: string;
  serviceName: string;
  role: ServiceRole;
  tier: Tier;
  source: ServiceSourceInputs;
  build: ServiceBuildInputs;
  deploy: ServiceDeployInputs;
  /** Plain values and Railway reference variables (`${{Postgres.DATABASE_URL}}`). */
  variables: Record<string, string>;
  /** Values that are Pulumi secrets end to end (always a secret output). */
  secretVariables: Record<string, string>;
  /**
   * Names of `variables` the stack file declares not secret (`{ notSecret: <value> }`), for the
   * secrets policy. Metadata: not sent to Railway, and not diffed (marking a value changes nothing
   * in Railway). Absent when there are none, so existing stacks see no change.
   */
  notSecretVariables?: string[];
  networking: ServiceNetworkingInputs;
  /** Wait for each deployment a change starts; absent: commit and return. */
  deployWait?: DeployWaitInputs;
  /**
   * Variables and settings the service has in Railway that these inputs do not declare (set in
   * the dashboard, or left by an earlier tool) are kept unless this is true: then the instance
   * takes ownership of everything, and removes what it does not declare. @default false
   */
  removeUndeclared?: boolean;
  /**
   * The project is shared by several stacks' environments (layout `shared`): delete removes the
   * service's instance from this environment (`isDeleted`), where the isolated layout resets what
   * it set and lets the service's own delete remove the rest.
   */
  sharedProject?: boolean;
  /**
   * While a stack adopts an existing project (`project.adopt`): the names to find this instance
   * by before its ids are known, so that `pulumi preview` can say what adopting will change.
   * Metadata: not sent to Railway.
   */
  adopting?: { projectName: string; environmentName: string };
  /**
   * A change of variables only is applied with Railway's `skipDeploys`: nothing redeploys (the
   * running deployment keeps the old values until the next one) and nothing waits. @default false
   */
  skipDeploysOnVariableChange?: boolean;
}

export interface EnvironmentInputs {
  projectId: string;
  /** Environment name, unique in the project (`dev`, `preview`, `production`, `pr-7`). */
  name: string;
  /** Railway deletes ephemeral environments with their pull request; PR environments are. */
  ephemeral: boolean;
  /**
   * Fork this environment from the one of this name (its services, volumes, variables and
   * settings are copied; later project-level changes elsewhere no longer reach it). Absent: a
   * plain environment, which Railway's project-level service creates and deletes reach.
   */
  sourceEnvironmentName?: string;
  /** Stack that owns the environment (metadata for policies). */
  stack: string;
  tier: Tier;
}

export interface EnvironmentOutputs extends EnvironmentInputs {
  environmentId: string;
  /** The environment of `sourceEnvironmentName`, when forked. */
  sourceEnvironmentId?: string;
  /**
   * Whether this stack created the environment. Only an environment the stack created is deleted
   * by `pulumi destroy`; an adopted one (or one another stack made) stays.
   */
  created: boolean;
}

export interface SharedVariablesInputs {
  projectId: string;
  environmentId: string;
  /** Plain values and Railway reference variables. */
  variables: Record<string, string>;
  /** Values that are Pulumi secrets end to end. */
  secretVariables: Record<string, string>;
  /** Names of `variables` declared not secret (`{ notSecret: <value> }`), for the secrets policy only. */
  notSecretVariables?: string[];
  tier: Tier;
}

export type SharedVariablesOutputs = SharedVariablesInputs;

/**
 * Railway's own usage limit of a workspace (`usageLimitSet`): Railway emails at the soft limit and
 * takes the workspace's services down at the hard one. Workspace-wide: every project of the
 * workspace, and so every stack in it, shares the one limit.
 */
export interface UsageLimitInputs {
  workspaceId: string;
  /** Whole US dollars per month at which Railway warns (≥ 1). */
  softLimitUsd: number;
  /** Whole US dollars per month at which Railway stops the workspace's services (≥ soft). */
  hardLimitUsd?: number;
  /** Stack that declares the limit (metadata for policies). */
  stack: string;
}

export interface UsageLimitOutputs extends UsageLimitInputs {
  /** The workspace's customer, which the limit belongs to. */
  customerId: string;
  /** Whether the workspace's usage is over the limit, as last read. */
  isOverLimit: boolean;
}

/** One DNS record to create at the DNS provider for a custom domain. */
export interface DnsRecord {
  /** The custom domain it is for. */
  domain: string;
  /** `CNAME`, `TXT` (or `A`/`AAAA`/`NS`/`MX` should Railway ever ask for them). */
  type: string;
  /** Fully qualified record name, e.g. `api.acme.com` or `_railway-verify.api.acme.com`. */
  name: string;
  /** Record content, e.g. `abcd1234.up.railway.app` or `railway-verify=...`. */
  value: string;
}

export interface ServiceInstanceOutputs extends ServiceInstanceInputs {
  /** Generated Railway domain, e.g. `api-production-1a2b.up.railway.app`, when requested. */
  railwayDomain?: string;
  /** `<service>.railway.internal`. */
  privateDomain: string;
  tcpProxies: { domain: string; proxyPort: number; applicationPort: number }[];
  /**
   * DNS records the custom domains need at the user's DNS provider: per domain its routing record
   * (CNAME to Railway) and its ownership-verification TXT record. Empty without custom domains.
   */
  dnsRecords?: DnsRecord[];
  /** Id returned by the last environment patch commit that changed this instance. */
  lastCommitId: string;
  /** The deployment the last change started, as last seen (when `deployWait` is set). */
  lastDeployment?: { id: string; status: string };
}
