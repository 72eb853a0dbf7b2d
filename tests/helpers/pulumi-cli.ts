/**
 * End-to-end harness: a scratch copy of the project, a Railway API emulator, and the real Pulumi
 * CLI from the toolchain (.tools), with a file backend of its own. Without the toolchain the
 * suite fails under CI=true and is skipped loudly elsewhere (run `bash scripts/toolchain.sh`).
 */
import {
  cpSync,
  existsSync,
  mkdtempSync,
  mkdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { startEmulator, type RunningEmulator } from "../../emulator/server";
import { runCommand, type CommandResult } from "../../scripts/lib/process";
import { REPO_ROOT } from "./program";
import { fitStackFile, shippedStackFileText } from "./stack-file";

export type { CommandResult };

export const TOOLS = join(REPO_ROOT, ".tools");
/** Where the toolchain put (or found) the CLI: .tools/env.sh says; else the built copy. */
export const PULUMI_BIN = process.env.RAILWAY_PULUMI_BIN || join(TOOLS, "pulumi", "bin");
/** The Node running the tests is the toolchain's (>= 22). */
export const NODE_BIN = dirname(process.execPath);

export const toolchainReady = (): boolean =>
  existsSync(join(PULUMI_BIN, "pulumi")) && existsSync(join(TOOLS, "pulumi-home", "plugins"));

/** `describe` for suites that need the real CLI: never a silent skip. */
export function describeE2E(title: string, body: () => void): void {
  if (toolchainReady()) {
    describe(title, body);
    return;
  }
  const why = `${title}: the Pulumi toolchain is missing under .tools (run: bash scripts/toolchain.sh)`;
  if (process.env.CI === "true") {
    describe(title, () => {
      it("has the Pulumi toolchain", () => {
        throw new Error(`${why}; required under CI=true`);
      });
    });
  } else {
    console.warn(`SKIPPED ${why}`);
    describe.skip(title, body);
  }
}

/** Files a project copy needs: the program, its config and what ts-node and Pulumi read. */
const PROJECT_FILES = ["Pulumi.yaml", "package.json", "tsconfig.json", "infra", "scripts"];

export interface Workspace {
  dir: string;
  emulator: RunningEmulator;
  env: NodeJS.ProcessEnv;
  pulumi(
    args: string[],
    options?: { env?: NodeJS.ProcessEnv; timeoutMs?: number },
  ): Promise<CommandResult>;
  /**
   * Writes `Pulumi.<stack>.yaml` (the repo's, or `contents`) into the workspace, made fit for the
   * workspace's own backend and passphrase (see `fitStackFile`).
   */
  stackFile(stack: string, contents?: string): void;
  /** Creates (or selects) a stack with the passphrase secrets provider. */
  initStack(stack: string): Promise<void>;
  close(): Promise<void>;
}

export interface WorkspaceOptions {
  /** Emulator state file (for restarts); default in-memory. */
  stateFile?: string;
  /** Extra environment for every CLI call. */
  env?: NodeJS.ProcessEnv;
  /** Use this emulator instead of starting one. */
  emulator?: RunningEmulator;
}

/** Runs a command to the end (at most 4 minutes). */
export const run = (
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs?: number },
): Promise<CommandResult> =>
  runCommand(command, args, { ...options, timeoutMs: options.timeoutMs ?? 240_000 });

