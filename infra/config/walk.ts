/**
 * Reading a zod v4 schema as data: unwrap optional/default wrappers, find the schema at a path,
 * read descriptions and defaults. Used to word issues ("did you mean …") and by
 * scripts/gen-config-reference.ts to document the schema.
 */
import { z } from "zod";

export type AnySchema = z.core.$ZodType;

/** The parts of a zod v4 schema definition this module reads. */
export interface SchemaDef {
  type: string;
  innerType?: AnySchema;
  defaultValue?: unknown;
  shape?: Record<string, AnySchema>;
  element?: AnySchema;
  keyType?: AnySchema;
  valueType?: AnySchema;
  options?: AnySchema[];
  entries?: Record<string, string | number>;
  values?: unknown[];
  in?: AnySchema;
}

/** Documentation stored with `.meta()`. */
export interface SchemaDoc {
  description?: string;
  /** Shown instead of a literal default, e.g. "per tier". */
  defaultText?: string;
  /** A size written with a unit ("512MB"); a bare number gets a tailored fix. */
  size?: boolean;
  /** A data-service key (one instance or named instances): its kind. */
  dataService?: string;
}

export const defOf = (schema: AnySchema): SchemaDef => schema._zod.def as unknown as SchemaDef;

const WRAPPERS = new Set([
  "optional",
  "default",
  "prefault",
  "nullable",
  "readonly",
  "catch",
  "nonoptional",
]);

/** The schema inside optional/default/prefault/… wrappers (and the input side of pipes). */
export function unwrap(schema: AnySchema): AnySchema {
  let current = schema;
  for (;;) {
    const def = defOf(current);
    if (WRAPPERS.has(def.type) && def.innerType) current = def.innerType;
    else if (def.type === "pipe" && def.in) current = def.in;
    else return current;
  }
}

/** The schema of a child key or index, looking into objects, records, arrays and unions. */
export function childSchema(schema: AnySchema, key: string | number): AnySchema | undefined {
  const inner = unwrap(schema);
  const def = defOf(inner);
  switch (def.type) {
    case "object":
      return typeof key === "string" ? def.shape?.[key] : undefined;
    case "record":
      return def.valueType;
    case "array":
      return typeof key === "number" ? def.element : undefined;
    case "union":
      for (const option of def.options ?? []) {
        const found = childSchema(option, key);
        if (found) return found;
      }
      return undefined;
    default:
      return undefined;
  }
}

export function schemaAt(
  root: AnySchema,
  path: readonly (string | number)[],
): AnySchema | undefined {
  let current: AnySchema | undefined = root;
  for (const key of path) {
    if (!current) return undefined;
    current = childSchema(current, key);
  }
  return current;
}

/** Keys of the object schema at this schema (through wrappers), if it is one. */
export function objectKeys(schema: AnySchema | undefined): string[] | undefined {
  if (!schema) return undefined;
  const def = defOf(unwrap(schema));
  if (def.type === "union") {
    for (const option of def.options ?? []) {
      const keys = objectKeys(option);
      if (keys) return keys;
    }
  }
  return def.type === "object" && def.shape ? Object.keys(def.shape) : undefined;
}

/** Allowed values when the schema is an enum or literal. */
export function enumValues(schema: AnySchema | undefined): string[] | undefined {
  if (!schema) return undefined;
  const def = defOf(unwrap(schema));
  if (def.type === "enum" && def.entries) return Object.values(def.entries).map(String);
  if (def.type === "literal" && def.values) return def.values.map(String);
  return undefined;
}

/** The documentation of a schema, looking through wrappers (the outermost text wins). */
export function docOf(schema: AnySchema): SchemaDoc {
  const found: SchemaDoc = {};
  let current: AnySchema | undefined = schema;
  while (current) {
    const meta = z.globalRegistry.get(current) as SchemaDoc | undefined;
    found.description ??= meta?.description;
    found.defaultText ??= meta?.defaultText;
    found.size ??= meta?.size;
    found.dataService ??= meta?.dataService;
    const def = defOf(current);
    current = WRAPPERS.has(def.type) ? def.innerType : def.type === "pipe" ? def.in : undefined;
  }
  return found;
}

/** The literal default of a field (`.default()` / `.prefault()`), if any. */
export function defaultOf(schema: AnySchema): { value: unknown } | undefined {
  let current: AnySchema | undefined = schema;
  while (current) {
    const def = defOf(current);
    if (def.type === "default" || def.type === "prefault") return { value: def.defaultValue };
    current = WRAPPERS.has(def.type) ? def.innerType : undefined;
  }
  return undefined;
}

/** True when the field may be left out (optional, or defaulted). */
export function isOptional(schema: AnySchema): boolean {
  let current: AnySchema | undefined = schema;
  while (current) {
    const def = defOf(current);
    if (def.type === "optional" || def.type === "default" || def.type === "prefault") return true;
    current = WRAPPERS.has(def.type) ? def.innerType : undefined;
  }
  return false;
}
