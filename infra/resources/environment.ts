import * as pulumi from "@pulumi/pulumi";
import { RailwayResource } from "./railway-resource";
import { RAILWAY_MODULE, TYPE_NAMES, type Tier } from "../domain/types";

export interface EnvironmentArgs {
  projectId: pulumi.Input<string>;
  /** Environment name, unique in the project (`railway environment <name>`). */
  name: pulumi.Input<string>;
  /** An ephemeral environment (PR previews). @default false */
  ephemeral?: pulumi.Input<boolean>;
  /** Fork from the environment of this name (PR previews fork the preview environment). */
  sourceEnvironmentName?: pulumi.Input<string>;
  /** Stack that owns the environment. */
  stack: pulumi.Input<string>;
  tier: pulumi.Input<Tier>;
}

/**
 * The environment of the shared project that one stack owns (layout `shared`). An environment of
 * this name that exists already is adopted and is left in place by `pulumi destroy`; one the stack
 * creates is deleted with it. Id: the environment id.
 */
export class Environment extends RailwayResource {
  declare readonly environmentId: pulumi.Output<string>;
  declare readonly name: pulumi.Output<string>;
  /** Whether this stack created the environment (and so deletes it). */
  declare readonly created: pulumi.Output<boolean>;

  constructor(name: string, args: EnvironmentArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      { module: "providers/environment", exportName: "environmentProvider" },
      name,
      {
        projectId: args.projectId,
        name: args.name,
        ephemeral: args.ephemeral ?? false,
        sourceEnvironmentName: args.sourceEnvironmentName,
        stack: args.stack,
        tier: args.tier,
        environmentId: undefined,
        sourceEnvironmentId: undefined,
        created: undefined,
      },
      opts,
      RAILWAY_MODULE,
      TYPE_NAMES.environment,
    );
  }
}
