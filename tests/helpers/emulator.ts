/**
 * Provider tests against a real emulator: one emulator per test file (started in `beforeAll`),
 * `RAILWAY_GRAPHQL_ENDPOINT`/`RAILWAY_API_TOKEN` pointed at it for the file and restored after, so
 * the providers' own `RailwayApi.fromEnvironment()` reaches it exactly as under the Pulumi engine.
 *
 * Besides the fixture (`useEmulator`) this module has:
 * - `checkpoint()`: counters and request-log entries since a point, to count a provider method's
 *   calls;
 * - `op()`: the provider's own GraphQL documents sent directly, "behind Pulumi's back" (drift);
 * - `scriptFaults()`: makes the emulator fault exactly the requests named (one emulator fault per
 *   scripted request, nothing else), `serializeFetch()`: one request at a time so that a seeded
 *   fault sequence is reproducible, and `fastRetries()`: clients with an injected sleep.
 */
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { startEmulator, type EmulatorOptions, type RunningEmulator } from "../../emulator/server";
import type { StateData } from "../../emulator/state";
import type { Counters, RequestLogEntry } from "../../emulator/request-log";
import type { FaultKind } from "../../emulator/faults";
import { ALL_OPERATIONS } from "../../infra/railway/operations";
import { RailwayClient } from "../../infra/railway/client";
import { resolveCredentials } from "../../infra/railway/credentials";

/** The value the engine would send as `__provider` (the serialized provider); must never leak. */
export const PROVIDER_KEY = "serialized-provider-8f1d2c";

/** Adds the engine's `__provider` key to a provider's inputs, as the dynamic-provider host does. */
export function engineInputs<T extends object>(inputs: T): T {
  return { ...inputs, __provider: PROVIDER_KEY } as T;
}

/** Environment variables the provider reads; saved before a file's tests and restored after. */
const ENV_KEYS = [
  "RAILWAY_GRAPHQL_ENDPOINT",
  "RAILWAY_API_TOKEN",
  "RAILWAY_TOKEN",
  "RAILWAY_MAX_ATTEMPTS",
  "RAILWAY_HTTP_TIMEOUT_MS",
] as const;

export type EmulatorState = StateData & { unresolvedReferences: unknown };

export interface CounterDelta {
  requests: number;
  reads: number;
  writes: number;
  byOperation: Record<string, number>;
  faults: Record<string, number>;
}

export interface Checkpoint {
  /** Counters since the checkpoint (operations with a zero delta left out). */
  counters(): CounterDelta;
  /** Request-log entries since the checkpoint. */
  requests(): RequestLogEntry[];
  /** Operation names since the checkpoint, in order. */
  operations(): string[];
  /** Patches committed since the checkpoint, oldest first (unredacted, from the emulator state). */
  patches(): StateData["patches"][string][];
  /** Deployments recorded since the checkpoint. */
  deployments(): StateData["deployments"][string][];
}

export interface EmulatorFixture {
  readonly emu: RunningEmulator;
  readonly url: string;
  readonly token: string;
  /** The live state object (records are plain JSON). */
  readonly data: StateData;
  /** `GET /_emulator/state`, over HTTP (what an outside observer sees). */
  state(): Promise<EmulatorState>;
  counters(): Counters;
  requests(): RequestLogEntry[];
  checkpoint(): Checkpoint;
  /** Runs one of the provider's own documents directly; fails on any GraphQL error. */
  op<T = any>(name: string, variables?: Record<string, unknown>): Promise<T>;
  /** Any GraphQL document, directly; returns the whole body ({data, errors}). */
  gql(
    query: string,
    variables?: Record<string, unknown>,
  ): Promise<{ data: any; errors?: { message: string }[] }>;
  /** A project made directly through the API, with its default environment. */
  freshProject(name?: string): Promise<{ projectId: string; environmentId: string; name: string }>;
  /** A service made directly through the API (no source: an instance `{isCreated: true}`). */
  freshService(projectId: string, name: string): Promise<string>;
  /** Sets the environment variables for this emulator again (after a test changed them). */
  pointEnvironment(): void;
}

const sortedCounts = (record: Record<string, number>): Record<string, number> =>
  Object.fromEntries(
    Object.entries(record)
      .filter(([, n]) => n !== 0)
      .sort(([a], [b]) => a.localeCompare(b)),
  );

