/**
 * CLI: `npm run emulator -- [flags]`. Prints exactly one line when ready:
 *   railway-emulator: listening on http://127.0.0.1:<port>/graphql/v2 (token: <token>)
 *
 * Flags (env equivalents in brackets; a flag wins over the env):
 *   --port N           [RAILWAY_EMULATOR_PORT]        0 = any free port (default 0)
 *   --host ADDR        [RAILWAY_EMULATOR_HOST]        default 127.0.0.1
 *   --state FILE       [RAILWAY_EMULATOR_STATE]       persist state to FILE (survives restarts)
 *   --token TOKEN      [RAILWAY_EMULATOR_TOKEN]       account token (default: random emu_<hex>)
 *   --seed S           [RAILWAY_EMULATOR_SEED]        reproducible ids, names, domains, faults
 *   --fault-rate R     [RAILWAY_EMULATOR_FAULT_RATE]  0..1 fraction of GraphQL requests faulted
 *   --fault-kinds K,.. [RAILWAY_EMULATOR_FAULT_KINDS] 429,500,502,503,drop,drop-after
 *   --latency-ms N     [RAILWAY_EMULATOR_LATENCY_MS]  added to every GraphQL request
 *   --latency-jitter-ms N [RAILWAY_EMULATOR_LATENCY_JITTER_MS]
 *   --retry-after S    [RAILWAY_EMULATOR_RETRY_AFTER] Retry-After seconds of a 429 (default 1)
 *   --log-out FILE     [RAILWAY_EMULATOR_LOG_OUT]     write {counters, requests} here at shutdown
 *   --deploy-phase-ms N [RAILWAY_EMULATOR_DEPLOY_PHASE_MS] length of each deployment phase (default 0)
 *   (env only) RAILWAY_EMULATOR_LOG=FILE              append every GraphQL document received
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { DeploymentSettings, normalizeDeploymentSettings } from "./deployments";
import { FaultOptions, normalizeFaults } from "./faults";
import { RunningEmulator, startEmulator } from "./server";

const FLAGS = {
  port: "RAILWAY_EMULATOR_PORT",
  host: "RAILWAY_EMULATOR_HOST",
  state: "RAILWAY_EMULATOR_STATE",
  token: "RAILWAY_EMULATOR_TOKEN",
  seed: "RAILWAY_EMULATOR_SEED",
  "fault-rate": "RAILWAY_EMULATOR_FAULT_RATE",
  "fault-kinds": "RAILWAY_EMULATOR_FAULT_KINDS",
  "latency-ms": "RAILWAY_EMULATOR_LATENCY_MS",
  "latency-jitter-ms": "RAILWAY_EMULATOR_LATENCY_JITTER_MS",
  "retry-after": "RAILWAY_EMULATOR_RETRY_AFTER",
  "log-out": "RAILWAY_EMULATOR_LOG_OUT",
  "deploy-phase-ms": "RAILWAY_EMULATOR_DEPLOY_PHASE_MS",
} as const;
type Flag = keyof typeof FLAGS;

export interface CliSettings {
  port: number;
  host: string;
  stateFile?: string;
  token?: string;
  seed?: string;
  faults: FaultOptions;
  logOut?: string;
  deployments: DeploymentSettings;
}

/** Flags, then env, then defaults. Throws with a usage message on a bad value. */
export function parseCli(argv: string[], env: NodeJS.ProcessEnv): CliSettings {
  const { values } = parseArgs({
    args: argv,
    options: Object.fromEntries(Object.keys(FLAGS).map((k) => [k, { type: "string" as const }])),
    strict: true,
    allowPositionals: false,
  });
  const get = (flag: Flag): string | undefined => {
    const v = (values as Record<string, string | undefined>)[flag] ?? env[FLAGS[flag]];
    return v === undefined || v === "" ? undefined : v;
  };
  const port = Number(get("port") ?? "0");
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`--port must be an integer from 0 to 65535, got ${get("port")}`);
  const seed = get("seed");
  const faults = normalizeFaults({
    rate: get("fault-rate"),
    kinds: get("fault-kinds"),
    latencyMs: get("latency-ms"),
    latencyJitterMs: get("latency-jitter-ms"),
    retryAfter: get("retry-after"),
    seed,
  });
  return {
    port,
    host: get("host") ?? "127.0.0.1",
    stateFile: get("state"),
    token: get("token"),
    seed,
    faults,
    logOut: get("log-out"),
    deployments: normalizeDeploymentSettings(
      get("deploy-phase-ms") === undefined ? {} : { phaseMs: get("deploy-phase-ms") },
    ),
  };
}

function writeLogOut(file: string, emulator: RunningEmulator): void {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(
    tmp,
    JSON.stringify({ counters: emulator.counters(), requests: emulator.requestLog() }, null, 2),
  );
  fs.renameSync(tmp, file);
}

async function main(): Promise<void> {
  let settings: CliSettings;
  try {
    settings = parseCli(process.argv.slice(2), process.env);
  } catch (err) {
    process.stderr.write(`railway-emulator: ${(err as Error).message}\n`);
    process.exit(2);
  }
  const emulator = await startEmulator({
    port: settings.port,
    host: settings.host,
    token: settings.token,
    stateFile: settings.stateFile,
    seed: settings.seed,
    faults: settings.faults,
    deployments: settings.deployments,
  });
  process.stdout.write(
    `railway-emulator: listening on ${emulator.url} (token: ${emulator.token})\n`,
  );

  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    try {
      if (settings.logOut) writeLogOut(settings.logOut, emulator);
      emulator.save();
    } catch (err) {
      process.stderr.write(`railway-emulator: ${(err as Error).message}\n`);
    }
    // Exits whether or not the close succeeds: the process is going away either way.
    void emulator.close().finally(() => process.exit(0));
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

if (require.main === module) {
  main().catch((err: Error) => {
    process.stderr.write(`railway-emulator: ${err.message}\n`);
    process.exit(1);
  });
}
