/**
 * What every data service is made of: a Service, a Volume for its state, and a ServiceInstance
 * with a pinned image and no public networking unless asked. Postgres, Redis and NATS differ
 * only in their image, command, variables and mount path.
 */
import * as pulumi from "@pulumi/pulumi";
import { Service } from "../resources/service";
import { ServiceInstance } from "../resources/service-instance";
import { Volume } from "../resources/volume";
import type { DeployWaitConfig } from "../config/types";
import type { BackupSchedule, ServiceRole, Tier } from "../domain/types";
import {
  instanceDependsOn,
  deployLimits,
  instanceLayoutArgs,
  protectData,
  serviceIdentityArgs,
  volumeLayoutArgs,
  type ProjectRef,
  type ResourceLimits,
} from "./shared";

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
  /** Follow each deployment a change starts, and fail the update unless it serves. */
  deployWait: DeployWaitConfig;
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
      ...serviceIdentityArgs(spec.project),
      name: spec.serviceName,
      role: spec.role,
    },
    { parent, protect },
  );
  const volume = new Volume(
    `${name}-volume`,
    {
      ...volumeLayoutArgs(spec.project, spec.serviceName),
      serviceId: service.serviceId,
      mountPath: spec.mountPath,
      sizeMB: spec.volumeSizeMB,
      backupSchedules: spec.backupSchedules,
    },
    { parent, protect },
  );
  spec.project.volumes?.add(volume);
  const instance = new ServiceInstance(
    `${name}-instance`,
    {
      ...instanceLayoutArgs(spec.project),
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
      deployWait: spec.deployWait,
    },
    { parent, protect, dependsOn: instanceDependsOn(spec.project, [volume]) },
  );
  return { service, volume, instance };
}