function diffCounters(before: Counters, after: Counters): CounterDelta {
  const minus = (a: Record<string, number>, b: Record<string, number>) =>
    sortedCounts(Object.fromEntries(Object.keys(a).map((key) => [key, a[key]! - (b[key] ?? 0)])));
  return {
    requests: after.requests - before.requests,
    reads: after.reads - before.reads,
    writes: after.writes - before.writes,
    byOperation: minus(after.byOperation, before.byOperation),
    faults: minus(after.faults, before.faults),
  };
}

let projectCounter = 0;

/**
 * Starts an emulator for the current test file (beforeAll), points the provider's environment
 * variables at it, and restores them and stops the emulator afterwards (afterAll).
 */
export function useEmulator(options: EmulatorOptions = {}): EmulatorFixture {
  let emu: RunningEmulator | undefined;
  const saved: Partial<Record<(typeof ENV_KEYS)[number], string | undefined>> = {};
  const running = (): RunningEmulator => {
    if (!emu) throw new Error("the emulator is not running: use the fixture inside tests");
    return emu;
  };

  const point = (): void => {
    for (const key of ENV_KEYS) delete process.env[key];
    process.env.RAILWAY_GRAPHQL_ENDPOINT = running().url;
    process.env.RAILWAY_API_TOKEN = running().token;
  };

  beforeAll(async () => {
    for (const key of ENV_KEYS) saved[key] = process.env[key];
    emu = await startEmulator({ seed: 7, documentLogFile: undefined, ...options });
    point();
  });

  afterAll(async () => {
    for (const key of ENV_KEYS) {
      if (saved[key] === undefined) delete process.env[key];
      else process.env[key] = saved[key];
    }
    await emu?.close();
    emu = undefined;
  });

  const base = (): string => running().url.replace(/\/graphql\/v2$/, "");

  const gql: EmulatorFixture["gql"] = async (query, variables = {}) => {
    const operationName = /\b(?:query|mutation)\s+([A-Za-z0-9_]+)/.exec(query)?.[1];
    const response = await fetch(running().url, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${running().token}` },
      body: JSON.stringify({ query, variables, operationName }),
    });
    if (response.status !== 200)
      throw new Error(`HTTP ${response.status}: ${await response.text()}`);
    return (await response.json()) as { data: any; errors?: { message: string }[] };
  };

  const fixture: EmulatorFixture = {
    get emu() {
      return running();
    },
    get url() {
      return running().url;
    },
    get token() {
      return running().token;
    },
    get data() {
      return running().state.data;
    },
    async state() {
      const response = await fetch(`${base()}/_emulator/state`, {
        headers: { authorization: `Bearer ${running().token}` },
      });
      if (response.status !== 200) throw new Error(`GET /_emulator/state: HTTP ${response.status}`);
      return (await response.json()) as EmulatorState;
    },
    counters: () => running().counters(),
    requests: () => running().requestLog(),
    checkpoint() {
      const counters = running().counters();
      const logLength = running().requestLog().length;
      const patchIds = new Set(Object.keys(running().state.data.patches));
      const deploymentIds = new Set(Object.keys(running().state.data.deployments));
      return {
        counters: () => diffCounters(counters, running().counters()),
        requests: () => running().requestLog().slice(logLength),
        operations: () =>
          running()
            .requestLog()
            .slice(logLength)
            .map((entry) => entry.operationName ?? "<anonymous>"),
        patches: () =>
          Object.values(running().state.data.patches).filter((p) => !patchIds.has(p.id)),
        deployments: () =>
          Object.values(running().state.data.deployments).filter((d) => !deploymentIds.has(d.id)),
      };
    },
    async op(name, variables = {}) {
      const document = ALL_OPERATIONS[name];
      if (!document) throw new Error(`no provider operation ${name}`);
      const body = await gql(document, variables);
      if (body.errors?.length)
        throw new Error(`${name}: ${body.errors.map((e) => e.message).join("; ")}`);
      return body.data;
    },
    gql,
    async freshProject(name) {
      const projectName = name ?? `fixture-${++projectCounter}`;
      const data = await fixture.op("ProjectCreate", {
        input: { name: projectName, defaultEnvironmentName: "production", prDeploys: false },
      });
      return {
        projectId: data.projectCreate.id as string,
        environmentId: data.projectCreate.environments.edges[0].node.id as string,
        name: projectName,
      };
    },
    async freshService(projectId, name) {
      const data = await fixture.op("ServiceCreate", { input: { projectId, name } });
      return data.serviceCreate.id as string;
    },
    pointEnvironment: point,
  };
  return fixture;
}

// --- faults and retries ---------------------------------------------------------------------

export interface ScriptedFault {
  /** Operation name of the request to fault (e.g. "ProjectCreate"). */
  operation: string;
  kind: FaultKind;
  /** How many of its requests, counted from the next one, get the fault. @default 1 */
  times?: number;
  /** How many of its requests pass untouched before the faulted ones. @default 0 */
  skip?: number;
}

/**
 * Makes the emulator fault exactly the scripted requests (matched by operation name, in order)
 * and nothing else: it sets the emulator's fault rate to 1 for that one request only. Requests must
 * not overlap while a script is active. Returns `restore()`.
 */
export function scriptFaults(
  emu: RunningEmulator,
  script: ScriptedFault[],
): { restore(): void; pending(): number } {
  const queue = script.map((entry) => ({
    ...entry,
    left: entry.times ?? 1,
    toSkip: entry.skip ?? 0,
  }));
  const realFetch = globalThis.fetch;
  const hooked: typeof fetch = async (input, init) => {
    const body =
      typeof init?.body === "string" ? (JSON.parse(init.body) as { operationName?: string }) : {};
    const entry = queue.find((e) => e.left > 0 && e.operation === body.operationName);
    if (!entry) return realFetch(input, init);
    if (entry.toSkip > 0) {
      entry.toSkip--;
      return realFetch(input, init);
    }
    entry.left--;
    emu.setFaults({ rate: 1, kinds: [entry.kind] });
    try {
      return await realFetch(input, init);
    } finally {
      emu.setFaults({ rate: 0 });
    }
  };
  globalThis.fetch = hooked;
  return {
    restore() {
      globalThis.fetch = realFetch;
      emu.setFaults({ rate: 0 });
    },
    pending: () => queue.reduce((sum, e) => sum + e.left, 0),
  };
}

/**
 * Lets one HTTP request run at a time (each waits for the previous answer or failure), so that
 * the emulator rolls its seeded fault dice in a reproducible order even where a provider sends
 * requests concurrently. Returns `restore()`.
 */
export function serializeFetch(): { restore(): void } {
  const realFetch = globalThis.fetch;
  let chain: Promise<unknown> = Promise.resolve();
  globalThis.fetch = ((input: Parameters<typeof fetch>[0], init?: Parameters<typeof fetch>[1]) => {
    const result = chain.then(() => realFetch(input, init));
    chain = result.catch(() => undefined);
    return result;
  }) as typeof fetch;
  return {
    restore() {
      globalThis.fetch = realFetch;
    },
  };
}

/**
 * Makes every `RailwayClient.fromEnvironment()` (what the providers call) build a client with an
 * injected sleep that records the waits instead of waiting, and a fixed jitter. Returns the waits
 * and `restore()`.
 */
export function fastRetries(options: { random?: () => number; maxAttempts?: number } = {}): {
  waits: number[];
  restore(): void;
} {
  const waits: number[] = [];
  const spy = jest
    .spyOn(RailwayClient, "fromEnvironment")
    .mockImplementation((env = process.env) => {
      const maxAttempts = options.maxAttempts ?? (Number(env.RAILWAY_MAX_ATTEMPTS) || undefined);
      return new RailwayClient({
        credentials: resolveCredentials(env),
        timeoutMs: Number(env.RAILWAY_HTTP_TIMEOUT_MS) || undefined,
        retry: maxAttempts ? { maxAttempts } : undefined,
        random: options.random ?? (() => 0.5),
        sleep: async (ms) => {
          waits.push(ms);
        },
      });
    });
  return { waits, restore: () => spy.mockRestore() };
}

// --- a stand-in HTTP server -------------------------------------------------------------------

export interface RecordedRequest {
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A tiny HTTP server that records what it receives and answers with `respond`. */
export async function recordingServer(
  respond: (req: RecordedRequest) => {
    status: number;
    body: string;
    headers?: Record<string, string>;
  },
): Promise<{ url: string; received: RecordedRequest[]; close(): Promise<void> }> {
  const received: RecordedRequest[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const recorded = {
        url: req.url ?? "",
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      };
      received.push(recorded);
      const answer = respond(recorded);
      res.writeHead(answer.status, { "content-type": "application/json", ...answer.headers });
      res.end(answer.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/graphql/v2`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
