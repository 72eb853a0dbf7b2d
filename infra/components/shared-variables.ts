/** The environment's shared variables (`sharedVariables:` of the stack file). */
import type * as pulumi from "@pulumi/pulumi";
import type { StackConfig } from "../config";
import type { Tier } from "../domain/types";
import { SharedVariables } from "../resources/shared-variables";
import { generatedSecret, reference } from "./shared";

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
  const entries = Object.entries(args.variables);
  if (entries.length === 0) return undefined;
  const variables: Record<string, pulumi.Input<string>> = {};
  const secretVariables: Record<string, pulumi.Input<string>> = {};
  const notSecretVariables: string[] = [];
  for (const [key, value] of entries) {
    switch (value.kind) {
      case "plain":
        variables[key] = value.value;
        if (value.notSecret === true) notSecretVariables.push(key);
        break;
      case "reference":
        // `shared` renders as Railway's `${{shared.KEY}}`; a service by its Railway name.
        variables[key] = reference(value.service, value.variable);
        break;
      case "generated":
        secretVariables[key] = generatedSecret(
          `${name}-shared-${key.toLowerCase().replaceAll("_", "-")}`,
          value.length,
          undefined,
          { parent },
        ).result;
        break;
      case "secret":
        secretVariables[key] = value.value;
        break;
    }
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
