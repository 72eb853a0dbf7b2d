import * as pulumi from "@pulumi/pulumi";
import { RailwayResource } from "./railway-resource";
import { RAILWAY_MODULE, TYPE_NAMES, type ServiceRole } from "../domain/types";

export interface ServiceArgs {
  projectId: pulumi.Input<string>;
  /** Service name, unique in the project; used by reference variables (`${{name.VAR}}`). */
  name: pulumi.Input<string>;
  icon?: pulumi.Input<string>;
  /** What the service is for (data service or app); read by the policy pack. */
  role: pulumi.Input<ServiceRole>;
  /** Adopt the existing service of this name instead of creating one. @default false */
  adoptExisting?: pulumi.Input<boolean>;
  /**
   * Layout `shared`: the environment of the declaring stack. The service is adopted by name or
   * created there, and deleted from the project only when no other environment has it.
   */
  environmentId?: pulumi.Input<string>;
}

/** A Railway service's identity. Its settings per environment are a `ServiceInstance`. */
export class Service extends RailwayResource {
  declare readonly serviceId: pulumi.Output<string>;
  declare readonly name: pulumi.Output<string>;

  constructor(name: string, args: ServiceArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      { module: "providers/service", exportName: "serviceProvider" },
      name,
      {
        projectId: args.projectId,
        name: args.name,
        icon: args.icon,
        role: args.role,
        adoptExisting: args.adoptExisting,
        environmentId: args.environmentId,
        serviceId: undefined,
      },
      opts,
      RAILWAY_MODULE,
      TYPE_NAMES.service,
    );
  }
}
