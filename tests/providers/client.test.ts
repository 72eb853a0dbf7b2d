/**
 * The HTTP client (infra/railway/client.ts) against the emulator's fault injection and a tiny
 * recording server: retries and their waits, recovery of creates that may have happened, typed
 * errors with exact messages, credentials and the `?source=` tag.
 */
import { RailwayClient, parseRetryAfter } from "../../infra/railway/client";
import { RailwayApi } from "../../infra/railway/api";
import {
  MissingCredentialsError,
  resolveCredentials,
  setConfiguredToken,
  withSourceTag,
} from "../../infra/railway/credentials";
import {
  RailwayApiError,
  RailwayAuthError,
  RailwayNotFoundError,
  RailwayTransientError,
} from "../../infra/railway/errors";
import { project as projectOps } from "../../infra/railway/operations";
import { projectProvider } from "../../infra/providers/project";
import { serviceProvider } from "../../infra/providers/service";
import { volumeProvider } from "../../infra/providers/volume";
import { serviceInstanceProvider } from "../../infra/providers/service-instance";
import type { FaultKind } from "../../emulator/faults";
import { fastRetries, recordingServer, scriptFaults, useEmulator } from "../helpers/emulator";
import { instanceInputs, projectInputs, serviceInputs, volumeInputs } from "./inputs";

const emu = useEmulator();

const AUTH_HINT =
  "Check RAILWAY_API_TOKEN (an account or workspace token; create one at https://railway.com/account/tokens) or the secret stack config key railway-stacks:railwayToken.";

afterEach(() => {
  emu.emu.setFaults({ rate: 0, retryAfter: 1, latencyMs: 0 });
  emu.pointEnvironment();
  setConfiguredToken(undefined);
});

/** A client on the emulator whose waits are recorded instead of slept. */
function client(
  options: { maxAttempts?: number; random?: () => number; onSleep?: () => void } = {},
) {
  const waits: number[] = [];
  const instance = new RailwayClient({
    credentials: resolveCredentials(process.env),
    retry: options.maxAttempts ? { maxAttempts: options.maxAttempts } : undefined,
    random: options.random ?? (() => 0.5),
    sleep: async (ms) => {
      waits.push(ms);
      options.onSleep?.();
    },
  });
  return { client: instance, waits };
}

/** The rejection of a promise (fails the test if it resolves). */
async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected a rejection");
}

const statuses = (before: ReturnType<typeof emu.checkpoint>) =>
  before.requests().map((r) => [r.operationName, r.status, r.fault ?? null]);

