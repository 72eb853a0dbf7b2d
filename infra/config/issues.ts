/**
 * Config problems as users read them: one line per problem,
 * `<yaml path>: <problem>. Fix: <what to change>`, where the path is the exact key in Pulumi's
 * `--path` syntax (`railway-stacks:app.services.ml.replicas`), so it can be pasted into
 * `pulumi config set --path`.
 */
import { z } from "zod";

import { APP_CONFIG_KEY, PROJECT_NAME } from "./constants";
import { closest, oneOf, quote } from "../domain/rules";
import { isDataServiceName, isNamedForm } from "./data-services";
import { type AnySchema, docOf, enumValues, objectKeys, schemaAt } from "./walk";

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

export type PathSegment = string | number;

// The suggestion vocabulary lives with the rules that make suggestions (a leaf module).
export {
  FIELD_SUGGESTION_RULES,
  SUGGESTION_RULES,
  type Suggestion,
  type SuggestionRule,
} from "../domain/rules";
import type { Suggestion, SuggestionRule } from "../domain/rules";

/** How checks pass a suggestion along on a zod custom issue (`params.suggest`). */
export interface SuggestParams {
  fix: string;
  suggest?: Suggestion;
}

export interface ConfigIssue {
  /** Full YAML/config path, e.g. `railway-stacks:app.services.ml.replicas`. */
  path: string;
  /** Path segments under `railway-stacks:app` (what `path` renders). */
  segments?: PathSegment[];
  /** What is wrong (no trailing period). */
  problem: string;
  /** What to change (no trailing period). */
  fix: string;
  /** The value (or key) the fix suggests, when it names one. */
  suggestion?: Suggestion;
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

/** True when the field's own schema (formats included, cross-field checks not) accepts `value`. */
function acceptedBy(schema: AnySchema | undefined, value: unknown): boolean {
  return schema !== undefined && z.safeParse(schema, value).success;
}

interface Fix {
  fix: string;
  suggestion?: Suggestion;
}

/**
 * The fix for a value of the wrong type. A concrete value is suggested only when the field's own
 * schema accepts it (a quoted "0" for `replicas` is not fixed by writing 0).
 */
function typeFix(expected: string, input: unknown, schema: AnySchema | undefined): Fix {
  const values = enumValues(schema);
  if (values) return { fix: `use one of ${values.join(", ")}` };
  const accepts = (value: unknown): boolean => acceptedBy(schema, value);
  const suggest = (rule: SuggestionRule, value: unknown, fix: string, otherwise: string): Fix =>
    accepts(value) ? { fix, suggestion: { rule, value } } : { fix: otherwise };
  switch (expected) {
    case "number":
    case "int": {
      const fallback = `write ${expected === "int" ? "a whole number" : "a number"}`;
      return typeof input === "string" && input.trim() !== "" && Number.isFinite(Number(input))
        ? suggest(
            "unquote-number",
            Number(input),
            `write ${input.trim()} without quotes`,
            `${fallback} (${input.trim()} is not allowed here; ${REFERENCE_DOC})`,
          )
        : { fix: fallback };
    }
    case "boolean":
      return typeof input === "string" && /^(true|false)$/i.test(input)
        ? suggest(
            "unquote-boolean",
            input.toLowerCase() === "true",
            `write ${input.toLowerCase()} without quotes`,
            `write true or false`,
          )
        : { fix: `write true or false` };
    case "string":
      return typeof input === "number" || typeof input === "boolean"
        ? suggest(
            "quote-text",
            String(input),
            `quote it: "${String(input)}"`,
            `write it as text (${REFERENCE_DOC})`,
          )
        : { fix: `write it as text` };
    case "object":
    case "record":
      return { fix: `write a mapping of keys to values (${REFERENCE_DOC})` };
    case "array":
      return typeof input === "string"
        ? suggest(
            "wrap-in-list",
            [input],
            `write a list: [${quote(input)}]`,
            `write a list, e.g. [a, b] (${REFERENCE_DOC})`,
          )
        : { fix: `write a list, e.g. [a, b]` };
    default:
      return { fix: REFERENCE_DOC };
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
  /** The value validated against `root`, for issues that do not carry their input (unions). */
  rootInput?: unknown,
): ConfigIssue[] {
  const out: ConfigIssue[] = [];
  for (const issue of issues) {
    const segments = [...prefix, ...toSegments(issue.path)];
    const at = (
      problem: string,
      fix: string | Fix,
      path = segments,
      suggestion?: Suggestion,
    ): void => {
      const found = typeof fix === "string" ? { fix, suggestion } : fix;
      out.push({
        path: yamlPath(path),
        segments: path,
        problem,
        fix: found.fix,
        ...(found.suggestion ? { suggestion: found.suggestion } : {}),
      });
    };
    const schema = schemaAt(root, segments);
    const input = (issue as { input?: unknown }).input ?? valueAt(rootInput, segments);

    switch (issue.code) {
      case "custom": {
        const params = issue.params as Partial<SuggestParams> | undefined;
        at(issue.message, params?.fix ?? REFERENCE_DOC, segments, params?.suggest);
        break;
      }
      case "invalid_type": {
        const expected = String(issue.expected);
        if (input === undefined)
          at("is missing", missingFix(segments[segments.length - 1], expected, schema));
        else if (expected === "int")
          at(`must be a whole number, not ${String(input)}`, "write a whole number");
        else if (expected === "string" && typeof input === "number" && schema && docOf(schema).size)
          at(`must be a size with its unit, not the number ${input}`, sizeFix(input));
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
        const guess = closest(text, values);
        const value = issue.values.find((candidate) => String(candidate) === guess);
        at(
          `${quote(input)} is not one of ${values.join(", ")}`,
          oneOf(text, values),
          segments,
          guess !== undefined ? { rule: "closest-value", value } : undefined,
        );
        break;
      }
      case "unrecognized_keys": {
        const known = objectKeys(schema) ?? [];
        const kind = schema === undefined ? undefined : docOf(schema).dataService;
        for (const key of issue.keys) {
          const guess = closest(key, known);
          const value = isObject(input) ? input[key] : undefined;
          if (kind !== undefined && guess === undefined && isObject(value)) {
            // Settings next to what looks like a named instance: the forms cannot be mixed.
            at(
              `is not a ${kind} setting, and named ${kind} instances cannot sit next to ${kind} settings`,
              `to declare named instances, write only instances under ${kind} and move the settings into each (e.g. ${kind}.${key}.image); else remove "${key}"`,
              [...segments, key],
            );
            continue;
          }
          at(
            "is not a known key",
            guess !== undefined
              ? `rename it to "${guess}"`
              : `remove it (known keys: ${known.join(", ")})`,
            [...segments, key],
            guess !== undefined ? { rule: "rename-key", renameTo: guess } : undefined,
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
        else
          at(
            `(${String(input)}) must be at least ${min}`,
            `use a value of ${min} or more`,
            segments,
            {
              rule: "minimum",
              value: min,
            },
          );
        break;
      }
      case "too_big": {
        const max = Number(issue.maximum);
        if (issue.origin === "string")
          at(`is longer than ${max} characters`, `shorten it to ${max} characters or fewer`);
        else if (issue.origin === "array")
          at(`lists more than ${max} items`, `keep at most ${max}`);
        else if (issue.inclusive === false)
          at(`(${String(input)}) must be less than ${max}`, `use a value below ${max}`);
        else
          at(
            `(${String(input)}) must be at most ${max}`,
            `use a value of ${max} or less`,
            segments,
            {
              rule: "maximum",
              value: max,
            },
          );
        break;
      }
      case "invalid_union": {
        // A data-service key: report the branch of the form the file uses (./data-services.ts).
        const kind = schema === undefined ? undefined : docOf(schema).dataService;
        if (kind !== undefined && isDataServiceName(kind)) {
          const branch = issue.errors[isNamedForm(kind, input) ? 1 : 0] ?? [];
          out.push(...fromZodIssues(branch, root, segments, rootInput));
          break;
        }
        // Report the branch whose type matched (the others fail on the type alone).
        const branch = issue.errors.find(
          (errors) =>
            errors.length > 0 &&
            !errors.some((e) => e.code === "invalid_type" && e.path.length === 0),
        );
        if (branch) out.push(...fromZodIssues(branch, root, segments, rootInput));
        else
          at(
            `must be text, a number, true/false or a { secret }, { ref }, { generate } or { notSecret } mapping, not ${describeInput(input)}`,
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

/** The value at `path` under `value`, if there is one. */
function valueAt(value: unknown, path: readonly PathSegment[]): unknown {
  let current = value;
  for (const key of path) {
    if (typeof current !== "object" || current === null) return undefined;
    current = (current as Record<PathSegment, unknown>)[key];
  }
  return current;
}

/**
 * The fix for a size written as a bare number: the same number of megabytes with its unit, when
 * that is a size at all (0, negative and fractional numbers are not).
 */
function sizeFix(input: number): Fix {
  if (!Number.isInteger(input) || input <= 0)
    return {
      fix: `write a whole number of megabytes or gigabytes with its unit, e.g. "512MB" or "10GB"`,
    };
  const value = `${input}MB`;
  return {
    fix: input % 1024 === 0 ? `write "${value}" or "${input / 1024}GB"` : `write "${value}"`,
    suggestion: { rule: "size-with-unit", value },
  };
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
