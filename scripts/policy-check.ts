/**
 * `npm run policy:check -- <stack> [--config <file>]`: the policy pack over one stack config with
 * the real Pulumi CLI, as a table.
 *
 * In a scratch copy of the project (throwaway file backend, the config written as
 * `Pulumi.<stack>.yaml`) it runs
 *   pulumi preview -s <stack> --policy-pack <pack> --policy-pack-config <pack config> --json
 * with `PULUMI_ENABLE_STREAMING_JSON_PREVIEW=true`, because the plain `--json` digest of Pulumi
 * 3.259 leaves policy events out (see scripts/lib/policy-events.ts). Without RAILWAY_API_TOKEN the
 * preview talks to a Railway emulator started in this process (a new stack's preview only checks
 * inputs, so it makes few or no API calls). Secrets the config needs but the scratch stack cannot
 * have (encrypted values, unset required keys) get dummy values, and the output says so.
 *
 * Exit codes: 0 no mandatory violation, 1 mandatory violations, 2 bad command line, 3 the preview
 * failed before the policies could judge the stack (e.g. the config itself is invalid).
 */
import { relative, resolve } from "node:path";

import type { RunningEmulator } from "../emulator/server";
import { APP_CONFIG_KEY, PROJECT_NAME } from "../infra/config/constants";
import { formatIssue } from "../infra/config/issues";
import { parseStackConfig, prNumberOf, secretReferences } from "../infra/config/parse";
import { formatPrAdjustment, prAdjustments } from "../infra/config/pr-adjustments";
import { UsageError } from "./lib/argv";
import { installInterruptHandlers, onInterrupt } from "./lib/interrupt";
import { POLICY_CHECK_USAGE, parsePolicyCheckArgs, type PolicyCheckArgs } from "./lib/policy-args";
import { parsePreviewOutput, type PreviewAnalysis } from "./lib/policy-events";
import { loadPackPolicies, packProblems, readPackConfig } from "./lib/policy-pack";
import {
  type PackPolicy,
  type RuleRow,
  type Verdict,
  formatTable,
  formatViolations,
  resultText,
  ruleRows,
  verdict,
  violationMessage,
} from "./lib/policy-report";
import { createScratchProject } from "./lib/scratch-project";
import {
  type StackFileConfig,
  qualifyKey,
  readStackConfig,
  splitConfig,
  stackFileSizeIssue,
} from "./lib/stack-file";
import { processStreams, type Streams } from "./lib/streams";

export type { Streams };

export const REPO_ROOT = resolve(__dirname, "..");

/** The value that stands in for secrets the scratch stack cannot have. */
export const DUMMY_SECRET = "policy-check-dummy-secret";

export interface SecretPlan {
  /** Fully qualified keys to set to {@link DUMMY_SECRET} as secrets. */
  dummies: string[];
  /** One line per dummy, saying why. */
  notes: string[];
}

/**
 * Which secrets get dummies: every `secure:` value of the file (its ciphertext belongs to the real
 * stack's secrets provider), and every secret key the app config requires (`{ secret: key }`
 * without `optional: true`) that the file does not set.
 */
export function planSecrets(config: StackFileConfig): SecretPlan {
  const dummies: string[] = [];
  const notes: string[] = [];
  for (const key of config.secureKeys) {
    dummies.push(key);
    notes.push(`${key} is encrypted in the stack file: a dummy secret stands in for it`);
  }
  const users = new Map<string, string[]>();
  for (const ref of secretReferences(config.plain[`${PROJECT_NAME}:${APP_CONFIG_KEY}`])) {
    const key = qualifyKey(ref.configKey);
    if (ref.optional || key in config.plain || config.secureKeys.includes(key)) continue;
    users.set(key, [...(users.get(key) ?? []), ref.path.join(".")]);
  }
  for (const [key, paths] of [...users].sort(([a], [b]) => a.localeCompare(b))) {
    dummies.push(key);
    notes.push(
      `${key} (needed by ${paths.join(", ")}) is not set: a dummy secret stands in for it`,
    );
  }
  return { dummies, notes };
}

export interface CheckReport {
  stack: string;
  configFile: string;
  policyPack: string;
  policyPackConfig: string;
  /** Where the preview's Railway API calls went. */
  railwayApi: string;
  /** GraphQL requests the in-process emulator received (undefined with a real token). */
  apiCalls?: number;
  secretNotes: string[];
  /** For a PR stack (`pr-<n>`): the preview settings it drops or lowers, `<key>: <what>`. */
  prAdjustments: string[];
  pack: PackPolicy[];
  rows: RuleRow[];
  /** True when the policies judged at least one resource. */
  judged: boolean;
  analysis: PreviewAnalysis;
  verdict: Verdict;
}

