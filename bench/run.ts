/**
 * `npm run bench`: API calls, wall time, CPU seconds and peak memory of the stacks' lifecycle with
 * the real Pulumi CLI against an in-process emulator, program scale (preview time and memory for
 * 10/50/100 app services), and the provider-level call counts of bench/api-calls.ts. Every preview
 * and up is paired with the same command on the floor (bench/floor.ts: an empty TypeScript
 * program), run alternately in the same run, and reported as a ratio to it. Writes
 * bench/results.json (one JSON document, fixed structure) and prints a summary table. See
 * bench/README.md.
 *
 * Flags: `--out <file>` (default bench/results.json), `--scale 10,50,100`, `--pairs 3` (paired
 * runs of each no-op preview and up).
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";
import { join, resolve } from "node:path";
import { parse } from "yaml";
import type { RunningEmulator } from "../emulator/server";
import { startEmulator } from "../emulator/server";
import type { Counters } from "../emulator/request-log";
import { parseStackConfig } from "../infra/config";
import { createWorkspace, type Workspace } from "../tests/helpers/pulumi-cli";
import { deployMeasures } from "./deploys";
import { createFloorProject } from "./floor";
import { measure, resourceSummary, type Measured } from "./measure";
import { scaleStackFile } from "./scale";

const REPO_ROOT = resolve(__dirname, "..");
const STACKS = ["dev", "preview", "production"] as const;
type StackName = (typeof STACKS)[number];
const PR_NUMBER = 7;
const PR_BRANCH = "feature/bench";
/** Secrets the shipped stacks need (production requires openaiApiKey). */
const SECRETS: Record<StackName, Record<string, string>> = {
  dev: {},
  preview: {},
  production: { openaiApiKey: "sk-bench-production-key" },
};

interface Calls {
  requests: number;
  reads: number;
  writes: number;
  byOperation: Record<string, number>;
}

interface Minimum {
  calls: number;
  writes: number;
  reads: number;
  basis: string;
}

/** The same kind of command on the floor (an empty program), run alternately with the step's. */
interface FloorComparison {
  command: string;
  /** Median of the floor's runs paired with this step's runs. */
  wallMs: number;
  cpuSeconds: number | null;
  peakTreeRssMB: number | null;
  /** step wallMs / floor wallMs (medians). */
  wallRatio: number;
  /** step cpuSeconds / floor cpuSeconds (medians); null without GNU time. */
  cpuRatio: number | null;
}

interface Step {
  command: string;
  /** Median over `runs` runs (1 for a step that changes something). */
  wallMs: number;
  /** Each run's wall time, in order. */
  runsWallMs: number[];
  /** User + system CPU seconds of the whole process tree (median); null without GNU time. */
  cpuSeconds: number | null;
  /** Highest over the runs. */
  peakTreeRssMB: number | null;
  floor: FloorComparison;
  calls: Calls;
  resources: Record<string, number>;
  minimumCalls: Minimum;
  /** calls.requests / minimumCalls.calls; 1 when both are 0; null when only the minimum is 0. */
  ratio: number | null;
}

const sorted = (record: Record<string, number>): Record<string, number> =>
  Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));

function callsBetween(before: Counters, after: Counters): Calls {
  const byOperation: Record<string, number> = {};
  for (const [name, count] of Object.entries(after.byOperation)) {
    const delta = count - (before.byOperation[name] ?? 0);
    if (delta > 0) byOperation[name] = delta;
  }
  return {
    requests: after.requests - before.requests,
    reads: after.reads - before.reads,
    writes: after.writes - before.writes,
    byOperation: sorted(byOperation),
  };
}

const round2 = (value: number): number => Math.round(value * 100) / 100;

const ratio = (calls: number, minimum: number): number | null =>
  minimum === 0 ? (calls === 0 ? 1 : null) : round2(calls / minimum);

function median(values: number[]): number {
  const ordered = [...values].sort((a, b) => a - b);
  const middle = Math.floor(ordered.length / 2);
  const at = (index: number): number => ordered[index] ?? NaN;
  return ordered.length % 2 ? at(middle) : (at(middle - 1) + at(middle)) / 2;
}

