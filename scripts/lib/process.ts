/**
 * Running a child process and collecting what it prints, for the scripts, the benchmark and the
 * end-to-end tests alike; and the process tree under a pid (from /proc).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout and stderr interleaved as they arrived: what a user sees. */
  output: string;
}

export interface SpawnOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** SIGTERM after this long. @default no limit */
  timeoutMs?: number;
}

/** Starts `command`; `done` settles when it exits (rejects when it cannot be started). */
export function spawnCaptured(
  command: string,
  args: readonly string[],
  options: SpawnOptions,
): { child: ChildProcess; done: Promise<CommandResult> } {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => {
    stdout += chunk;
    output += chunk;
  });
  child.stderr!.on("data", (chunk: Buffer) => {
    stderr += chunk;
    output += chunk;
  });
  const timer =
    options.timeoutMs === undefined
      ? undefined
      : setTimeout(() => child.kill("SIGTERM"), options.timeoutMs);
  const done = new Promise<CommandResult>((resolve, reject) => {
    child.on("error", (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(
        err.code === "ENOENT"
          ? new Error(
              `${command} is not on PATH: run through npm (scripts/with-toolchain.sh puts it there)`,
            )
          : err,
      );
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr, output });
    });
  });
  return { child, done };
}

/** Runs `command` to the end. */
export const runCommand = (
  command: string,
  args: readonly string[],
  options: SpawnOptions,
): Promise<CommandResult> => spawnCaptured(command, args, options).done;

/** `root` and all its descendants. */
export function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      // Fields after "(comm)": state ppid ...
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // The process exited while we looked.
    }
  }
  const tree = [root];
  for (let i = 0; i < tree.length; i++) tree.push(...(children.get(tree[i]!) ?? []));
  return tree;
}
