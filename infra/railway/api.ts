/**
 * Typed Railway operations on top of the client: one method per GraphQL document, each declaring
 * whether it is safe to repeat and how a create that may already have happened is found again.
 */
import { RailwayClient, writesSent } from "./client";
import { isNotFound, RailwayApiError } from "./errors";
import { deployment, environment, project, service, volume, workspace } from "./operations";
import type { EnvironmentConfig } from "./environment-config";
import { knowEnvironments, knowNewEnvironment, knowNoServices } from "./known";

interface Connection<T> {
  edges: { node: T }[];
}
const nodes = <T>(connection: Connection<T>): T[] => connection.edges.map((edge) => edge.node);

export interface ProjectRecord {
  id: string;
  name: string;
  description: string | null;
  prDeploys: boolean;
  workspaceId: string | null;
  environments: EnvironmentRecord[];
}

export interface ServiceRecord {
  id: string;
  name: string;
  projectId: string;
  icon: string | null;
}

export interface EnvironmentConfigRecord {
  id: string;
  name: string;
  projectId: string;
  configEtag: string;
  config: EnvironmentConfig;
}

export interface EnvironmentRecord {
  id: string;
  name: string;
  isEphemeral: boolean;
  /** Set for a fork: the environment it was created from. */
  sourceEnvironmentId: string | null;
}

export interface DomainRecord {
  id: string;
  domain: string;
  targetPort: number | null;
}

/** A custom domain's DNS status as `domains { customDomains { status } }` returns it. */
export interface CustomDomainDnsRecord {
  id: string;
  domain: string;
  status: {
    verificationDnsHost: string | null;
    verificationToken: string | null;
    /** `recordType` is Railway's enum, e.g. `DNS_RECORD_TYPE_CNAME`. */
    dnsRecords: { fqdn: string; recordType: string; requiredValue: string }[];
  };
}

export interface TcpProxyRecord {
  id: string;
  domain: string;
  proxyPort: number;
  applicationPort: number;
}

export interface VolumeInstanceRecord {
  id: string;
  volumeId: string;
  serviceId: string | null;
  mountPath: string;
  sizeMB: number;
  volume: { id: string; name: string };
}

/** A project found by name, with its environments' ids and names. */
export type FoundProject = Pick<ProjectRecord, "id" | "name" | "environments">;

/** A volume instance as `volumeCreate` answers it (it names its environment). */
type RawVolumeInstance = Omit<VolumeInstanceRecord, "volume"> & { environmentId: string };

/** A volume, and its instance in the environment asked about when the answer carried it. */
export interface VolumeRecord {
  id: string;
  name: string;
  instance?: VolumeInstanceRecord;
}

/** Among an environment's volume instances, the volume mounted at `mountPath` of the service. */
export function volumeMountedAt(
  instances: VolumeInstanceRecord[] | undefined,
  at: { serviceId: string; mountPath: string },
): VolumeRecord | undefined {
  const instance = instances?.find(
    (i) => i.serviceId === at.serviceId && i.mountPath === at.mountPath,
  );
  return instance && { ...instance.volume, instance };
}

/** An environment as Railway's documents select it. */
interface RawEnvironment {
  id: string;
  name: string;
  isEphemeral: boolean;
  sourceEnvironment: { id: string } | null;
}
const toEnvironment = (raw: RawEnvironment): EnvironmentRecord => ({
  id: raw.id,
  name: raw.name,
  isEphemeral: raw.isEphemeral,
  sourceEnvironmentId: raw.sourceEnvironment?.id ?? null,
});

type RawProject = Omit<ProjectRecord, "environments"> & {
  environments: Connection<RawEnvironment>;
};
/** The project as Railway answered; its environments are kept for this process's creates. */
const toProject = (raw: RawProject): ProjectRecord => {
  const record = { ...raw, environments: nodes(raw.environments).map(toEnvironment) };
  knowEnvironments(record.id, record.environments);
  return record;
};

