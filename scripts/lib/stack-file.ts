/**
 * Reading `Pulumi.<stack>.yaml` files: the `config` mapping, split into plain values and `secure:`
 * values (ciphertext only the stack's own secrets provider can read).
 */
import { existsSync, readFileSync } from "node:fs";
import { type Node, isMap, isPair, isScalar, isSeq, parseDocument } from "yaml";

import { APP_CONFIG_KEY, PROJECT_NAME } from "../../infra/config/constants";
import type { ConfigIssue } from "../../infra/config/issues";
import { configSizeIssue } from "../../infra/config/size";

export type ConfigMap = Record<string, unknown>;

export interface StackFileConfig {
  /** Plain values by fully qualified key (`railway-stacks:app`, `aws:region`). */
  plain: ConfigMap;
  /** Fully qualified keys whose value is `secure: <ciphertext>`. */
  secureKeys: string[];
  /** The ciphertext of each secure key (its length stands in for the unknown plaintext's). */
  ciphertexts?: Record<string, string>;
}

const isMapping = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** `key` → `railway-stacks:key`; keys with a namespace are kept. */
export function qualifyKey(key: string, project: string = PROJECT_NAME): string {
  return key.includes(":") ? key : `${project}:${key}`;
}

/** True for Pulumi's encrypted config value shape, `{ secure: <ciphertext> }`. */
export function isSecureValue(value: unknown): boolean {
  return isMapping(value) && Object.keys(value).length === 1 && typeof value["secure"] === "string";
}

/** Splits a stack file's `config` mapping into plain values and secure keys (keys qualified). */
export function splitConfig(config: ConfigMap, project: string = PROJECT_NAME): StackFileConfig {
  const plain: ConfigMap = {};
  const secureKeys: string[] = [];
  const ciphertexts: Record<string, string> = {};
  for (const [key, value] of Object.entries(config)) {
    const qualified = qualifyKey(key, project);
    if (isSecureValue(value)) {
      secureKeys.push(qualified);
      ciphertexts[qualified] = (value as { secure: string }).secure;
    } else plain[qualified] = value;
  }
  return { plain, secureKeys: secureKeys.sort(), ciphertexts };
}

/**
 * The "too big for Pulumi" issue of a stack file's config, if any (infra/config/size.ts). Secrets
 * count with their ciphertext, a little longer than the plaintext the CLI passes on; `extra`
 * holds values a script adds (a PR stack's branch).
 */
export function stackFileSizeIssue(
  config: StackFileConfig,
  stack: string,
  extra: ConfigMap = {},
): ConfigIssue | undefined {
  const app = config.plain[`${PROJECT_NAME}:${APP_CONFIG_KEY}`];
  const services = isMapping(app) && isMapping(app["services"]) ? app["services"] : undefined;
  return configSizeIssue(
    { ...config.plain, ...config.ciphertexts, ...extra },
    stack,
    services === undefined ? undefined : Object.keys(services).length,
  );
}

/**
 * The `config` mapping of a stack file (empty when the file has none).
 * @throws Error naming the file when it is missing, is not YAML, or `config` is not a mapping.
 */
export function readStackConfig(path: string): ConfigMap {
  if (!existsSync(path)) throw new Error(`${path} does not exist`);
  const text = readFileSync(path, "utf8");
  let document: unknown;
  try {
    const parsed = parseDocument(text);
    if (parsed.errors.length > 0) throw parsed.errors[0];
    document = parsed.toJS();
  } catch (err) {
    throw new Error(`${path} is not valid YAML: ${yamlErrorText(err as Error, text)}`, {
      cause: err,
    });
  }
  if (document === null || document === undefined) return {};
  if (!isMapping(document)) throw new Error(`${path} is not a mapping of stack settings`);
  const config = document["config"];
  if (config === undefined || config === null) return {};
  if (!isMapping(config)) throw new Error(`${path}: "config" is not a mapping of config keys`);
  return config;
}

/**
 * A YAML error as a person can act on it. The parser gives most errors a line and column; some it
 * finds only while building values (an alias bomb: "Excessive alias count indicates a resource
 * exhaustion attack") carry none, so the key under which the failing value sits is found by
 * building each value of the document on its own.
 */
function yamlErrorText(err: Error, text: string): string {
  if ("linePos" in err && err.linePos !== undefined) return err.message;
  let document;
  try {
    document = parseDocument(text);
  } catch {
    return err.message;
  }
  const key = failingKey(document.contents, document);
  return key === undefined ? err.message : `${err.message} (at key ${key})`;
}

/** The deepest key path whose value cannot be built on its own, as `a.b[2].c`. */
function failingKey(node: unknown, document: ReturnType<typeof parseDocument>): string | undefined {
  const fails = (value: unknown): boolean => {
    try {
      (value as Node).toJS(document);
      return false;
    } catch {
      return true;
    }
  };
  if (isMap(node)) {
    for (const pair of node.items) {
      if (!isPair(pair) || !fails(pair.value)) continue;
      const name = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      const inner = failingKey(pair.value, document);
      return inner === undefined ? name : `${name}${inner.startsWith("[") ? "" : "."}${inner}`;
    }
  } else if (isSeq(node)) {
    for (const [i, item] of node.items.entries()) {
      if (!fails(item)) continue;
      const inner = failingKey(item, document);
      return inner === undefined ? `[${i}]` : `[${i}]${inner.startsWith("[") ? "" : "."}${inner}`;
    }
  }
  return undefined;
}
