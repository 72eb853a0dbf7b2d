/**
 * How big a stack's config may get. The Pulumi CLI hands the whole stack config to the program
 * and to each policy pack in ONE environment variable, `PULUMI_CONFIG` (a JSON object of
 * key → value, object values JSON-encoded as strings). Linux caps one argument or environment
 * string at MAX_ARG_STRLEN = 32 pages = 131072 bytes, `NAME=value` and its NUL included; past it
 * `execve` fails with E2BIG: the program dies with "argument list too long" and
 * `pulumi preview --policy-pack` waits forever at "Loading policy packs...". The checks here run
 * before Pulumi does (`npm run config:check`, `npm start`, `npm run policy:check`, `npm run pr`).
 *
 * Measured with Pulumi 3.259 (README, "How big a stack can be"): the CLI writes each key as
 * `<project>:config:<name>` and adds the defaults `Pulumi.yaml` declares (`prBranch: ""`); with
 * those, a program whose PULUMI_CONFIG JSON is 131057 bytes starts and one of 131058 bytes fails
 * with E2BIG, exactly MAX_ARG_STRLEN less `PULUMI_CONFIG=` and the NUL.
 */
import { PR_BRANCH_CONFIG_KEY, PROJECT_NAME } from "./constants";
import { type ConfigIssue, yamlPath } from "./issues";

/** Linux `MAX_ARG_STRLEN`: the longest single argument or environment string `execve` takes. */
export const MAX_ARG_STRLEN = 131072;

/** The variable the CLI puts the config in (`NAME=` counts towards the limit). */
const ENV_NAME = "PULUMI_CONFIG";

/** The most bytes `PULUMI_CONFIG`'s JSON may have: the limit less `PULUMI_CONFIG=` and the NUL. */
export const MAX_PULUMI_CONFIG_BYTES = MAX_ARG_STRLEN - `${ENV_NAME}=`.length - 1;

/** Config defaults `Pulumi.yaml` declares; the CLI adds them to every stack's config. */
export const PROJECT_CONFIG_DEFAULTS: Readonly<Record<string, string>> = {
  [`${PROJECT_NAME}:${PR_BRANCH_CONFIG_KEY}`]: "",
};

/** `railway-stacks:app` as the CLI writes it into PULUMI_CONFIG: `railway-stacks:config:app`. */
function envKey(key: string): string {
  const colon = key.indexOf(":");
  return colon < 0
    ? `${PROJECT_NAME}:config:${key}`
    : `${key.slice(0, colon)}:config:${key.slice(colon + 1)}`;
}

/**
 * JSON as Go's encoding/json writes it (Pulumi is written in Go): `<`, `>`, `&`, U+2028 and
 * U+2029 escaped as `\u003c` etc., everything else as `JSON.stringify` does.
 */
function goJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

/**
 * Bytes of the `PULUMI_CONFIG` JSON the CLI will build from these config values (fully qualified
 * keys, plain values; secrets count with their plaintext, which the CLI decrypts into it).
 */
export function pulumiConfigBytes(config: Readonly<Record<string, unknown>>): number {
  const flat: Record<string, string> = {};
  for (const [key, value] of Object.entries({ ...PROJECT_CONFIG_DEFAULTS, ...config })) {
    flat[envKey(key)] = typeof value === "string" ? value : goJson(value);
  }
  return Buffer.byteLength(goJson(flat), "utf8");
}

/**
 * An issue when the stack's config will not fit in `PULUMI_CONFIG`. `config` holds every config
 * value by fully qualified key; `servicesCount` is said in the message.
 */
export function configSizeIssue(
  config: Readonly<Record<string, unknown>>,
  stackName: string,
  servicesCount?: number,
): ConfigIssue | undefined {
  const bytes = pulumiConfigBytes(config);
  if (bytes <= MAX_PULUMI_CONFIG_BYTES) return undefined;
  const services = servicesCount === undefined ? "" : ` (${servicesCount} app services)`;
  return {
    path: yamlPath([]),
    segments: [],
    problem: `of stack "${stackName}"${services} is ${bytes} bytes as Pulumi passes it to the program and the policy pack (the PULUMI_CONFIG environment variable), over Linux's limit of ${MAX_PULUMI_CONFIG_BYTES} bytes for one environment variable (MAX_ARG_STRLEN ${MAX_ARG_STRLEN}, "PULUMI_CONFIG=" included): Pulumi would fail with "argument list too long" or hang loading the policy pack`,
    fix: `make the config smaller by ${bytes - MAX_PULUMI_CONFIG_BYTES} bytes or more: split the services into several stacks (one Railway project each), or move long values (e.g. variables) out of the stack file into fewer, shorter ones`,
  };
}