/** Median of the values, or null when any is missing (no GNU time). */
const medianOrNull = (values: (number | null)[]): number | null =>
  values.some((value) => value === null) ? null : round2(median(values as number[]));

const maxOrNull = (values: (number | null)[]): number | null =>
  values.some((value) => value === null) ? null : Math.max(...(values as number[]));

/** Which floor command a step is compared with. */
type FloorKind = "preview" | "up";
const FLOOR_STACK = "floor";
const FLOOR_ARGS: Record<FloorKind, string[]> = {
  preview: ["preview", "--expect-no-changes", "-s", FLOOR_STACK],
  up: ["up", "--yes", "--skip-preview", "--expect-no-changes", "-s", FLOOR_STACK],
};

const writesOnly = (writes: number, basis: string): Minimum => ({
  calls: writes,
  writes,
  reads: 0,
  basis,
});

/** What Railway holds for one project: the objects a from-scratch `up` must create. */
function projectObjects(emulator: RunningEmulator, projectName: string) {
  const data = emulator.state.data;
  const projects = Object.values(data.projects).filter((project) => project.name === projectName);
  if (projects.length !== 1)
    throw new Error(`bench: expected one project "${projectName}", found ${projects.length}`);
  const id = projects[0]!.id;
  return {
    services: Object.values(data.services).filter((service) => service.projectId === id).length,
    volumes: Object.values(data.volumes).filter((volume) => volume.projectId === id).length,
    railwayDomains: Object.values(data.serviceDomains).filter((domain) => domain.projectId === id)
      .length,
  };
}

/**
 * From scratch: one create per Railway object that has its own create mutation, one
 * `volumeUpdate` per volume (Railway's `volumeCreate` takes no name, docs/railway-api.md §8, so a declared
 * name costs a rename), plus one config patch for everything else.
 */
function scratchMinimum(objects: ReturnType<typeof projectObjects>): Minimum {
  const writes = 1 + objects.services + 2 * objects.volumes + objects.railwayDomains + 1;
  return writesOnly(
    writes,
    `projectCreate 1 + serviceCreate ${objects.services} + volumeCreate ${objects.volumes} + volumeUpdate ${objects.volumes} (name) + ` +
      `serviceDomainCreate ${objects.railwayDomains} + 1 environmentPatchCommit (all service config, variables, ` +
      `volume sizes/backups, TCP proxies, custom domains); no reads`,
  );
}

/** What Railway holds, counted: the before/after of a step in the shared layout. */
function holdings(emulator: RunningEmulator) {
  const data = emulator.state.data;
  /** Services with a TCP proxy / custom domains in an environment: what Railway assigns. */
  const servicesWith = (records: { environmentId: string; serviceId: string }[], env: string) =>
    new Set(records.filter((r) => r.environmentId === env).map((r) => r.serviceId)).size;
  return {
    projects: Object.keys(data.projects).length,
    environments: Object.values(data.environments).map((env) => ({
      id: env.id,
      fork: env.sourceEnvironmentId !== null,
      /** Services with a TCP proxy / custom domains here: what Railway assigns, read per service. */
      tcpProxyServices: servicesWith(Object.values(data.tcpProxies), env.id),
      customDomainServices: servicesWith(Object.values(data.customDomains), env.id),
    })),
    services: Object.keys(data.services).length,
    volumes: Object.keys(data.volumes).length,
    serviceDomains: Object.values(data.serviceDomains).map((domain) => domain.environmentId),
    deployments: Object.keys(data.deployments).length,
  };
}

/**
 * From scratch in the shared layout (one project, an environment per stack): the project is
 * found by name (1 read) and created by the first stack only; a stack that finds it must also
 * read its environments and services (2 reads) to adopt what exists. Writes: one create per
 * object that did not exist (environment, services, volumes and their names, Railway domains),
 * plus ONE environment patch. A fork's environmentCreate brings copies of the source's services,
 * volumes and domains with it. Then what Railway assigns and the stack exports or waits for:
 * - 1 read of the environment's deployments when the patch started any (issue 11: an up follows
 *   Railway's deployment status; one listing finds every deployment the patch started);
 * - 1 read per service with a TCP proxy and per service with custom domains (the proxy's address
 *   and the domains' DNS records; Railway answers them per service: `tcpProxies(environmentId,
 *   serviceId)`, `domains(environmentId, projectId, serviceId)`; creating them with their own
 *   mutations instead, which answer with them, costs the same);
 * - 1 more patch in a new environment (not a fork) of a project that already has the services:
 *   Railway's `volumeCreate` needs the service's instance in the environment, so the instances
 *   are committed before the volumes and the sizes after.
 */
