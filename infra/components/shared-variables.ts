/** The environment's shared variables (`sharedVariables:` of the stack file). */
import type * as pulumi from "@pulumi/pulumi";
import type { StackConfig } from "../config";
import type { Tier } from "../domain/types";
import { SharedVariables } from "../resources/shared-variables";
import { generatedSecret, sortVariables } from "./shared";

export interface SharedVariablesComponentArgs {
  projectId: pulumi.Input<string>;
  environmentId: pulumi.Input<string>;
  tier: Tier;
  /** The loaded config's `sharedVariables` (optional secrets that are not set left out). */
  variables: StackConfig["sharedVariables"];
}

/**
 * Declares the environment's shared variables as one `SharedVariables` resource (named
 * `<name>-shared-variables`, a child of `parent`), mapping each kind as app services do: plain
 * values and references (`${{service.VAR}}`, `${{shared.KEY}}`) as variables, secret config keys
 * and generated secrets (a RandomPassword `<name>-shared-<key>`) as secret variables. Declares
 * nothing and returns undefined when there are no shared variables.
 */
export function declareSharedVariables(
  name: string,
  args: SharedVariablesComponentArgs,
  parent: pulumi.Resource,
): SharedVariables | undefined {
  if (Object.keys(args.variables).length === 0) return undefined;
  const { variables, secretVariables, generatedSecrets, notSecretVariables } = sortVariables(
    args.variables,
  );
  for (const [key, { length }] of Object.entries(generatedSecrets)) {
    secretVariables[key] = generatedSecret(
      `${name}-shared-${key.toLowerCase().replaceAll("_", "-")}`,
      length,
      undefined,
      { parent },
    ).result;
  }
  return new SharedVariables(
    `${name}-shared-variables`,
    {
      projectId: args.projectId,
      environmentId: args.environmentId,
      variables,
      secretVariables,
      notSecretVariables,
      tier: args.tier,
    },
    { parent },
  );
}
