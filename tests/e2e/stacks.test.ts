/**
 * The stacks in the `isolated` layout (a project per stack) with the real Pulumi CLI against the
 * emulator: dev, preview and production from scratch, idempotence, a one-service change, drift
 * found by refresh, destroy, and production's protected data. The `shared` layout (the default)
 * is tests/e2e/environments.test.ts.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import {
  createWorkspace,
  deploymentsByService,
  describeE2E,
  emulatorCounts,
  E2E_OPENAI_KEY,
  expectSuccess,
  initStacks,
  railwayRequest,
  type Workspace,
} from "../helpers/pulumi-cli";
import { isolatedStackFileText } from "../helpers/stack-file";

jest.setTimeout(600_000);

const SECRET_KEYS = [
  "POSTGRES_PASSWORD",
  "REDIS_PASSWORD",
  "NATS_AUTH_TOKEN",
  "SECRET_KEY",
  "BROKER_SIGNING_KEY",
  "OPENAI_API_KEY",
];

/** Every file under `dir`, recursively. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

const STACKS = ["dev", "preview", "production"] as const;

const railway = railwayRequest;

const projectNamed = (workspace: Workspace, name: string) =>
  Object.values(workspace.emulator.state.data.projects).find((project) => project.name === name);

const serviceIn = (workspace: Workspace, projectId: string, name: string) =>
  Object.values(workspace.emulator.state.data.services).find(
    (service) => service.projectId === projectId && service.name === name,
  )!;

describeE2E("stacks end to end (real Pulumi CLI, emulator)", () => {
  let workspace: Workspace;
  const outputs: string[] = [];

  beforeAll(async () => {
    workspace = await createWorkspace();
    await initStacks(workspace, STACKS, isolatedStackFileText);
  });
  afterAll(() => workspace?.close());

  it("brings up dev, preview and production from scratch", async () => {
    for (const stack of STACKS) {
      const result = expectSuccess(
        await workspace.pulumi(["up", "--yes", "--skip-preview", "-s", stack]),
      );
      outputs.push(
        result.output,
        (await workspace.pulumi(["stack", "export", "-s", stack])).output,
      );
      expect(result.output).toContain("+ 35 created");
    }
    expect(emulatorCounts(workspace.emulator)).toEqual({
      projects: 3,
      services: 21,
      volumes: 9,
      serviceDomains: 9,
    });
    for (const name of [
      "agent-platform-dev",
      "agent-platform-preview",
      "agent-platform-production",
    ]) {
      expect(projectNamed(workspace, name)).toBeDefined();
    }
  });

  it("keeps the token and every secret out of state files, CLI output and the request log", async () => {
    const secrets = new Set<string>([workspace.emulator.token, E2E_OPENAI_KEY]);
    for (const environment of Object.values(workspace.emulator.state.data.environments)) {
      for (const service of Object.values((environment.config as any).services ?? {}) as any[]) {
        for (const key of SECRET_KEYS) {
          const value = service?.variables?.[key]?.value;
          if (typeof value === "string" && !value.startsWith("${{")) secrets.add(value);
        }
      }
    }
    // 3 stacks x (postgres, redis, nats, SECRET_KEY, BROKER_SIGNING_KEY) + production's OpenAI key + token.
    expect(secrets.size).toBe(3 * 5 + 2);
    const stateFiles = filesUnder(join(workspace.dir, ".pulumi-state"));
    expect(stateFiles.length).toBeGreaterThan(0);
    const haystacks = [
      ...stateFiles.map((file) => readFileSync(file, "utf8")),
      ...outputs,
      JSON.stringify(workspace.emulator.requestLog()),
    ];
    for (const secret of secrets) {
      for (const haystack of haystacks) expect(haystack.includes(secret)).toBe(false);
    }
  });

  it("then has nothing to change", async () => {
    for (const stack of STACKS) {
      const result = expectSuccess(
        await workspace.pulumi(["preview", "--expect-no-changes", "-s", stack]),
      );
      expect(result.output).toContain("35 unchanged");
    }
  });

  it("updates only the service whose replicas changed, with one deployment", async () => {
    const before = deploymentsByService(workspace.emulator);
    expectSuccess(
      await workspace.pulumi([
        "config",
        "set",
        "--path",
        "app.services.broker.replicas",
        "2",
        "-s",
        "dev",
      ]),
    );
    const result = expectSuccess(
      await workspace.pulumi(["up", "--yes", "--skip-preview", "-s", "dev"]),
    );
    expect(result.output).toContain(
      "~  pulumi-nodejs:dynamic/railway:ServiceInstance railway-broker-instance updated",
    );
    expect(result.output).toMatch(/~ 1 updated/);
    const after = deploymentsByService(workspace.emulator);
    const changed = Object.keys(after).filter((service) => after[service] !== before[service]);
    expect(changed).toEqual(["broker"]);
    expect(after.broker! - before.broker!).toBe(1);
    const dev = projectNamed(workspace, "agent-platform-dev")!;
    const broker = serviceIn(workspace, dev.id, "broker");
    const environment = Object.values(workspace.emulator.state.data.environments).find(
      (env) => env.projectId === dev.id,
    )!;
    expect((environment.config as any).services[broker.id].deploy.multiRegionConfig).toEqual({
      "us-west2": { numReplicas: 2 },
    });
  });

  it("finds drift made in Railway with refresh and puts it back with up; keeps what the stack never declared unless removeUndeclared", async () => {
    const dev = projectNamed(workspace, "agent-platform-dev")!;
    const environment = Object.values(workspace.emulator.state.data.environments).find(
      (env) => env.projectId === dev.id,
    )!;
    const broker = serviceIn(workspace, dev.id, "broker");
    await railway(
      workspace,
      "mutation($e: String!, $p: EnvironmentConfig) { environmentPatchCommit(environmentId: $e, patch: $p) }",
      {
        e: environment.id,
        p: {
          services: {
            [broker.id]: {
              deploy: { multiRegionConfig: { "us-west2": { numReplicas: 5 } } },
              variables: { HOTFIX_FLAG: { value: "on" } },
            },
          },
        },
      },
    );
    const refresh = expectSuccess(
      await workspace.pulumi(["refresh", "--yes", "--skip-preview", "-s", "dev"]),
    );
    expect(refresh.output).toContain(
      "~  pulumi-nodejs:dynamic/railway:ServiceInstance railway-broker-instance updated",
    );
    const drifted = await workspace.pulumi([
      "preview",
      "--expect-no-changes",
      "--diff",
      "-s",
      "dev",
    ]);
    expect(drifted.code).not.toBe(0);
    expect(drifted.output).toContain("numReplicas            : 5 => 2");
    // A variable the stack never declared is not its to remove: kept, and said so.
    expect(drifted.output).not.toContain("HOTFIX_FLAG");
    expectSuccess(await workspace.pulumi(["up", "--yes", "--skip-preview", "-s", "dev"]));
    const config = (environment.config as any).services[broker.id];
    expect(config.deploy.multiRegionConfig).toEqual({ "us-west2": { numReplicas: 2 } });
    expect(config.variables.HOTFIX_FLAG).toEqual({ value: "on" });
    expectSuccess(await workspace.pulumi(["preview", "--expect-no-changes", "-s", "dev"]));

    // Opting in to own everything removes it.
    expectSuccess(
      await workspace.pulumi([
        "config",
        "set",
        "--path",
        "app.project.removeUndeclared",
        "true",
        "-s",
        "dev",
      ]),
    );
    const owning = expectSuccess(
      await workspace.pulumi(["up", "--yes", "--skip-preview", "-s", "dev"]),
    );
    expect(owning.output).toContain(
      "~  pulumi-nodejs:dynamic/railway:ServiceInstance railway-broker-instance updated",
    );
    expect((environment.config as any).services[broker.id].variables.HOTFIX_FLAG).toBeUndefined();
    expectSuccess(await workspace.pulumi(["preview", "--expect-no-changes", "-s", "dev"]));
  });

  it("refuses to destroy production's protected data", async () => {
    const result = await workspace.pulumi([
      "destroy",
      "--yes",
      "--skip-preview",
      "-s",
      "production",
    ]);
    expect(result.code).not.toBe(0);
    expect(result.output).toMatch(/protected/);
    const production = projectNamed(workspace, "agent-platform-production")!;
    expect(production).toBeDefined();
    const remaining = Object.values(workspace.emulator.state.data.services)
      .filter((service) => service.projectId === production.id)
      .map((service) => service.name)
      .sort();
    // The engine deletes what is unprotected (the app services) and stops at the protected data:
    // the project, the data services, their volumes and their data stay.
    expect(remaining).toEqual(["nats", "postgres", "redis"]);
    expect(
      Object.values(workspace.emulator.state.data.volumes).filter(
        (volume) => volume.projectId === production.id,
      ),
    ).toHaveLength(3);
  });

  it("destroys dev completely", async () => {
    expectSuccess(await workspace.pulumi(["destroy", "--yes", "--skip-preview", "-s", "dev"]));
    expect(projectNamed(workspace, "agent-platform-dev")).toBeUndefined();
    expect(emulatorCounts(workspace.emulator).projects).toBe(2);
  });
});
