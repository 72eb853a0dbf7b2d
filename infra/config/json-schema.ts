/**
 * The config schema read as JSON Schema (`z.toJSONSchema`): the one reading of the schema that
 * both docs/config-reference.md (scripts/gen-config-reference.ts) and the wording of config issues
 * (./walk.ts: "did you mean", allowed values) use, so neither depends on zod's internals. What the
 * schema documents with `.meta()` (./schema.ts) appears in it as keys of the field's node:
 * `description` and this project's own {@link SchemaDoc} keys.
 *
 * Every conversion uses the same options:
 * - `io: "input"`: it describes what a stack file may write: a key with a default is not
 *   `required`, and a `.prefault()` value shows as its `default`;
 * - `unrepresentable: "any"`: a part JSON Schema cannot say becomes `{}` instead of throwing, so
 *   wording a config issue never fails (checks in `superRefine` are simply not in it);
 * - `reused: "ref"`: a schema used more than once is one `$defs` entry, so a schema several keys
 *   share (e.g. `limits`) is one object (see {@link SchemaDocument.definition}). zod counts a
 *   `.meta()` on a wrapper (`.optional()`, `.default()`, …) as a further use of what it wraps, so
 *   the documentation of a key then sits on its `$ref` node and the wrapped schema's own on the
 *   definition; {@link SchemaDocument.merged} reads both, the key's winning.
 */
import { z } from "zod";

/** A JSON Schema node as `z.toJSONSchema` writes it. */
export type JsonSchema = z.core.JSONSchema.JSONSchema;

/** What this project stores with `.meta()` (./schema.ts), as it appears in the JSON Schema. */
export interface SchemaDoc {
  description?: string;
  /** Shown instead of a literal default, e.g. "per tier". */
  defaultText?: string;
  /** A size written with a unit ("512MB"); a bare number gets a tailored fix. */
  size?: boolean;
  /** A data-service key (one instance or named instances): its kind. */
  dataService?: string;
}

/** A subschema, or undefined for a boolean one (`additionalProperties: false`) or none. */
export function asSchema(node: boolean | JsonSchema | undefined): JsonSchema | undefined {
  return typeof node === "object" ? node : undefined;
}

/** The {@link SchemaDoc} keys of a node (of its merged view, to include its `$ref`s'). */
export function docOfNode(node: JsonSchema): SchemaDoc {
  const doc: SchemaDoc = {};
  if (typeof node.description === "string") doc.description = node.description;
  if (typeof node["defaultText"] === "string") doc.defaultText = node["defaultText"];
  if (typeof node["size"] === "boolean") doc.size = node["size"];
  if (typeof node["dataService"] === "string") doc.dataService = node["dataService"];
  return doc;
}

/** A JSON Schema document, with the `$ref` resolution its nodes need. */
export class SchemaDocument {
  constructor(
    /** The document: the root schema, with its `$defs`. */
    readonly root: JsonSchema,
  ) {}

  /** The node a local `$ref` (`#` or `#/$defs/<name>`) points to. */
  resolve(ref: string): JsonSchema {
    if (!ref.startsWith("#")) throw new Error(`JSON Schema: cannot resolve $ref ${ref}`);
    let node: unknown = this.root;
    for (const token of ref.slice(1).split("/").slice(1)) {
      const key = token.replace(/~1/g, "/").replace(/~0/g, "~");
      node =
        typeof node === "object" && node !== null && Object.hasOwn(node, key)
          ? (node as Record<string, unknown>)[key]
          : undefined;
    }
    if (typeof node !== "object" || node === null)
      throw new Error(`JSON Schema: $ref ${ref} points to nothing`);
    return node as JsonSchema;
  }

  /**
   * The definition a node stands for: its `$ref`s followed to the node that says what the value
   * is. Keys that share a schema lead to the same object, so it identifies a schema.
   */
  definition(node: JsonSchema): JsonSchema {
    const seen = new Set<JsonSchema>();
    let current = node;
    while (current.$ref !== undefined) {
      if (seen.has(current)) throw new Error(`JSON Schema: $ref cycle at ${current.$ref}`);
      seen.add(current);
      current = this.resolve(current.$ref);
    }
    return current;
  }

  /**
   * Everything a node says, together with what its `$ref`s say; the node's own keys win (as the
   * outermost `.meta()` of a zod schema does), e.g. a key's description over its schema's.
   */
  merged(node: JsonSchema): JsonSchema {
    const chain: JsonSchema[] = [node];
    for (let current = node; current.$ref !== undefined;) {
      current = this.resolve(current.$ref);
      if (chain.includes(current)) throw new Error(`JSON Schema: $ref cycle at ${node.$ref}`);
      chain.push(current);
    }
    if (chain.length === 1) return node;
    const merged: JsonSchema = {};
    for (const part of chain.reverse()) Object.assign(merged, part);
    delete merged.$ref;
    return merged;
  }
}

const documents = new WeakMap<z.core.$ZodType, SchemaDocument>();

/**
 * The JSON Schema document of a zod schema, with the options above. Converted once per schema
 * object (the whole stack schema takes some milliseconds) and shared: do not modify it.
 */
export function schemaDocument(schema: z.core.$ZodType): SchemaDocument {
  let document = documents.get(schema);
  if (!document) {
    document = new SchemaDocument(
      z.toJSONSchema(schema, { io: "input", unrepresentable: "any", reused: "ref" }),
    );
    documents.set(schema, document);
  }
  return document;
}
