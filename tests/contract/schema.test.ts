/**
 * Contract checks between the provider, the emulator and Railway's published schema:
 * 1. every document in ALL_OPERATIONS validates against Railway's schema (../shared/railway/schema.json);
 * 2. emulator/schema.graphql is a faithful subset of Railway's schema: each of its types, fields,
 *    arguments, input fields and enum values exists there with the identical type signature (and
 *    it is exactly what emulator/tools/extract-schema.ts cuts out of Railway's schema);
 * 3. every document also validates against the emulator's own schema (so the emulator answers
 *    everything the provider sends).
 * Without schema.json, checks 1-2 fail under CI=true and are skipped loudly elsewhere.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import {
  buildClientSchema,
  buildSchema,
  GraphQLArgument,
  GraphQLField,
  GraphQLInputField,
  GraphQLNamedType,
  GraphQLSchema,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  isRequiredArgument,
  isRequiredInputField,
  isScalarType,
  isUnionType,
  lexicographicSortSchema,
  parse,
  printSchema,
  validate,
} from "graphql";
import { ALL_OPERATIONS } from "../../infra/railway/operations";
import { extractSubset } from "../../emulator/tools/extract-schema";
import { createSchema, loadSchemaSource } from "../../emulator/schema";

const SCHEMA_JSON = path.resolve(__dirname, "../../../shared/railway/schema.json");
const available = fs.existsSync(SCHEMA_JSON);

function validationErrors(schema: GraphQLSchema): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [name, doc] of Object.entries(ALL_OPERATIONS)) {
    const errors = validate(schema, parse(doc)).map((e) => e.message);
    if (errors.length) out[name] = errors;
  }
  return out;
}

const kindOf = (t: GraphQLNamedType): string =>
  isObjectType(t)
    ? "object"
    : isInterfaceType(t)
      ? "interface"
      : isInputObjectType(t)
        ? "input"
        : isEnumType(t)
          ? "enum"
          : isUnionType(t)
            ? "union"
            : isScalarType(t)
              ? "scalar"
              : "?";

/** Every difference between the emulator's schema and Railway's, as readable lines. */
function compatibilityProblems(emulator: GraphQLSchema, railway: GraphQLSchema): string[] {
  const problems: string[] = [];
  const sameArgs = (
    where: string,
    mine: readonly GraphQLArgument[],
    theirs: readonly GraphQLArgument[],
  ): void => {
    for (const arg of mine) {
      const other = theirs.find((a) => a.name === arg.name);
      if (!other) problems.push(`${where}(${arg.name}:) is not an argument in Railway's schema`);
      else if (arg.type.toString() !== other.type.toString())
        problems.push(
          `${where}(${arg.name}:) is ${arg.type} here but ${other.type} in Railway's schema`,
        );
      else if (JSON.stringify(arg.defaultValue) !== JSON.stringify(other.defaultValue))
        problems.push(`${where}(${arg.name}:) has a different default value`);
    }
    // A required Railway argument missing here would let the emulator accept documents Railway rejects.
    for (const other of theirs) {
      if (isRequiredArgument(other) && !mine.some((a) => a.name === other.name))
        problems.push(`${where}(${other.name}:) is required by Railway but missing here`);
    }
  };
  for (const type of Object.values(emulator.getTypeMap())) {
    if (type.name.startsWith("__")) continue;
    const theirs = railway.getType(type.name);
    if (!theirs) {
      problems.push(`type ${type.name} does not exist in Railway's schema`);
      continue;
    }
    if (kindOf(type) !== kindOf(theirs)) {
      problems.push(
        `${type.name} is a ${kindOf(type)} here but a ${kindOf(theirs)} in Railway's schema`,
      );
      continue;
    }
    if (isObjectType(type) || isInterfaceType(type)) {
      const otherFields = (theirs as typeof type).getFields();
      for (const field of Object.values(type.getFields()) as GraphQLField<unknown, unknown>[]) {
        const other = otherFields[field.name];
        if (!other) {
          problems.push(`${type.name}.${field.name} does not exist in Railway's schema`);
          continue;
        }
        if (field.type.toString() !== other.type.toString())
          problems.push(
            `${type.name}.${field.name} is ${field.type} here but ${other.type} in Railway's schema`,
          );
        sameArgs(`${type.name}.${field.name}`, field.args, other.args);
      }
      const theirInterfaces = (theirs as typeof type).getInterfaces().map((i) => i.name);
      for (const iface of type.getInterfaces()) {
        if (!theirInterfaces.includes(iface.name))
          problems.push(`${type.name} implements ${iface.name} here but not in Railway's schema`);
      }
    } else if (isInputObjectType(type) && isInputObjectType(theirs)) {
      const otherFields = theirs.getFields();
      const mine = type.getFields();
      for (const field of Object.values(mine) as GraphQLInputField[]) {
        const other = otherFields[field.name];
        if (!other)
          problems.push(`input ${type.name}.${field.name} does not exist in Railway's schema`);
        else if (field.type.toString() !== other.type.toString())
          problems.push(
            `input ${type.name}.${field.name} is ${field.type} here but ${other.type} in Railway's schema`,
          );
      }
      for (const other of Object.values(otherFields)) {
        if (isRequiredInputField(other) && !mine[other.name])
          problems.push(`input ${type.name}.${other.name} is required by Railway but missing here`);
      }
    } else if (isEnumType(type) && isEnumType(theirs)) {
      const values = theirs.getValues().map((v) => v.name);
      for (const v of type.getValues())
        if (!values.includes(v.name))
          problems.push(`enum ${type.name}.${v.name} does not exist in Railway's schema`);
    }
  }
  return problems;
}

