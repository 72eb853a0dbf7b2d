/**
 * startEmulator(): the programmatic entry point (tests, benchmarks, main.ts). Importing this module
 * has no side effects; nothing listens until startEmulator() is called.
 */
import { randomBytes } from "node:crypto";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { DeploymentSettings, normalizeDeploymentSettings } from "./deployments";
import { FaultInjector, FaultOptions } from "./faults";
import { createHandler, GRAPHQL_PATH } from "./http";
import { Counters, RequestLog, RequestLogEntry } from "./request-log";
import { createSchema } from "./schema";
import { EmulatorState } from "./state";

export interface EmulatorOptions {
  /** TCP port; 0 (default) picks a free one. */
  port?: number;
  /** Interface to listen on (default 127.0.0.1: the emulator is for this machine only). */
  host?: string;
  /** Account token for `Authorization: Bearer`; default env RAILWAY_EMULATOR_TOKEN, else "emu_" + 32 random hex. */
  token?: string;
  /** JSON file loaded at start and rewritten atomically after every mutation. */
  stateFile?: string;
  /** Fault injection; its seed defaults to `seed`. */
  faults?: Partial<FaultOptions>;
  /** Makes generated ids, names, domains and the fault sequence reproducible. */
  seed?: number | string;
  /** Deployment phase length and per-service failure modes. @default { phaseMs: 0, failures: {} } */
  deployments?: Partial<DeploymentSettings>;
  /** File every received GraphQL document is appended to (JSON lines; never variables). Default env RAILWAY_EMULATOR_LOG. */
  documentLogFile?: string;
  /** Where resolver bugs are reported (default: stderr). */
  onInternalError?: (err: Error) => void;
}

export interface RunningEmulator {
  /** `http://127.0.0.1:<port>/graphql/v2` */
  url: string;
  /** The account token (send as `Authorization: Bearer <token>`). */
  token: string;
  port: number;
  host: string;
  /** Live state (records are plain JSON; see state.ts). */
  state: EmulatorState;
  counters(): Counters;
  requestLog(): RequestLogEntry[];
  /** Changes fault injection (unspecified fields keep their value); returns the new settings. */
  setFaults(faults: Partial<FaultOptions>): FaultOptions;
  faults(): FaultOptions;
  /** Changes how deployments progress (unspecified fields keep their value; a failure set to null is cleared). */
  setDeployments(settings: {
    phaseMs?: number;
    failures?: Record<string, DeploymentSettings["failures"][string] | null>;
  }): DeploymentSettings;
  /** Clears state, request log and counters (like POST /_emulator/reset). */
  reset(): void;
  /** Writes the state file now (it is also written after every mutation). */
  save(): void;
  close(): Promise<void>;
}

export function defaultToken(): string {
  return process.env.RAILWAY_EMULATOR_TOKEN || `emu_${randomBytes(16).toString("hex")}`;
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const host = options.host ?? "127.0.0.1";
  const token = options.token ?? defaultToken();
  const state = new EmulatorState({ stateFile: options.stateFile, seed: options.seed });
  if (options.deployments)
    state.deploymentSettings = normalizeDeploymentSettings({ ...options.deployments });
  const faultOptions: Partial<FaultOptions> = { ...options.faults };
  if (faultOptions.seed === undefined && options.seed !== undefined)
    faultOptions.seed = options.seed;
  const faults = new FaultInjector(faultOptions);
  const log = new RequestLog();
  const handler = createHandler({
    schema: createSchema(),
    state,
    token,
    faults,
    log,
    documentLogFile: options.documentLogFile ?? (process.env.RAILWAY_EMULATOR_LOG || undefined),
    onInternalError:
      options.onInternalError ??
      ((err) =>
        process.stderr.write(`railway-emulator: internal error: ${err.stack ?? err.message}\n`)),
  });
  const server = http.createServer(handler);
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  // Persist a fresh (or migrated) state file right away, so it exists even before the first mutation.
  state.save();
  return {
    url: `http://${host}:${port}${GRAPHQL_PATH}`,
    token,
    port,
    host,
    state,
    counters: () => log.counters(),
    requestLog: () => log.requests(),
    setFaults: (f) => faults.set(f),
    faults: () => faults.current,
    setDeployments: (settings) => {
      state.deploymentSettings = normalizeDeploymentSettings(settings, state.deploymentSettings);
      return state.deploymentSettings;
    },
    reset: () => {
      state.reset();
      state.save();
      log.clear();
    },
    save: () => state.save(),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
