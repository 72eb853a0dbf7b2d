/**
 * One message shape for every rule: the rule, then the fix. `pulumi` prints the policy description
 * on the line above it.
 *
 *   <rule>. Fix: <action on a config key> in Pulumi.<stack>.yaml.
 *   <rule>. Fix: <action> in <the component that decides it>.      (no config key sets it)
 *
 * Keys are full config paths (`railway-stacks:app.services.api.replicas`, see ./keys.ts), the
 * syntax the config loader uses for its own errors and `pulumi config set --path` takes.
 */
import type { NamedService, Setting } from "./keys";
import { componentOf, keyOf, serviceName } from "./keys";
import type { StackInfo } from "./stack";

/** The message of a violation fixed in the stack's config file. */
export function violation(stack: StackInfo, rule: string, action: string): string {
  return configViolation(stack.name, rule, action);
}

/**
 * The message of a violation fixed in the config file of stack `stackName`, which may be another
 * stack's (a PR stack's environment is derived from Pulumi.preview.yaml).
 */
export function configViolation(stackName: string, rule: string, action: string): string {
  return `${rule}. Fix: ${action} in Pulumi.${stackName}.yaml.`;
}

/** The message of a violation whose fix is in code (no config key decides it). */
export function codeViolation(rule: string, action: string): string {
  return `${rule}. Fix: ${action}.`;
}

/**
 * The message for a service setting: the config key when one sets it, else the component.
 * `configAction` words the change of the key; `codeAction` the change in code.
 */
export function settingViolation(
  stack: StackInfo,
  props: NamedService,
  setting: Setting,
  rule: string,
  configAction: (key: string) => string,
  codeAction: string,
): string {
  const key = keyOf(props, setting);
  return key !== undefined
    ? violation(stack, rule, configAction(key))
    : codeViolation(rule, `${codeAction} in ${componentOf(props)}`);
}

/** How a message names a service: `service "api"`. */
export function serviceLabel(props: NamedService): string {
  return `service "${serviceName(props)}"`;
}
