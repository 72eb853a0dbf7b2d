/**
 * Config problems as users read them: one line per problem,
 * `<yaml path>: <problem>. Fix: <what to change>`, where the path is the exact key in Pulumi's
 * `--path` syntax (`railway-stacks:app.services.ml.replicas`), so it can be pasted into
 * `pulumi config set --path`.
 */
import type { z } from "zod";

import { APP_CONFIG_KEY, PROJECT_NAME } from "./constants";
import { closest, oneOf, quote } from "./formats";
import { type AnySchema, docOf, enumValues, objectKeys, schemaAt } from "./walk";

export type PathSegment = string | number;

export interface ConfigIssue {
  /** Full YAML/config path, e.g. `railway-stacks:app.services.ml.replicas`. */
  path: string;
  /** What is wrong (no trailing period). */
  problem: string;
  /** What to change (no trailing period). */
  fix: string;
}

export const APP_ROOT = `${PROJECT_NAME}:${APP_CONFIG_KEY}`;

export const formatIssue = (issue: ConfigIssue): string =>
  `${issue.path}: ${issue.problem}. Fix: ${issue.fix}`;

export const formatIssues = (issues: readonly ConfigIssue[]): string =>
  issues.map(formatIssue).join("\n");

const BARE_KEY = /^[^.[\]"\s]+$/;

/** Renders a path in Pulumi's property path syntax, starting at `root`. */
export function yamlPath(segments: readonly PathSegment[], root: string = APP_ROOT): string {
  let out = root;
  for (const segment of segments) {
    if (typeof segment === "number") out += `[${segment}]`;
    else if (BARE_KEY.test(segment)) out += `.${segment}`;
    else out += `["${segment.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"]`;
  }
  return out;
}

const REFERENCE_DOC = "see docs/config-reference.md";

function describeInput(input: unknown): string {
  if (input === null) return "empty";
  if (Array.isArray(input)) return "a list";
  if (typeof input === "object") return "a mapping";
  if (typeof input === "string") return `the text ${quote(input)}`;
  return `${typeof input === "number" ? "the number " : ""}${String(input)}`;
}

const EXPECTED_NAMES: Record<string, string> = {
  string: "text",
  number: "a number",
  int: "a whole number",
  boolean: "true or false",
  object: "a mapping",
  record: "a mapping",
  array: "a list",
};

function expectedName(expected: string): string {
  return EXPECTED_NAMES[expected] ?? expected;
}

function typeFix(expected: string, input: unknown, schema: AnySchema | undefined): string {
  const values = enumValues(schema);
  if (values) return `use one of ${values.join(", ")}`;
  switch (expected) {
    case "number":
    case "int":
      return typeof input === "string" && input.trim() !== "" && Number.isFinite(Number(input))
        ? `write ${input.trim()} without quotes`
        : `write ${expected === "int" ? "a whole number" : "a number"}`;
    case "boolean":
      return typeof input === "string" && /^(true|false)$/i.test(input)
        ? `write ${input.toLowerCase()} without quotes`
        : `write true or false`;
    case "string":
      return typeof input === "number" || typeof input === "boolean"
        ? `quote it: "${String(input)}"`
        : `write it as text`;
    case "object":
    case "record":
      return `write a mapping of keys to values (${REFERENCE_DOC})`;
    case "array":
      return typeof input === "string"
        ? `write a list: [${quote(input)}]`
        : `write a list, e.g. [a, b]`;
    default:
      return REFERENCE_DOC;
  }
}

function missingFix(
  key: PathSegment | undefined,
  expected: string,
  schema: AnySchema | undefined,
): string {
  const values = enumValues(schema);
  const name = key === undefined ? "it" : `"${String(key)}"`;
  if (values) return `add ${name} with one of ${values.join(", ")}`;
  return `add ${name} (${expectedName(expected)}; ${REFERENCE_DOC})`;
}

type ZodIssue = z.core.$ZodIssue;

function toSegments(path: readonly PropertyKey[]): PathSegment[] {
  return path.map((segment) => (typeof segment === "number" ? segment : String(segment)));
}

/**
 * Converts zod issues into config issues, wording zod's built-in issues for YAML authors.
 * `root` is the schema the issues came from (used for key suggestions and enum lists).
 */
export function fromZodIssues(
  issues: readonly ZodIssue[],
  root: AnySchema,
  prefix: PathSegment[] = [],
): ConfigIssue[] {
  const out: ConfigIssue[] = [];
  for (const issue of issues) {
    const segments = [...prefix, ...toSegments(issue.path)];
    const at = (problem: string, fix: string, path = segments): void => {
      out.push({ path: yamlPath(path), problem, fix });
    };
    const schema = schemaAt(root, segments);
    const input = (issue as { input?: unknown }).input;

    switch (issue.code) {
      case "custom": {
        const fix = (issue.params as { fix?: string } | undefined)?.fix ?? REFERENCE_DOC;
        at(issue.message, fix);
        break;
      }
      case "invalid_type": {
        const expected = String(issue.expected);
        if (input === undefined)
          at("is missing", missingFix(segments[segments.length - 1], expected, schema));
        else if (expected === "int")
          at(`must be a whole number, not ${String(input)}`, "write a whole number");
        else if (expected === "string" && typeof input === "number" && schema && docOf(schema).size)
          at(
            `must be a size with its unit, not the number ${input}`,
            input % 1024 === 0 ? `write "${input}MB" or "${input / 1024}GB"` : `write "${input}MB"`,
          );
        else
          at(
            `must be ${expectedName(expected)}, not ${describeInput(input)}`,
            typeFix(expected, input, schema),
          );
        break;
      }
      case "invalid_value": {
        const values = issue.values.map(String);
        if (input === undefined) {
          at("is missing", missingFix(segments[segments.length - 1], "string", schema));
          break;
        }
        const text = typeof input === "string" ? input : String(input);
        at(`${quote(input)} is not one of ${values.join(", ")}`, oneOf(text, values));
        break;
      }
      case "unrecognized_keys": {
        const known = objectKeys(schema) ?? [];
        for (const key of issue.keys) {
          const guess = closest(key, known);
          at(
            "is not a known key",
            guess !== undefined
              ? `rename it to "${guess}"`
              : `remove it (known keys: ${known.join(", ")})`,
            [...segments, key],
          );
        }
        break;
      }
      case "too_small": {
        const min = Number(issue.minimum);
        if (issue.origin === "string") at("must not be empty", "write a value, or remove the key");
        else if (issue.origin === "array")
          at(`must list at least ${min} item${min === 1 ? "" : "s"}`, "add the missing items");
        else if (issue.inclusive === false)
          at(`(${String(input)}) must be greater than ${min}`, `use a value above ${min}`);
        else at(`(${String(input)}) must be at least ${min}`, `use a value of ${min} or more`);
        break;
      }
      case "too_big": {
        const max = Number(issue.maximum);
        if (issue.origin === "string")
          at(`is longer than ${max} characters`, `shorten it to ${max} characters or fewer`);
        else if (issue.origin === "array")
          at(`lists more than ${max} items`, `keep at most ${max}`);
        else at(`(${String(input)}) must be at most ${max}`, `use a value of ${max} or less`);
        break;
      }
      case "invalid_union": {
        // Report the branch whose type matched (the others fail on the type alone).
        const branch = issue.errors.find(
          (errors) =>
            errors.length > 0 &&
            !errors.some((e) => e.code === "invalid_type" && e.path.length === 0),
        );
        if (branch) out.push(...fromZodIssues(branch, root, segments));
        else
          at(
            `must be text, a number, true/false or a { secret }, { ref } or { generate } mapping, not ${describeInput(input)}`,
            `write e.g. "value", { secret: openaiApiKey }, { ref: postgres.DATABASE_URL } or { generate: { length: 32 } }`,
          );
        break;
      }
      default:
        at(issue.message, REFERENCE_DOC);
    }
  }
  return out;
}

/** Removes repeated lines, keeping the first occurrence. */
export function uniqueIssues(issues: readonly ConfigIssue[]): ConfigIssue[] {
  const seen = new Set<string>();
  return issues.filter((issue) => {
    const line = formatIssue(issue);
    if (seen.has(line)) return false;
    seen.add(line);
    return true;
  });
}
