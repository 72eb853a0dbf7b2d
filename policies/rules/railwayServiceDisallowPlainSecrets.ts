import type { ResourceValidationPolicy } from "@pulumi/policy";
import { serviceLabel, settingViolation } from "../lib/messages";
import { serviceInstanceProps } from "../lib/resources";
import { stackOfResource } from "../lib/stack";
import { configOf, isReference, knownStringEntries, REFERENCE } from "../lib/values";

/** Variable names that hold credentials. */
export const SECRET_KEY = /PASSWORD|SECRET|TOKEN|API_KEY|APIKEY|PRIVATE_KEY|DSN|CREDENTIAL/i;

const REFERENCE_MARK = "\u0001";
/** `scheme://user:password@` anywhere in a value (references replaced by REFERENCE_MARK first). */
const URL_USERINFO = /[a-z][a-z0-9+.-]*:\/\/([^\s/?#@]*)@/gi;

/** The literal password in a URL's userinfo, if any (a password made of references is none). */
export function literalUrlPassword(value: string): string | undefined {
  const marked = value.replace(REFERENCE, REFERENCE_MARK);
  for (const match of marked.matchAll(URL_USERINFO)) {
    const userinfo = match[1];
    const colon = userinfo.indexOf(":");
    const password = colon < 0 ? "" : userinfo.slice(colon + 1);
    // REFERENCE_MARK (\u0001) stands in for each `${{...}}` reference.
    // eslint-disable-next-line no-control-regex
    if (password !== "" && !/^\u0001+$/.test(password)) {
      return password;
    }
  }
  return undefined;
}

interface Config {
  allowedKeys: string[];
}

const DEFAULTS: Config = { allowedKeys: [] };

/**
 * Plain variables end up in Railway's dashboard, in deployment logs and unencrypted in Pulumi state;
 * credentials belong in `secretVariables` (Pulumi secrets end to end) or behind a Railway reference.
 * @severity critical
 */
export const railwayServiceDisallowPlainSecrets: ResourceValidationPolicy = {
  name: "railway-service-disallow-plain-secrets",
  description:
    "Checks that no plain variable holds a credential. Secret-looking names and URLs with a password must be secret variables or Railway references, in every stack.",
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
    const props = serviceInstanceProps(args);
    const stack = stackOfResource(args);
    const { allowedKeys } = configOf(args, DEFAULTS);
    for (const [key, value] of knownStringEntries(() => props.variables)) {
      if (allowedKeys.includes(key) || value.trim() === "") {
        continue;
      }
      const problem =
        SECRET_KEY.test(key) && !isReference(value)
          ? "looks like a secret but is a plain value"
          : literalUrlPassword(value) !== undefined
            ? "is a URL with a plain password"
            : undefined;
      if (problem !== undefined) {
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
    }
  },
};