function sharedScratchMinimum(
  before: ReturnType<typeof holdings>,
  after: ReturnType<typeof holdings>,
): Minimum {
  const known = new Set(before.environments.map((env) => env.id));
  const created = after.environments.filter((env) => !known.has(env.id));
  const fork = created.some((env) => env.fork);
  const projects = after.projects - before.projects;
  const services = after.services - before.services;
  const volumes = fork ? 0 : after.volumes - before.volumes;
  const domains = fork ? 0 : after.serviceDomains.length - before.serviceDomains.length;
  // The listing that finds the project brings its environments; its services are one more read.
  const reads = projects > 0 ? 1 : 2;
  // A new project comes with its default environment: no environmentCreate for that one.
  const environments = created.length - projects;
  // The stack's environment: the one it created, else the one whose config it filled.
  const own =
    created[0] ??
    after.environments.find((env) => {
      const was = before.environments.find((b) => b.id === env.id);
      return (
        was !== undefined &&
        (env.tcpProxyServices !== was.tcpProxyServices ||
          env.customDomainServices !== was.customDomainServices)
      );
    });
  const assigned = fork || !own ? 0 : own.tcpProxyServices + own.customDomainServices;
  const followed = after.deployments > before.deployments ? 1 : 0;
  const instancesFirst =
    created.length > 0 && !fork && projects === 0 && before.services > 0 && volumes > 0 ? 1 : 0;
  const writes = projects + environments + services + 2 * volumes + domains + 1 + instancesFirst;
  const allReads = reads + followed + assigned;
  return {
    calls: allReads + writes,
    reads: allReads,
    writes,
    basis:
      `${reads === 1 ? "ProjectsList 1 (find the project by name)" : "ProjectsList 1 (with its environments) + services 1 (adopt what exists)"}; ` +
      `projectCreate ${projects} + environmentCreate ${environments}${fork ? " (a fork: copies of the source's services, volumes and domains)" : ""} + ` +
      `serviceCreate ${services} + volumeCreate ${volumes} + volumeUpdate ${volumes} (name) + serviceDomainCreate ${domains} + 1 environmentPatchCommit` +
      (instancesFirst ? " + 1 environmentPatchCommit (the instances, before their volumes)" : "") +
      `; deployments read ${followed} + TCP proxy / custom-domain reads ${assigned} (per service)`,
  };
}

const NO_CALLS = writesOnly(0, "nothing changed: no call needed");

class Bench {
  readonly steps: Record<string, Record<string, Step>> = {};
  /** The floor project (bench/floor.ts), with its stack created and brought up. */
  floorDir = "";

  constructor(
    readonly workspace: Workspace,
    readonly emulator: RunningEmulator,
    readonly pairs: number,
  ) {}

  /** Creates the floor project and its stack, and runs its first `up` (the stack resource). */
  async setUpFloor(): Promise<void> {
    this.floorDir = createFloorProject(this.workspace.dir);
    const options = { cwd: this.floorDir, env: this.workspace.env };
    for (const args of [
      ["stack", "select", FLOOR_STACK, "--create", "--secrets-provider", "passphrase"],
      ["up", "--yes", "--skip-preview", "-s", FLOOR_STACK],
    ]) {
      const result = await measure("pulumi", [...args, "--non-interactive"], options);
      if (result.code !== 0)
        throw new Error(`bench: floor: pulumi ${args.join(" ")} failed:\n${result.output}`);
    }
  }

