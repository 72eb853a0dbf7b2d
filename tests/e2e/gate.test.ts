/**
 * The post-deploy gate through the real CLI: a one-service stack whose gate polls a local HTTP
 * server (RAILWAY_STACKS_GATE_URL_TEMPLATE) instead of the service's Railway domain. A service that
 * becomes healthy after ~2 s passes `pulumi up`; a deployment that never does fails it once the
 * gate's timeout is spent, with the gate's one-line message naming the URL and the last answer.
 *
 * The gate's timeout is 10 s, the schema's minimum (`services.<name>.gate.timeoutSeconds` ≥ 10):
 * 8 s is rejected by the config validation, which the first test checks too.
 */
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { stringify } from "yaml";
import { createWorkspace, describeE2E, expectSuccess, type Workspace } from "../helpers/pulumi-cli";

jest.setTimeout(300_000);

const TIMEOUT_SECONDS = 10;
const INTERVAL_SECONDS = 1;
const HEALTHY_AFTER_MS = 2_000;

/** The stack object: one public app service with a healthcheck and a readiness path, no data services. */
function stackFile(
  gate: { timeoutSeconds: number; intervalSeconds: number },
  release: string,
): string {
  return stringify({
    config: {
      "railway-stacks:app": {
        tier: "dev",
        project: { name: "gate-e2e", region: "us-west2" },
        postgres: { enabled: false },
        redis: { enabled: false },
        nats: { enabled: false },
        services: {
          web: {
            source: { image: "ghcr.io/acme/web:1.4.2" },
            port: 8080,
            healthcheck: { path: "/health", timeoutSeconds: 60 },
            readinessPath: "/ready",
            domains: { railway: true },
            variables: { RELEASE: release },
            gate: { enabled: true, ...gate },
          },
        },
      },
    },
  });
}

interface Probe {
  url: string;
  close(): Promise<void>;
  /** Every request: path, time, status. */
  hits: { path: string; at: number; status: number }[];
}

/**
 * A stand-in for the service behind its public domain, reached as `<url>/{service}/<path>`.
 * `healthyAfterMs` counts from the first request; `undefined` never becomes healthy.
 */
