/**
 * What every data service is made of: a Service, a Volume for its state, and a ServiceInstance
 * with a pinned image and no public networking unless asked. Postgres, Redis and NATS differ
 * only in their image, command, variables and mount path.
 */
import * as pulumi from "@pulumi/pulumi";
import { Service } from "../resources/service";
import { ServiceInstance } from "../resources/service-instance";
import { Volume } from "../resources/volume";
import type { BackupSchedule, ServiceRole, Tier } from "../domain/types";
import { deployLimits, protectData, type ProjectRef, type ResourceLimits } from "./shared";

export interface DataServiceSpec {
  project: ProjectRef;
  tier: Tier;
  role: Exclude<ServiceRole, "app">;
  serviceName: string;
  image: string;
  startCommand?: string;
  mountPath: string;
  volumeSizeMB: number;
  backupSchedules: BackupSchedule[];
  port: number;
  publicProxy: boolean;
  limits?: ResourceLimits;
  variables: Record<string, pulumi.Input<string>>;
  secretVariables: Record<string, pulumi.Input<string>>;
}

export interface DataServiceParts {
  service: Service;
  volume: Volume;
  instance: ServiceInstance;
}

/** Declares the parts under `parent`, names derived from `name`. */
export function declareDataService(
  name: string,
  spec: DataServiceSpec,
  parent: pulumi.Resource,
): DataServiceParts {
  const protect = protectData(spec.tier);
  const service = new Service(
    `${name}-service`,
    {
      projectId: spec.project.projectId,
      name: spec.serviceName,
      role: spec.role,
      adoptExisting: spec.project.adoptExisting,
    },
    { parent, protect },
  );
  const volume = new Volume(
    `${name}-volume`,
    {
      projectId: spec.project.projectId,
      environmentId: spec.project.environmentId,
      serviceId: service.serviceId,
      name: `${spec.serviceName}-data`,
      mountPath: spec.mountPath,
      sizeMB: spec.volumeSizeMB,
      backupSchedules: spec.backupSchedules,
      adoptExisting: spec.project.adoptExisting,
    },
    { parent, protect },
  );
  spec.project.volumes?.add(volume);
  const instance = new ServiceInstance(
    `${name}-instance`,
    {
      projectId: spec.project.projectId,
      environmentId: spec.project.environmentId,
      serviceId: service.serviceId,
      serviceName: spec.serviceName,
      role: spec.role,
      tier: spec.tier,
      source: { image: spec.image },
      deploy: {
        startCommand: spec.startCommand,
        // Stateful: one replica, restarted on failure; a volume cannot be shared by replicas.
        numReplicas: 1,
        restartPolicyType: "ON_FAILURE",
        restartPolicyMaxRetries: 10,
        ...deployLimits(spec.limits),
      },
      variables: spec.variables,
      secretVariables: spec.secretVariables,
      networking: { customDomains: {}, tcpProxyPorts: spec.publicProxy ? [spec.port] : [] },
    },
    // The volume must be mounted before the first deployment starts the database; with a barrier,
    // after all the environment's volumes (its own among them), so all instances commit together.
    {
      parent,
      protect,
      dependsOn: spec.project.volumes ? spec.project.volumes.all : [volume],
    },
  );
  return { service, volume, instance };
}