  private async floorRun(kind: FloorKind): Promise<Measured> {
    const result = await measure(
      "pulumi",
      [...FLOOR_ARGS[kind], "--non-interactive", "--color", "never"],
      { cwd: this.floorDir, env: this.workspace.env },
    );
    if (result.code !== 0)
      throw new Error(`bench: floor ${kind} failed (exit ${result.code}):\n${result.output}`);
    return result;
  }

  /**
   * Runs a command in the workspace, with the emulator's counters around it, paired with the
   * floor's `floorKind` command: floor, step, floor, step, ... (`runs` pairs; only a command that
   * changes nothing can run more than once).
   */
  async run(
    label: string,
    command: string,
    args: string[],
    minimum: Minimum | ((result: Measured) => Minimum),
    options: { expectCode?: number; floorKind?: FloorKind; runs?: number } = {},
  ): Promise<{ step: Step; result: Measured }> {
    const floorKind = options.floorKind ?? (args.includes("preview") ? "preview" : "up");
    const floors: Measured[] = [];
    const results: Measured[] = [];
    const callsPerRun: Calls[] = [];
    // Same flags as the floor's runs, so both render their output the same way.
    if (command === "pulumi" && !args.includes("--non-interactive"))
      args = [...args, "--non-interactive", "--color", "never"];
    for (let pair = 0; pair < (options.runs ?? 1); pair++) {
      floors.push(await this.floorRun(floorKind));
      const before = this.emulator.counters();
      const result = await measure(command, args, {
        cwd: this.workspace.dir,
        env: this.workspace.env,
      });
      callsPerRun.push(callsBetween(before, this.emulator.counters()));
      if (result.code !== (options.expectCode ?? 0)) {
        throw new Error(
          `bench: ${label}: ${command} ${args.join(" ")} exited ${result.code}:\n${result.output}`,
        );
      }
      results.push(result);
    }
    const [calls] = callsPerRun;
    const result = results.at(-1);
    if (!calls || !result) throw new Error(`bench: ${label}: no run`);
    if (callsPerRun.some((c) => c.requests !== calls.requests))
      throw new Error(`bench: ${label}: repeated runs made different numbers of calls`);
    const min = typeof minimum === "function" ? minimum(result) : minimum;
    const wallMs = median(results.map((r) => r.wallMs));
    const cpuSeconds = medianOrNull(results.map((r) => r.cpuSeconds));
    const floorWallMs = median(floors.map((r) => r.wallMs));
    const floorCpu = medianOrNull(floors.map((r) => r.cpuSeconds));
    const step: Step = {
      command: `${command} ${args.map((arg) => (arg === this.workspace.dir ? "<project dir>" : arg)).join(" ")}`,
      wallMs,
      runsWallMs: results.map((r) => r.wallMs),
      cpuSeconds,
      peakTreeRssMB: maxOrNull(results.map((r) => r.peakTreeRssMB)),
      floor: {
        command: `pulumi ${FLOOR_ARGS[floorKind].join(" ")}`,
        wallMs: floorWallMs,
        cpuSeconds: floorCpu,
        peakTreeRssMB: maxOrNull(floors.map((r) => r.peakTreeRssMB)),
        wallRatio: round2(wallMs / floorWallMs),
        cpuRatio: cpuSeconds === null || !floorCpu ? null : round2(cpuSeconds / floorCpu),
      },
      calls,
      resources: resourceSummary(result.output),
      minimumCalls: min,
      ratio: ratio(calls.requests, min.calls),
      ...deployMeasures(this.emulator, result),
    };
    process.stderr.write(
      `bench: ${label}: ${(step.wallMs / 1000).toFixed(1)} s (${step.floor.wallRatio}× the floor's ${(floorWallMs / 1000).toFixed(1)} s), ` +
        `${cpuSeconds ?? "-"} CPU s, ${calls.requests} calls (${calls.reads} reads, ${calls.writes} writes)\n`,
    );
    return { step, result };
  }

  record(group: string, name: string, step: Step): void {
    (this.steps[group] ??= {})[name] = step;
  }

  pulumi(args: string[]) {
    return this.workspace.pulumi(args).then((result) => {
      if (result.code !== 0)
        throw new Error(`bench: pulumi ${args.join(" ")} failed:\n${result.output}`);
      return result;
    });
  }
}

