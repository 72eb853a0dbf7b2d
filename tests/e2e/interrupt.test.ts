/**
 * An interrupted `npm run policy:check` (SIGTERM from a CI timeout, SIGINT from Ctrl-C) stops the
 * Pulumi CLI it started, with everything under it, removes its scratch folder and exits with
 * 128 + the signal. A child that ignores the signal is killed after the grace period.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { processTree } from "../../scripts/lib/process";
import { REPO_ROOT } from "../helpers/program";
import { NODE_BIN, PULUMI_BIN, TOOLS, describeE2E } from "../helpers/pulumi-cli";

jest.setTimeout(240_000);

interface Started {
  child: ChildProcess;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function start(script: string, args: string[], tmp: string): Started {
  const child = spawn(
    process.execPath,
    ["-r", "ts-node/register/transpile-only", script, ...args],
    {
      cwd: REPO_ROOT,
      env: {
        PATH: `${NODE_BIN}:${PULUMI_BIN}:${join(REPO_ROOT, "node_modules", ".bin")}:/usr/local/bin:/usr/bin:/bin`,
        HOME: process.env.HOME,
        TMPDIR: tmp,
        PULUMI_HOME: join(TOOLS, "pulumi-home"),
        PULUMI_SKIP_UPDATE_CHECK: "true",
        PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
        PULUMI_DISABLE_REGISTRY_RESOLVE: "true",
        PULUMI_IGNORE_AMBIENT_PLUGINS: "true",
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on("exit", (code, signal) => resolve({ code, signal })),
  );
  return { child, output: () => output, exited };
}

/** Polls `probe` until it returns a value, failing after `timeoutMs` with `what`. */
async function waitFor<T>(what: string, probe: () => T | undefined, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = probe();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * True while `pid` runs. A zombie (exited, its entry not yet collected by whoever is its parent
 * now) has stopped: it holds no memory, files or ports.
 */
function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return false;
  }
}

const commandOf = (pid: number): string => {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ");
  } catch {
    return "";
  }
};

const scratchFolders = (tmp: string): string[] =>
  readdirSync(tmp).filter((name) => name.startsWith("railway-stacks-scratch-"));

describe("interrupt handling (scripts/lib/interrupt.ts)", () => {
  let tmp: string;
  beforeEach(() => (tmp = mkdtempSync(join(tmpdir(), "interrupt-"))));
  afterEach(() => rmSync(tmp, { recursive: true, force: true }));

  it("kills a child that ignores SIGTERM after the grace period and removes the folder", async () => {
    const run = start(join(REPO_ROOT, "tests/fixtures/interrupt/stubborn-child.ts"), [], tmp);
    const ready = await waitFor(
      "the fixture to be ready",
      () => /ready (\d+) (\S+)/.exec(run.output()) ?? undefined,
      60_000,
    );
    const childPid = Number(ready[1]);
    expect(running(childPid)).toBe(true);
    expect(scratchFolders(tmp)).toHaveLength(1);

    run.child.kill("SIGTERM");
    expect(await run.exited).toEqual({ code: 143, signal: null });
    expect(running(childPid)).toBe(false);
    expect(scratchFolders(tmp)).toEqual([]);
    // sh, and the `sleep` it runs when the signal comes.
    expect(run.output()).toMatch(
      /stubborn: SIGTERM received: passing it to [12] process(es)? it started, then cleaning up\nstubborn: [12] process(es)? still running after 0\.5 s: killing (it|them)\n/,
    );
  });
});

describeE2E("an interrupted npm run policy:check (real Pulumi CLI)", () => {
  let tmp: string;
  beforeEach(() => (tmp = mkdtempSync(join(tmpdir(), "interrupt-"))));
  afterEach(() => rmSync(tmp, { recursive: true, force: true }));

  it.each([
    ["SIGTERM", 143],
    ["SIGINT", 130],
  ] as const)(
    "on %s stops pulumi and its processes, removes the scratch folder and exits %i",
    async (signal, code) => {
      const run = start(join(REPO_ROOT, "scripts/policy-check.ts"), ["production"], tmp);
      // The preview is running once `pulumi preview` has started a process of its own (the
      // language host or the policy pack).
      const pulumiPid = await waitFor(
        "pulumi preview to start its processes",
        () =>
          processTree(run.child.pid!)
            .slice(1)
            .find(
              (pid) => commandOf(pid).includes("pulumi preview") && processTree(pid).length > 1,
            ),
        180_000,
      );
      expect(scratchFolders(tmp)).toHaveLength(1);
      const started = processTree(run.child.pid!).slice(1);
      expect(started).toContain(pulumiPid);

      run.child.kill(signal);
      expect(await run.exited).toEqual({ code, signal: null });
      const left = started.filter(running);
      expect(left.map((pid) => `${pid} ${commandOf(pid)}`)).toEqual([]);
      expect(scratchFolders(tmp)).toEqual([]);
      expect(run.output()).toMatch(
        new RegExp(
          `policy:check: ${signal} received: passing it to \\d+ process(es)? it started, then cleaning up`,
        ),
      );
    },
  );
});
