/**
 * Deployment lifecycle: statuses over time, per-service failure modes, build and deploy logs
 * through Railway's log queries, the live deployment behind the public-domain stand-in, no
 * deployment for a service without source, and the control endpoint.
 */
import { advanceDeployments, normalizeDeploymentSettings } from "../../emulator/deployments";
import { ALL_OPERATIONS } from "../../infra/railway/operations";
import { Harness, startHarness } from "./helpers";

const PHASE_MS = 200;

/** Polls `read` until `done` holds or the deadline passes (then fails with the last value). */
async function eventually<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  deadlineMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`still ${JSON.stringify(value)} at the deadline`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe("deployment lifecycle", () => {
  let h: Harness;
  let projectId: string;
  let environmentId: string;
  let web: string;

  beforeAll(async () => {
    h = await startHarness({ deployments: { phaseMs: PHASE_MS } });
    ({ projectId, environmentId } = await h.project("lifecycle"));
    web = await h.service(projectId, "web");
  });
  afterAll(() => h.close());
  afterEach(() => h.emu.setDeployments({ failures: { web: null } }));

  const status = async (id: string): Promise<string> =>
    (await h.op("DeploymentStatusGet", { id })).deployment.status;
  const logs = async (kind: "DeploymentBuildLogs" | "DeploymentDeployLogs", id: string) => {
    const d = await h.op(kind, { deploymentId: id, limit: 50 });
    return (kind === "DeploymentBuildLogs" ? d.buildLogs : d.deploymentLogs).map(
      (line: { message: string }) => line.message,
    );
  };
  const newest = async (): Promise<{ id: string; status: string; meta: any }> =>
    (await h.op("DeploymentsOfService", { environmentId, serviceId: web, first: 1 })).deployments
      .edges[0].node;
  const domainAnswer = async (domain: string) => {
    const response = await fetch(`${h.base}/_domains/${domain}/health`);
    return { status: response.status, body: (await response.json()) as any };
  };

  test("a service without source gets no deployment", async () => {
    await h.commit(environmentId, { services: { [web]: { variables: { A: { value: "1" } } } } });
    expect(await h.deployments({ serviceId: web })).toEqual([]);
  });

  test("QUEUED → INITIALIZING → BUILDING → DEPLOYING → SUCCESS, logs as they are written, the domain answers from it", async () => {
    const patchId = await h.commit(environmentId, {
      services: {
        [web]: {
          source: { image: "ghcr.io/acme/web:1.0.0" },
          deploy: { healthcheckPath: "/health" },
          networking: { serviceDomains: { "web-lifecycle-a1b2.up.railway.app": { port: 8080 } } },
        },
      },
    });
    const first = await newest();
    expect(first.status).toBe("QUEUED");
    expect(first.meta.patchId).toBe(patchId);
    expect(await domainAnswer("web-lifecycle-a1b2.up.railway.app")).toEqual({
      status: 503,
      body: { status: "starting", domain: "web-lifecycle-a1b2.up.railway.app", path: "/health" },
    });
    const seen: string[] = [];
    await eventually(
      async () => {
        const s = await status(first.id);
        if (seen.at(-1) !== s) seen.push(s);
        return s;
      },
      (s) => s === "SUCCESS",
    );
    expect(seen[0]).toBe("QUEUED");
    expect(seen.at(-1)).toBe("SUCCESS");
    const order = ["QUEUED", "INITIALIZING", "BUILDING", "DEPLOYING", "SUCCESS"];
    expect(seen.every((s, i) => i === 0 || order.indexOf(s) > order.indexOf(seen[i - 1]!))).toBe(
      true,
    );
    expect(await logs("DeploymentBuildLogs", first.id)).toEqual([
      "Building web",
      "Pulling image ghcr.io/acme/web:1.0.0",
      "Image pulled",
    ]);
    expect(await logs("DeploymentDeployLogs", first.id)).toEqual([
      "Starting Container",
      "Listening on port 8080",
      "Starting Healthcheck on /health",
      "[1/1] Healthcheck succeeded!",
    ]);
    expect(await domainAnswer("web-lifecycle-a1b2.up.railway.app")).toEqual({
      status: 200,
      body: {
        status: "ok",
        domain: "web-lifecycle-a1b2.up.railway.app",
        path: "/health",
        deploymentId: first.id,
      },
    });
  });

  test.each([
    ["build", "FAILED", "DeploymentBuildLogs", "Build Failed"],
    [
      "crash",
      "CRASHED",
      "DeploymentDeployLogs",
      "Deployment crashed: the container exited 4 times",
    ],
    ["healthcheck", "FAILED", "DeploymentDeployLogs", "Healthcheck failed!"],
  ])(
    "failure mode %s ends %s with its log, and the previous deployment keeps serving",
    async (mode, final, logKind, lastLine) => {
      const live = (await domainAnswer("web-lifecycle-a1b2.up.railway.app")).body.deploymentId;
      expect(live).toEqual(expect.any(String));
      h.emu.setDeployments({ failures: { web: mode as "build" } });
      await h.commit(environmentId, {
        services: { [web]: { variables: { RELEASE: { value: mode } } } },
      });
      const failing = await newest();
      await eventually(
        () => status(failing.id),
        (s) => s === final,
      );
      const lines = await logs(logKind as "DeploymentBuildLogs", failing.id);
      expect(lines.at(-1)).toBe(lastLine);
      if (mode === "build") expect(await logs("DeploymentDeployLogs", failing.id)).toEqual([]);
      expect(await status(live)).toBe("SUCCESS");
      expect((await domainAnswer("web-lifecycle-a1b2.up.railway.app")).body.deploymentId).toBe(
        live,
      );
    },
  );

  test("limit keeps the last lines; a newer deployment removes an unfinished one", async () => {
    await h.commit(environmentId, { services: { [web]: { variables: { N: { value: "1" } } } } });
    const superseded = await newest();
    await h.commit(environmentId, { services: { [web]: { variables: { N: { value: "2" } } } } });
    const current = await newest();
    expect(await status(superseded.id)).toBe("REMOVED");
    await eventually(
      () => status(current.id),
      (s) => s === "SUCCESS",
    );
    const last2 = await h.op("DeploymentDeployLogs", { deploymentId: current.id, limit: 2 });
    expect(last2.deploymentLogs.map((l: { message: string }) => l.message)).toEqual([
      "Starting Healthcheck on /health",
      "[1/1] Healthcheck succeeded!",
    ]);
    expect(last2.deploymentLogs[0]).toEqual({
      message: "Starting Healthcheck on /health",
      severity: "info",
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
  });

  test("the control endpoint validates and changes the settings", async () => {
    const bad = await h.admin("POST", "/_emulator/deployments", { failures: { web: "explode" } });
    expect(bad.status).toBe(400);
    expect(bad.json).toEqual({
      error: 'failures.web must be one of build, crash, healthcheck or null, got "explode"',
    });
    const ok = await h.admin("POST", "/_emulator/deployments", {
      phaseMs: 0,
      failures: { web: "crash" },
    });
    expect(ok.json).toEqual({ phaseMs: 0, failures: { web: "crash" } });
    await h.commit(environmentId, { services: { [web]: { variables: { N: { value: "3" } } } } });
    expect((await newest()).status).toBe("CRASHED");
    await h.admin("POST", "/_emulator/deployments", { phaseMs: PHASE_MS });
  });

  test("normalizeDeploymentSettings rejects unknown keys and bad lengths", () => {
    expect(() => normalizeDeploymentSettings({ phaseMS: 1 })).toThrow(
      'unknown deployment setting "phaseMS" (expected phaseMs, failures)',
    );
    expect(() => normalizeDeploymentSettings({ phaseMs: -1 })).toThrow(
      "phaseMs must be an integer from 0 to 600000",
    );
    expect(advanceDeployments(h.emu.state, Date.now())).toBe(false);
  });

  test("the provider's deployment documents exist", () => {
    for (const name of [
      "DeploymentsOfService",
      "DeploymentStatusGet",
      "DeploymentBuildLogs",
      "DeploymentDeployLogs",
      "VariablesUpsertSkipDeploys",
    ])
      expect(ALL_OPERATIONS[name]).toEqual(expect.any(String));
  });
});
