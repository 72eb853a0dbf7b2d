/**
 * Reading props that may be unknown.
 *
 * The policy server wraps props in a proxy that throws `UnknownValueError` when a value cannot be
 * known yet (an output of a resource that `pulumi preview` has not created). The server would turn
 * that into an advisory "can't run policy during preview" note; the rules instead skip just the
 * unknown value and judge the rest. `pulumi up` analyzes every resource again with its inputs
 * resolved, so nothing unknown at preview escapes judgement.
 */
import { UnknownValueError } from "@pulumi/policy";

export const UNKNOWN: unique symbol = Symbol("unknown");
export type Unknown = typeof UNKNOWN;

/** Reads a value, or returns UNKNOWN when the proxy says it can't be known during preview. */
export function peek<T>(read: () => T): T | Unknown {
  try {
    return read();
  } catch (e) {
    if (e instanceof UnknownValueError) {
      return UNKNOWN;
    }
    throw e;
  }
}

/** The entries of a string map whose values are known strings; unknown maps and values are skipped. */
export function knownStringEntries(
  read: () => Record<string, string | undefined> | undefined,
): [string, string][] {
  const map = peek(read);
  if (map === UNKNOWN || map === undefined || map === null || typeof map !== "object") {
    return [];
  }
  const entries: [string, string][] = [];
  for (const key of Object.keys(map)) {
    const value = peek(() => map[key]);
    if (typeof value === "string") {
      entries.push([key, value]);
    }
  }
  return entries;
}

/**
 * The keys of a map. Only the keys: values of `secretVariables` are Pulumi secrets (and unknown
 * until a RandomPassword exists), so no rule reads them. Undefined when the map itself is unknown.
 */
export function keysOf(read: () => object | undefined): string[] | Unknown {
  const map = peek(read);
  if (map === UNKNOWN) {
    return UNKNOWN;
  }
  return map !== null && typeof map === "object" ? Object.keys(map) : [];
}

/** A Railway reference variable, `${{service.VAR}}`, `${{shared.VAR}}` or `${{VAR}}`. */
export const REFERENCE = /\$\{\{\s*[^{}]+?\s*\}\}/g;

/** True when the whole value is one Railway reference. */
export function isReference(value: string): boolean {
  return /^\$\{\{\s*[^{}]+?\s*\}\}$/.test(value.trim());
}

/** One variable of a service: its value, undefined when not set, UNKNOWN when not known yet. */
export function variableOf(
  props: { variables?: Record<string, string | undefined> },
  name: string,
): string | undefined | Unknown {
  const value = peek(() => props.variables?.[name]);
  return value === UNKNOWN || typeof value === "string" ? value : undefined;
}

/** Policy config with the schema defaults applied (the CLI applies them too; unit tests don't). */
export function configOf<T extends object>(
  args: { getConfig<C extends object>(): C },
  defaults: T,
): T {
  const given = args.getConfig<Partial<T>>();
  const merged = { ...defaults };
  for (const key of Object.keys(given) as (keyof T)[]) {
    if (given[key] !== undefined) {
      merged[key] = given[key] as T[keyof T];
    }
  }
  return merged;
}

/** `"value"` for a message; `not set` when missing. */
export function shown(value: unknown): string {
  return value === undefined || value === null ? "not set" : JSON.stringify(value);
}