/** A repo stack file without an `encryptionsalt` a local `pulumi config set --secret` may have added. */
const repoStackFile = (stack: string): string =>
  readFileSync(join(REPO_ROOT, `Pulumi.${stack}.yaml`), "utf8").replace(
    /^encryptionsalt:.*(\n|$)/m,
    "",
  );

function stackConfig(stack: string) {
  const raw = (parse(repoStackFile(stack)) as { config: Record<string, unknown> }).config[
    "railway-stacks:app"
  ];
  const parsed = parseStackConfig(raw, stack);
  if (!parsed.ok) throw new Error(`bench: Pulumi.${stack}.yaml is invalid`);
  return parsed.config;
}

async function benchStack(bench: Bench, stack: StackName): Promise<void> {
  const { workspace, emulator } = bench;
  const config = stackConfig(stack);
  workspace.stackFile(stack, repoStackFile(stack));
  await workspace.initStack(stack);
  for (const [key, value] of Object.entries(SECRETS[stack])) {
    await bench.pulumi(["config", "set", "--secret", key, value, "-s", stack]);
  }
  const up = ["up", "--yes", "--skip-preview", "-s", stack];

  const before = holdings(emulator);
  const scratch = await bench.run(`${stack} up from scratch`, "pulumi", up, () =>
    config.project.layout === "shared"
      ? sharedScratchMinimum(before, holdings(emulator))
      : scratchMinimum(projectObjects(emulator, config.project.name)),
  );
  bench.record(stack, "upFromScratch", scratch.step);

  const preview = await bench.run(
    `${stack} no-op preview`,
    "pulumi",
    ["preview", "--expect-no-changes", "-s", stack],
    NO_CALLS,
    { runs: bench.pairs },
  );
  bench.record(stack, "noopPreview", preview.step);

  const noop = await bench.run(
    `${stack} no-op up`,
    "pulumi",
    [...up, "--expect-no-changes"],
    NO_CALLS,
    { runs: bench.pairs },
  );
  bench.record(stack, "noopUp", noop.step);

  // The broker's replicas (production gives them per region: the first region's count).
  const broker = config.services.broker;
  if (!broker) throw new Error(`bench: ${stack} has no broker service`);
  const [region, replicas]: [string | undefined, number] = broker.regions
    ? (Object.entries(broker.regions)[0] as [string, number])
    : [undefined, broker.replicas];
  const path = region ? `app.services.broker.regions["${region}"]` : "app.services.broker.replicas";
  await bench.pulumi(["config", "set", "--path", path, String(replicas + 1), "-s", stack]);
  const update = await bench.run(
    `${stack} broker replicas ${region ? `in ${region} ` : ""}${replicas} → ${replicas + 1}`,
    "pulumi",
    up,
    {
      calls: 2,
      reads: 1,
      writes: 1,
      basis:
        "one environmentPatchCommit (the broker's replicas) + 1 read of the deployment it started (issue 11); " +
        "an etag-guarded environmentApplyChangeSet could refuse a concurrent dashboard edit without the config read this stack makes",
    },
  );
  if (update.step.resources.updated !== 1) {
    throw new Error(
      `bench: ${stack}: a one-service update changed ${JSON.stringify(update.step.resources)}`,
    );
  }
  bench.record(stack, "updateOneService", update.step);
}