describe("emulator schema", () => {
  test("builds, and every provider document validates against it", () => {
    const emulator = createSchema();
    expect(validationErrors(emulator)).toEqual({});
    expect(Object.keys(ALL_OPERATIONS).length).toBeGreaterThan(0);
  });
});

if (available) {
  describe("against Railway's published schema", () => {
    let railway: GraphQLSchema;
    beforeAll(() => {
      const json = JSON.parse(fs.readFileSync(SCHEMA_JSON, "utf8"));
      railway = buildClientSchema(json.data ?? json);
    });

    test("every provider document validates", () => {
      expect(validationErrors(railway)).toEqual({});
      console.log(
        `contract: ${Object.keys(ALL_OPERATIONS).length} provider documents valid against Railway's schema`,
      );
    });

    test("emulator/schema.graphql is a faithful subset (same types, fields, arguments, inputs, enum values)", () => {
      expect(compatibilityProblems(buildSchema(loadSchemaSource()), railway)).toEqual([]);
    });

    test("emulator/schema.graphql is what emulator/tools/extract-schema.ts generates", () => {
      // Compared as printed by graphql-js, so the checked-in file may be reformatted (prettier).
      const canonical = (sdl: string) => printSchema(lexicographicSortSchema(buildSchema(sdl)));
      expect(canonical(loadSchemaSource())).toBe(canonical(extractSubset(railway)));
    });

    test("the compatibility check catches a drifted signature", () => {
      const drifted = buildSchema(
        `type Query { project(id: ID!): Project! }  type Project { id: ID! name: Int bogus: String }`,
      );
      expect(compatibilityProblems(drifted, railway)).toEqual([
        "Query.project(id:) is ID! here but String! in Railway's schema",
        "Project.name is Int here but String! in Railway's schema",
        "Project.bogus does not exist in Railway's schema",
      ]);
    });
  });
} else if (process.env.CI === "true") {
  test("Railway's schema is available for the contract check", () => {
    throw new Error(
      `contract: ${SCHEMA_JSON} is missing; CI must run with shared/ next to the repository`,
    );
  });
} else {
  console.warn(
    `\n*** contract: SKIPPED the checks against Railway's schema: ${SCHEMA_JSON} does not exist.\n` +
      "*** Put Railway's introspection result there (shared/railway/schema.json next to the repo) to run them; under CI=true this fails.\n",
  );
  test.skip("against Railway's published schema (schema.json missing)", () => undefined);
}
