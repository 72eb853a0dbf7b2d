import type {
  ReportViolation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
} from "@pulumi/policy";
import {
  SECRET_LOOKING_NAME,
  findSecretInValue,
  isRailwayReference,
} from "../../infra/config/secret-values";
import { TYPE_TOKENS, type ServiceInstanceProps, type SharedVariablesProps } from "../lib/contract";
import { sharedVariableKey } from "../lib/keys";
import { serviceLabel, settingViolation, violation } from "../lib/messages";
import { stackOfResource } from "../lib/stack";
import { configOf, knownStringEntries, peek, UNKNOWN } from "../lib/values";

/** Variable names that hold credentials (shared with the config check). */
export const SECRET_KEY = SECRET_LOOKING_NAME;

/** Names the stack file declared not secret (`{ notSecret: <value> }`), when known. */
function declaredNotSecret(read: () => unknown): string[] {
  const names = peek(read);
  return names !== UNKNOWN && Array.isArray(names)
    ? names.filter((name): name is string => typeof name === "string")
    : [];
}

interface Config {
  allowedKeys: string[];
}

const DEFAULTS: Config = { allowedKeys: [] };

/** What is wrong with a plain variable, or undefined when it may stay plain. */
function plainSecretProblem(key: string, value: string): string | undefined {
  const found = findSecretInValue(value);
  return found?.rule === "url-password"
    ? "is a URL with a plain password"
    : found !== undefined
      ? `holds ${found.what} in a plain value (rule ${found.rule})`
      : SECRET_KEY.test(key) && !isRailwayReference(value)
        ? "looks like a secret but is a plain value"
        : undefined;
}

/** The plain variables that hold credentials: `[key, problem]`, skipping allowed names. */
function plainSecrets(
  args: ResourceValidationArgs,
  props: { variables?: unknown; notSecretVariables?: unknown },
): [string, string][] {
  const { allowedKeys } = configOf(args, DEFAULTS);
  const notSecret = declaredNotSecret(() => props.notSecretVariables);
  const found: [string, string][] = [];
  for (const [key, value] of knownStringEntries(
    () => props.variables as Record<string, string | undefined> | undefined,
  )) {
    if (allowedKeys.includes(key) || notSecret.includes(key) || value.trim() === "") continue;
    const problem = plainSecretProblem(key, value);
    if (problem !== undefined) found.push([key, problem]);
  }
  return found;
}

/** The environment's shared variables (`sharedVariables:` of the stack file). */
function judgeSharedVariables(args: ResourceValidationArgs, report: ReportViolation): void {
  const props = args.props as SharedVariablesProps;
  const stack = stackOfResource(args);
  for (const [key, problem] of plainSecrets(args, props)) {
    report(
      violation(
        stack,
        `Shared variable ${key} ${problem}; credentials must be secret variables or Railway references`,
        `set \`${sharedVariableKey(key)}\` to { secret: <configKey> } (pulumi config set --secret <configKey> <value>) or { ref: <service>.<VARIABLE> }`,
      ),
    );
  }
}

/**
 * Plain variables end up in Railway's dashboard, in deployment logs and unencrypted in Pulumi state;
 * credentials belong in `secretVariables` (Pulumi secrets end to end) or behind a Railway reference.
 * @severity critical
 */
export const railwayServiceDisallowPlainSecrets: ResourceValidationPolicy = {
  name: "railway-service-disallow-plain-secrets",
  description:
    "Checks that no plain variable (of a service, or shared by the environment) holds a credential. Secret-looking names, and values that are credentials whatever their name (URLs with a password or token, JWTs, PEM private keys, API keys of OpenAI, Anthropic, Stripe, GitHub, Slack, AWS, Google, Railway), must be secret variables or Railway references, in every stack.",
  configSchema: {
    properties: {
      allowedKeys: {
        type: "array",
        items: { type: "string" },
        default: DEFAULTS.allowedKeys,
        description: "Variable names that look like secrets but are not (e.g. TOKEN_TTL_SECONDS).",
      },
    },
  },
  enforcementLevel: "mandatory",
  severity: "critical",
  validateResource: (args, report) => {
    if (args.type === TYPE_TOKENS.sharedVariables) return judgeSharedVariables(args, report);
    if (args.type !== TYPE_TOKENS.serviceInstance) {
      return args.notApplicable(
        `Only judges ${TYPE_TOKENS.serviceInstance} and ${TYPE_TOKENS.sharedVariables}.`,
      );
    }
    const props = args.props as ServiceInstanceProps;
    const stack = stackOfResource(args);
    for (const [key, problem] of plainSecrets(args, props)) {
      report(
        settingViolation(
          stack,
          props,
          `variables.${key}`,
          `Variable ${key} of ${serviceLabel(props)} ${problem}; credentials must be secret variables or Railway references`,
          (k) =>
            `set \`${k}\` to { secret: <configKey> } (pulumi config set --secret <configKey> <value>) or { ref: <service>.<VARIABLE> }`,
          `move ${key} to secretVariables or make it a Railway reference`,
        ),
      );
    }
  },
};
