/**
 * What `npm run policy:check` and `npm run pr` do when interrupted (Ctrl-C, or a CI timeout's
 * SIGTERM): pass the signal on to every process they started (the `pulumi` CLI, its language
 * host, plugins and policy pack), give them a grace period to stop, kill what is left (the CLI can
 * ignore SIGTERM while it waits on a plugin), run the registered clean-ups (scratch folder,
 * in-process emulator) and exit with 128 + the signal's number. A second signal skips the grace.
 */
import { readFileSync } from "node:fs";
import { constants } from "node:os";

import { processTree } from "./process";

/** How long the processes get to stop after the signal, before SIGKILL. @default 5000 */
export const DEFAULT_GRACE_MS = 5000;

/** How often the descendants are looked at while waiting. */
const POLL_MS = 100;

type Cleanup = () => void | Promise<void>;

const cleanups = new Set<Cleanup>();

/** Registers a clean-up for an interruption; call the returned function once it is done anyway. */
export function onInterrupt(cleanup: Cleanup): () => void {
  cleanups.add(cleanup);
  return () => cleanups.delete(cleanup);
}

/** True while `pid` runs (a zombie, exited but not yet reaped, counts as stopped). */
function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return false;
  }
}

function signal(pids: Iterable<number>, name: NodeJS.Signals): void {
  for (const pid of pids) {
    try {
      process.kill(pid, name);
    } catch {
      // Already gone.
    }
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export interface InterruptOptions {
  /** The script's name, for the messages (`policy:check`). */
  name: string;
  /** @default {@link DEFAULT_GRACE_MS} */
  graceMs?: number;
  /** Where the messages go. @default stderr */
  log?: (line: string) => void;
  /** Extra advice once stopped (e.g. how to resume). @default none */
  advice?: string;
}

/**
 * Installs the SIGINT and SIGTERM handlers of a script's process. Returns a function that removes
 * them.
 */
export function installInterruptHandlers(options: InterruptOptions): () => void {
  const graceMs = options.graceMs ?? DEFAULT_GRACE_MS;
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  // Every descendant ever seen: one whose parent died is re-parented and no longer under us.
  const known = new Set<number>();
  const look = (): number[] => {
    for (const pid of processTree(process.pid).slice(1)) known.add(pid);
    return [...known].filter(running);
  };
  let stopping = false;

  const stop = async (name: NodeJS.Signals): Promise<void> => {
    if (stopping) {
      log(`${options.name}: ${name} again: killing the remaining processes now`);
      signal(look(), "SIGKILL");
      return;
    }
    stopping = true;
    const started = look();
    log(
      `${options.name}: ${name} received: passing it to ${started.length} process${started.length === 1 ? "" : "es"} it started, then cleaning up`,
    );
    signal(started, name);
    const deadline = Date.now() + graceMs;
    let left = look();
    while (left.length > 0 && Date.now() < deadline) {
      await sleep(POLL_MS);
      left = look();
    }
    if (left.length > 0) {
      log(
        `${options.name}: ${left.length} process${left.length === 1 ? "" : "es"} still running after ${graceMs / 1000} s: killing ${left.length === 1 ? "it" : "them"}`,
      );
      const killDeadline = Date.now() + graceMs;
      while (left.length > 0 && Date.now() < killDeadline) {
        signal(left, "SIGKILL");
        await sleep(POLL_MS);
        left = look();
      }
    }
    for (const cleanup of [...cleanups].reverse()) {
      try {
        await cleanup();
      } catch (err) {
        log(`${options.name}: clean-up failed: ${(err as Error).message}`);
      }
    }
    if (options.advice) log(`${options.name}: ${options.advice}`);
    process.exit(128 + constants.signals[name]);
  };

  const handler = (name: NodeJS.Signals): void => void stop(name);
  process.on("SIGINT", handler);
  process.on("SIGTERM", handler);
  return () => {
    process.off("SIGINT", handler);
    process.off("SIGTERM", handler);
  };
}
