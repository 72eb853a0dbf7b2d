import * as pulumi from "@pulumi/pulumi";
import { RailwayResource } from "./railway-resource";
import { RAILWAY_MODULE, TYPE_NAMES } from "../domain/types";

export interface UsageLimitArgs {
  /** The workspace whose usage limit this is (`project.workspaceId`). */
  workspaceId: pulumi.Input<string>;
  /** Whole US dollars per month at which Railway warns (≥ 1). */
  softLimitUsd: pulumi.Input<number>;
  /** Whole US dollars per month at which Railway stops the workspace's services (≥ soft). */
  hardLimitUsd?: pulumi.Input<number>;
  /** Stack that declares the limit. */
  stack: pulumi.Input<string>;
}

/**
 * Railway's own usage limit of a workspace (`usageLimitSet`). Workspace-wide: every project of
 * the workspace, and so every stack in it, shares the one limit; `pulumi destroy` removes it. Id:
 * the workspace id.
 */
export class UsageLimit extends RailwayResource {
  declare readonly customerId: pulumi.Output<string>;
  declare readonly softLimitUsd: pulumi.Output<number>;
  declare readonly hardLimitUsd: pulumi.Output<number | undefined>;
  declare readonly isOverLimit: pulumi.Output<boolean>;

  constructor(name: string, args: UsageLimitArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      { module: "providers/usage-limit", exportName: "usageLimitProvider" },
      name,
      {
        workspaceId: args.workspaceId,
        softLimitUsd: args.softLimitUsd,
        hardLimitUsd: args.hardLimitUsd,
        stack: args.stack,
        customerId: undefined,
        isOverLimit: undefined,
      },
      opts,
      RAILWAY_MODULE,
      TYPE_NAMES.usageLimit,
    );
  }
}
