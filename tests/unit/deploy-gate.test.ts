import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { gateUrls, runGate } from "../../infra/gate/deploy-gate";

/** A local service that answers 503 until `healthyAfterMs` has passed, then 200. */
function startService(
  healthyAfterMs: number,
): Promise<{ server: Server; base: string; requests: () => number }> {
  const started = Date.now();
  let requests = 0;
  const server = createServer((request, response) => {
    requests += 1;
    const healthy = Date.now() - started >= healthyAfterMs;
    response.writeHead(healthy ? 200 : 503, { "content-type": "text/plain" });
    response.end(healthy ? `ok ${request.url}` : "starting");
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () =>
      resolve({
        server,
        base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        requests: () => requests,
      }),
    ),
  );
}

describe("deploy gate", () => {
  let server: Server | undefined;
  afterEach(() => server?.close());

  it("builds URLs from the Railway domain, or from a template", () => {
    expect(gateUrls("api", "api-prod.up.railway.app", ["/health", "ready"], undefined)).toEqual([
      "https://api-prod.up.railway.app/health",
      "https://api-prod.up.railway.app/ready",
    ]);
    expect(
      gateUrls("api", "x.up.railway.app", ["/health"], "http://127.0.0.1:9000/{service}/"),
    ).toEqual(["http://127.0.0.1:9000/api/health"]);
  });

  it("passes once a service that starts slowly becomes healthy", async () => {
    const service = await startService(600);
    server = service.server;
    const lines: string[] = [];
    const result = await runGate({
      service: "backend",
      urls: [`${service.base}/api/health`, `${service.base}/ready`],
      timeoutMs: 5000,
      intervalMs: 100,
      log: (line) => lines.push(line),
    });
    expect(result).toEqual({ ok: true, message: "deploy gate: backend healthy" });
    expect(
      lines.some((line) => line.includes("waiting for") && line.includes('HTTP 503 "starting"')),
    ).toBe(true);
  });

  it("fails within its timeout with the last response seen", async () => {
    const service = await startService(60_000);
    server = service.server;
    const result = await runGate({
      service: "backend",
      urls: [`${service.base}/api/health`],
      timeoutMs: 1000,
      intervalMs: 200,
      log: () => undefined,
    });
    // It stopped polling at its deadline: at most one poll per interval (no wall-clock bound, which
    // a busy machine could break).
    expect(service.requests()).toBeGreaterThanOrEqual(1);
    expect(service.requests()).toBeLessThanOrEqual(1000 / 200 + 1);
    expect(result).toEqual({
      ok: false,
      message: `deploy gate: backend did not become healthy within 1 s: GET ${service.base}/api/health → HTTP 503 "starting"`,
    });
  });

  it("reports a refused connection", async () => {
    const closed = await startService(0);
    const url = `${closed.base}/health`;
    await new Promise((resolve) => closed.server.close(resolve));
    const result = await runGate({
      service: "ml",
      urls: [url],
      timeoutMs: 300,
      intervalMs: 100,
      log: () => undefined,
    });
    expect(result).toEqual({
      ok: false,
      message: `deploy gate: ml did not become healthy within 0 s: GET ${url} → ECONNREFUSED`,
    });
  });
});
