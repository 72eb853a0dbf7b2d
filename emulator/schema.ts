/**
 * The executable schema: emulator/schema.graphql (a faithful subset of Railway's SDL) built with
 * graphql-js, with the resolvers attached to its fields. Every Query/Mutation field in the SDL must
 * have a resolver and every resolver must name a field of the SDL, so the two cannot drift apart.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { buildSchema, GraphQLSchema, isObjectType } from "graphql";
import { resolvers } from "./resolvers";

export const SCHEMA_FILE = path.join(__dirname, "schema.graphql");

export function loadSchemaSource(): string {
  return fs.readFileSync(SCHEMA_FILE, "utf8");
}

let cached: GraphQLSchema | undefined;

export function createSchema(): GraphQLSchema {
  if (cached) return cached;
  const schema = buildSchema(loadSchemaSource());
  for (const [typeName, fields] of Object.entries(resolvers)) {
    const type = schema.getType(typeName);
    if (!type || !isObjectType(type))
      throw new Error(`resolvers name type ${typeName}, which schema.graphql does not define`);
    const defined = type.getFields();
    for (const [fieldName, resolve] of Object.entries(fields)) {
      const field = defined[fieldName];
      if (!field)
        throw new Error(`resolver ${typeName}.${fieldName} has no field in schema.graphql`);
      field.resolve = resolve;
    }
  }
  for (const root of [schema.getQueryType(), schema.getMutationType()]) {
    if (!root) continue;
    for (const field of Object.values(root.getFields())) {
      if (!field.resolve)
        throw new Error(`${root.name}.${field.name} is in schema.graphql but has no resolver`);
    }
  }
  cached = schema;
  return schema;
}
