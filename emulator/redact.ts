/**
 * Redaction of GraphQL variables before they enter the request log: the log is for counting and
 * debugging, and it ends up in files and CI artifacts, so no secret may reach it.
 * - any value under a key that looks like a credential is replaced;
 * - EVERY value inside a variables map (EnvironmentConfig `variables` / `sharedVariables`, the
 *   `variables` of ServiceCreateInput / VariableCollectionUpsertInput) is replaced, whatever its
 *   name, since reference variables and plain config can carry secrets too;
 * - the `value` of a single-variable input (VariableUpsertInput: `{ name, value }`) is replaced.
 * Keys (variable names, ids) are kept so that the log still says what was touched; a `null`
 * (a deletion) is kept as null.
 */
import { Json } from "./config-merge";

export const REDACTED = "[redacted]";
export const SECRET_KEY = /password|secret|token|key|dsn|credential/i;
const VARIABLE_MAPS = new Set(["variables", "sharedVariables"]);

export function redact(value: unknown, key?: string): Json {
  if (value === null || value === undefined) return null;
  if (key !== undefined && SECRET_KEY.test(key)) return REDACTED;
  if (Array.isArray(value)) return value.map((item) => redact(item));
  if (typeof value === "object") {
    const obj = value as Record<string, unknown>;
    const out: Record<string, Json> = {};
    const isSingleVariable = typeof obj.name === "string" && "value" in obj;
    for (const [k, v] of Object.entries(obj)) {
      if (VARIABLE_MAPS.has(k) && v !== null && typeof v === "object" && !Array.isArray(v)) {
        out[k] = Object.fromEntries(
          Object.entries(v as Record<string, unknown>).map(([name, entry]) => [
            name,
            entry === null ? null : REDACTED,
          ]),
        );
      } else if (isSingleVariable && k === "value") {
        out[k] = v === null ? null : REDACTED;
      } else {
        out[k] = redact(v, k);
      }
    }
    return out;
  }
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean")
    return value;
  return String(value);
}