describe("rate limits and transient failures", () => {
  test("429: waits at least Retry-After (even when the jittered backoff is shorter), then succeeds", async () => {
    const p = await emu.freshProject();
    for (const random of [() => 0, () => 0.99]) {
      emu.emu.setFaults({ rate: 1, kinds: ["429"], retryAfter: 3 });
      // The first wait turns faults off again: exactly one 429.
      const { client: c, waits } = client({
        random,
        onSleep: () => emu.emu.setFaults({ rate: 0 }),
      });
      const before = emu.checkpoint();
      const data = await c.request<{ project: { id: string } }>(projectOps.ProjectGet, {
        id: p.projectId,
      });
      expect(data.project.id).toBe(p.projectId);
      expect(waits).toEqual([3000]);
      expect(statuses(before)).toEqual([
        ["ProjectGet", 429, "429"],
        ["ProjectGet", 200, null],
      ]);
      expect(c.stats).toEqual({ requests: 2, retries: 1 });
    }
  });

  test("a Retry-After longer than the cap waits the cap (30 s)", async () => {
    emu.emu.setFaults({ rate: 1, kinds: ["429"], retryAfter: 120 });
    const { client: c, waits } = client({ onSleep: () => emu.emu.setFaults({ rate: 0 }) });
    await c.request(projectOps.ProjectsList, {});
    expect(waits).toEqual([30_000]);
  });

  test("Retry-After as seconds or as an HTTP date", () => {
    const now = Date.parse("2025-01-01T00:00:00Z");
    expect(parseRetryAfter("7", now)).toBe(7000);
    expect(parseRetryAfter("0.5", now)).toBe(500);
    expect(parseRetryAfter("Wed, 01 Jan 2025 00:00:10 GMT", now)).toBe(10_000);
    expect(parseRetryAfter("Tue, 31 Dec 2024 23:00:00 GMT", now)).toBe(0);
    expect(parseRetryAfter("soon", now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });

  test.each<FaultKind>(["500", "502", "503", "drop", "drop-after"])(
    "%s on an idempotent call is retried with exponential backoff (full jitter)",
    async (kind) => {
      const p = await emu.freshProject();
      const faults = scriptFaults(emu.emu, [{ operation: "ProjectGet", kind, times: 2 }]);
      const { client: c, waits } = client({ random: () => 0.5 });
      const before = emu.checkpoint();
      try {
        const record = await new RailwayApi(c).getProject(p.projectId);
        expect(record?.name).toBe(p.name);
      } finally {
        faults.restore();
      }
      // base 250 ms · 2^(n-1), times the jitter 0.5
      expect(waits).toEqual([125, 250]);
      const status = kind === "drop" || kind === "drop-after" ? 0 : Number(kind);
      expect(statuses(before)).toEqual([
        ["ProjectGet", status, kind],
        ["ProjectGet", status, kind],
        ["ProjectGet", 200, null],
      ]);
    },
  );

  test("attempts exhausted: RailwayTransientError with the last failure, after maxAttempts requests", async () => {
    emu.emu.setFaults({ rate: 1, kinds: ["503"] });
    const { client: c, waits } = client({ maxAttempts: 3 });
    const before = emu.checkpoint();
    const error = await rejection(c.request(projectOps.ProjectsList, {}));
    expect(error).toBeInstanceOf(RailwayTransientError);
    expect(error.message).toBe("Railway API ProjectsList: HTTP 503");
    expect((error as RailwayTransientError).status).toBe(503);
    expect(before.counters().requests).toBe(3);
    expect(waits).toEqual([125, 250]);
    expect(error.message).not.toContain(emu.token);
  });

  test("RAILWAY_MAX_ATTEMPTS is honoured by the providers' client", async () => {
    process.env.RAILWAY_MAX_ATTEMPTS = "2";
    emu.emu.setFaults({ rate: 1, kinds: ["500"] });
    const before = emu.checkpoint();
    const error = await rejection(RailwayApi.fromEnvironment().getProject("any"));
    expect(error.message).toBe("Railway API ProjectGet: HTTP 500");
    expect(before.counters().requests).toBe(2);
  });

  test("a dropped connection, exhausted: a transient error that may have been processed", async () => {
    emu.emu.setFaults({ rate: 1, kinds: ["drop"] });
    const { client: c } = client({ maxAttempts: 2 });
    const error = (await rejection(
      c.request(projectOps.ProjectsList, {}),
    )) as RailwayTransientError;
    expect(error).toBeInstanceOf(RailwayTransientError);
    expect(error.message).toBe("Railway API ProjectsList: UND_ERR_SOCKET");
    expect(error.mayHaveBeenProcessed).toBe(true);
  });

  test("a refused connection cannot have been processed; a timeout may have", async () => {
    const closed = await recordingServer(() => ({ status: 200, body: "{}" }));
    const endpoint = closed.url;
    await closed.close();
    const refused = new RailwayClient({
      credentials: { endpoint, token: "t", kind: "bearer" },
      retry: { maxAttempts: 1 },
    });
    const error = (await rejection(
      refused.request(projectOps.ProjectsList, {}),
    )) as RailwayTransientError;
    expect(error.message).toBe("Railway API ProjectsList: ECONNREFUSED");
    expect(error.mayHaveBeenProcessed).toBe(false);

    emu.emu.setFaults({ latencyMs: 500 });
    const beforeSlow = emu.checkpoint();
    const slow = new RailwayClient({
      credentials: resolveCredentials(process.env),
      timeoutMs: 100,
      retry: { maxAttempts: 1 },
    });
    const timeout = (await rejection(
      slow.request(projectOps.ProjectsList, {}),
    )) as RailwayTransientError;
    emu.emu.setFaults({ latencyMs: 0 });
    expect(timeout).toBeInstanceOf(RailwayTransientError);
    expect(timeout.message).toBe("Railway API ProjectsList: timed out after 100 ms");
    expect(timeout.mayHaveBeenProcessed).toBe(true);
    // The emulator still answers the abandoned request once its latency has passed; wait (with a
    // deadline) until it has, so its log entry cannot land in a later test's counts.
    const deadline = Date.now() + 10_000;
    while (!beforeSlow.operations().includes("ProjectsList") && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 20));
    expect(beforeSlow.operations()).toEqual(["ProjectsList"]);
  });
});

describe("creates that may have happened are recovered, never duplicated", () => {
  let retries: ReturnType<typeof fastRetries>;
  beforeEach(() => {
    retries = fastRetries();
  });
  afterEach(() => retries.restore());

  async function withFaults<T>(
    script: Parameters<typeof scriptFaults>[1],
    run: () => Promise<T>,
  ): Promise<T> {
    const faults = scriptFaults(emu.emu, script);
    try {
      return await run();
    } finally {
      faults.restore();
      expect(faults.pending()).toBe(0);
    }
  }

  test("project: drop-after on ProjectCreate → found by name and description, one project", async () => {
    const before = emu.checkpoint();
    const { id, outs } = await withFaults(
      [{ operation: "ProjectCreate", kind: "drop-after" }],
      () => projectProvider.create(projectInputs({ name: "recover-project" })),
    );
    expect(statuses(before)).toEqual([
      // The lookup for a leftover of an interrupted run, before creating.
      ["ProjectsList", 200, null],
      ["ProjectCreate", 0, "drop-after"],
      ["ProjectsList", 200, null],
      ["ProjectGet", 200, null],
    ]);
    const projects = Object.values((await emu.state()).projects).filter(
      (p) => p.name === "recover-project",
    );
    expect(projects.map((p) => p.id)).toEqual([id]);
    expect(outs!.environmentId).toBe(
      Object.values(emu.data.environments).find((e) => e.projectId === id)!.id,
    );
    expect(retries.waits).toEqual([]);
  });

  test("project: the lookup after a lost create fails too → retried before anything is resent, one project", async () => {
    const before = emu.checkpoint();
    const { id } = await withFaults(
      [
        { operation: "ProjectCreate", kind: "drop-after" },
        { operation: "ProjectsList", kind: "503", skip: 1 },
      ],
      () => projectProvider.create(projectInputs({ name: "recover-project-twice" })),
    );
    expect(statuses(before)).toEqual([
      ["ProjectsList", 200, null],
      ["ProjectCreate", 0, "drop-after"],
      ["ProjectsList", 503, "503"],
      ["ProjectsList", 200, null],
      ["ProjectGet", 200, null],
    ]);
    const projects = Object.values((await emu.state()).projects).filter(
      (p) => p.name === "recover-project-twice",
    );
    expect(projects.map((p) => p.id)).toEqual([id]);
    expect(retries.waits).toHaveLength(1);
  });

  test("service: drop-after on ServiceCreate → found by name, one service", async () => {
    const p = await emu.freshProject();
    const before = emu.checkpoint();
    const { id } = await withFaults([{ operation: "ServiceCreate", kind: "drop-after" }], () =>
      serviceProvider.create(serviceInputs(p.projectId, { name: "recovered" })),
    );
    expect(before.operations()).toEqual(["ServiceCreate", "ProjectServices", "ServiceGet"]);
    expect(
      Object.values((await emu.state()).services)
        .filter((s) => s.projectId === p.projectId)
        .map((s) => s.id),
    ).toEqual([id]);
  });

  test("service: a drop before processing → nothing found, created again once", async () => {
    const p = await emu.freshProject();
    const before = emu.checkpoint();
    await withFaults([{ operation: "ServiceCreate", kind: "drop" }], () =>
      serviceProvider.create(serviceInputs(p.projectId)),
    );
    expect(before.operations()).toEqual(["ServiceCreate", "ProjectServices", "ServiceCreate"]);
    expect(
      Object.values(emu.data.services).filter((s) => s.projectId === p.projectId),
    ).toHaveLength(1);
    expect(retries.waits).toEqual([125]);
  });

  test("project: a 429 on create cannot have been processed: retried without a lookup", async () => {
    const before = emu.checkpoint();
    await withFaults([{ operation: "ProjectCreate", kind: "429" }], () =>
      projectProvider.create(projectInputs({ name: "after-429" })),
    );
    expect(before.operations()).toEqual(["ProjectsList", "ProjectCreate", "ProjectCreate"]);
    expect(Object.values(emu.data.projects).filter((p) => p.name === "after-429")).toHaveLength(1);
    expect(retries.waits).toEqual([1000]);
  });

  test("volume: drop-after on VolumeCreate → found at its mount path, one volume", async () => {
    const p = await emu.freshProject();
    const serviceId = await emu.freshService(p.projectId, "db");
    const before = emu.checkpoint();
    const { id } = await withFaults([{ operation: "VolumeCreate", kind: "drop-after" }], () =>
      volumeProvider.create(volumeInputs({ ...p, serviceId })),
    );
    expect(before.operations()).toEqual([
      "VolumeCreate",
      // The lookup that recovers the dropped answer also finds the instance: no second read.
      "EnvironmentVolumeInstances",
      "VolumeUpdate",
    ]);
    const live = await emu.state();
    expect(
      Object.values(live.volumes)
        .filter((v) => v.projectId === p.projectId)
        .map((v) => [v.id, v.name]),
    ).toEqual([[id, "api-data"]]);
    expect(Object.values(live.volumeInstances).filter((i) => i.volumeId === id)).toHaveLength(1);
  });

  test("Railway domain: drop-after on ServiceDomainCreate → found, one domain", async () => {
    const p = await emu.freshProject();
    const serviceId = await emu.freshService(p.projectId, "web");
    const inputs = instanceInputs(
      { ...p, serviceId, serviceName: "web" },
      { networking: { railwayDomainPort: 8080, customDomains: {}, tcpProxyPorts: [] } },
    );
    const before = emu.checkpoint();
    const { outs } = await withFaults(
      [{ operation: "ServiceDomainCreate", kind: "drop-after" }],
      () => serviceInstanceProvider.create(inputs),
    );
    expect(before.operations()).toEqual([
      "EnvironmentConfigGet",
      "EnvironmentPatchCommit",
      "ServiceDomainCreate",
      "ServiceDomainsGet",
    ]);
    const domains = Object.values((await emu.state()).serviceDomains).filter(
      (d) => d.serviceId === serviceId,
    );
    expect(domains.map((d) => d.domain)).toEqual([outs!.railwayDomain]);
  });

  test("a create without a way to look it up is not repeated blindly", async () => {
    const { client: c } = client();
    emu.emu.setFaults({ rate: 1, kinds: ["500"] });
    const before = emu.checkpoint();
    const error = await rejection(
      c.request(projectOps.ProjectCreate, { input: { name: "never-twice" } }, { kind: "create" }),
    );
    expect(error.message).toBe("Railway API ProjectCreate: HTTP 500");
    expect(before.operations()).toEqual(["ProjectCreate"]);
  });
});

describe("typed errors", () => {
  test("a wrong token: RailwayAuthError naming RAILWAY_API_TOKEN, not retried, token not shown", async () => {
    process.env.RAILWAY_API_TOKEN = "emu_wrong_token_value_123";
    const before = emu.checkpoint();
    const error = await rejection(RailwayApi.fromEnvironment().getProject("x"));
    expect(error).toBeInstanceOf(RailwayAuthError);
    expect(error.message).toBe(`Railway API ProjectGet failed: Not Authorized. ${AUTH_HINT}`);
    expect(before.counters().requests).toBe(1);
    expect(error.message).not.toContain("emu_wrong_token_value_123");
    expect(JSON.stringify(before.requests())).not.toContain("emu_wrong_token_value_123");
  });

  test.each([401, 403])("HTTP %i: RailwayAuthError naming RAILWAY_API_TOKEN", async (status) => {
    const server = await recordingServer(() => ({ status, body: "Unauthorized" }));
    try {
      process.env.RAILWAY_GRAPHQL_ENDPOINT = server.url;
      process.env.RAILWAY_API_TOKEN = "secret-token-abc";
      const error = await rejection(RailwayApi.fromEnvironment().getProject("x"));
      expect(error).toBeInstanceOf(RailwayAuthError);
      expect(error.message).toBe(
        `Railway API ProjectGet: HTTP ${status} Not Authorized. Check RAILWAY_API_TOKEN or railway-stacks:railwayToken.`,
      );
      expect(error.message).not.toContain("secret-token-abc");
      expect(server.received).toHaveLength(1);
    } finally {
      await server.close();
    }
  });

  test("not found: RailwayNotFoundError from the client; undefined from the API's getters", async () => {
    const { client: c } = client();
    const error = await rejection(c.request(projectOps.ProjectGet, { id: "no-such-project" }));
    expect(error).toBeInstanceOf(RailwayNotFoundError);
    expect(error.message).toBe("Railway API ProjectGet failed: Project not found");
    const api = new RailwayApi(c);
    expect(await api.getProject("no-such-project")).toBeUndefined();
    expect(await api.getService("no-such-service")).toBeUndefined();
    expect(await api.getEnvironmentConfig("no-such-environment")).toBeUndefined();
  });

  test("any other GraphQL error: RailwayApiError with Railway's message", async () => {
    const p = await emu.freshProject();
    await emu.freshService(p.projectId, "dup");
    const serviceId = await emu.freshService(p.projectId, "dup-b");
    const error = await rejection(
      new RailwayApi(client().client).updateService(serviceId, { name: "dup" }),
    );
    expect(error.constructor).toBe(RailwayApiError);
    expect(error.message).toBe(
      'Railway API ServiceUpdate failed: Service name "dup" already exists in this project',
    );
  });

  test("missing credentials: MissingCredentialsError with the exact fix, before any request", async () => {
    delete process.env.RAILWAY_API_TOKEN;
    delete process.env.RAILWAY_TOKEN;
    const before = emu.checkpoint();
    const error = await rejection(
      Promise.resolve().then(() => projectProvider.read("x", projectInputs() as never)),
    );
    expect(error).toBeInstanceOf(MissingCredentialsError);
    expect(error.message).toBe(
      "No Railway token: set RAILWAY_API_TOKEN to an account or workspace token (https://railway.com/account/tokens), " +
        "or store it in the stack with `pulumi config set --secret railwayToken <token>`. To run against the local emulator " +
        "instead, set RAILWAY_GRAPHQL_ENDPOINT to its URL and RAILWAY_API_TOKEN to the token it prints.",
    );
    expect(before.counters().requests).toBe(0);
  });
});

describe("credentials and the source tag", () => {
  test("every request goes to ?source=railway-stacks with a Bearer token and JSON", async () => {
    const server = await recordingServer(() => ({
      status: 200,
      body: JSON.stringify({
        data: {
          project: {
            id: "p",
            name: "n",
            description: null,
            prDeploys: false,
            workspaceId: null,
            environments: { edges: [] },
          },
        },
      }),
    }));
    try {
      process.env.RAILWAY_GRAPHQL_ENDPOINT = server.url;
      process.env.RAILWAY_API_TOKEN = "bearer-token-1";
      await RailwayApi.fromEnvironment().getProject("p");
      expect(server.received).toHaveLength(1);
      const [request] = server.received;
      expect(request!.url).toBe("/graphql/v2?source=railway-stacks");
      expect(request!.headers.authorization).toBe("Bearer bearer-token-1");
      expect(request!.headers["project-access-token"]).toBeUndefined();
      expect(request!.headers["content-type"]).toBe("application/json");
      expect(request!.headers["user-agent"]).toBe("railway-stacks");
      expect(JSON.parse(request!.body)).toMatchObject({
        operationName: "ProjectGet",
        variables: { id: "p" },
      });
    } finally {
      await server.close();
    }
  });

  test("an endpoint that already has a source keeps it", () => {
    expect(withSourceTag("https://backboard.railway.com/graphql/v2")).toBe(
      "https://backboard.railway.com/graphql/v2?source=railway-stacks",
    );
    expect(withSourceTag("http://127.0.0.1:4000/graphql/v2?source=mine")).toBe(
      "http://127.0.0.1:4000/graphql/v2?source=mine",
    );
    expect(resolveCredentials({ RAILWAY_API_TOKEN: "t" }).endpoint).toBe(
      "https://backboard.railway.com/graphql/v2?source=railway-stacks",
    );
  });

  test("precedence: RAILWAY_API_TOKEN, then the stack's secret config, then RAILWAY_TOKEN (project token)", () => {
    const endpoint = "https://backboard.railway.com/graphql/v2?source=railway-stacks";
    expect(resolveCredentials({ RAILWAY_API_TOKEN: " a ", RAILWAY_TOKEN: "p" })).toEqual({
      endpoint,
      token: "a",
      kind: "bearer",
    });
    setConfiguredToken("from-config");
    expect(resolveCredentials({ RAILWAY_TOKEN: "p" })).toEqual({
      endpoint,
      token: "from-config",
      kind: "bearer",
    });
    setConfiguredToken(undefined);
    expect(resolveCredentials({ RAILWAY_TOKEN: "p" })).toEqual({
      endpoint,
      token: "p",
      kind: "project",
    });
  });

  test("RAILWAY_TOKEN is sent as Project-Access-Token, and reaches its project in the emulator", async () => {
    const p = await emu.freshProject();
    const minted = await emu.gql(
      "mutation ProjectTokenCreate($input: ProjectTokenCreateInput!) { projectTokenCreate(input: $input) }",
      { input: { projectId: p.projectId, environmentId: p.environmentId, name: "ci" } },
    );
    const projectToken = minted.data.projectTokenCreate as string;
    delete process.env.RAILWAY_API_TOKEN;
    process.env.RAILWAY_TOKEN = projectToken;

    const environment = await RailwayApi.fromEnvironment().getEnvironmentConfig(p.environmentId);
    expect(environment?.projectId).toBe(p.projectId);
    // A project token cannot create projects: Railway's "Not Authorized".
    const error = await rejection(projectProvider.create(projectInputs({ name: "not-allowed" })));
    expect(error).toBeInstanceOf(RailwayAuthError);
    expect(error.message).not.toContain(projectToken);

    const server = await recordingServer(() => ({
      status: 200,
      body: JSON.stringify({ data: { environment: null } }),
    }));
    try {
      process.env.RAILWAY_GRAPHQL_ENDPOINT = server.url;
      await RailwayApi.fromEnvironment().getEnvironmentConfig("e");
      expect(server.received[0]!.headers["project-access-token"]).toBe(projectToken);
      expect(server.received[0]!.headers.authorization).toBeUndefined();
      expect(server.received[0]!.url).toBe("/graphql/v2?source=railway-stacks");
    } finally {
      await server.close();
    }
  });
});