export async function createWorkspace(options: WorkspaceOptions = {}): Promise<Workspace> {
  const dir = mkdtempSync(join(tmpdir(), "railway-stacks-e2e-"));
  for (const file of PROJECT_FILES)
    cpSync(join(REPO_ROOT, file), join(dir, file), { recursive: true });
  symlinkSync(join(REPO_ROOT, "node_modules"), join(dir, "node_modules"));
  const backend = join(dir, ".pulumi-state");
  mkdirSync(backend);
  const emulator =
    options.emulator ?? (await startEmulator({ port: 0, stateFile: options.stateFile }));
  const base = emulator.url.replace(/\/graphql\/v2$/, "");
  const env: NodeJS.ProcessEnv = {
    PATH: `${NODE_BIN}:${PULUMI_BIN}:${join(REPO_ROOT, "node_modules", ".bin")}:/usr/local/bin:/usr/bin:/bin`,
    HOME: process.env.HOME,
    PULUMI_HOME: join(TOOLS, "pulumi-home"),
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    PULUMI_DISABLE_REGISTRY_RESOLVE: "true",
    PULUMI_IGNORE_AMBIENT_PLUGINS: "true",
    PULUMI_BACKEND_URL: `file://${backend}`,
    PULUMI_CONFIG_PASSPHRASE: "e2e-passphrase",
    RAILWAY_GRAPHQL_ENDPOINT: emulator.url,
    RAILWAY_API_TOKEN: emulator.token,
    RAILWAY_STACKS_GATE_URL_TEMPLATE: `${base}/_domains/{domain}`,
    ...options.env,
  };
  const workspace: Workspace = {
    dir,
    emulator,
    env,
    pulumi: (args, callOptions = {}) =>
      run("pulumi", [...args, "--non-interactive", "--color", "never"], {
        cwd: dir,
        env: { ...env, ...callOptions.env },
        timeoutMs: callOptions.timeoutMs,
      }),
    stackFile(stack, contents) {
      const target = join(dir, `Pulumi.${stack}.yaml`);
      const text = contents ?? shippedStackFileText(stack);
      writeFileSync(
        target,
        fitStackFile(text, existsSync(target) ? readFileSync(target, "utf8") : undefined),
      );
    },
    async initStack(stack) {
      const result = await workspace.pulumi([
        "stack",
        "select",
        stack,
        "--create",
        "--secrets-provider",
        "passphrase",
      ]);
      if (result.code !== 0) throw new Error(`stack init ${stack} failed:\n${result.output}`);
    },
    async close() {
      if (!options.emulator) await emulator.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return workspace;
}

/** Fails with the CLI's output when a command did not succeed. */
export function expectSuccess(result: CommandResult): CommandResult {
  if (result.code !== 0) throw new Error(`command failed (${result.code}):\n${result.output}`);
  return result;
}

/** Counts of the emulator's objects, for convergence assertions. */
export function emulatorCounts(emulator: RunningEmulator): Record<string, number> {
  const data = emulator.state.data;
  return {
    projects: Object.keys(data.projects).length,
    services: Object.keys(data.services).length,
    volumes: Object.keys(data.volumes).length,
    serviceDomains: Object.keys(data.serviceDomains).length,
  };
}

/** Deployments per service name recorded by the emulator. */
export function deploymentsByService(emulator: RunningEmulator): Record<string, number> {
  const data = emulator.state.data;
  const counts: Record<string, number> = {};
  for (const deployment of Object.values(data.deployments)) {
    const name = data.services[deployment.serviceId]?.name ?? deployment.serviceId;
    counts[name] = (counts[name] ?? 0) + 1;
  }
  return counts;
}

/** The value the e2e suites give production's `openaiApiKey` (the one secret key it names). */
export const E2E_OPENAI_KEY = "sk-e2e-production-key";

/**
 * Writes each stack's file (the checkout's, or `fileText(stack)`) and creates the stack; the
 * production stack also gets the secret `openaiApiKey` its file names.
 */
export async function initStacks(
  workspace: Workspace,
  stacks: readonly string[],
  fileText?: (stack: string) => string,
): Promise<void> {
  for (const stack of stacks) {
    workspace.stackFile(stack, fileText?.(stack));
    await workspace.initStack(stack);
    if (stack === "production") {
      expectSuccess(
        await workspace.pulumi([
          "config",
          "set",
          "--secret",
          "openaiApiKey",
          E2E_OPENAI_KEY,
          "-s",
          stack,
        ]),
      );
    }
  }
}

/**
 * Runs a GraphQL document against the workspace's emulator as a user (the dashboard, the CLI)
 * would, behind Pulumi's back; GraphQL errors are thrown.
 */
export async function railwayRequest(
  workspace: Workspace,
  query: string,
  variables: Record<string, unknown>,
): Promise<any> {
  const response = await fetch(workspace.emulator.url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      authorization: `Bearer ${workspace.emulator.token}`,
    },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: unknown; errors?: { message: string }[] };
  if (body.errors) throw new Error(body.errors.map((error) => error.message).join("; "));
  return body.data;
}

/** Runs `scripts/pr.ts` on the workspace as `npm run pr -- <args>` runs it. */
export const prScript = (workspace: Workspace, ...args: string[]): Promise<CommandResult> =>
  run(
    "node",
    [
      "-r",
      "ts-node/register/transpile-only",
      join(REPO_ROOT, "scripts", "pr.ts"),
      ...args,
      "--project-dir",
      workspace.dir,
    ],
    { cwd: REPO_ROOT, env: workspace.env, timeoutMs: 600_000 },
  );

/**
 * The parts of this process's environment that reaching the npm registry needs (the machine's
 * CA bundle and proxy; npm's own settings come from ~/.npmrc, and the `npm_config_*` variables
 * of a running npm script are left out: they would point npm at this checkout): a command run with a minimal environment that installs
 * packages would otherwise fail TLS behind a proxy that re-signs traffic, or hang.
 */
export function registryEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(process.env).filter(([key]) =>
      /^(NODE_EXTRA_CA_CERTS|SSL_CERT_(FILE|DIR)|REQUESTS_CA_BUNDLE|CURL_CA_BUNDLE|(HTTPS?|NO)_PROXY|(https?|no)_proxy)$/.test(
        key,
      ),
    ),
  );
}
