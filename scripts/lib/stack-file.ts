/**
 * Reading `Pulumi.<stack>.yaml` files: the `config` mapping, split into plain values and `secure:`
 * values (ciphertext only the stack's own secrets provider can read).
 */
import { existsSync, readFileSync } from "node:fs";
import { parse as parseYaml } from "yaml";

import { PROJECT_NAME } from "../../infra/config/constants";

export type ConfigMap = Record<string, unknown>;

export interface StackFileConfig {
  /** Plain values by fully qualified key (`railway-stacks:app`, `aws:region`). */
  plain: ConfigMap;
  /** Fully qualified keys whose value is `secure: <ciphertext>`. */
  secureKeys: string[];
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
  for (const [key, value] of Object.entries(config)) {
    const qualified = qualifyKey(key, project);
    if (isSecureValue(value)) secureKeys.push(qualified);
    else plain[qualified] = value;
  }
  return { plain, secureKeys: secureKeys.sort() };
}

/**
 * The `config` mapping of a stack file (empty when the file has none).
 * @throws Error naming the file when it is missing, is not YAML, or `config` is not a mapping.
 */
export function readStackConfig(path: string): ConfigMap {
  if (!existsSync(path)) throw new Error(`${path} does not exist`);
  let document: unknown;
  try {
    document = parseYaml(readFileSync(path, "utf8"));
  } catch (err) {
    throw new Error(`${path} is not valid YAML: ${(err as Error).message}`, { cause: err });
  }
  if (document === null || document === undefined) return {};
  if (!isMapping(document)) throw new Error(`${path} is not a mapping of stack settings`);
  const config = document["config"];
  if (config === undefined || config === null) return {};
  if (!isMapping(config)) throw new Error(`${path}: "config" is not a mapping of config keys`);
  return config;
}
