/**
 * Fault drills with the real Pulumi CLI against the emulator, on the dev stack (1 project, 7
 * services, 3 volumes): the API going away in the middle of `pulumi up`, 30% of requests failing,
 * latency spikes, a bad token, and the CLI itself killed mid-update.
 *
 * "Converged" means: the emulator holds exactly what a clean `pulumi up` of dev makes (compared
 * with a clean run's snapshot, ids, generated domains and generated secrets normalized), with one
 * project, seven services and three volumes, and `pulumi preview --expect-no-changes` passes.
 *
 * Pending operations (Pulumi 3.259), as found by these drills:
 * - The API going away (drill a) leaves NONE: the CLI is not interrupted; each provider call fails
 *   with ECONNREFUSED, the engine records what finished (a create that got its object but failed
 *   a later step is recorded as failed to initialize), and releases the lock. `pulumi refresh`
 *   then `pulumi up` converge; no flag is needed.
 * - Killing the CLI (drill e, SIGKILL of its process tree, as a CI runner does on cancel) leaves
 *   the stack LOCKED (`pulumi cancel --yes` is the only way out with the file backend: it deletes
 *   the lock) and the in-flight creates as `pending_operations`. `pulumi up` then only warns about
 *   them, and a non-interactive `pulumi refresh` does not clear pending CREATEs:
 *   `pulumi refresh --clear-pending-creates` does (it forgets them). `--import-pending-creates
 *   <urn> <id>` does not help: our providers' read() without prior state answers "not found".
 *   Forgetting is safe because every create adopts what an interrupted run already made (drill e).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FAULT_KINDS, FaultInjector } from "../../emulator/faults";
import { startEmulator, type RunningEmulator } from "../../emulator/server";
import { errorFromGraphQL } from "../../infra/railway/errors";
import { processTree, spawnCaptured } from "../../scripts/lib/process";
import { REPO_ROOT } from "../helpers/program";
import {
  createWorkspace,
  describeE2E,
  emulatorCounts,
  expectSuccess,
  type CommandResult,
  type Workspace,
} from "../helpers/pulumi-cli";

jest.setTimeout(600_000);

const STACK = "dev";
const PROJECT = "agent-platform";
const SERVICES = ["backend", "broker", "frontend", "ml", "nats", "postgres", "redis"];
const UP = ["up", "--yes", "--skip-preview", "-s", STACK];

/**
 * The repo's Pulumi.dev.yaml without an `encryptionsalt` a local `pulumi config set --secret`
 * may have added (it belongs to another passphrase; the workspace makes its own).
 */
const devStackFile = (): string =>
  readFileSync(join(REPO_ROOT, `Pulumi.${STACK}.yaml`), "utf8").replace(
    /^encryptionsalt:.*(\n|$)/m,
    "",
  );

/**
 * What the emulator holds, comparable across runs: ids replaced by names, generated domains by
 * their service, generated secrets (long alphanumeric values) by their length.
 */
