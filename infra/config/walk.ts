/**
 * Reading the config schema as data, to word config issues (./issues.ts): the schema at a YAML
 * path, and the keys, allowed values and documentation it has.
 *
 * The schema at a path stays a zod schema, found through zod's public API (`.shape`, `.unwrap()`,
 * `.options`, …), because a suggested value is checked against it, formats included, and JSON
 * Schema leaves the formats (`superRefine`) out. What it documents is read from its JSON Schema
 * (./json-schema.ts), the reading docs/config-reference.md is generated from, so a "did you mean"
 * or a list of allowed values names what the reference lists.
 */
import { z } from "zod";

import { type JsonSchema, type SchemaDoc, docOfNode, schemaDocument } from "./json-schema";

export type { SchemaDoc } from "./json-schema";

export type AnySchema = z.core.$ZodType;

/** Schemas that only wrap another (optional, defaulted, …): the value is the inner schema's. */
type Wrapper =
  | z.ZodOptional
  | z.ZodDefault
  | z.ZodPrefault
  | z.ZodNullable
  | z.ZodReadonly
  | z.ZodCatch
  | z.ZodNonOptional;

const isWrapper = (schema: AnySchema): schema is Wrapper =>
  schema instanceof z.ZodOptional ||
  schema instanceof z.ZodDefault ||
  schema instanceof z.ZodPrefault ||
  schema instanceof z.ZodNullable ||
  schema instanceof z.ZodReadonly ||
  schema instanceof z.ZodCatch ||
  schema instanceof z.ZodNonOptional;

/** The schema inside optional/default/prefault/… wrappers (and the input side of pipes). */
export function unwrap(schema: AnySchema): AnySchema {
  let current = schema;
  for (;;) {
    if (isWrapper(current)) current = current.unwrap();
    else if (current instanceof z.ZodPipe) current = current.in;
    else return current;
  }
}

/** The schema of a child key or index, looking into objects, records, arrays and unions. */
export function childSchema(schema: AnySchema, key: string | number): AnySchema | undefined {
  const inner = unwrap(schema);
  if (inner instanceof z.ZodObject)
    return typeof key === "string" && Object.hasOwn(inner.shape, key)
      ? inner.shape[key]
      : undefined;
  if (inner instanceof z.ZodRecord) return inner.valueType;
  if (inner instanceof z.ZodArray) return typeof key === "number" ? inner.element : undefined;
  if (inner instanceof z.ZodUnion) {
    for (const option of inner.options) {
      const found = childSchema(option, key);
      if (found) return found;
    }
  }
  return undefined;
}

/** The schema at a path of keys and indexes under `root`, if the schema has one there. */
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

/** Keys of the object schema at this schema (through wrappers, or a union's first), if it is one. */
export function objectKeys(schema: AnySchema | undefined): string[] | undefined {
  if (!schema) return undefined;
  const document = schemaDocument(schema);
  const keys = (node: JsonSchema): string[] | undefined => {
    const current = document.merged(node);
    for (const option of current.anyOf ?? []) {
      const found = keys(option);
      if (found) return found;
    }
    return current.type === "object" && current.properties
      ? Object.keys(current.properties)
      : undefined;
  };
  return keys(document.root);
}

/** Allowed values when the schema is an enum or literal. */
export function enumValues(schema: AnySchema | undefined): string[] | undefined {
  if (!schema) return undefined;
  const document = schemaDocument(schema);
  const node = document.merged(document.root);
  if (node.enum) return node.enum.map(String);
  if ("const" in node) return [String(node.const)];
  return undefined;
}

/** The documentation of a schema, looking through wrappers (the outermost text wins). */
export function docOf(schema: AnySchema): SchemaDoc {
  const document = schemaDocument(schema);
  return docOfNode(document.merged(document.root));
}
