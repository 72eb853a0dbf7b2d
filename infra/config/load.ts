/**
 * `loadStackConfig`: the one call the program makes before declaring any resource. It reads
 * `railway-stacks:app`, validates it, checks that every secret config key it names is set, and
 * either returns the resolved {@link StackConfig} or throws ONE `pulumi.RunError` listing every
 * problem, one line each (`<yaml path>: <problem>. Fix: <what to change>`).
 */
import * as pulumi from "@pulumi/pulumi";

import { APP_CONFIG_KEY, PR_BRANCH_CONFIG_KEY, PR_SOURCE_STACK, PROJECT_NAME } from "./constants";
import { CONFIG_KEY } from "../domain/rules";
import { type ConfigIssue, formatIssues, yamlPath } from "./issues";
import { parseStackConfig, prNumberOf, secretReferences } from "./parse";
import { derivePrStackConfig } from "./pr";
import type {
  AppServiceConfig,
  ParsedStackConfig,
  StackConfig,
  VariableSpec,
  VariableValue,
} from "./types";

export { parseStackConfig, prNumberOf, secretReferences } from "./parse";
export type { ParseResult, SecretReference } from "./parse";

/** What the loader needs from a `pulumi.Config` (for project `railway-stacks`). */
export interface StackConfigSource {
  requireObject<T>(key: string): T;
  get(key: string): string | undefined;
  requireSecret(key: string): pulumi.Output<string>;
}

/** The error `loadStackConfig` throws: a RunError (printed without a stack trace) with the issues. */
export class StackConfigError extends pulumi.RunError {
  readonly issues: readonly ConfigIssue[];

  constructor(issues: readonly ConfigIssue[]) {
    super(formatIssues(issues));
    this.name = "StackConfigError";
    this.issues = issues;
  }
}

/** Problems with the secret config keys the stack object names: required keys must be set. */
export function missingSecretIssues(
  raw: unknown,
  config: Pick<StackConfigSource, "get">,
  stackName: string,
): ConfigIssue[] {
  return secretReferences(raw)
    .filter(
      (ref) =>
        !ref.optional && CONFIG_KEY.test(ref.configKey) && config.get(ref.configKey) === undefined,
    )
    .map((ref) => ({
      path: yamlPath(ref.path),
      problem: `needs secret config key "${ref.configKey}", which stack "${stackName}" does not set`,
      fix: `pulumi config set --secret ${ref.configKey} <value> -s ${stackName}`,
    }));
}

function loadVariables(
  variables: Record<string, VariableSpec>,
  config: StackConfigSource,
): Record<string, VariableValue> {
  const loaded: Record<string, VariableValue> = {};
  for (const [name, variable] of Object.entries(variables)) {
    if (variable.kind !== "secret") {
      loaded[name] = variable;
    } else if (config.get(variable.configKey) !== undefined) {
      loaded[name] = {
        kind: "secret",
        configKey: variable.configKey,
        value: config.requireSecret(variable.configKey),
      };
    }
    // An optional secret that is not set is left out.
  }
  return loaded;
}

function loadSecrets(parsed: ParsedStackConfig, config: StackConfigSource): StackConfig {
  const services: Record<string, AppServiceConfig> = {};
  for (const [name, service] of Object.entries(parsed.services)) {
    services[name] = {
      ...service,
      variables: loadVariables(service.variables, config),
    };
  }
  return {
    ...parsed,
    services,
    sharedVariables: loadVariables(parsed.sharedVariables, config),
  };
}

/**
 * Reads and validates the stack's config. `config` is `new pulumi.Config()` (project
 * `railway-stacks`), `stackName` is `pulumi.getStack()`.
 *
 * PR stacks (`pr-<n>`) hold a copy of the preview stack's `app` object plus
 * `railway-stacks:prBranch` (written by `npm run pr -- up <n>`, scripts/pr.ts); they get
 * {@link derivePrStackConfig} applied.
 *
 * @throws StackConfigError (a `pulumi.RunError`) listing every problem found.
 */
export function loadStackConfig(config: StackConfigSource, stackName: string): StackConfig {
  const raw = config.requireObject<unknown>(APP_CONFIG_KEY);
  const prNumber = prNumberOf(stackName);
  // A PR stack's object is the preview stack's: its defaults (the environment it names, which the
  // PR's environment is forked from) are the preview stack's. The PR's own come after.
  const parsed = parseStackConfig(raw, prNumber === undefined ? stackName : PR_SOURCE_STACK);
  const issues: ConfigIssue[] = [
    ...(parsed.ok ? [] : parsed.issues),
    ...missingSecretIssues(raw, config, stackName),
  ];

  const branch = config.get(PR_BRANCH_CONFIG_KEY);
  if (prNumber !== undefined && (branch === undefined || branch === "")) {
    issues.push({
      path: `${PROJECT_NAME}:${PR_BRANCH_CONFIG_KEY}`,
      problem: `is not set, and PR stack "${stackName}" deploys the pull request's branch`,
      fix: `pulumi config set ${PR_BRANCH_CONFIG_KEY} <branch> -s ${stackName}`,
    });
  }

  if (!parsed.ok || issues.length > 0) throw new StackConfigError(issues);
  const loaded = loadSecrets(parsed.config, config);
  return prNumber !== undefined && branch
    ? derivePrStackConfig(loaded, { prNumber, branch })
    : loaded;
}
