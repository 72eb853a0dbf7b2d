/**
 * `npm run cost -- [<stack>...] [--config <file>] [--base <file>] [--json]`: the estimated Railway
 * bill of stack configs, from the resolved config (tier defaults merged, validated) with the model
 * in infra/cost. No Pulumi CLI, no Railway API: it reads `Pulumi.<stack>.yaml` like
 * `npm run policy:check` does.
 *
 * Without stacks it prices dev, preview and production (the files that exist) and their total.
 * `pr-<n>` prices a PR stack derived from the preview config. `--base` compares one stack with
 * another version of its config (e.g. the base branch's, `git show origin/main:Pulumi.production.yaml`).
 *
 * Exit codes: 0 printed, 1 a config is invalid or missing, 2 bad command line.
 */
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";

import { APP_CONFIG_KEY, PROJECT_NAME } from "../infra/config/constants";
import { formatIssues } from "../infra/config/issues";
import { parseStackConfig, prNumberOf } from "../infra/config/parse";
import { derivePrStackConfig } from "../infra/config/pr";
import type { ParsedStackConfig } from "../infra/config/types";
import { estimateStackCost, type StackCostEstimate } from "../infra/cost";
import { UsageError, resolveUserPath, splitArgv, stringOption } from "./lib/argv";
import { buildReport, formatReport, reportJson } from "./lib/cost-report";
import { readStackConfig, splitConfig } from "./lib/stack-file";
import { processStreams, type Streams } from "./lib/streams";

export const REPO_ROOT = resolve(__dirname, "..");

export const COST_USAGE = `Usage:
  npm run cost -- [<stack>...] [--config <file>] [--base <file>] [--project-dir <dir>] [--json]

Estimates each stack's Railway bill per month from its resolved config: per service, replicas x
(vCPU limit x $/vCPU + memory limit x $/GB) as the upper bound, that times the service's
expectedUtilization as the lower bound, plus volume size x $/GB. Without stacks: dev, preview and
production, and their total. pr-<n> prices a PR stack derived from the preview config.

Options:
  --config <file>      the stack file (one stack only; default: <project-dir>/Pulumi.<stack>.yaml)
  --base <file>        another version of the stack's file: print the change against it (one stack)
  --project-dir <dir>  where the Pulumi.<stack>.yaml files are (default: the repository root)
  --json               print the estimate as JSON
  -h, --help           show this help`;

const OPTIONS = {
  config: "string",
  base: "string",
  "project-dir": "string",
  json: "boolean",
  help: "boolean",
} as const;

const DEFAULT_STACKS = ["dev", "preview", "production"] as const;
const STACK_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/;

/** A stack config that can't be priced (exit 1). */
export class CostError extends Error {}

/** Reads, validates and resolves the app config of `file` for `stack`. */
export function loadParsedConfig(file: string, stack: string): ParsedStackConfig {
  let raw: unknown;
  try {
    raw = splitConfig(readStackConfig(file)).plain[`${PROJECT_NAME}:${APP_CONFIG_KEY}`];
  } catch (err) {
    throw new CostError((err as Error).message);
  }
  if (raw === undefined) {
    throw new CostError(`${file} has no ${PROJECT_NAME}:${APP_CONFIG_KEY} object to price`);
  }
  const parsed = parseStackConfig(raw, stack);
  if (!parsed.ok)
    throw new CostError(`${file} is not a valid stack config:\n${formatIssues(parsed.issues)}`);
  return parsed.config;
}

/** The estimate of `stack`; a `pr-<n>` stack is derived from the preview config in `file`. */
export function estimateFile(file: string, stack: string): StackCostEstimate {
  const prNumber = prNumberOf(stack);
  if (prNumber === undefined) return estimateStackCost(loadParsedConfig(file, stack));
  const preview = loadParsedConfig(file, "preview");
  return estimateStackCost(
    derivePrStackConfig(preview, { prNumber, branch: preview.project.protectedBranch }),
  );
}

/** Runs `npm run cost` with `argv` (the arguments after `--`); resolves to the exit code. */
export async function main(
  argv: readonly string[],
  streams: Streams = processStreams,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  let stacks: string[];
  let files: Map<string, string>;
  let baseFile: string | undefined;
  let json: boolean;
  try {
    const parsed = splitArgv(argv, OPTIONS);
    if (parsed.options.help === true) {
      streams.stdout(`${COST_USAGE}\n`);
      return 0;
    }
    const path = (name: string): string | undefined => {
      const value = stringOption(parsed, name);
      return value === undefined ? undefined : resolveUserPath(value, env);
    };
    const projectDir = path("project-dir") ?? REPO_ROOT;
    const explicit = parsed.positionals;
    for (const stack of explicit) {
      if (!STACK_NAME.test(stack)) {
        throw new UsageError(
          `"${stack}" is not a stack name: use letters, digits, "-", "_" and ".", e.g. production`,
        );
      }
    }
    const config = path("config");
    baseFile = path("base");
    if ((config !== undefined || baseFile !== undefined) && explicit.length !== 1) {
      throw new UsageError(
        `--${config !== undefined ? "config" : "base"} prices one stack: name exactly one, e.g. npm run cost -- production --${config !== undefined ? "config" : "base"} <file>`,
      );
    }
    const fileOf = (stack: string): string =>
      join(projectDir, `Pulumi.${prNumberOf(stack) === undefined ? stack : "preview"}.yaml`);
    stacks =
      explicit.length > 0 ? explicit : DEFAULT_STACKS.filter((stack) => existsSync(fileOf(stack)));
    if (stacks.length === 0) {
      throw new UsageError(`no Pulumi.<stack>.yaml in ${projectDir}: name a stack and --config`);
    }
    files = new Map(stacks.map((stack) => [stack, config ?? fileOf(stack)]));
    json = parsed.options.json === true;
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    streams.stderr(`cost: error: ${err.message}\n\n${COST_USAGE}\n`);
    return 2;
  }

  try {
    const estimates = stacks.map((stack) => estimateFile(files.get(stack)!, stack));
    const previewFile = stacks.includes("preview") ? files.get("preview") : undefined;
    const report = buildReport(estimates, {
      ...(previewFile ? { pr: estimateFile(previewFile, "pr-1") } : {}),
      ...(baseFile ? { base: estimateFile(baseFile, stacks[0]!) } : {}),
    });
    streams.stdout(
      json ? `${JSON.stringify(reportJson(report), null, 2)}\n` : formatReport(report),
    );
    return 0;
  } catch (err) {
    if (err instanceof CostError) {
      streams.stderr(`cost: error: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`cost: unexpected error: ${(err as Error)?.stack ?? String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
