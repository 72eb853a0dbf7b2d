/**
 * `npm run drift -- <stack> [--cwd <dir>]`: every setting and variable that is live in Railway
 * but differs from what the stack declares, per service. Exit 0 when there is none, 1 when there
 * is drift, 2 on a bad command line, 3 when the preview could not run.
 *
 * It runs `pulumi preview --refresh --json -s <stack>` in the project: the refresh reads what is
 * live into a copy of the state (a preview saves nothing), and the plan from there to the program
 * is exactly the drift. For ServiceInstances the differences are listed leaf by leaf
 * (`deploy.numReplicas: 1 → 3`, declared → live); variable values are never printed, only their
 * names. Secret values are compared with `--show-secrets` on the JSON this script parses and
 * never prints.
 */
import { resolve } from "node:path";
import { differences, serviceInstanceView } from "../infra/railway/environment-config";
import type { ServiceInstanceInputs } from "../infra/domain/types";
import { UsageError } from "./lib/argv";
import { runCommand } from "./lib/process";
import { processStreams, type Streams } from "./lib/streams";

export const DRIFT_USAGE = "usage: npm run drift -- <stack> [--cwd <project dir>]";

interface PreviewStep {
  op: string;
  urn: string;
  diffReasons?: string[];
  oldState?: { type: string; inputs?: Record<string, unknown> };
  newState?: { type: string; inputs?: Record<string, unknown> };
}

export interface ResourceDrift {
  /** Railway service name, or the resource's Pulumi name for other resources. */
  name: string;
  type: string;
  lines: string[];
}

const SERVICE_INSTANCE = /\/railway:ServiceInstance$/;
/** Railway's own resources; others (the gate command, random secrets) have no live side to drift. */
const RAILWAY_RESOURCE = /dynamic\/railway:/;

export function parseDriftArgs(argv: string[]): { stack: string; cwd: string } {
  const positionals: string[] = [];
  let cwd = process.cwd();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--cwd") {
      const value = argv[++i];
      if (!value) throw new UsageError("--cwd needs a directory");
      cwd = resolve(value);
    } else if (arg.startsWith("-")) {
      throw new UsageError(`unknown option ${arg}`);
    } else {
      positionals.push(arg);
    }
  }
  if (positionals.length !== 1)
    throw new UsageError(positionals.length === 0 ? "name the stack" : "name one stack");
  return { stack: positionals[0]!, cwd };
}

/** Drift per resource from the steps of a refreshing preview (declared → live). */
export function driftFromPreview(steps: PreviewStep[]): ResourceDrift[] {
  const drift: ResourceDrift[] = [];
  for (const step of steps) {
    if (step.op === "same" || step.op === "read" || step.op === "refresh") continue;
    const type = step.newState?.type ?? step.oldState?.type ?? "";
    if (!RAILWAY_RESOURCE.test(type)) continue;
    const name = step.urn.split("::").at(-1) ?? step.urn;
    if (step.op === "create") {
      drift.push({ name, type, lines: ["missing in Railway (the stack declares it)"] });
      continue;
    }
    if (step.op === "delete") {
      drift.push({ name, type, lines: ["no longer declared by the stack"] });
      continue;
    }
    const live = step.oldState?.inputs;
    const declared = step.newState?.inputs;
    if (SERVICE_INSTANCE.test(type) && live && declared) {
      const lines = differences(
        serviceInstanceView(declared as unknown as ServiceInstanceInputs),
        serviceInstanceView(live as unknown as ServiceInstanceInputs),
      );
      if (lines.length) drift.push({ name: String(declared.serviceName ?? name), type, lines });
      continue;
    }
    const reasons = step.diffReasons ?? [];
    if (reasons.length) drift.push({ name, type, lines: reasons.map((r) => `${r}: differs`) });
  }
  return drift;
}

export function formatDrift(stack: string, drift: ResourceDrift[]): string {
  if (drift.length === 0) return `drift: stack ${stack} matches what is live in Railway.\n`;
  const lines = [`drift: stack ${stack} differs from what is live in Railway (declared → live):`];
  for (const resource of drift) {
    lines.push(`  ${resource.name}:`);
    for (const line of resource.lines) lines.push(`    ${line}`);
  }
  lines.push(
    `Fix: put the live values in Pulumi.${stack}.yaml to keep them, or run pulumi up -s ${stack} to restore the declared ones.`,
  );
  return `${lines.join("\n")}\n`;
}

export async function main(argv: string[], streams: Streams = processStreams): Promise<number> {
  let args: { stack: string; cwd: string };
  try {
    args = parseDriftArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    streams.stderr(`drift: ${error.message}\n${DRIFT_USAGE}\n`);
    return 2;
  }
  const result = await runCommand(
    "pulumi",
    ["preview", "--refresh", "--json", "--show-secrets", "--non-interactive", "-s", args.stack],
    { cwd: args.cwd, env: process.env },
  );
  let steps: PreviewStep[] | undefined;
  try {
    steps = (JSON.parse(result.stdout) as { steps?: PreviewStep[] }).steps ?? [];
  } catch {
    steps = undefined;
  }
  if (result.code !== 0 || steps === undefined) {
    // stderr only: stdout is the JSON, which holds secrets in plain text.
    streams.stderr(
      `drift: pulumi preview --refresh -s ${args.stack} failed (exit ${result.code}):\n${result.stderr}`,
    );
    return 3;
  }
  const drift = driftFromPreview(steps);
  streams.stdout(formatDrift(args.stack, drift));
  return drift.length ? 1 : 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: Error) => {
      process.stderr.write(`drift: ${error.message}\n`);
      process.exitCode = 3;
    },
  );
}
