/**
 * `parseStackConfig`: raw stack object → tier defaults merged → validated and resolved by the
 * schema (./schema.ts) → the stack name added.
 * Pure (no Pulumi runtime), so tests and `npm run policy:check` can call it directly.
 */
import { prNumberOf, PRODUCTION_ENVIRONMENT } from "../domain/rules";
import { type ConfigIssue, fromZodIssues, uniqueIssues, yamlPath } from "./issues";
import { type ResolvedStack, StackConfigSchema } from "./schema";
import { TIERS, applyTierDefaults, isObject } from "./tiers";
import type { ParsedStackConfig } from "./types";

export type ParseResult =
  { ok: true; config: ParsedStackConfig } | { ok: false; issues: ConfigIssue[] };

export { prNumberOf };

/**
 * Validates the object under `railway-stacks:app` for stack `stackName`: merges the tier
 * defaults, checks every field and every cross-field rule, and returns either the resolved config
 * or every problem found.
 */
export function parseStackConfig(raw: unknown, stackName: string): ParseResult {
  const merged = applyTierDefaults(raw);
  const result = StackConfigSchema.safeParse(merged, { reportInput: true });
  const issues = [
    ...(result.success ? [] : fromZodIssues(result.error.issues, StackConfigSchema, [], merged)),
    ...stackIssues(raw, stackName),
  ].map((issue) => ({
    ...issue,
    fix: issue.fix.replace(/%STACK%/g, stackName),
  }));

  if (!result.success || issues.length > 0) return { ok: false, issues: uniqueIssues(issues) };
  return { ok: true, config: withStackName(result.data, stackName) };
}

/**
 * Checks that need the stack name or the whole tier: a stack named after a tier must have that
 * tier, and a production stack must deploy at least one app service.
 */
function stackIssues(raw: unknown, stackName: string): ConfigIssue[] {
  if (!isObject(raw)) return [];
  const tier = raw["tier"];
  if (typeof tier !== "string" || !(TIERS as readonly string[]).includes(tier)) return [];
  const services = raw["services"];
  const empty =
    services === undefined ||
    services === null ||
    (isObject(services) && Object.keys(services).length === 0);
  // A production stack with only data services is almost always a file cut short or a wrong
  // path: it would pass every policy while serving nothing. Dev and preview may start empty.
  const emptyProduction: ConfigIssue[] =
    tier === "production" && empty
      ? [
          {
            path: yamlPath(["services"]),
            segments: ["services"],
            problem: `lists no app service, so production stack "${stackName}" would deploy only its data services`,
            fix: `add the app services under "services" (see docs/config-reference.md), or check that this is the right Pulumi.${stackName}.yaml`,
          },
        ]
      : [];
  const expected =
    prNumberOf(stackName) !== undefined
      ? "preview"
      : (TIERS as readonly string[]).includes(stackName)
        ? stackName
        : undefined;
  if (expected === undefined || expected === tier) return emptyProduction;
  return [
    ...emptyProduction,
    {
      path: yamlPath(["tier"]),
      segments: ["tier"],
      problem: `is "${tier}" but stack "${stackName}" must be tier ${expected}`,
      fix: `set tier: ${expected}, or check that this is Pulumi.${stackName}.yaml`,
      suggestion: { rule: "stack-tier", value: expected },
    },
  ];
}

/**
 * The environment a stack owns when `project.environment` does not name one. Shared: production
 * stacks own `production`, the others the environment named after the stack (`railway
 * environment dev`). Isolated: the project's only environment, named after the tier.
 */
function defaultEnvironmentName(data: ResolvedStack, stackName: string): string {
  if (data.project.layout === "isolated") return data.tier;
  return data.tier === "production" ? PRODUCTION_ENVIRONMENT : stackName;
}

/** The schema's resolved stack object with what needs the stack name: `stack`, the environment. */
function withStackName(data: ResolvedStack, stackName: string): ParsedStackConfig {
  const environment = data.project.environment ?? defaultEnvironmentName(data, stackName);
  return { stack: stackName, ...data, project: { ...data.project, environment } };
}

// ---------------------------------------------------------------------------------------------
// Secret references (read from the raw object, so they can be checked even when parsing failed)

export interface SecretReference {
  /** Path segments under `railway-stacks:app`. */
  path: (string | number)[];
  configKey: string;
  optional: boolean;
}

/** Every `{ secret: <key> }` in `services.*.variables`, then in `sharedVariables`, in file order. */
export function secretReferences(raw: unknown): SecretReference[] {
  if (!isObject(raw)) return [];
  const found: SecretReference[] = [];
  const collect = (variables: unknown, at: (string | number)[]): void => {
    if (!isObject(variables)) return;
    for (const [name, variable] of Object.entries(variables)) {
      if (isObject(variable) && typeof variable["secret"] === "string") {
        found.push({
          path: [...at, name],
          configKey: variable["secret"],
          optional: variable["optional"] === true,
        });
      }
    }
  };
  if (isObject(raw["services"])) {
    for (const [service, value] of Object.entries(raw["services"])) {
      if (isObject(value)) collect(value["variables"], ["services", service, "variables"]);
    }
  }
  collect(raw["sharedVariables"], ["sharedVariables"]);
  return found;
}