/** PR stack up and down: scripts/pr.ts when present, else the same steps with the CLI. */
async function benchPr(bench: Bench): Promise<string> {
  const { workspace, emulator } = bench;
  const stack = `pr-${PR_NUMBER}`;
  const previewProject = stackConfig("preview").project;
  const shared = previewProject.layout === "shared";
  const projectName = shared ? previewProject.name : `${previewProject.name}-pr-${PR_NUMBER}`;
  const script = join(workspace.dir, "scripts", "pr.ts");
  const before = holdings(emulator);
  const scratch = () =>
    shared
      ? sharedScratchMinimum(before, holdings(emulator))
      : scratchMinimum(projectObjects(emulator, projectName));
  const down = shared
    ? writesOnly(1, "one environmentDelete (it removes everything in the PR's environment)")
    : writesOnly(1, "one projectDelete (it removes everything beneath)");
  if (existsSync(script)) {
    const node = ["-r", "ts-node/register/transpile-only", "scripts/pr.ts"];
    const dir = ["--project-dir", workspace.dir, "--json"];
    const upStep = await bench.run(
      "PR up",
      "node",
      [...node, "up", String(PR_NUMBER), "--branch", PR_BRANCH, ...dir],
      scratch,
    );
    bench.record("pr", "up", upStep.step);
    const downStep = await bench.run(
      "PR down",
      "node",
      [...node, "down", String(PR_NUMBER), ...dir],
      down,
    );
    bench.record("pr", "down", downStep.step);
    return "scripts/pr.ts (Automation API)";
  }
  await bench.pulumi([
    "stack",
    "init",
    stack,
    "--copy-config-from",
    "preview",
    "--secrets-provider",
    "passphrase",
  ]);
  await bench.pulumi(["config", "set", "railway-stacks:prBranch", PR_BRANCH, "-s", stack]);
  const upStep = await bench.run(
    "PR up",
    "pulumi",
    ["up", "--yes", "--skip-preview", "-s", stack],
    scratch,
  );
  bench.record("pr", "up", upStep.step);
  const downStep = await bench.run(
    "PR down",
    "pulumi",
    ["destroy", "--yes", "--skip-preview", "-s", stack],
    down,
  );
  bench.record("pr", "down", downStep.step);
  await bench.pulumi(["stack", "rm", stack, "--yes"]);
  return "pulumi CLI (stack init --copy-config-from preview + prBranch; destroy + stack rm)";
}

interface ScaleResult {
  appServices: number;
  resourcesToCreate: number;
  previewMs: number;
  runsWallMs: number[];
  cpuSeconds: number | null;
  peakTreeRssMB: number | null;
  maxProcessRssMB: number | null;
  floor: FloorComparison;
  calls: number;
}

/** `pulumi preview` of a fresh stack with `count` generated app services, paired with the floor's. */
async function benchScale(bench: Bench, count: number): Promise<ScaleResult> {
  const stack = `scale-${count}`;
  bench.workspace.stackFile(stack, scaleStackFile(count));
  await bench.workspace.initStack(stack);
  const { step, result } = await bench.run(
    `preview ${count} services`,
    "pulumi",
    ["preview", "-s", stack, "--non-interactive", "--color", "never"],
    writesOnly(0, "a preview makes no call"),
    { runs: bench.pairs, floorKind: "preview" },
  );
  return {
    appServices: count,
    resourcesToCreate: step.resources.toCreate ?? 0,
    previewMs: step.wallMs,
    runsWallMs: step.runsWallMs,
    cpuSeconds: step.cpuSeconds,
    peakTreeRssMB: step.peakTreeRssMB,
    maxProcessRssMB: result.maxProcessRssMB,
    floor: step.floor,
    calls: step.calls.requests,
  };
}

/** bench/api-calls.ts (a colleague's provider-level measurement), when present. */
async function providerLevel(): Promise<{ results: unknown; table: string } | null> {
  if (!existsSync(join(__dirname, "api-calls.ts"))) return null;
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- optional module, loaded only when present
  const module = require("./api-calls") as {
    measureProviderCalls?: () => Promise<Record<string, unknown>>;
    formatTable?: (results: never) => string;
  };
  if (!module.measureProviderCalls) return null;
  const results = await module.measureProviderCalls();
  return { results, table: module.formatTable ? module.formatTable(results as never) : "" };
}

function pad(text: string, width: number, right = false): string {
  return right ? text.padStart(width) : text.padEnd(width);
}

