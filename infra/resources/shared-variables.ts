import * as pulumi from "@pulumi/pulumi";
import { RailwayResource } from "./railway-resource";
import { RAILWAY_MODULE, TYPE_NAMES, type Tier } from "../domain/types";

export interface SharedVariablesArgs {
  projectId: pulumi.Input<string>;
  environmentId: pulumi.Input<string>;
  /** Plain values and Railway references. @default {} */
  variables?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** Secret values; always stored encrypted. @default {} */
  secretVariables?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** Names of `variables` declared not secret (for the secrets policy only). @default none */
  notSecretVariables?: string[];
  tier: pulumi.Input<Tier>;
}

/**
 * The shared variables one environment declares (`${{shared.KEY}}` in service variables). Only
 * the declared keys are written, read and removed: the environment's other shared variables stay
 * as they are. Id: the environment id.
 */
export class SharedVariables extends RailwayResource {
  declare readonly environmentId: pulumi.Output<string>;
  declare readonly variables: pulumi.Output<Record<string, string>>;
  declare readonly secretVariables: pulumi.Output<Record<string, string>>;

  constructor(name: string, args: SharedVariablesArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      {
        module: "providers/shared-variables",
        exportName: "sharedVariablesProvider",
      },
      name,
      {
        projectId: args.projectId,
        environmentId: args.environmentId,
        variables: args.variables ?? {},
        secretVariables: args.secretVariables ?? {},
        ...(args.notSecretVariables?.length
          ? { notSecretVariables: [...args.notSecretVariables].sort() }
          : {}),
        tier: args.tier,
      },
      pulumi.mergeOptions(opts, { additionalSecretOutputs: ["secretVariables"] }),
      RAILWAY_MODULE,
      TYPE_NAMES.sharedVariables,
    );
  }
}