/** A failure before the preview could run (exit 3, printed without a stack trace). */
export class CheckError extends Error {}

/** Runs the check; `log` receives progress lines. */
export async function runPolicyCheck(
  args: PolicyCheckArgs,
  env: NodeJS.ProcessEnv,
  log: (line: string) => void,
): Promise<CheckReport> {
  const problems = packProblems(args.policyPack, args.policyPackConfig);
  let stackConfig: StackFileConfig;
  try {
    stackConfig = splitConfig(readStackConfig(args.configFile));
  } catch (err) {
    problems.push((err as Error).message);
    stackConfig = { plain: {}, secureKeys: [] };
  }
  if (problems.length > 0) throw new CheckError(problems.join("\n"));
  // Before anything starts: Pulumi cannot even start the program of a config this big.
  const tooBig = stackFileSizeIssue(stackConfig, args.stack);
  if (tooBig !== undefined) throw new CheckError(`${args.configFile}:\n${formatIssue(tooBig)}`);
  const packConfig = readPackConfig(args.policyPackConfig);
  const secrets = planSecrets(stackConfig);

  let emulator: RunningEmulator | undefined;
  const closeOnInterrupt = onInterrupt(() => emulator?.close());
  let railwayApi: string;
  const baseEnv: NodeJS.ProcessEnv = { ...env, PULUMI_ENABLE_STREAMING_JSON_PREVIEW: "true" };
  if (env.RAILWAY_API_TOKEN) {
    railwayApi = `${env.RAILWAY_GRAPHQL_ENDPOINT || "Railway"} (RAILWAY_API_TOKEN is set)`;
  } else {
    // Loaded only now, so a config rejected above never pays for loading the emulator (seconds
    // on a busy machine). A dynamic import() would be ESM, which ts-node's CommonJS hook skips.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { startEmulator } = require("../emulator/server") as typeof import("../emulator/server");
    emulator = await startEmulator({
      port: 0,
      onInternalError: (err) => log(`emulator: ${err.message}`),
    });
    baseEnv.RAILWAY_GRAPHQL_ENDPOINT = emulator.url;
    baseEnv.RAILWAY_API_TOKEN = emulator.token;
    railwayApi = "a Railway emulator started in-process (RAILWAY_API_TOKEN is not set)";
  }

  const scratch = createScratchProject(args.projectDir, baseEnv);
  const removeOnInterrupt = onInterrupt(() => scratch.remove());
  try {
    scratch.writeStackConfig(args.stack, stackConfig.plain);
    const init = await scratch.pulumi([
      "stack",
      "init",
      args.stack,
      "--secrets-provider",
      "passphrase",
    ]);
    if (init.code !== 0)
      throw new CheckError(`pulumi stack init ${args.stack} failed:\n${init.stderr.trim()}`);
    if (secrets.dummies.length > 0) {
      const set = await scratch.pulumi([
        "config",
        "set-all",
        "-s",
        args.stack,
        ...secrets.dummies.flatMap((key) => ["--secret", `${key}=${DUMMY_SECRET}`]),
      ]);
      if (set.code !== 0)
        throw new CheckError(`setting dummy secrets failed:\n${set.stderr.trim()}`);
    }
    log(`Running pulumi preview -s ${args.stack} with the policy pack ...`);
    const running = scratch.pulumi([
      "preview",
      "-s",
      args.stack,
      "--policy-pack",
      args.policyPack,
      "--policy-pack-config",
      args.policyPackConfig,
      "--json",
    ]);
    // Loading the pack's rules (about a second) overlaps the preview.
    const pack = loadPackPolicies(args.policyPack);
    const preview = await running;
    const analysis = parsePreviewOutput(preview.stdout);
    if (!analysis.streamed && preview.code !== 0 && preview.stderr.trim() !== "") {
      analysis.errors.push(preview.stderr.trim());
    }
    if (preview.code !== 0 && analysis.result === undefined) analysis.result = "failed";
    const rows = ruleRows(pack, analysis, packConfig);
    return {
      stack: args.stack,
      configFile: args.configFile,
      policyPack: args.policyPack,
      policyPackConfig: args.policyPackConfig,
      railwayApi,
      apiCalls: emulator?.counters().requests,
      secretNotes: secrets.notes,
      prAdjustments: prAdjustmentsOf(args.stack, stackConfig),
      pack,
      rows,
      judged: analysis.passed.size + analysis.failed.size + analysis.violations.length > 0,
      analysis,
      verdict: verdict(args.stack, rows, analysis),
    };
  } finally {
    removeOnInterrupt();
    closeOnInterrupt();
    scratch.remove();
    await emulator?.close();
  }
}

