/**
 * The two forms of a data-service key (`postgres`, `redis`, `nats`) of the stack object, read from
 * the raw (or tier-merged) value so the tier defaults, the schema's error wording, the cross-field
 * checks and the resolution all agree on which form a file uses:
 *
 * - one instance: the settings themselves (`postgres: { image: ..., backups: [DAILY] }`, or
 *   nothing at all); Railway service name `postgres`, linked as `postgres`;
 * - named instances: a mapping whose keys are NOT settings of that data service and whose values
 *   are each the settings of one instance (at least one of them a mapping: `{ imagee: "x:1" }` is
 *   a misspelled setting, not an instance) (`postgres: { main: {...}, analytics: {...} }`);
 *   Railway service names `postgres-main`, `postgres-analytics`, linked as `postgres.main`.
 *
 * A mapping that mixes settings and other keys is the one-instance form with unknown keys (the
 * schema reports them, naming the instance form as the fix when their values are mappings).
 */
import { DATA_SERVICES } from "./constants";
import type { DataServiceName } from "./types";

type Obj = Record<string, unknown>;

const isObject = (value: unknown): value is Obj =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * The settings each data service takes: the keys of its object schema (infra/config/schema.ts
 * asserts they match). An instance name may not be one of them.
 */
export const DATA_SERVICE_FIELDS = {
  postgres: [
    "enabled",
    "image",
    "database",
    "user",
    "volumeSize",
    "publicProxy",
    "backups",
    "limits",
    "expectedUtilization",
  ],
  redis: [
    "enabled",
    "image",
    "maxMemory",
    "evictionPolicy",
    "appendOnly",
    "volumeSize",
    "publicProxy",
    "limits",
    "expectedUtilization",
  ],
  nats: [
    "enabled",
    "image",
    "jetStream",
    "volumeSize",
    "publicProxy",
    "limits",
    "expectedUtilization",
  ],
} as const satisfies Record<DataServiceName, readonly string[]>;

/** An instance name: a lowercase DNS label, so `<kind>-<name>` is a valid Railway service name. */
export const INSTANCE_NAME = /^[a-z]([a-z0-9-]{0,30}[a-z0-9])?$/;

export const isDataServiceName = (value: string): value is DataServiceName =>
  (DATA_SERVICES as readonly string[]).includes(value);

/**
 * True when `value` is the named-instances form of data service `kind`: a non-empty mapping with
 * no setting of `kind` among its keys and at least one mapping among its values.
 */
export function isNamedForm(kind: DataServiceName, value: unknown): value is Obj {
  if (!isObject(value)) return false;
  const keys = Object.keys(value);
  const fields: readonly string[] = DATA_SERVICE_FIELDS[kind];
  return (
    keys.length > 0 &&
    keys.every((key) => !fields.includes(key)) &&
    Object.values(value).some(isObject)
  );
}

/** The Railway service name of an instance: `<kind>` alone, `<kind>-<instance>` when named. */
export const dataServiceName = (kind: DataServiceName, instance?: string): string =>
  instance === undefined ? kind : `${kind}-${instance}`;

/** One instance of a data service as the stack file writes it. */
export interface RawDataInstance {
  kind: DataServiceName;
  /** The instance's name in the named form; undefined for the one-instance form. */
  instance?: string;
  /** Railway service name. */
  serviceName: string;
  /** Path of its settings under the stack object: [kind] or [kind, instance]. */
  path: string[];
  /** Its settings as written (a non-mapping reads as no settings). */
  value: Obj;
  /** False when the instance sets `enabled: false`. */
  enabled: boolean;
}

/** Every instance of every data service, in kind order then file order. */
export function rawDataInstances(stack: Obj): RawDataInstance[] {
  const out: RawDataInstance[] = [];
  for (const kind of DATA_SERVICES) {
    const value = stack[kind];
    if (isNamedForm(kind, value)) {
      for (const [instance, settings] of Object.entries(value)) {
        const obj = isObject(settings) ? settings : {};
        out.push({
          kind,
          instance,
          serviceName: dataServiceName(kind, instance),
          path: [kind, instance],
          value: obj,
          enabled: obj["enabled"] !== false,
        });
      }
    } else {
      const obj = isObject(value) ? value : {};
      out.push({
        kind,
        serviceName: kind,
        path: [kind],
        value: obj,
        enabled: obj["enabled"] !== false,
      });
    }
  }
  return out;
}
