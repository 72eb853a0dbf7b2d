/**
 * `npm run config:check -- <stack> [--config <file>]`: the stack file checked without Pulumi, in
 * well under a second: the YAML, the size Pulumi can pass on (infra/config/size.ts), and every
 * rule of the config schema. `npm start` (scripts/up.sh) runs it before `pulumi up`, so a stack
 * that would make Pulumi fail late, or hang, fails here first.
 *
 * Exit codes: 0 valid, 1 problems found (one line each, `<key>: <problem>. Fix: <change>`),
 * 2 bad command line.
 */
import { join, resolve } from "node:path";

import { APP_CONFIG_KEY, PROJECT_NAME } from "../infra/config/constants";
import { type ConfigIssue, formatIssues } from "../infra/config/issues";
import { parseStackConfig } from "../infra/config/parse";
import { formatPrAdjustment, prAdjustments } from "../infra/config/pr-adjustments";
import { MAX_PULUMI_CONFIG_BYTES, pulumiConfigBytes } from "../infra/config/size";
import { UsageError, resolveUserPath, splitArgv, stringOption } from "./lib/argv";
import { readStackConfig, splitConfig, stackFileSizeIssue } from "./lib/stack-file";
import { processStreams, type Streams } from "./lib/streams";

export const REPO_ROOT = resolve(__dirname, "..");

export const CONFIG_CHECK_USAGE = `Usage:
  npm run config:check -- <stack> [--config <file>]

Checks Pulumi.<stack>.yaml without running Pulumi: that it is YAML, that its config fits in what
Pulumi can pass to the program and the policy pack (${MAX_PULUMI_CONFIG_BYTES} bytes), and every
rule of the config schema. Exit codes: 0 valid, 1 problems found, 2 bad command line.

Options:
  --config <file>   the stack file (default: Pulumi.<stack>.yaml in the repository root)
  -h, --help        show this help`;

const STACK_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/;

/** Runs `npm run config:check` with `argv`; resolves to the exit code. */
export function main(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
  streams: Streams = processStreams,
): number {
  let stack: string;
  let configFile: string;
  try {
    const parsed = splitArgv(argv, { config: "string", help: "boolean" });
    if (parsed.options.help === true) {
      streams.stdout(`${CONFIG_CHECK_USAGE}\n`);
      return 0;
    }
    const [name, ...extra] = parsed.positionals;
    if (name === undefined) throw new UsageError(`missing the stack to check, e.g. production`);
    if (!STACK_NAME.test(name))
      throw new UsageError(
        `"${name}" is not a stack name: use letters, digits, "-", "_" and ".", e.g. production`,
      );
    if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
    stack = name;
    const given = stringOption(parsed, "config");
    configFile =
      given === undefined ? join(REPO_ROOT, `Pulumi.${stack}.yaml`) : resolveUserPath(given, env);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    streams.stderr(`config:check: error: ${err.message}\n\n${CONFIG_CHECK_USAGE}\n`);
    return 2;
  }

  let config;
  try {
    config = splitConfig(readStackConfig(configFile));
  } catch (err) {
    streams.stderr(`config:check: error: ${(err as Error).message}\n`);
    return 1;
  }
  const tooBig = stackFileSizeIssue(config, stack);
  if (tooBig !== undefined) {
    // Checked first and alone: a config this size is rejected whatever else it holds.
    streams.stderr(`config:check: ${configFile}:\n${formatIssues([tooBig])}\n`);
    return 1;
  }
  const app = config.plain[`${PROJECT_NAME}:${APP_CONFIG_KEY}`];
  const issues: ConfigIssue[] = [];
  if (app === undefined) {
    issues.push({
      path: `${PROJECT_NAME}:${APP_CONFIG_KEY}`,
      problem: `is missing from ${configFile}`,
      fix: `add the stack object under config: "${PROJECT_NAME}:${APP_CONFIG_KEY}" (see docs/config-reference.md)`,
    });
  }
  const parsed = app === undefined ? undefined : parseStackConfig(app, stack);
  if (parsed !== undefined && !parsed.ok) issues.push(...parsed.issues);
  if (issues.length > 0) {
    streams.stderr(`config:check: ${configFile}:\n${formatIssues(issues)}\n`);
    return 1;
  }
  const services = parsed?.ok ? Object.keys(parsed.config.services).length : 0;
  const bytes = pulumiConfigBytes({ ...config.plain, ...config.ciphertexts });
  streams.stdout(
    `config:check: stack ${stack} is valid: ${services} app service${services === 1 ? "" : "s"}, config ${bytes} of ${MAX_PULUMI_CONFIG_BYTES} bytes\n`,
  );
  if (parsed?.ok && parsed.config.tier === "preview") {
    const adjustments = prAdjustments(parsed.config).map(formatPrAdjustment);
    if (adjustments.length > 0)
      streams.stdout(
        `PR stacks derived from it differ:\n${adjustments.map((line) => `  ${line}`).join("\n")}\n`,
      );
  }
  return 0;
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2));
}