/** The readable summary. */
function summaryTable(
  steps: Record<string, Record<string, Step>>,
  scale: ScaleResult[],
  provider: { table: string } | null,
): string {
  const names: Record<string, string> = {
    upFromScratch: "up from scratch",
    noopPreview: "no-op preview",
    noopUp: "no-op up",
    updateOneService: "update 1 service",
    up: "PR up",
    down: "PR down",
  };
  const header = [
    "stack",
    "change",
    "wall s",
    "CPU s",
    "floor s",
    "×floor",
    "reads",
    "writes",
    "calls",
    "minimum",
    "ratio",
    "peak MB",
  ];
  const widths = [11, 17, 7, 6, 7, 6, 6, 7, 6, 8, 6, 8];
  const line = (cells: string[]) =>
    cells.map((cell, i) => pad(cell, widths[i]!, i >= 2)).join("  ");
  const rows = [line(header), line(widths.map((w) => "-".repeat(w)))];
  for (const [group, byName] of Object.entries(steps)) {
    for (const [name, step] of Object.entries(byName)) {
      rows.push(
        line([
          group,
          names[name] ?? name,
          (step.wallMs / 1000).toFixed(1),
          step.cpuSeconds === null ? "-" : step.cpuSeconds.toFixed(1),
          (step.floor.wallMs / 1000).toFixed(1),
          step.floor.wallRatio.toFixed(2),
          String(step.calls.reads),
          String(step.calls.writes),
          String(step.calls.requests),
          String(step.minimumCalls.calls),
          step.ratio === null ? "∞" : step.ratio.toFixed(2),
          step.peakTreeRssMB === null ? "-" : step.peakTreeRssMB.toFixed(0),
        ]),
      );
    }
  }
  const scaleRows = [
    "",
    "program scale (pulumi preview of a new dev stack: Postgres, Redis, NATS + N app services)",
    `${pad("services", 9)}  ${pad("resources", 9, true)}  ${pad("preview s", 9, true)}  ${pad("CPU s", 6, true)}  ${pad("×floor", 6, true)}  ${pad("tree peak MB", 12, true)}  ${pad("largest process MB", 18, true)}  ${pad("calls", 5, true)}`,
    ...scale.map(
      (s) =>
        `${pad(String(s.appServices), 9)}  ${pad(String(s.resourcesToCreate), 9, true)}  ${pad((s.previewMs / 1000).toFixed(1), 9, true)}  ` +
        `${pad(s.cpuSeconds === null ? "-" : s.cpuSeconds.toFixed(1), 6, true)}  ${pad(s.floor.wallRatio.toFixed(2), 6, true)}  ` +
        `${pad(s.peakTreeRssMB === null ? "-" : s.peakTreeRssMB.toFixed(0), 12, true)}  ${pad(s.maxProcessRssMB === null ? "-" : s.maxProcessRssMB.toFixed(0), 18, true)}  ${pad(String(s.calls), 5, true)}`,
    ),
  ];
  const providerRows = provider?.table
    ? ["", "provider level (bench/api-calls.ts: reads / writes per operation)", provider.table]
    : [];
  return [...rows, ...scaleRows, ...providerRows].join("\n");
}

/** A from-scratch step's call ratio against the minimum without the `volumeUpdate` renames. */
const withoutRenames = (step: Step): number | null =>
  ratio(
    step.calls.requests,
    step.minimumCalls.calls - Number(/volumeUpdate (\d+)/.exec(step.minimumCalls.basis)?.[1] ?? 0),
  );

interface Target {
  limit: number;
  values: Record<string, number | null>;
  met: boolean;
  /** A figure shown beside the issue's targets for comparison, not one of them. */
  reference?: true;
}

function target(
  limit: number,
  values: Record<string, number | null>,
  options: { reference?: true } = {},
): Target {
  const met = Object.values(values).every((value) => value !== null && value <= limit);
  return { limit, values, met, ...(options.reference ? { reference: true as const } : {}) };
}

