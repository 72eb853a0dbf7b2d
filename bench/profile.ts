/**
 * `npm run bench:profile [-- <stack>|floor]`: where the time of a no-op `pulumi preview` goes.
 * Brings the stack (default dev; `floor`: the empty program of bench/floor.ts) up against an
 * in-process emulator, then runs a no-op preview with `NODE_OPTIONS=--cpu-prof`, so the Node
 * processes of the run that exit normally (the program under the language host; not the plugins,
 * which the engine kills) write a V8 CPU profile, and prints per process its self time by where
 * the code lives (a package, the project's own files, Node's internals) and its heaviest
 * functions, and the heaviest call paths (inclusive time). `--keep <dir>` keeps the .cpuprofile
 * files (open them in Chrome DevTools).
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startEmulator } from "../emulator/server";
import { runCommand } from "../scripts/lib/process";
import { createWorkspace } from "../tests/helpers/pulumi-cli";
import { createFloorProject } from "./floor";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** Where a script lives: `pkg:<name>`, `project:<dir>`, `node:internal`, or `(vm)` for eval'd code. */
function area(url: string): string {
  if (!url) return "(native/gc/idle)";
  if (url.startsWith("node:")) return "node:internal";
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return `pkg:${pkg[1]}`;
  const project = /\/(infra|bench|scripts|emulator|tests)\/([^/]+)/.exec(url);
  if (project) return `project:${project[1]}/${(project[2] ?? "").replace(/\.ts$/, "")}`;
  return url.startsWith("file:") || url.startsWith("/") ? "other files" : "(vm)";
}

export interface ProfileSummary {
  file: string;
  totalMs: number;
  byArea: [string, number][];
  topFunctions: [string, number][];
  /** Time with the function anywhere on the stack, for the project's and Pulumi's entry points. */
  inclusive: [string, number][];
}

const frameName = (frame: ProfileNode["callFrame"]): string =>
  `${frame.functionName || "(anonymous)"} ${frame.url.replace(/^.*node_modules\//, "").replace(/^file:\/\/\/tmp\/[^/]+\//, "")}:${frame.lineNumber + 1}`;

/** Code whose inclusive time the summary lists: the program, ts-node, and the SDK's entry points. */
const INTERESTING =
  /infra\/|bench\/floor|ts-node\/dist\/index|@pulumi\/pulumi\/(index|cmd\/run\/run|runtime\/(index|resource|closure\/serializeClosure)|resource|automation\/index|dynamic\/index|tsutils)\.js|source-map-support\.js|@pulumi\/(random|command)\/index|zod\/|yaml\/dist\/index/;

/** Self time per area and per function, from the samples. */
export function summarize(file: string, profile: CpuProfile, top = 12): ProfileSummary {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfMs = new Map<number, number>();
  profile.samples.forEach((id, i) => {
    selfMs.set(id, (selfMs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  const byArea = new Map<string, number>();
  const byFunction = new Map<string, number>();
  for (const [id, ms] of selfMs) {
    const frame = nodes.get(id)?.callFrame;
    if (!frame) continue;
    const where = area(frame.url);
    byArea.set(where, (byArea.get(where) ?? 0) + ms);
    const name = frameName(frame);
    byFunction.set(name, (byFunction.get(name) ?? 0) + ms);
  }
  // Inclusive: each sample counts once for every distinct function on its stack.
  const parents = new Map<number, number>();
  for (const node of profile.nodes)
    for (const child of node.children ?? []) parents.set(child, node.id);
  const inclusive = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const ms = (profile.timeDeltas[i] ?? 0) / 1000;
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parents.get(at)) {
      const frame = nodes.get(at)?.callFrame;
      if (!frame || !INTERESTING.test(frame.url)) continue;
      const name = frameName(frame);
      if (seen.has(name)) continue;
      seen.add(name);
      inclusive.set(name, (inclusive.get(name) ?? 0) + ms);
    }
  });
  const sorted = (map: Map<string, number>) =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .map(([key, ms]): [string, number] => [key, Math.round(ms)]);
  return {
    file,
    totalMs: Math.round((profile.endTime - profile.startTime) / 1000),
    byArea: sorted(byArea).slice(0, top),
    topFunctions: sorted(byFunction).slice(0, top),
    inclusive: sorted(inclusive).slice(0, top * 3),
  };
}

function option(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

async function main(): Promise<void> {
  const stack =
    process.argv.slice(2).find((arg, i, all) => !arg.startsWith("--") && all[i - 1] !== "--keep") ??
    "dev";
  const keep = option("keep");
  const emulator = await startEmulator({ port: 0, seed: 1 });
  const workspace = await createWorkspace({ emulator });
  const profiles = mkdtempSync(join(tmpdir(), "railway-stacks-profile-"));
  try {
    const run = async (args: string[], env: NodeJS.ProcessEnv = {}) => {
      const cwd = stack === "floor" ? createdFloor : workspace.dir;
      const result = await runCommand(
        "pulumi",
        [...args, "--non-interactive", "--color", "never"],
        {
          cwd,
          env: { ...workspace.env, ...env },
        },
      );
      if (result.code !== 0)
        throw new Error(`profile: pulumi ${args.join(" ")} failed:\n${result.output}`);
    };
    const createdFloor = stack === "floor" ? createFloorProject(workspace.dir) : "";
    if (stack !== "floor") workspace.stackFile(stack);
    await run(["stack", "select", stack, "--create", "--secrets-provider", "passphrase"]);
    if (stack === "production")
      await run(["config", "set", "--secret", "openaiApiKey", "sk-profile", "-s", stack]);
    await run(["up", "--yes", "--skip-preview", "-s", stack]);
    await run(["preview", "--expect-no-changes", "-s", stack], {
      NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${profiles}`,
    });
    const files = readdirSync(profiles).filter((file) => file.endsWith(".cpuprofile"));
    for (const file of files) {
      const summary = summarize(
        file,
        JSON.parse(readFileSync(join(profiles, file), "utf8")) as CpuProfile,
      );
      process.stdout.write(
        `\n${summary.file}: ${summary.totalMs} ms profiled\n  self time by area:\n`,
      );
      for (const [where, ms] of summary.byArea)
        process.stdout.write(`    ${String(ms).padStart(6)} ms  ${where}\n`);
      process.stdout.write("  heaviest functions (self time):\n");
      for (const [name, ms] of summary.topFunctions)
        process.stdout.write(`    ${String(ms).padStart(6)} ms  ${name}\n`);
      process.stdout.write("  program, ts-node and SDK entry points (inclusive time):\n");
      for (const [name, ms] of summary.inclusive)
        process.stdout.write(`    ${String(ms).padStart(6)} ms  ${name}\n`);
    }
    if (keep) cpSync(profiles, keep, { recursive: true });
  } finally {
    rmSync(profiles, { recursive: true, force: true });
    await workspace.close();
    await emulator.close();
  }
}

if (require.main === module) {
  main().catch((error: Error) => {
    process.stderr.write(`${error.stack ?? error.message}\n`);
    process.exit(1);
  });
}