function snapshot(emulator: RunningEmulator) {
  const data = emulator.state.data;
  const names = new Map<string, string>();
  for (const project of Object.values(data.projects))
    names.set(project.id, `<project:${project.name}>`);
  for (const env of Object.values(data.environments))
    names.set(env.id, `<environment:${env.name}>`);
  for (const service of Object.values(data.services))
    names.set(service.id, `<service:${service.name}>`);
  for (const volume of Object.values(data.volumes)) names.set(volume.id, `<volume:${volume.name}>`);
  const serviceName = (id: string | null) => (id ? (data.services[id]?.name ?? id) : "(detached)");
  for (const domain of Object.values(data.serviceDomains))
    names.set(domain.domain, `<domain:${serviceName(domain.serviceId)}>`);
  const normalize = (value: unknown): unknown => {
    let text = JSON.stringify(value);
    for (const [raw, name] of names) text = text.split(raw).join(name);
    text = text.replace(
      /"value":"([A-Za-z0-9]{32,})"/g,
      (_match, secret: string) => `"value":"<generated:${secret.length}>"`,
    );
    return JSON.parse(text);
  };
  return {
    projects: Object.values(data.projects)
      .map((project) => project.name)
      .sort(),
    environments: Object.values(data.environments)
      .map((env) => `${names.get(env.projectId)} ${env.name}`)
      .sort(),
    services: Object.values(data.services)
      .map((service) => service.name)
      .sort(),
    volumes: Object.values(data.volumes)
      .map((volume) => volume.name)
      .sort(),
    volumeInstances: Object.values(data.volumeInstances)
      .map(
        (instance) =>
          `${names.get(instance.volumeId)} on ${serviceName(instance.serviceId)} at ${instance.mountPath}`,
      )
      .sort(),
    serviceDomains: Object.values(data.serviceDomains)
      .map((domain) => serviceName(domain.serviceId))
      .sort(),
    tcpProxies: Object.values(data.tcpProxies)
      .map((proxy) => `${serviceName(proxy.serviceId)}:${proxy.applicationPort}`)
      .sort(),
    config: Object.fromEntries(
      Object.values(data.environments).map((env) => [names.get(env.id), normalize(env.config)]),
    ),
  };
}

type Snapshot = ReturnType<typeof snapshot>;

/** Exactly one dev project with 7 services and 3 volumes, equal to a clean run's, and nothing to change. */
async function expectConverged(
  workspace: Workspace,
  emulator: RunningEmulator,
  baseline: Snapshot,
): Promise<void> {
  const now = snapshot(emulator);
  expect(now.projects).toEqual([PROJECT]);
  expect(now.services).toEqual(SERVICES);
  expect(now.volumes).toHaveLength(3);
  expect(now.volumeInstances).toHaveLength(3);
  expect(now).toEqual(baseline);
  const preview = expectSuccess(
    await workspace.pulumi(["preview", "--expect-no-changes", "-s", STACK]),
  );
  expect(preview.output).toContain("36 unchanged");
}

/** `pulumi stack export`'s pending operations, as "<op> <resource name>". */
async function pendingOperations(workspace: Workspace): Promise<string[]> {
  const exported = JSON.parse(
    expectSuccess(await workspace.pulumi(["stack", "export", "-s", STACK])).stdout,
  ) as {
    deployment: { pending_operations?: { type: string; resource: { urn: string } }[] };
  };
  return (exported.deployment.pending_operations ?? [])
    .map((op) => `${op.type} ${op.resource.urn.split("::").pop()}`)
    .sort();
}

/** Runs the CLI (not awaited), so that it can be killed mid-way. */
function spawnCli(
  workspace: Workspace,
  args: string[],
): { pid: number; done: Promise<CommandResult> } {
  const { child, done } = spawnCaptured(
    "pulumi",
    [...args, "--non-interactive", "--color", "never"],
    { cwd: workspace.dir, env: workspace.env },
  );
  return { pid: child.pid!, done };
}

/** Whether a process exists and is not a zombie. */
function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return false;
  }
}

/**
 * SIGKILLs the CLI with its language host and provider plugins, as a CI runner's cancel does.
 * (The plugins run in process groups of their own: killing the CLI's group alone orphans them,
 * and an orphaned provider finishes its in-flight calls.)
 */
function killTree(pid: number): void {
  for (const member of processTree(pid)) {
    try {
      process.kill(member, "SIGKILL");
    } catch {
      // already gone
    }
  }
}

/** Calls `action` once `condition` holds (polled every millisecond). */
function when(condition: () => boolean, action: () => void): () => void {
  const timer = setInterval(() => {
    if (condition()) {
      clearInterval(timer);
      action();
    }
  }, 1);
  return () => clearInterval(timer);
}

