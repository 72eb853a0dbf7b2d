/**
 * Deploys that tell the truth, through the real Pulumi CLI against the emulator with deployments
 * that take time (each phase 1 s): `pulumi up` follows the deployment each change starts and
 * prints its progress; a build failure and a crash loop fail the update with the status, the
 * deployment id, the dashboard URL and a log excerpt, while the previous deployment keeps
 * answering on the public domain; a fixed config then succeeds; a variable-only change with
 * skipDeploys starts nothing and waits for nothing; a dashboard edit between preview and up is
 * refused, `npm run drift` lists it, and `pulumi refresh` brings the state to what is live.
 */
import { join } from "node:path";
import { stringify } from "yaml";
import { startEmulator, type RunningEmulator } from "../../emulator/server";
import {
  createWorkspace,
  describeE2E,
  expectSuccess,
  NODE_BIN,
  run,
  type Workspace,
} from "../helpers/pulumi-cli";

jest.setTimeout(600_000);

const PHASE_MS = 1_000;

interface StackOptions {
  skipDeploys?: boolean;
  /** Also a private worker and Redis, neither with anything the HTTP gate could poll. */
  private?: { release: string; redisMaxMemory: string };
}

function stackFile(release: string, options: StackOptions = {}): string {
  return stringify({
    config: {
      "railway-stacks:app": {
        tier: "dev",
        project: { name: "deploys-e2e", region: "us-west2" },
        postgres: { enabled: false },
        redis: options.private
          ? { enabled: true, maxMemory: options.private.redisMaxMemory }
          : { enabled: false },
        nats: { enabled: false },
        services: {
          ...(options.private
            ? {
                worker: {
                  source: { image: "ghcr.io/acme/worker:1.4.2" },
                  startCommand: "node worker.js",
                  variables: { RELEASE: options.private.release },
                },
              }
            : {}),
          web: {
            source: { image: "ghcr.io/acme/web:1.4.2" },
            port: 8080,
            healthcheck: { path: "/health", timeoutSeconds: 60 },
            domains: { railway: true },
            variables: { RELEASE: release },
            skipDeploysOnVariableChange: options.skipDeploys ?? false,
            gate: { enabled: true, timeoutSeconds: 60, intervalSeconds: 1 },
          },
        },
      },
    },
  });
}

