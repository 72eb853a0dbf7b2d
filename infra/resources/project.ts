import * as pulumi from "@pulumi/pulumi";
import { RailwayResource } from "./railway-resource";
import { RAILWAY_MODULE, TYPE_NAMES, type Tier } from "../domain/types";

export interface ProjectArgs {
  /** Railway project name. */
  name: pulumi.Input<string>;
  /** @default "Managed by railway-stacks (stack <stack>)." */
  description?: pulumi.Input<string>;
  /** Workspace (team) id; without it Railway makes a temporary project. */
  workspaceId?: pulumi.Input<string>;
  /** Name of the project's default environment. */
  defaultEnvironmentName: pulumi.Input<string>;
  /** Stack that owns the project. */
  stack: pulumi.Input<string>;
  tier: pulumi.Input<Tier>;
  /** Adopt the existing project of this name instead of creating one. @default false */
  adoptExisting?: pulumi.Input<boolean>;
  /**
   * Shared by the environments of several stacks (layout `shared`): adopted by name when it
   * exists, created otherwise, never deleted by a stack. @default false
   */
  shared?: pulumi.Input<boolean>;
}

/**
 * A Railway project and its default environment. Id: the project id. An existing project is
 * adopted with `adoptExisting` (stack config `project.adopt: true`), since Node dynamic
 * resources cannot be imported with `pulumi import`.
 */
export class Project extends RailwayResource {
  declare readonly projectId: pulumi.Output<string>;
  declare readonly environmentId: pulumi.Output<string>;
  declare readonly name: pulumi.Output<string>;

  constructor(name: string, args: ProjectArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      { module: "providers/project", exportName: "projectProvider" },
      name,
      {
        name: args.name,
        description: args.description,
        workspaceId: args.workspaceId,
        defaultEnvironmentName: args.defaultEnvironmentName,
        prDeploys: false,
        stack: args.stack,
        tier: args.tier,
        adoptExisting: args.adoptExisting,
        shared: args.shared,
        projectId: undefined,
        environmentId: undefined,
      },
      opts,
      RAILWAY_MODULE,
      TYPE_NAMES.project,
    );
  }
}
