/**
 * EnvironmentConfig patch semantics (docs/railway-api.md §10), as pure functions so they can be tested
 * without a server:
 * - objects merge recursively; a `null` value deletes that key; arrays and scalars replace;
 * - under `services` / `volumes` / `buckets`, an entry that is `null` or has `isDeleted: true`
 *   removes that instance from the environment; an entry that did not exist is created (Railway's
 *   clients mark it `isCreated: true`; the emulator accepts a new entry without it too, and always
 *   stores `isCreated: true` on an instance it created, as the CLI's duplicated configs show);
 * - removing a volume also removes the mounts of it (a dangling mount cannot exist).
 * Validation against the project (known ids, unique domains, sizes) is done by commit.ts.
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** Raised for a malformed patch; the message is sent to the client as a GraphQL error. */
export class PatchError extends Error {}

export function isPlainObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function clone<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, i) => deepEqual(item, b[i]));
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const ak = Object.keys(a).filter((k) => a[k] !== undefined);
    const bk = Object.keys(b).filter((k) => b[k] !== undefined);
    if (ak.length !== bk.length) return false;
    return ak.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual(a[k], b[k]));
  }
  return false;
}

/** JSON with sorted keys: equal configs give equal text (used for the config etag). */
export function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(",")}]`;
  if (isPlainObject(value)) {
    return `{${Object.keys(value)
      .sort()
      .filter((k) => value[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${stableStringify(value[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(value ?? null);
}

/** Deep merge of `patch` into a copy of `base`: null deletes, objects recurse, the rest replaces. */
export function mergeConfig(base: JsonObject, patch: JsonObject): JsonObject {
  const out = clone(base);
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    if (value === null) {
      delete out[key];
    } else if (isPlainObject(value)) {
      const current = out[key];
      out[key] = mergeConfig(isPlainObject(current) ? current : {}, value);
    } else {
      out[key] = clone(value);
    }
  }
  return out;
}

/**
 * Merges two patches into one (staged changes with `merge: true`): like mergeConfig but a `null`
 * is kept, because in a patch it is an instruction ("delete this key") still to be applied.
 */
export function mergePatches(first: JsonObject, second: JsonObject): JsonObject {
  const out = clone(first);
  for (const [key, value] of Object.entries(second)) {
    if (value === undefined) continue;
    const current = out[key];
    out[key] =
      isPlainObject(value) && isPlainObject(current) ? mergePatches(current, value) : clone(value);
  }
  return out;
}

/** Top-level EnvironmentConfig keys whose entries are instances keyed by a Railway id. */
export const INSTANCE_MAPS = ["services", "volumes", "buckets"] as const;

export interface PatchResult {
  config: JsonObject;
  /** Ids whose instance was created by this patch, per instance map. */
  created: Record<string, string[]>;
  /** Ids whose instance was removed by this patch, per instance map. */
  deleted: Record<string, string[]>;
}

/** Applies an EnvironmentConfig patch to a config (both left untouched) and returns the result. */
export function applyEnvironmentPatch(config: JsonObject, patch: JsonObject): PatchResult {
  const result = clone(config);
  const created: Record<string, string[]> = {};
  const deleted: Record<string, string[]> = {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    if ((INSTANCE_MAPS as readonly string[]).includes(key)) {
      if (!isPlainObject(value))
        throw new PatchError(`Invalid patch: ${key} must be an object keyed by id`);
      const current = isPlainObject(result[key]) ? (result[key] as JsonObject) : {};
      created[key] = [];
      deleted[key] = [];
      for (const [id, entry] of Object.entries(value)) {
        if (entry === undefined) continue;
        if (entry === null || (isPlainObject(entry) && entry.isDeleted === true)) {
          if (current[id] !== undefined) deleted[key].push(id);
          delete current[id];
          continue;
        }
        if (!isPlainObject(entry))
          throw new PatchError(`Invalid patch: ${key}.${id} must be an object or null`);
        const rest: JsonObject = { ...entry };
        delete rest.isCreated;
        delete rest.isDeleted;
        const existing = current[id];
        if (isPlainObject(existing)) {
          current[id] = mergeConfig(existing, rest);
        } else {
          current[id] = mergeConfig({ isCreated: true }, rest);
          created[key].push(id);
        }
      }
      result[key] = current;
    } else if (value === null) {
      delete result[key];
    } else if (isPlainObject(value)) {
      const current = result[key];
      result[key] = mergeConfig(isPlainObject(current) ? current : {}, value);
    } else {
      result[key] = clone(value);
    }
  }
  // A removed volume cannot stay mounted.
  const goneVolumes = deleted.volumes ?? [];
  if (goneVolumes.length && isPlainObject(result.services)) {
    for (const service of Object.values(result.services)) {
      if (isPlainObject(service) && isPlainObject(service.volumeMounts)) {
        for (const id of goneVolumes) delete service.volumeMounts[id];
      }
    }
  }
  return { config: result, created, deleted };
}

/** An EnvironmentConfig with the usual top-level maps present. */
export function emptyEnvironmentConfig(): JsonObject {
  return { services: {}, sharedVariables: {}, volumes: {} };
}
