import * as pulumi from "@pulumi/pulumi";
import { RailwayResource } from "./railway-resource";
import {
  RAILWAY_MODULE,
  TYPE_NAMES,
  type DeployWaitInputs,
  type DnsRecord,
  type ServiceBuildInputs,
  type ServiceDeployInputs,
  type ServiceNetworkingInputs,
  type ServiceRole,
  type ServiceSourceInputs,
  type Tier,
} from "../domain/types";

type Inputs<T> = { [K in keyof T]: pulumi.Input<T[K]> };

export interface ServiceInstanceArgs {
  projectId: pulumi.Input<string>;
  environmentId: pulumi.Input<string>;
  serviceId: pulumi.Input<string>;
  serviceName: pulumi.Input<string>;
  role: pulumi.Input<ServiceRole>;
  tier: pulumi.Input<Tier>;
  source: pulumi.Input<Inputs<ServiceSourceInputs>>;
  /** @default {} (Railpack) */
  build?: pulumi.Input<Inputs<ServiceBuildInputs>>;
  /** @default {} (Railway's defaults) */
  deploy?: pulumi.Input<Inputs<ServiceDeployInputs>>;
  /** Plain values and Railway references. @default {} */
  variables?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** Secret values; always stored encrypted. @default {} */
  secretVariables?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** Names of `variables` declared not secret (for the secrets policy only). @default none */
  notSecretVariables?: string[];
  /** @default no public networking */
  networking?: pulumi.Input<Inputs<ServiceNetworkingInputs>>;
  /** Wait for the deployment each change starts, failing the update unless it succeeds. @default no wait */
  deployWait?: pulumi.Input<Inputs<DeployWaitInputs>>;
  /** Apply a change of variables only without redeploying. @default false */
  skipDeploysOnVariableChange?: pulumi.Input<boolean>;
  /**
   * Remove the variables and settings the service has in Railway that these args do not declare.
   * @default false: they are kept
   */
  removeUndeclared?: boolean;
  /** The project is shared by several stacks' environments (layout `shared`). @default false */
  sharedProject?: boolean;
  /** While adopting: names that find the instance before its ids are known (preview reports). */
  adopting?: { projectName: string; environmentName: string };
}

/**
 * Everything one service has in one environment, applied as one environment-config patch per
 * update. Import id: `<environmentId>:<serviceId>`.
 */
export class ServiceInstance extends RailwayResource {
  declare readonly railwayDomain: pulumi.Output<string | undefined>;
  declare readonly privateDomain: pulumi.Output<string>;
  declare readonly tcpProxies: pulumi.Output<
    { domain: string; proxyPort: number; applicationPort: number }[]
  >;
  /** Records the custom domains need at the DNS provider (CNAME and verification TXT). */
  declare readonly dnsRecords: pulumi.Output<DnsRecord[] | undefined>;
  declare readonly lastCommitId: pulumi.Output<string>;
  declare readonly lastDeployment: pulumi.Output<{ id: string; status: string } | undefined>;
  declare readonly secretVariables: pulumi.Output<Record<string, string>>;

  constructor(name: string, args: ServiceInstanceArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      {
        module: "providers/service-instance",
        exportName: "serviceInstanceProvider",
      },
      name,
      {
        projectId: args.projectId,
        environmentId: args.environmentId,
        serviceId: args.serviceId,
        serviceName: args.serviceName,
        role: args.role,
        tier: args.tier,
        source: args.source,
        build: args.build ?? {},
        deploy: args.deploy ?? {},
        variables: args.variables ?? {},
        secretVariables: args.secretVariables ?? {},
        ...(args.notSecretVariables?.length ? { notSecretVariables: args.notSecretVariables } : {}),
        networking: args.networking ?? { customDomains: {}, tcpProxyPorts: [] },
        deployWait: args.deployWait,
        skipDeploysOnVariableChange: args.skipDeploysOnVariableChange ?? false,
        // Absent unless set, so the state of stacks that never set them does not change.
        ...(args.removeUndeclared ? { removeUndeclared: true } : {}),
        ...(args.sharedProject ? { sharedProject: true } : {}),
        ...(args.adopting ? { adopting: args.adopting } : {}),
        railwayDomain: undefined,
        privateDomain: undefined,
        tcpProxies: undefined,
        dnsRecords: undefined,
        lastCommitId: undefined,
        lastDeployment: undefined,
      },
      pulumi.mergeOptions(opts, { additionalSecretOutputs: ["secretVariables"] }),
      RAILWAY_MODULE,
      TYPE_NAMES.serviceInstance,
    );
  }
}