/** A workspace's customer (who is billed) and its usage limit, in whole dollars. */
export interface WorkspaceUsageLimitRecord {
  workspaceId: string;
  customerId: string;
  /** Absent when the workspace has no usage limit. */
  usageLimit?: {
    id: string;
    softLimit: number;
    hardLimit: number | null;
    isOverLimit: boolean;
  };
}

export interface DeploymentRecord {
  id: string;
  status: string;
  createdAt: string;
  meta: { patchId?: string } | null;
}

/** A deployment in an environment-wide listing: also says which service it deploys. */
export interface EnvironmentDeploymentRecord extends DeploymentRecord {
  serviceId: string;
}

export interface LogLine {
  message: string;
  severity: string | null;
  timestamp: string;
}

/** Returns undefined instead of throwing when Railway says the object does not exist. */
async function orUndefined<T>(promise: Promise<T>): Promise<T | undefined> {
  try {
    return await promise;
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/**
 * Runs a create; when Railway refuses it as a conflict (the object exists), returns the existing
 * object instead, if `find` finds it. Other errors, and conflicts with nothing to adopt, stand.
 */
async function adoptOnConflict<T>(
  create: () => Promise<T>,
  find: () => Promise<T | undefined>,
): Promise<T> {
  try {
    return await create();
  } catch (error) {
    if (!(error instanceof RailwayApiError) || !CONFLICT.test(error.message)) throw error;
    const existing = await find();
    if (existing === undefined) throw error;
    return existing;
  }
}

const CONFLICT = /already exists|already in use|only have one volume/i;

/** Treats "not found" as success: the object is already gone. */
async function ignoreNotFound(promise: Promise<unknown>): Promise<void> {
  await orUndefined(promise);
}

/**
 * Reads in flight, by document and variables. The engine runs a stack's operations concurrently
 * in one provider process, and several of them often need the same read at the same moment (every
 * volume of a fork looks at the project's environments; every service of a PR being deleted
 * checks which environments still use it): they share one request instead of making one each
 * (Railway counts calls). Only while the request is in flight, so nothing is served stale. Used
 * only for the reads of the shared layout's deletes and forks: elsewhere the number of calls an
 * up makes must not depend on timing (tests/e2e/faults.test.ts compares it across latencies).
 */
const readsInFlight = new Map<string, Promise<unknown>>();

function sharedRead<T>(key: string, read: () => Promise<T>): Promise<T> {
  const pending = readsInFlight.get(key) as Promise<T> | undefined;
  if (pending) return pending;
  const started = read().finally(() => readsInFlight.delete(key));
  readsInFlight.set(key, started);
  return started;
}

export class RailwayApi {
  constructor(readonly client: RailwayClient) {}

  static fromEnvironment(): RailwayApi {
    return new RailwayApi(RailwayClient.fromEnvironment());
  }

  // Projects --------------------------------------------------------------------------------

  async getProject(id: string): Promise<ProjectRecord | undefined> {
    const data = await orUndefined(
      this.client.request<{ project: RawProject }>(project.ProjectGet, { id }),
    );
    return data && toProject(data.project);
  }

  /**
   * Every project the token can see whose name (and description, when given) match exactly. With
   * a description the projects had to be read in full to compare it, and are returned in full.
   */
  async findProjects(match: { name: string }, workspaceId?: string): Promise<FoundProject[]>;
  async findProjects(
    match: { name: string; description: string },
    workspaceId?: string,
  ): Promise<ProjectRecord[]>;
  async findProjects(
    match: { name: string; description?: string },
    workspaceId?: string,
  ): Promise<FoundProject[]> {
    const found: FoundProject[] = [];
    let after: string | undefined;
    for (;;) {
      const data = await this.client.request<{
        projects: Connection<Pick<RawProject, "id" | "name" | "environments">> & {
          pageInfo: { hasNextPage: boolean; endCursor: string | null };
        };
      }>(project.ProjectsList, { workspaceId, first: 100, after });
      found.push(
        ...nodes(data.projects)
          .filter((p) => p.name === match.name)
          .map((p) => {
            const environments = nodes(p.environments).map(toEnvironment);
            knowEnvironments(p.id, environments);
            return { id: p.id, name: p.name, environments };
          }),
      );
      if (!data.projects.pageInfo.hasNextPage || !data.projects.pageInfo.endCursor) break;
      after = data.projects.pageInfo.endCursor;
    }
    if (match.description === undefined) return found;
    const detailed = await Promise.all(found.map((p) => this.getProject(p.id)));
    return detailed.filter(
      (p): p is ProjectRecord => p !== undefined && (p.description ?? "") === match.description,
    );
  }

  /**
   * Adopts the one project named `name` (any description). Fails when there is none or several:
   * adopting by name must be unambiguous.
   */
  async adoptProject(name: string, workspaceId?: string): Promise<ProjectRecord> {
    const found = await this.findProjects({ name }, workspaceId);
    if (found.length !== 1) {
      throw new Error(
        `cannot adopt Railway project "${name}": ${found.length === 0 ? "no project has that name" : `${found.length} projects have that name`}. Fix: set project.name to the exact name of one existing project, or remove project.adopt.`,
      );
    }
    const record = await this.getProject(found[0]!.id);
    if (!record)
      throw new Error(`Railway project ${found[0]!.id} disappeared while being adopted.`);
    return record;
  }

  async createProject(input: {
    name: string;
    description: string;
    workspaceId?: string;
    defaultEnvironmentName: string;
    /** The caller has just looked for projects of this name and found none. @default false */
    noneOfTheName?: boolean;
  }): Promise<ProjectRecord> {
    // Project names are not unique in Railway, so a project this stack created in a run that was
    // interrupted before Pulumi recorded it can only be found by name and the stack's own
    // description: look before creating, so a rerun adopts it instead of making a second one.
    const [leftover] = input.noneOfTheName
      ? []
      : await this.findProjects(
          { name: input.name, description: input.description },
          input.workspaceId,
        );
    if (leftover) return leftover;
    let recovered = false;
    const data = await this.client.request<{ projectCreate: RawProject }>(
      project.ProjectCreate,
      {
        input: {
          name: input.name,
          description: input.description,
          workspaceId: input.workspaceId,
          defaultEnvironmentName: input.defaultEnvironmentName,
          prDeploys: false,
        },
      },
      {
        kind: "create",
        recover: async () => {
          const [existing] = await this.findProjects(
            { name: input.name, description: input.description },
            input.workspaceId,
          );
          // Already read in full by findProjects: no second ProjectGet.
          if (!existing) return undefined;
          recovered = true;
          const edges = existing.environments.map(({ sourceEnvironmentId, ...env }) => ({
            node: {
              ...env,
              sourceEnvironment: sourceEnvironmentId ? { id: sourceEnvironmentId } : null,
            },
          }));
          return { projectCreate: { ...existing, environments: { edges } } };
        },
      },
    );
    const created = toProject(data.projectCreate);
    // A project this call made has no services: the services' creates need not list them.
    if (!recovered) knowNoServices(created.id);
    return created;
  }

  async updateProject(
    id: string,
    input: { name: string; description: string; prDeploys: boolean },
  ): Promise<ProjectRecord> {
    const data = await this.client.request<{ projectUpdate: RawProject }>(project.ProjectUpdate, {
      id,
      input: { name: input.name, description: input.description, prDeploys: input.prDeploys },
    });
    return toProject(data.projectUpdate);
  }

  async deleteProject(id: string): Promise<void> {
    await ignoreNotFound(this.client.request(project.ProjectDelete, { id }));
  }

  async renameEnvironment(id: string, name: string): Promise<void> {
    await this.client.request(environment.EnvironmentRename, { id, input: { name } });
  }

  // Environments ------------------------------------------------------------------------------

  async listEnvironments(projectId: string): Promise<EnvironmentRecord[]> {
    const data = await this.client.request<{ environments: Connection<RawEnvironment> }>(
      environment.ProjectEnvironments,
      { projectId },
    );
    return nodes(data.environments).map(toEnvironment);
  }

  /** The config of every environment of the project (variables encrypted). */
  async listEnvironmentConfigs(
    projectId: string,
  ): Promise<{ id: string; name: string; config: EnvironmentConfig }[]> {
    const data = await sharedRead(`ProjectEnvironmentConfigs ${projectId}`, () =>
      this.client.request<{
        environments: Connection<{ id: string; name: string; config: EnvironmentConfig }>;
      }>(environment.ProjectEnvironmentConfigs, { projectId }),
    );
    return nodes(data.environments);
  }

  async createEnvironment(input: {
    projectId: string;
    name: string;
    ephemeral: boolean;
    sourceEnvironmentId?: string;
  }): Promise<EnvironmentRecord> {
    // Names are unique per project: "already exists" means an interrupted run made it. Adopt it.
    const find = async () =>
      (await this.listEnvironments(input.projectId)).find((env) => env.name === input.name);
    return adoptOnConflict(async () => {
      const writesBefore = writesSent();
      const data = await this.client.request<{
        environmentCreate: Pick<EnvironmentRecord, "id" | "name" | "isEphemeral"> &
          Partial<Omit<EnvironmentConfigRecord, "id" | "name">> & {
            volumeInstances?: Connection<VolumeInstanceRecord>;
          };
      }>(
        environment.EnvironmentCreate,
        {
          input: {
            projectId: input.projectId,
            name: input.name,
            ephemeral: input.ephemeral,
            sourceEnvironmentId: input.sourceEnvironmentId,
            // The copy's deployments would be replaced at once by the stack's own patches.
            skipInitialDeploys: input.sourceEnvironmentId === undefined ? undefined : true,
          },
        },
        {
          kind: "create",
          recover: async () => {
            const existing = await find();
            return existing ? { environmentCreate: existing } : undefined;
          },
        },
      );
      const { id, name, isEphemeral, projectId, configEtag, config, volumeInstances } =
        data.environmentCreate;
      const created = {
        id,
        name,
        isEphemeral,
        sourceEnvironmentId: input.sourceEnvironmentId ?? null,
      };
      // Created by this call (a recovered create answers without them): what the stack's first
      // patch and a fork's copies need is known.
      if (projectId !== undefined && configEtag !== undefined && config !== undefined) {
        knowNewEnvironment(
          created,
          { id, name, projectId, configEtag, config },
          volumeInstances ? nodes(volumeInstances) : [],
          writesBefore,
        );
      }
      return created;
    }, find);
  }

  async deleteEnvironment(id: string): Promise<void> {
    await ignoreNotFound(this.client.request(environment.EnvironmentDelete, { id }));
  }

  // Environment config ------------------------------------------------------------------------

  async getEnvironmentConfig(id: string): Promise<EnvironmentConfigRecord | undefined> {
    const data = await orUndefined(
      this.client.request<{ environment: EnvironmentConfigRecord }>(
        environment.EnvironmentConfigGet,
        { id },
      ),
    );
    return data?.environment;
  }

  /**
   * Commits one patch. Repeating the same patch is harmless (the merge is absolute), so it is
   * retried like a read.
   */
  async commitPatch(
    environmentId: string,
    patch: EnvironmentConfig,
    commitMessage: string,
  ): Promise<string> {
    const data = await this.client.request<{ environmentPatchCommit: string }>(
      environment.EnvironmentPatchCommit,
      { environmentId, patch, commitMessage },
    );
    return data.environmentPatchCommit;
  }

  /**
   * Sets (adds or changes) service variables without starting a deployment. Absolute values:
   * repeating it is harmless.
   */
  async upsertVariablesWithoutDeploy(input: {
    projectId: string;
    environmentId: string;
    serviceId: string;
    variables: Record<string, string>;
    /** The variables become exactly `variables` (how Railway removes some without deploying). */
    replace?: boolean;
  }): Promise<void> {
    await this.client.request(deployment.VariablesUpsertSkipDeploys, {
      ...input,
      replace: input.replace ?? false,
    });
  }

  // Deployments -------------------------------------------------------------------------------

  /** The newest `first` deployments of a service in an environment, newest first. */
  async listDeployments(
    environmentId: string,
    serviceId: string,
    first: number,
  ): Promise<DeploymentRecord[]> {
    const data = await this.client.request<{ deployments: Connection<DeploymentRecord> }>(
      deployment.DeploymentsOfService,
      { environmentId, serviceId, first },
    );
    return nodes(data.deployments);
  }

  /** The newest `first` deployments of the environment, of every service, newest first. */
  async listEnvironmentDeployments(
    environmentId: string,
    first: number,
  ): Promise<EnvironmentDeploymentRecord[]> {
    const data = await this.client.request<{
      deployments: Connection<EnvironmentDeploymentRecord>;
    }>(deployment.DeploymentsOfEnvironment, { environmentId, first });
    return nodes(data.deployments);
  }

  async getDeployment(id: string): Promise<{ id: string; status: string } | undefined> {
    const data = await orUndefined(
      this.client.request<{ deployment: { id: string; status: string } }>(
        deployment.DeploymentStatusGet,
        { id },
      ),
    );
    return data?.deployment;
  }

  /** The last `limit` lines of a deployment's build log. */
  async buildLogs(deploymentId: string, limit: number): Promise<LogLine[]> {
    const data = await this.client.request<{ buildLogs: LogLine[] }>(
      deployment.DeploymentBuildLogs,
      { deploymentId, limit },
    );
    return data.buildLogs;
  }

  /** The last `limit` lines of a deployment's deploy (runtime) log. */
  async deploymentLogs(deploymentId: string, limit: number): Promise<LogLine[]> {
    const data = await this.client.request<{ deploymentLogs: LogLine[] }>(
      deployment.DeploymentDeployLogs,
      { deploymentId, limit },
    );
    return data.deploymentLogs;
  }

  async listVolumeInstances(environmentId: string): Promise<VolumeInstanceRecord[] | undefined> {
    const data = await orUndefined(
      this.client.request<{
        environment: { volumeInstances: Connection<VolumeInstanceRecord> };
      }>(environment.EnvironmentVolumeInstances, { id: environmentId }),
    );
    return data && nodes(data.environment.volumeInstances);
  }

  // Services ----------------------------------------------------------------------------------

  async getService(id: string): Promise<ServiceRecord | undefined> {
    const data = await orUndefined(
      this.client.request<{ service: ServiceRecord }>(service.ServiceGet, { id }),
    );
    return data?.service;
  }

  async listServices(projectId: string): Promise<ServiceRecord[]> {
    const data = await this.client.request<{
      project: { services: Connection<ServiceRecord> };
    }>(service.ProjectServices, { id: projectId });
    return nodes(data.project.services);
  }

  /** The project's service called `name`, if any. */
  async findService(projectId: string, name: string): Promise<ServiceRecord | undefined> {
    const existing = (await this.listServices(projectId)).find((s) => s.name === name);
    return existing && (await this.getService(existing.id));
  }

  async createService(input: {
    projectId: string;
    name: string;
    icon?: string;
    /** Where to create it: a fork gets it alone; otherwise every environment that is not a fork. */
    environmentId?: string;
  }): Promise<ServiceRecord & { created?: true }> {
    // Names are unique per project: "already exists" means an interrupted run made it. Adopt it.
    return adoptOnConflict(
      () => this.createServiceOnce(input),
      () => this.findService(input.projectId, input.name),
    );
  }

  private async createServiceOnce(input: {
    projectId: string;
    name: string;
    icon?: string;
    environmentId?: string;
  }): Promise<ServiceRecord & { created?: true }> {
    // `created` only when this call made it (then it has its instances): not when a lost answer
    // was recovered by looking it up.
    let recovered = false;
    const data = await this.client.request<{ serviceCreate: ServiceRecord }>(
      service.ServiceCreate,
      {
        input: {
          projectId: input.projectId,
          name: input.name,
          icon: input.icon,
          environmentId: input.environmentId,
        },
      },
      {
        kind: "create",
        recover: async () => {
          recovered = true;
          const record = await this.findService(input.projectId, input.name);
          return record ? { serviceCreate: record } : undefined;
        },
      },
    );
    return recovered ? data.serviceCreate : { ...data.serviceCreate, created: true };
  }

  async updateService(id: string, input: { name: string; icon?: string }): Promise<ServiceRecord> {
    const data = await this.client.request<{ serviceUpdate: ServiceRecord }>(
      service.ServiceUpdate,
      {
        id,
        // null clears an icon that was removed (an omitted field leaves it as it is).
        input: { name: input.name, icon: input.icon ?? null },
      },
    );
    return data.serviceUpdate;
  }

  async deleteService(id: string): Promise<void> {
    await ignoreNotFound(this.client.request(service.ServiceDelete, { id }));
  }

  // Domains -----------------------------------------------------------------------------------

  async getDomains(
    environmentId: string,
    projectId: string,
    serviceId: string,
  ): Promise<{ serviceDomains: DomainRecord[]; customDomains: DomainRecord[] }> {
    const data = await this.client.request<{
      domains: { serviceDomains: DomainRecord[]; customDomains: DomainRecord[] };
    }>(service.ServiceDomainsGet, { environmentId, projectId, serviceId });
    return data.domains;
  }

  async createServiceDomain(input: {
    environmentId: string;
    projectId: string;
    serviceId: string;
    targetPort: number;
  }): Promise<DomainRecord> {
    const data = await this.client.request<{ serviceDomainCreate: DomainRecord }>(
      service.ServiceDomainCreate,
      {
        input: {
          environmentId: input.environmentId,
          serviceId: input.serviceId,
          targetPort: input.targetPort,
        },
      },
      {
        kind: "create",
        recover: async () => {
          const { serviceDomains } = await this.getDomains(
            input.environmentId,
            input.projectId,
            input.serviceId,
          );
          return serviceDomains[0] ? { serviceDomainCreate: serviceDomains[0] } : undefined;
        },
      },
    );
    return data.serviceDomainCreate;
  }

  async updateServiceDomain(input: {
    id: string;
    domain: string;
    environmentId: string;
    serviceId: string;
    targetPort: number;
  }): Promise<void> {
    await this.client.request(service.ServiceDomainUpdate, {
      input: {
        serviceDomainId: input.id,
        domain: input.domain,
        environmentId: input.environmentId,
        serviceId: input.serviceId,
        targetPort: input.targetPort,
      },
    });
  }

  async deleteServiceDomain(id: string): Promise<void> {
    await ignoreNotFound(this.client.request(service.ServiceDomainDelete, { id }));
  }

  async getCustomDomainDns(
    environmentId: string,
    projectId: string,
    serviceId: string,
  ): Promise<CustomDomainDnsRecord[]> {
    const data = await this.client.request<{
      domains: { customDomains: CustomDomainDnsRecord[] };
    }>(service.CustomDomainDnsGet, { environmentId, projectId, serviceId });
    return data.domains.customDomains;
  }

  async getTcpProxies(environmentId: string, serviceId: string): Promise<TcpProxyRecord[]> {
    const data = await this.client.request<{ tcpProxies: TcpProxyRecord[] }>(
      service.TcpProxiesGet,
      { environmentId, serviceId },
    );
    return data.tcpProxies;
  }

  // Volumes -----------------------------------------------------------------------------------

  /** The volume mounted at `mountPath` of the service in the environment, if any. */
  async findVolume(input: {
    environmentId: string;
    serviceId: string;
    mountPath: string;
  }): Promise<VolumeRecord | undefined> {
    return volumeMountedAt(await this.listVolumeInstances(input.environmentId), input);
  }

  async createVolume(input: {
    projectId: string;
    environmentId: string;
    serviceId: string;
    mountPath: string;
  }): Promise<VolumeRecord> {
    // One volume per service: a conflict means an interrupted run mounted it already. Adopt it.
    return adoptOnConflict(
      () => this.createVolumeOnce(input),
      () => this.findVolume(input),
    );
  }

  private async createVolumeOnce(input: {
    projectId: string;
    environmentId: string;
    serviceId: string;
    mountPath: string;
  }): Promise<VolumeRecord> {
    const variables = {
      input: {
        projectId: input.projectId,
        environmentId: input.environmentId,
        serviceId: input.serviceId,
        mountPath: input.mountPath,
      },
    };
    const options = {
      kind: "create" as const,
      recover: async () => {
        const existing = await this.findVolume(input);
        return existing ? { volumeCreate: existing } : undefined;
      },
    };
    type Created = { id: string; name: string; volumeInstances?: Connection<RawVolumeInstance> };
    const send = async (document: string): Promise<Created> =>
      (await this.client.request<{ volumeCreate: Created }>(document, variables, options))
        .volumeCreate;
    let created: Created;
    try {
      created = await send(volume.VolumeCreate);
    } catch (error) {
      // Railway rejects a document naming a field it no longer has before running it.
      if (!/Cannot query field "volumeInstances"/.test(String((error as Error).message)))
        throw error;
      created = await send(volume.VolumeCreatePlain);
    }
    const raw = created.volumeInstances
      ? nodes(created.volumeInstances).find((i) => i.environmentId === input.environmentId)
      : undefined;
    const { volumeInstances: _instances, ...identity } = created;
    if (!raw) return identity;
    const { environmentId: _environment, ...instance } = raw;
    return {
      ...identity,
      instance: { ...instance, volume: { id: created.id, name: created.name } },
    };
  }

  async renameVolume(volumeId: string, name: string): Promise<void> {
    await this.client.request(volume.VolumeUpdate, { volumeId, input: { name } });
  }

  async deleteVolume(volumeId: string): Promise<void> {
    await ignoreNotFound(this.client.request(volume.VolumeDelete, { volumeId }));
  }

  // Workspace usage limit -------------------------------------------------------------------

  /** The workspace's customer and its usage limit; undefined when Railway has no such workspace. */
  async getWorkspaceUsageLimit(
    workspaceId: string,
  ): Promise<WorkspaceUsageLimitRecord | undefined> {
    const data = await orUndefined(
      this.client.request<{
        workspace: {
          id: string;
          customer: {
            id: string;
            usageLimit: NonNullable<WorkspaceUsageLimitRecord["usageLimit"]> | null;
          };
        };
      }>(workspace.WorkspaceUsageLimit, { workspaceId }),
    );
    if (!data) return undefined;
    const { customer } = data.workspace;
    return {
      workspaceId: data.workspace.id,
      customerId: customer.id,
      ...(customer.usageLimit ? { usageLimit: customer.usageLimit } : {}),
    };
  }

  /**
   * Sets the customer's usage limit, in whole dollars (no hard limit when `hardLimitDollars` is
   * absent). Absolute: repeating it is harmless, so it is retried like a read.
   */
  async setUsageLimit(input: {
    customerId: string;
    softLimitDollars: number;
    hardLimitDollars?: number;
  }): Promise<void> {
    await this.client.request(workspace.UsageLimitSet, {
      input: {
        customerId: input.customerId,
        softLimitDollars: input.softLimitDollars,
        ...(input.hardLimitDollars !== undefined
          ? { hardLimitDollars: input.hardLimitDollars }
          : {}),
      },
    });
  }

  /** Removes the customer's usage limit; a customer Railway no longer has counts as done. */
  async removeUsageLimit(customerId: string): Promise<void> {
    await ignoreNotFound(
      this.client.request(workspace.UsageLimitRemove, { input: { customerId } }),
    );
  }
}