/** The issue's targets, from the measured figures. */
function targets(steps: Record<string, Record<string, Step>>, scale: ScaleResult[]) {
  const byStack = (pick: (step: Record<string, Step | undefined>) => number | null) =>
    Object.fromEntries(STACKS.map((stack) => [stack, pick(steps[stack] ?? {})]));
  const size = (n: number) => scale.find((s) => s.appServices === n);
  const [fifty, hundred] = [size(50), size(100)];
  return {
    noopPreviewWallRatioToFloor: target(
      1.5,
      byStack((s) => s.noopPreview?.floor.wallRatio ?? null),
    ),
    preview100over50Services: target(2, {
      ratio: fifty && hundred ? round2(hundred.previewMs / fifty.previewMs) : null,
    }),
    upFromScratchCallRatio: target(1.3, {
      ...byStack((s) => s.upFromScratch?.ratio ?? null),
      ...(steps.pr?.up ? { pr: steps.pr.up.ratio } : {}),
    }),
    prDownWrites: target(2, { writes: steps.pr?.down ? steps.pr.down.calls.writes : null }),
    // For comparison, not a target: the minimum as the first bench stated it (without the
    // volume renames that Railway's `volumeCreate`, which takes no name, makes necessary).
    upFromScratchCallRatioWithoutRenames: target(
      1.3,
      {
        ...byStack((s) => (s.upFromScratch ? withoutRenames(s.upFromScratch) : null)),
        ...(steps.pr?.up ? { pr: withoutRenames(steps.pr.up) } : {}),
      },
      { reference: true },
    ),
  };
}

function targetRows(all: ReturnType<typeof targets>): string[] {
  return [
    "",
    "targets",
    ...Object.entries(all).map(
      ([name, t]) =>
        `${pad(name, 28)}  ≤ ${t.limit}  ${Object.entries(t.values)
          .map(([key, value]) => `${key} ${value ?? "-"}`)
          .join(", ")}  ${t.reference ? "(reference, not a target)" : t.met ? "met" : "NOT MET"}`,
    ),
  ];
}

function option(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

async function pulumiVersion(workspace: Workspace): Promise<string> {
  const result = await workspace.pulumi(["version"]);
  return result.stdout.trim();
}

async function main(): Promise<void> {
  const out = resolve(option("out") ?? join(__dirname, "results.json"));
  const sizes = (option("scale") ?? "10,50,100").split(",").map(Number);
  const pairs = Number(option("pairs") ?? 3);
  if (!Number.isInteger(pairs) || pairs < 1)
    throw new Error(`bench: --pairs must be a whole number of at least 1, got ${option("pairs")}`);
  const started = Date.now();
  const emulator = await startEmulator({ port: 0, seed: 1 });
  const workspace = await createWorkspace({ emulator });
  try {
    const bench = new Bench(workspace, emulator, pairs);
    await bench.setUpFloor();
    for (const stack of STACKS) await benchStack(bench, stack);
    const prMethod = await benchPr(bench);
    const scale: ScaleResult[] = [];
    for (const size of sizes) scale.push(await benchScale(bench, size));
    process.stderr.write("bench: provider level (bench/api-calls.ts)\n");
    const provider = await providerLevel();

    const { pr, ...stacks } = bench.steps;
    const results = {
      schemaVersion: 2,
      generatedAt: new Date().toISOString(),
      environment: {
        node: process.version,
        pulumi: await pulumiVersion(workspace),
        cpus: cpus().length,
        memoryGB: Math.round(totalmem() / 2 ** 30),
        platform: `${process.platform}-${process.arch}`,
        emulator: "in-process, no faults, no latency, seed 1",
        up: "pulumi up --yes --skip-preview (a preview makes no API call: dynamic providers check/diff locally)",
        floor: "an empty TypeScript program with the project's runtime options (bench/floor.ts)",
        pairs,
        loadAverage1m: round2(loadavg()[0] ?? NaN),
      },
      targets: targets(bench.steps, scale),
      stacks,
      pr: { method: prMethod, number: PR_NUMBER, branch: PR_BRANCH, ...pr },
      scale,
      providerLevel: provider?.results ?? null,
      totalWallMs: Date.now() - started,
    };
    writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
    process.stdout.write(
      `${summaryTable(bench.steps, scale, provider)}\n${targetRows(results.targets).join("\n")}\n\nwrote ${out} in ${((Date.now() - started) / 1000).toFixed(0)} s\n`,
    );
  } finally {
    await workspace.close();
    await emulator.close();
  }
}

main().catch((error: Error) => {
  process.stderr.write(`${error.stack ?? error.message}\n`);
  process.exit(1);
});
