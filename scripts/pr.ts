/**
 * `npm run pr -- up <n> --branch <branch>` / `npm run pr -- down <n>`: PR preview stacks `pr-<n>`
 * with Pulumi's Automation API (see scripts/lib/pr-stack.ts). Exit codes: 0 done, 1 failed,
 * 2 bad command line.
 *
 * The PR stack's config is written to `Pulumi.pr-<n>.yaml` in the project directory (never
 * committed; `.gitignore` has `/Pulumi.pr-*.yaml`). Backend and passphrase come from the
 * environment like for any `pulumi` command (scripts/with-toolchain.sh sets local defaults).
 */
import { resolve } from "node:path";

import { UsageError } from "./lib/argv";
import { installInterruptHandlers } from "./lib/interrupt";
import { PR_USAGE, parsePrArgs } from "./lib/pr-args";
import { formatDownSummary, formatUpSummary } from "./lib/pr-output";
import { PrError, prDown, prUp } from "./lib/pr-stack";
import { processStreams, type Streams } from "./lib/streams";

export type { Streams };

/** The repository root: the default project directory. */
export const REPO_ROOT = resolve(__dirname, "..");

/** Runs `npm run pr` with `argv` (the arguments after `--`); resolves to the exit code. */
export async function main(
  argv: readonly string[],
  streams: Streams = processStreams,
): Promise<number> {
  let args;
  try {
    args = parsePrArgs(argv, REPO_ROOT);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    streams.stderr(`pr: error: ${err.message}\n\n${PR_USAGE}\n`);
    return 2;
  }
  if (args.command === "help") {
    streams.stdout(`${PR_USAGE}\n`);
    return 0;
  }

  // With --json, stdout carries only the JSON document.
  const say = args.json ? streams.stderr : streams.stdout;
  const io = { progress: say, info: (line: string) => say(`${line}\n`) };
  try {
    if (args.command === "up") {
      const summary = await prUp(args, io);
      if (args.json) streams.stdout(`${JSON.stringify(summary, null, 2)}\n`);
      else streams.stdout(`\n${formatUpSummary(summary)}`);
    } else {
      const summary = await prDown(args, io);
      if (args.json) streams.stdout(`${JSON.stringify(summary, null, 2)}\n`);
      else streams.stdout(`${summary.existed ? "\n" : ""}${formatDownSummary(summary)}`);
    }
    return 0;
  } catch (err) {
    if (err instanceof PrError) {
      streams.stderr(`pr ${args.command}: error: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
}

if (require.main === module) {
  installInterruptHandlers({
    name: "pr",
    advice:
      "run the same command again to finish; if Pulumi says the stack is locked by an update that is no longer running, run `pulumi cancel -s <stack>` first",
  });
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`pr: unexpected error: ${(err as Error)?.stack ?? String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