describeE2E("fault drills (real Pulumi CLI, emulator)", () => {
  let baseline: Snapshot;
  let baselineRequests: number;
  let baselineOperations: Record<string, number>;

  beforeAll(async () => {
    const workspace = await createWorkspace();
    try {
      workspace.stackFile(STACK, devStackFile());
      await workspace.initStack(STACK);
      expectSuccess(await workspace.pulumi(UP));
      baseline = snapshot(workspace.emulator);
      baselineRequests = workspace.emulator.counters().requests;
      baselineOperations = workspace.emulator.counters().byOperation;
    } finally {
      await workspace.close();
    }
    expect(baseline.projects).toEqual([PROJECT]);
    expect(baseline.services).toEqual(SERVICES);
    expect(baseline.volumeInstances).toHaveLength(3);
    expect(baseline.serviceDomains).toEqual(["backend", "broker", "frontend"]);
  });

  it("(a) the API dies in the middle of `pulumi up`: that up fails; refresh + up converge", async () => {
    const dir = mkdtempSync(join(tmpdir(), "railway-stacks-faults-"));
    const stateFile = join(dir, "emulator-state.json");
    const token = "emu_fault_drill_a";
    let emulator = await startEmulator({ port: 0, stateFile, token, seed: 11 });
    const port = emulator.port;
    // Two attempts per call: the outage outlasts the update, so it fails fast instead of after
    // the full backoff (8 attempts).
    const workspace = await createWorkspace({ emulator, env: { RAILWAY_MAX_ATTEMPTS: "2" } });
    try {
      workspace.stackFile(STACK, devStackFile());
      await workspace.initStack(STACK);
      // About half of a clean up's requests, then the server goes away with its connections.
      const killAfter = Math.round(baselineRequests / 2);
      let closing: Promise<void> | undefined;
      const stop = when(
        () => emulator.counters().requests >= killAfter,
        () => {
          closing = emulator.close();
        },
      );
      const failed = await workspace.pulumi(UP);
      stop();
      expect(closing).toBeDefined();
      await closing;
      expect(failed.code).not.toBe(0);
      expect(failed.output).toContain("ECONNREFUSED");
      expect(failed.output).toContain("error: update failed");
      // Not interrupted, so no pending operations and no lock (see the header).
      expect(await pendingOperations(workspace)).toEqual([]);

      // Back on the same port, from the state file it saved after every mutation.
      emulator = await startEmulator({ port, stateFile, token });
      const partial = emulatorCounts(emulator);
      expect(partial.projects).toBe(1);
      expect(partial.serviceDomains).toBeLessThan(3); // it really died mid-way

      expectSuccess(await workspace.pulumi(["refresh", "--yes", "--skip-preview", "-s", STACK]));
      expectSuccess(await workspace.pulumi(UP, { env: { RAILWAY_MAX_ATTEMPTS: "8" } }));
      await expectConverged(workspace, emulator, baseline);
    } finally {
      await emulator.close().catch(() => undefined);
      await workspace.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("(b) 30% of requests fail (429, 5xx, drops, drop-after): up succeeds, converges, and a rerun is a no-op", async () => {
    const seed = 42;
    const faults = { rate: 0.3, kinds: [...FAULT_KINDS], retryAfter: 1, seed };
    // The faults the first `baselineRequests` requests get, whatever their order: a lower bound.
    const dice = new FaultInjector(faults);
    const atLeast: Record<string, number> = {};
    for (let i = 0; i < baselineRequests; i++) {
      const kind = dice.next();
      if (kind) atLeast[kind] = (atLeast[kind] ?? 0) + 1;
    }
    expect(Object.keys(atLeast).sort()).toEqual([...FAULT_KINDS].sort()); // the seed exercises every kind

    const emulator = await startEmulator({ port: 0, seed, faults });
    const workspace = await createWorkspace({ emulator });
    try {
      workspace.stackFile(STACK, devStackFile());
      await workspace.initStack(STACK);
      const up = expectSuccess(await workspace.pulumi(UP));
      expect(up.output).toContain("+ 36 created");
      const counters = emulator.counters();
      for (const kind of FAULT_KINDS)
        expect(counters.faults[kind] ?? 0).toBeGreaterThanOrEqual(atLeast[kind]!);

      const before = emulator.counters().requests;
      const again = expectSuccess(await workspace.pulumi(UP));
      expect(again.output).toContain("36 unchanged");
      expect(again.output).not.toMatch(/[+~-] \d+ (created|updated|deleted)/);
      expect(emulator.counters().requests - before).toBe(0);

      emulator.setFaults({ rate: 0 });
      await expectConverged(workspace, emulator, baseline);
    } finally {
      await workspace.close();
      await emulator.close();
    }
  });

  it("(c) latency spikes (300–600 ms a request): up succeeds with the same calls as without", async () => {
    const emulator = await startEmulator({
      port: 0,
      seed: 3,
      faults: { latencyMs: 300, latencyJitterMs: 300 },
    });
    const workspace = await createWorkspace({ emulator });
    try {
      workspace.stackFile(STACK, devStackFile());
      await workspace.initStack(STACK);
      expectSuccess(await workspace.pulumi(UP));
      // Slow, not failing: no timeout, no retry, no extra lookup.
      expect(emulator.counters().byOperation).toEqual(baselineOperations);
      expect(
        Math.min(...emulator.requestLog().map((entry) => entry.durationMs)),
      ).toBeGreaterThanOrEqual(300);
      emulator.setFaults({ latencyMs: 0, latencyJitterMs: 0 });
      await expectConverged(workspace, emulator, baseline);
    } finally {
      await workspace.close();
      await emulator.close();
    }
  });

  it("(d) an invalid or expired token: up fails with what to do, no stack trace, nothing created", async () => {
    const workspace = await createWorkspace({
      env: { RAILWAY_API_TOKEN: "emu_expired00000000000000000000000000" },
    });
    try {
      workspace.stackFile(STACK, devStackFile());
      await workspace.initStack(STACK);
      const result = await workspace.pulumi(UP);
      expect(result.code).not.toBe(0);
      // The exact message of infra/railway/errors.ts for Railway's "Not Authorized".
      // The first call of a new stack is the lookup for a leftover project.
      const message = errorFromGraphQL("ProjectsList", [{ message: "Not Authorized" }]).message;
      expect(message).toBe(
        "Railway API ProjectsList failed: Not Authorized. Check RAILWAY_API_TOKEN (an account or workspace token; create one at https://railway.com/account/tokens) or the secret stack config key railway-stacks:railwayToken.",
      );
      const diagnostics = result.output.slice(result.output.indexOf("Diagnostics:"));
      expect(diagnostics.split("\n").map((line) => line.trim())).toContain(`error: ${message}`);
      expect(result.output).not.toMatch(/^\s+at /m);
      expect(result.output).not.toMatch(/\bat (Object|Module|async|new|process)\b/);
      expect(result.output).not.toContain("RailwayAuthError");
      expect(emulatorCounts(workspace.emulator)).toEqual({
        projects: 0,
        services: 0,
        volumes: 0,
        serviceDomains: 0,
      });
      expect(workspace.emulator.counters()).toEqual({
        requests: 1,
        reads: 0,
        writes: 0,
        byOperation: { ProjectsList: 1 },
        faults: {},
      });
    } finally {
      await workspace.close();
    }
  });

  describe("(e) the CLI killed (SIGKILL) in the middle of `pulumi up`", () => {
    let emulator: RunningEmulator;
    let workspace: Workspace;
    beforeAll(async () => {
      emulator = await startEmulator({ port: 0, seed: 5, faults: { latencyMs: 150 } });
      workspace = await createWorkspace({ emulator });
      workspace.stackFile(STACK, devStackFile());
      await workspace.initStack(STACK);
    });
    afterAll(async () => {
      await workspace?.close();
      await emulator?.close();
    });

    it("leaves the stack locked with pending creates; cancel + refresh --clear-pending-creates clear them", async () => {
      // Once Railway has made the third volume, every further API call hangs (20 s), so the
      // provider's creates stay in flight; the CLI is killed once its checkpoint has been quiet
      // for a second. A kill that lands while the engine writes its checkpoint leaves a truncated
      // file ("failed to load checkpoint: EOF"), which is a different drill.
      const up = spawnCli(workspace, UP);
      let held = false;
      const stop = when(
        () => Object.keys(emulator.state.data.volumes).length === 3,
        () => {
          emulator.setFaults({ latencyMs: 20_000 });
          held = true;
        },
      );
      const checkpoint = join(
        workspace.dir,
        ".pulumi-state",
        ".pulumi",
        "stacks",
        "railway-stacks",
        `${STACK}.json`,
      );
      const quietUntil = Date.now() + 120_000;
      let last = "";
      let quietSince = Date.now();
      while (Date.now() < quietUntil) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        if (!held) continue;
        const stat = existsSync(checkpoint) ? statSync(checkpoint) : undefined;
        const now = stat ? `${stat.mtimeMs}:${stat.size}` : "";
        if (now !== last) [last, quietSince] = [now, Date.now()];
        else if (Date.now() - quietSince >= 1_000) break;
      }
      expect(held).toBe(true);
      const plugins = processTree(up.pid).slice(1);
      killTree(up.pid);
      const killed = await up.done;
      stop();
      expect(killed.code).toBe(-1);
      // The language host, the dynamic provider (behind its shell wrapper) and random's provider.
      expect(plugins.length).toBeGreaterThanOrEqual(3);
      // SIGKILL is not instant: poll (with a deadline) until none of them is left.
      const deadline = Date.now() + 10_000;
      while (plugins.some(running) && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 50));
      expect(plugins.filter(running)).toEqual([]);
      emulator.setFaults({ latencyMs: 0 });

      // Which creates were still in flight depends on how far the provider got before the kill
      // landed (on a loaded 2-core runner, some volume creates had already finished and instance
      // creates had started): every pending operation is a create of this stack, and there are some.
      const pending = await pendingOperations(workspace);
      expect(pending.length).toBeGreaterThan(0);
      expect(
        pending.filter((operation) => !/^creating railway-[a-z]+-[a-z]+$/.test(operation)),
      ).toEqual([]);

      const locked = await workspace.pulumi(UP);
      expect(locked.code).not.toBe(0);
      expect(locked.output).toContain("the stack is currently locked by 1 lock(s)");

      expect(
        expectSuccess(await workspace.pulumi(["cancel", "--yes", "-s", STACK])).output,
      ).toContain("The currently running update for 'dev' has been canceled!");
      // Non-interactive refresh keeps pending creates...
      expectSuccess(await workspace.pulumi(["refresh", "--yes", "--skip-preview", "-s", STACK]));
      expect(await pendingOperations(workspace)).toEqual(pending);
      // ...--clear-pending-creates drops them.
      expectSuccess(
        await workspace.pulumi([
          "refresh",
          "--yes",
          "--skip-preview",
          "--clear-pending-creates",
          "-s",
          STACK,
        ]),
      );
      expect(await pendingOperations(workspace)).toEqual([]);
      expect(emulatorCounts(emulator)).toEqual({
        projects: 1,
        services: 7,
        volumes: 3,
        serviceDomains: expect.any(Number),
      });
    });

    // Creates adopt what the interrupted run already made: a project of this stack (found by
    // name and the stack's description before creating), a service of the same name, a volume at
    // the same mount (adopted when Railway refuses the duplicate).
    it("then `pulumi up` converges", async () => {
      expectSuccess(await workspace.pulumi(UP));
      await expectConverged(workspace, emulator, baseline);
    });
  });
});