/** What PR stack `stack` drops or lowers of the preview config it holds (none for other stacks). */
function prAdjustmentsOf(stack: string, config: StackFileConfig): string[] {
  if (prNumberOf(stack) === undefined) return [];
  const parsed = parseStackConfig(config.plain[`${PROJECT_NAME}:${APP_CONFIG_KEY}`], stack);
  return parsed.ok ? prAdjustments(parsed.config).map(formatPrAdjustment) : [];
}

function shortPath(path: string, base: string): string {
  const rel = relative(base, path);
  return rel !== "" && !rel.startsWith("..") ? rel : path;
}

/** Under the table of a non-production stack: what LEVEL means for rules without violations. */
export const PASS_LEVEL_NOTE =
  "LEVEL of a rule without violations is its configured level; outside production, rules that only\n" +
  "matter for production report their violations as advisory (policies/README.md).";

/** The whole human-readable report. */
export function formatReport(report: CheckReport, projectDir: string): string {
  const calls =
    report.apiCalls === undefined
      ? ""
      : `; ${report.apiCalls} API call${report.apiCalls === 1 ? "" : "s"}`;
  const out = [
    `Policy check of stack ${report.stack}`,
    `  Config:       ${shortPath(report.configFile, projectDir)}`,
    `  Policy pack:  ${shortPath(report.policyPack, projectDir)} (config ${shortPath(report.policyPackConfig, projectDir)})`,
    `  Railway API:  ${report.railwayApi}${calls}`,
    ...report.secretNotes.map(
      (note, i) => `  ${i === 0 ? "Secrets:      " : "              "}${note}`,
    ),
    ...report.prAdjustments.map(
      (line, i) => `  ${i === 0 ? "PR stack:     " : "              "}${line}`,
    ),
    "",
  ];
  if (report.analysis.errors.length > 0) {
    out.push(
      "Errors:",
      ...report.analysis.errors.flatMap((error) => error.split("\n").map((line) => `  ${line}`)),
      "",
    );
  }
  if (report.judged) {
    out.push(formatTable(report.rows));
    if (report.stack !== "production" && report.rows.some((row) => row.status === "pass")) {
      out.push(`${PASS_LEVEL_NOTE}\n`);
    }
    const violations = formatViolations(report.rows, report.pack);
    if (violations) out.push("Violations:", violations);
  } else {
    out.push("No policy judged any resource: the program stopped before declaring them.", "");
  }
  out.push(report.verdict.line);
  return out.join("\n") + "\n";
}

/** The --json document. */
export function reportJson(report: CheckReport): unknown {
  const descriptions = new Map(report.pack.map((policy) => [policy.name, policy.description]));
  return {
    stack: report.stack,
    configFile: report.configFile,
    policyPack: report.policyPack,
    policyPackConfig: report.policyPackConfig,
    railwayApi: report.railwayApi,
    apiCalls: report.apiCalls,
    secretNotes: report.secretNotes,
    prAdjustments: report.prAdjustments,
    errors: report.analysis.errors,
    rules: report.judged
      ? report.rows.map((row) => ({
          rule: row.rule,
          level: row.level,
          result: resultText(row),
          violations: row.violations.map((violation) => ({
            resource: violation.resource,
            type: violation.type,
            level: violation.level,
            message: violationMessage(violation, descriptions.get(row.rule)),
          })),
        }))
      : [],
    verdict: report.verdict.line,
    exitCode: report.verdict.exitCode,
  };
}

/** Runs `npm run policy:check` with `argv`; resolves to the exit code. */
export async function main(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
  streams: Streams = processStreams,
): Promise<number> {
  let args;
  try {
    args = parsePolicyCheckArgs(argv, REPO_ROOT, env);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    streams.stderr(`policy:check: error: ${err.message}\n\n${POLICY_CHECK_USAGE}\n`);
    return 2;
  }
  if (args.command === "help") {
    streams.stdout(`${POLICY_CHECK_USAGE}\n`);
    return 0;
  }
  try {
    const report = await runPolicyCheck(args, env, (line) => streams.stderr(`${line}\n`));
    streams.stdout(
      args.json
        ? `${JSON.stringify(reportJson(report), null, 2)}\n`
        : formatReport(report, args.projectDir),
    );
    return report.verdict.exitCode;
  } catch (err) {
    if (!(err instanceof CheckError)) throw err;
    streams.stderr(`policy:check: error: ${err.message}\n`);
    return 3;
  }
}

if (require.main === module) {
  installInterruptHandlers({ name: "policy:check" });
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(
        `policy:check: unexpected error: ${(err as Error)?.stack ?? String(err)}\n`,
      );
      process.exitCode = 3;
    },
  );
}