describeE2E("deployments (real Pulumi CLI, emulator deployments with a lifecycle)", () => {
  let emulator: RunningEmulator;
  let workspace: Workspace;

  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, deployments: { phaseMs: PHASE_MS } });
    workspace = await createWorkspace({ emulator });
    await workspace.initStack("dev");
  });
  afterAll(async () => {
    await workspace?.close();
    await emulator?.close();
  });

  const writeStack = (release: string, options: StackOptions = {}): void =>
    workspace.stackFile("dev", stackFile(release, options));
  const up = () => workspace.pulumi(["up", "--yes", "--skip-preview", "-s", "dev"]);
  const data = () => emulator.state.data;
  const web = () => Object.values(data().services).find((service) => service.name === "web")!;
  const environment = () => Object.values(data().environments).find((env) => env.name === "dev");
  const webConfig = (): any => (environment()!.config as any).services[web().id];
  const webDeployments = () =>
    Object.values(data().deployments).filter((d) => d.serviceId === web().id);
  const domain = () => Object.values(data().serviceDomains).find((d) => d.serviceId === web().id)!;
  /** What the public domain answers now (the emulator's stand-in for it). */
  const publicHealth = async () => {
    const base = emulator.url.replace(/\/graphql\/v2$/, "");
    const response = await fetch(`${base}/_domains/${domain().domain}/health`);
    return { status: response.status, body: (await response.json()) as { deploymentId?: string } };
  };
  const dashboard = (deploymentId: string) =>
    `https://railway.com/project/${web().projectId}/service/${web().id}?environmentId=${environment()!.id}&id=${deploymentId}`;

  let firstDeployment: string;

  it("follows a new deployment through Railway's statuses and prints its progress", async () => {
    writeStack("1");
    const result = expectSuccess(await up());
    const [deployment] = webDeployments();
    expect(webDeployments()).toHaveLength(1);
    expect(deployment!.status).toBe("SUCCESS");
    firstDeployment = deployment!.id;
    // Each line shows twice: as it happens and again under Diagnostics.
    const progress = [
      ...new Set(
        result.output
          .split("\n")
          .map((line) => /railway-stacks: web deployment (\S+): ([A-Z]+) \(/.exec(line))
          .filter((match): match is RegExpExecArray => match !== null)
          .map((match) => `${match[1]} ${match[2]}`),
      ),
    ];
    expect(progress[0]).toBe(`${deployment!.id} QUEUED`);
    expect(progress.at(-1)).toBe(`${deployment!.id} SUCCESS`);
    // At least one status in between was seen, and statuses only move forward.
    const order = ["QUEUED", "INITIALIZING", "BUILDING", "DEPLOYING", "SUCCESS"];
    const seen = progress.map((line) => order.indexOf(line.split(" ")[1]!));
    expect(seen.length).toBeGreaterThanOrEqual(3);
    expect([...seen].sort((a, b) => a - b)).toEqual(seen);
    expect(result.output).toContain("deploy gate: web healthy");
    expect(await publicHealth()).toEqual({
      status: 200,
      body: {
        status: "ok",
        domain: domain().domain,
        path: "/health",
        deploymentId: deployment!.id,
      },
    });
  });

  it("fails `pulumi up` on a build failure with the status and the build log; the old deployment keeps answering", async () => {
    emulator.setDeployments({ failures: { web: "build" } });
    writeStack("2");
    const result = await up();
    expect(result.code).not.toBe(0);
    const failed = webDeployments().at(-1)!;
    expect(failed.status).toBe("FAILED");
    expect(result.output).toContain(
      `deployment of web failed: deployment ${failed.id} ended FAILED.`,
    );
    expect(result.output).toContain(`Dashboard: ${dashboard(failed.id)}`);
    expect(result.output).toContain("Last build log lines:");
    expect(result.output).toContain("failed to pull ghcr.io/acme/web:1.4.2: manifest unknown");
    expect(result.output).toContain("Build Failed");
    expect(result.output).not.toContain("deploy gate: web healthy");
    // Applied, not deployed: Railway has the new config, the old deployment still serves.
    expect(webConfig().variables.RELEASE.value).toBe("2");
    expect(data().deployments[firstDeployment]!.status).toBe("SUCCESS");
    expect((await publicHealth()).body.deploymentId).toBe(firstDeployment);
  });

  it("fails `pulumi up` on a crash loop with the status and the deploy log; the old deployment keeps answering", async () => {
    emulator.setDeployments({ failures: { web: "crash" } });
    writeStack("3");
    const result = await up();
    expect(result.code).not.toBe(0);
    const crashed = webDeployments().at(-1)!;
    expect(crashed.status).toBe("CRASHED");
    expect(result.output).toContain(
      `deployment of web failed: deployment ${crashed.id} ended CRASHED.`,
    );
    expect(result.output).toContain(`Dashboard: ${dashboard(crashed.id)}`);
    expect(result.output).toContain("Last deploy log lines:");
    expect(result.output).toContain("the image's entrypoint exited with code 1");
    expect(result.output).toContain("Deployment crashed: the container exited 4 times");
    expect(data().deployments[firstDeployment]!.status).toBe("SUCCESS");
    expect((await publicHealth()).body.deploymentId).toBe(firstDeployment);
  });

  it("succeeds once the deployment is fixed; the new deployment takes over", async () => {
    emulator.setDeployments({ failures: { web: null } });
    writeStack("4");
    const result = expectSuccess(await up());
    const fixed = webDeployments().at(-1)!;
    expect(fixed.status).toBe("SUCCESS");
    expect(result.output).toContain(`railway-stacks: web deployment ${fixed.id}: SUCCESS`);
    expect(result.output).toContain("deploy gate: web healthy");
    expect(data().deployments[firstDeployment]!.status).toBe("REMOVED");
    expect((await publicHealth()).body.deploymentId).toBe(fixed.id);
    expect(webDeployments().map((d) => d.status)).toEqual([
      "REMOVED",
      "FAILED",
      "CRASHED",
      "SUCCESS",
    ]);
  });

  it("applies a variable-only change with skipDeploys without a deployment and without waiting", async () => {
    const before = webDeployments().length;
    writeStack("5", { skipDeploys: true });
    const result = expectSuccess(await up());
    expect(result.output).toContain(
      "railway-stacks: web: variables set with skipDeploys; no deployment started, nothing to wait for",
    );
    expect(result.output).not.toMatch(/railway-stacks: web deployment \S+: QUEUED/);
    expect(webDeployments()).toHaveLength(before);
    expect(webConfig().variables.RELEASE.value).toBe("5");
  });

  it("refuses an up planned before a dashboard edit; drift lists it; refresh brings the state to what is live", async () => {
    writeStack("6", { skipDeploys: true });
    expectSuccess(await workspace.pulumi(["preview", "-s", "dev"]));
    // A dashboard edit between preview and up.
    const response = await fetch(emulator.url, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${emulator.token}` },
      body: JSON.stringify({
        query:
          "mutation($e: String!, $p: EnvironmentConfig) { environmentPatchCommit(environmentId: $e, patch: $p) }",
        variables: {
          e: environment()!.id,
          p: {
            services: {
              [web().id]: { deploy: { multiRegionConfig: { "us-west2": { numReplicas: 3 } } } },
            },
          },
        },
      }),
    });
    expect(((await response.json()) as { errors?: unknown }).errors).toBeUndefined();
    const deploymentsBefore = webDeployments().length;

    const refused = await up();
    expect(refused.code).not.toBe(0);
    expect(refused.output).toContain(
      "web was changed in Railway after this stack last applied or refreshed it, so this update was planned without that change and would overwrite it. Nothing was changed. What differs from the state:",
    );
    expect(refused.output).toContain("  - deploy.multiRegionConfig.us-west2.numReplicas: 1 → 3");
    expect(refused.output).toContain("Fix: run `pulumi refresh`, then `pulumi preview` again");
    // Nothing was written: the edit stands, the planned variable change was not applied.
    expect(webConfig().deploy.multiRegionConfig).toEqual({ "us-west2": { numReplicas: 3 } });
    expect(webConfig().variables.RELEASE.value).toBe("5");
    expect(webDeployments()).toHaveLength(deploymentsBefore);

    const drift = await run(
      join(NODE_BIN, "node"),
      ["-r", "ts-node/register/transpile-only", "scripts/drift.ts", "dev"],
      { cwd: workspace.dir, env: workspace.env },
    );
    expect(drift.code).toBe(1);
    expect(drift.stdout).toBe(
      [
        "drift: stack dev differs from what is live in Railway (declared → live):",
        "  web:",
        "    deploy.multiRegionConfig.us-west2.numReplicas: 1 → 3",
        "    variables.RELEASE: changed",
        "Fix: put the live values in Pulumi.dev.yaml to keep them, or run pulumi up -s dev to restore the declared ones.",
        "",
      ].join("\n"),
    );

    expectSuccess(await workspace.pulumi(["refresh", "--yes", "--skip-preview", "-s", "dev"]));
    const exported = JSON.parse(
      expectSuccess(await workspace.pulumi(["stack", "export", "-s", "dev"])).stdout,
    ) as { deployment: { resources: { type: string; outputs?: any }[] } };
    const instance = exported.deployment.resources.find((r) =>
      r.type.endsWith("railway:ServiceInstance"),
    )!;
    expect(instance.outputs.deploy.numReplicas).toBe(3);

    // Now the plan is made against what is live: up puts the declared config back.
    expectSuccess(await up());
    expect(webConfig().deploy.multiRegionConfig).toEqual({ "us-west2": { numReplicas: 1 } });
    expect(webConfig().variables.RELEASE.value).toBe("6");
    const clean = await run(
      join(NODE_BIN, "node"),
      ["-r", "ts-node/register/transpile-only", "scripts/drift.ts", "dev"],
      { cwd: workspace.dir, env: workspace.env },
    );
    expect(clean.code).toBe(0);
    expect(clean.stdout).toBe("drift: stack dev matches what is live in Railway.\n");
  });

  it("follows the deployments of a private service and a data service too: either failing fails the up", async () => {
    const deploymentsOf = (name: string) => {
      const service = Object.values(data().services).find((s) => s.name === name)!;
      return Object.values(data().deployments).filter((d) => d.serviceId === service.id);
    };
    emulator.setDeployments({ failures: { worker: "crash", redis: "build" } });
    writeStack("6", { skipDeploys: true, private: { release: "1", redisMaxMemory: "256MB" } });
    const failed = await up();
    expect(failed.code).not.toBe(0);
    const [worker] = deploymentsOf("worker");
    const [redis] = deploymentsOf("redis");
    expect(worker!.status).toBe("CRASHED");
    expect(redis!.status).toBe("FAILED");
    expect(failed.output).toContain(
      `deployment of worker failed: deployment ${worker!.id} ended CRASHED.`,
    );
    expect(failed.output).toContain(
      `deployment of redis failed: deployment ${redis!.id} ended FAILED.`,
    );
    expect(failed.output).toContain("Last build log lines:");
    expect(failed.output).toContain("Last deploy log lines:");

    // Fixed (here: the emulator stops failing them, and a change starts new deployments).
    emulator.setDeployments({ failures: { worker: null, redis: null } });
    writeStack("6", { skipDeploys: true, private: { release: "2", redisMaxMemory: "384MB" } });
    const fixed = expectSuccess(await up());
    const workerNow = deploymentsOf("worker").at(-1)!;
    const redisNow = deploymentsOf("redis").at(-1)!;
    expect([workerNow.status, redisNow.status]).toEqual(["SUCCESS", "SUCCESS"]);
    expect(fixed.output).toContain(`railway-stacks: worker deployment ${workerNow.id}: SUCCESS`);
    expect(fixed.output).toContain(`railway-stacks: redis deployment ${redisNow.id}: SUCCESS`);
  });
});
