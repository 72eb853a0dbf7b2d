/**
 * Runs a command and measures it: wall time, and peak memory of its whole process tree (the
 * Pulumi CLI, its language host, the Node program and the provider plugins), sampled from /proc,
 * plus, from GNU `/usr/bin/time` when that is installed, the CPU seconds of the whole tree (user +
 * system of the command and every descendant it waited for: the CLI waits for its plugins and
 * language host, which wait for Node) and the largest single process's peak RSS.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { processTree, spawnCaptured } from "../scripts/lib/process";

export interface Measured {
  code: number;
  stdout: string;
  stderr: string;
  output: string;
  wallMs: number;
  /** Highest sum of the RSS of every process in the tree, sampled every `sampleMs`; null without /proc. */
  peakTreeRssMB: number | null;
  /** Peak RSS of the largest single process (GNU time's %M); null without /usr/bin/time. */
  maxProcessRssMB: number | null;
  /** User + system CPU seconds of the command and its waited-for descendants (GNU time's %U + %S); null without /usr/bin/time. */
  cpuSeconds: number | null;
}

const GNU_TIME = "/usr/bin/time";
const HAS_PROC = existsSync("/proc/self/status");

/** Resident set size in kB (0 for a process that is gone or a zombie). */
function rssKB(pid: number): number {
  try {
    const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

const mb = (kb: number): number => Math.round(kb / 102.4) / 10;

export async function measure(
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs?: number; sampleMs?: number },
): Promise<Measured> {
  const useTime = existsSync(GNU_TIME);
  const scratch = mkdtempSync(join(tmpdir(), "railway-stacks-bench-"));
  const timeFile = join(scratch, "time.txt");
  const [file, argv] = useTime
    ? [GNU_TIME, ["-f", "%U %S %M", "-o", timeFile, command, ...args]]
    : [command, args];
  const started = performance.now();
  const { child, done } = spawnCaptured(file, argv, {
    cwd: options.cwd,
    env: options.env,
    timeoutMs: options.timeoutMs ?? 600_000,
  });
  let peakKB = 0;
  const sample = (): void => {
    if (!HAS_PROC || child.pid === undefined) return;
    const total = processTree(child.pid).reduce((sum, pid) => sum + rssKB(pid), 0);
    if (total > peakKB) peakKB = total;
  };
  const sampler = setInterval(sample, options.sampleMs ?? 100);
  const result = await done.finally(() => clearInterval(sampler));
  const wallMs = performance.now() - started;
  let maxProcessRssMB: number | null = null;
  let cpuSeconds: number | null = null;
  if (useTime) {
    // The last line; GNU time writes "Command exited with non-zero status N" above it on failure.
    const lines = existsSync(timeFile) ? readFileSync(timeFile, "utf8").trim().split("\n") : [];
    const [user = NaN, system = NaN, kb = NaN] = (lines.at(-1) ?? "").split(" ").map(Number);
    if (Number.isFinite(kb) && kb > 0) maxProcessRssMB = mb(kb);
    if (Number.isFinite(user) && Number.isFinite(system))
      cpuSeconds = Math.round((user + system) * 100) / 100;
  }
  rmSync(scratch, { recursive: true, force: true });
  return {
    ...result,
    wallMs: Math.round(wallMs),
    peakTreeRssMB: HAS_PROC ? mb(peakKB) : null,
    maxProcessRssMB,
    cpuSeconds,
  };
}

/** The "Resources:" summary of a Pulumi command's output, e.g. `{ created: 35 }` or `{ unchanged: 35 }`. */
export function resourceSummary(output: string): Record<string, number> {
  const summary: Record<string, number> = {};
  const section = output.slice(output.lastIndexOf("Resources:"));
  const pattern =
    /^\s+(?:[+~-]|\+-)?\s*(\d+) (to create|created|to update|updated|to delete|deleted|to replace|replaced|unchanged|errored)\b/gm;
  for (const match of section.matchAll(pattern)) {
    const key = match[2]!.replace(/ (\w)/, (_match, letter: string) => letter.toUpperCase());
    summary[key] = Number(match[1]);
  }
  return summary;
}