async function probe(healthyAfterMs: number | undefined): Promise<Probe> {
  const hits: Probe["hits"] = [];
  let first: number | undefined;
  const server = http.createServer((request, response) => {
    const now = Date.now();
    first ??= now;
    const healthy = healthyAfterMs !== undefined && now - first >= healthyAfterMs;
    const status = healthy ? 200 : 503;
    hits.push({ path: request.url ?? "", at: now, status });
    response.writeHead(status, { "content-type": "text/plain" });
    response.end(healthy ? "ok" : "warming up: model not loaded");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    hits,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describeE2E("deploy gate (real Pulumi CLI, emulator, local health server)", () => {
  let workspace: Workspace;
  const probes: Probe[] = [];

  beforeAll(async () => {
    workspace = await createWorkspace();
    await workspace.initStack("dev");
  });
  const writeStack = (
    gate: { timeoutSeconds: number; intervalSeconds: number },
    release: string,
  ): void => workspace.stackFile("dev", stackFile(gate, release));
  afterAll(async () => {
    await Promise.all(probes.map((p) => p.close()));
    await workspace?.close();
  });

  it("rejects a gate timeout under 10 s before anything is deployed", async () => {
    writeStack({ timeoutSeconds: 8, intervalSeconds: INTERVAL_SECONDS }, "1");
    const result = await workspace.pulumi(["preview", "-s", "dev"]);
    expect(result.code).not.toBe(0);
    expect(result.output).toContain(
      "error: railway-stacks:app.services.web.gate.timeoutSeconds: (8) must be at least 10. Fix: use a value of 10 or more",
    );
    expect(workspace.emulator.counters().requests).toBe(0);
  });

  it("passes `pulumi up` once the service becomes healthy (~2 s)", async () => {
    const server = await probe(HEALTHY_AFTER_MS);
    probes.push(server);
    writeStack({ timeoutSeconds: TIMEOUT_SECONDS, intervalSeconds: INTERVAL_SECONDS }, "1");
    const result = expectSuccess(
      await workspace.pulumi(["up", "--yes", "--skip-preview", "-s", "dev"], {
        env: { RAILWAY_STACKS_GATE_URL_TEMPLATE: `${server.url}/{service}` },
      }),
    );
    expect(result.output).toContain("+  command:local:Command railway-web-gate created");
    expect(result.output).toContain(
      `gate: web waiting for ${server.url}/web/health (HTTP 503 "warming up: model not loaded")`,
    );
    expect(result.output).toContain("deploy gate: web healthy");
    // /health was polled until healthy (503s, then one 200), then /ready answered 200 at once.
    const paths = server.hits.map((hit) => `${hit.path} ${hit.status}`);
    const failures = paths.filter((line) => line === "/web/health 503").length;
    expect(failures).toBeGreaterThanOrEqual(2);
    expect(paths).toEqual([
      ...Array(failures).fill("/web/health 503"),
      "/web/health 200",
      "/web/ready 200",
    ]);
    const waited = server.hits.at(-1)!.at - server.hits[0]!.at;
    expect(waited).toBeGreaterThanOrEqual(HEALTHY_AFTER_MS);
    // It waited its interval between polls (lower bounds only: a busy machine is slower, never
    // faster), so it cannot have polled more often than that while the service warmed up.
    const healthHits = server.hits.filter((hit) => hit.path === "/web/health");
    for (let i = 1; i < healthHits.length; i++)
      expect(healthHits[i]!.at - healthHits[i - 1]!.at).toBeGreaterThanOrEqual(
        INTERVAL_SECONDS * 1000 - 50,
      );
    expect(failures).toBeLessThanOrEqual(
      Math.floor(HEALTHY_AFTER_MS / (INTERVAL_SECONDS * 1000)) + 1,
    );
  });

  it("fails `pulumi up` after the timeout when a new deployment never becomes healthy", async () => {
    const server = await probe(undefined);
    probes.push(server);
    // A new release: one deployment commit of `web`, so the gate runs again.
    writeStack({ timeoutSeconds: TIMEOUT_SECONDS, intervalSeconds: INTERVAL_SECONDS }, "2");
    const started = Date.now();
    const result = await workspace.pulumi(["up", "--yes", "--skip-preview", "-s", "dev"], {
      env: { RAILWAY_STACKS_GATE_URL_TEMPLATE: `${server.url}/{service}` },
    });
    const elapsed = Date.now() - started;
    expect(result.code).not.toBe(0);
    const message = `deploy gate: web did not become healthy within ${TIMEOUT_SECONDS} s: GET ${server.url}/web/health → HTTP 503 "warming up: model not loaded"`;
    expect(result.output).toContain(message);
    expect(result.output).toContain("railway-web-gate **creating failed**");
    // The gate polled /health (never /ready) for the whole timeout, once per interval, then gave up.
    expect(new Set(server.hits.map((hit) => `${hit.path} ${hit.status}`))).toEqual(
      new Set(["/web/health 503"]),
    );
    const polled = server.hits.at(-1)!.at - server.hits[0]!.at;
    expect(polled).toBeGreaterThanOrEqual((TIMEOUT_SECONDS - INTERVAL_SECONDS) * 1000 - 250);
    expect(polled).toBeLessThanOrEqual(TIMEOUT_SECONDS * 1000);
    expect(server.hits.length).toBeGreaterThanOrEqual(TIMEOUT_SECONDS - 1);
    expect(server.hits.length).toBeLessThanOrEqual(TIMEOUT_SECONDS + 1);
    expect(elapsed).toBeGreaterThanOrEqual(TIMEOUT_SECONDS * 1000 - INTERVAL_SECONDS * 1000);
    // No upper bound on the whole command's wall time (CLI start-up varies with the machine's load):
    // the gate's own polling window above shows that it stopped at its timeout.
    // The deployment itself was committed: only the gate failed.
    const environment = Object.values(workspace.emulator.state.data.environments).find(
      (env) => env.name === "dev",
    );
    const web = Object.values(workspace.emulator.state.data.services).find(
      (service) => service.name === "web",
    )!;
    expect((environment!.config as any).services[web.id].variables.RELEASE.value).toBe("2");
  });
});
