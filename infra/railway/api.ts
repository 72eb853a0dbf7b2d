/**
 * Typed Railway operations on top of the client: one method per GraphQL document, each declaring
 * whether it is safe to repeat and how a create that may already have happened is found again.
 */
import { RailwayClient } from "./client";
import { isNotFound } from "./errors";
import { environment, project, service, volume } from "./operations";
import type { EnvironmentConfig } from "./environment-config";

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
  environments: { id: string; name: string }[];
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

export interface DomainRecord {
  id: string;
  domain: string;
  targetPort: number | null;
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

type RawProject = Omit<ProjectRecord, "environments"> & {
  environments: Connection<{ id: string; name: string }>;
};
const toProject = (raw: RawProject): ProjectRecord => ({
  ...raw,
  environments: nodes(raw.environments),
});

/** Returns undefined instead of throwing when Railway says the object does not exist. */
async function orUndefined<T>(promise: Promise<T>): Promise<T | undefined> {
  try {
    return await promise;
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/** Treats "not found" as success: the object is already gone. */
async function ignoreNotFound(promise: Promise<unknown>): Promise<void> {
  await orUndefined(promise);
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

  /** Every project the token can see whose name and description match exactly. */
  async findProjects(
    match: { name: string; description?: string },
    workspaceId?: string,
  ): Promise<{ id: string; name: string }[]> {
    const found: { id: string; name: string }[] = [];
    let after: string | undefined;
    for (;;) {
      const data = await this.client.request<{
        projects: Connection<{ id: string; name: string }> & {
          pageInfo: { hasNextPage: boolean; endCursor: string | null };
        };
      }>(project.ProjectsList, { workspaceId, first: 100, after });
      found.push(...nodes(data.projects).filter((p) => p.name === match.name));
      if (!data.projects.pageInfo.hasNextPage || !data.projects.pageInfo.endCursor) break;
      after = data.projects.pageInfo.endCursor;
    }
    if (match.description === undefined) return found;
    const detailed = await Promise.all(found.map((p) => this.getProject(p.id)));
    return detailed
      .filter((p): p is ProjectRecord => p !== undefined && (p.description ?? "") === match.description)
      .map((p) => ({ id: p.id, name: p.name }));
  }

  async createProject(input: {
    name: string;
    description: string;
    workspaceId?: string;
    defaultEnvironmentName: string;
  }): Promise<ProjectRecord> {
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
          const record = existing && (await this.getProject(existing.id));
          return record ? { projectCreate: { ...record, environments: { edges: record.environments.map((node) => ({ node })) } } } : undefined;
        },
      },
    );
    return toProject(data.projectCreate);
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

  async listServices(projectId: string): Promise<{ id: string; name: string }[]> {
    const data = await this.client.request<{
      project: { services: Connection<{ id: string; name: string }> };
    }>(service.ProjectServices, { id: projectId });
    return nodes(data.project.services);
  }

  async createService(input: { projectId: string; name: string; icon?: string }): Promise<ServiceRecord> {
    const data = await this.client.request<{ serviceCreate: ServiceRecord }>(
      service.ServiceCreate,
      { input: { projectId: input.projectId, name: input.name, icon: input.icon } },
      {
        kind: "create",
        recover: async () => {
          const existing = (await this.listServices(input.projectId)).find(
            (s) => s.name === input.name,
          );
          const record = existing && (await this.getService(existing.id));
          return record ? { serviceCreate: record } : undefined;
        },
      },
    );
    return data.serviceCreate;
  }

  async updateService(id: string, input: { name: string; icon?: string }): Promise<ServiceRecord> {
    const data = await this.client.request<{ serviceUpdate: ServiceRecord }>(service.ServiceUpdate, {
      id,
      input: { name: input.name, icon: input.icon },
    });
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

  async getTcpProxies(environmentId: string, serviceId: string): Promise<TcpProxyRecord[]> {
    const data = await this.client.request<{ tcpProxies: TcpProxyRecord[] }>(
      service.TcpProxiesGet,
      { environmentId, serviceId },
    );
    return data.tcpProxies;
  }

  // Volumes -----------------------------------------------------------------------------------

  async createVolume(input: {
    projectId: string;
    environmentId: string;
    serviceId: string;
    mountPath: string;
  }): Promise<{ id: string; name: string }> {
    const data = await this.client.request<{ volumeCreate: { id: string; name: string } }>(
      volume.VolumeCreate,
      {
        input: {
          projectId: input.projectId,
          environmentId: input.environmentId,
          serviceId: input.serviceId,
          mountPath: input.mountPath,
        },
      },
      {
        kind: "create",
        recover: async () => {
          const instances = (await this.listVolumeInstances(input.environmentId)) ?? [];
          const existing = instances.find(
            (i) => i.serviceId === input.serviceId && i.mountPath === input.mountPath,
          );
          return existing ? { volumeCreate: existing.volume } : undefined;
        },
      },
    );
    return data.volumeCreate;
  }

  async renameVolume(volumeId: string, name: string): Promise<void> {
    await this.client.request(volume.VolumeUpdate, { volumeId, input: { name } });
  }

  async deleteVolume(volumeId: string): Promise<void> {
    await ignoreNotFound(this.client.request(volume.VolumeDelete, { volumeId }));
  }
}
