/**
 * The `shared` layout (the default) with the real Pulumi CLI against the emulator: dev, preview
 * and production are environments of ONE Railway project; a PR preview is an ephemeral
 * environment forked from preview (`npm run pr`); destroying dev leaves the other environments as
 * they were; adopting a project made by hand keeps what the stacks do not declare.
 */
import { parseDocument } from "yaml";

import {
  type Workspace,
  createWorkspace,
  describeE2E,
  expectSuccess,
  initStacks,
  prScript,
  railwayRequest,
} from "../helpers/pulumi-cli";
import { shippedStackFileText } from "../helpers/stack-file";

jest.setTimeout(900_000);

const STACKS = ["dev", "preview", "production"] as const;
const SERVICES = ["backend", "broker", "frontend", "ml", "nats", "postgres", "redis"];
const BRANCH = "feature/search";

/** The mutations (writes) among the emulator's requests since `from`. */
const writesSince = (workspace: Workspace, from: number): string[] =>
  workspace.emulator
    .requestLog()
    .slice(from)
    .filter((entry) => entry.kind === "mutation")
    .map((entry) => entry.operationName ?? "(anonymous)");

/**
 * Everything the emulator holds for one environment, as JSON: the environment (its config, etag
 * and history counters), its volume instances and the volumes they belong to, domains, TCP
 * proxies, deployments and patches. Equal text = the environment was not touched.
 */
function environmentState(workspace: Workspace, name: string): string {
  const data = workspace.emulator.state.data;
  const env = Object.values(data.environments).find((e) => e.name === name);
  if (!env) throw new Error(`no environment ${name}`);
  const of = <T extends { environmentId: string }>(table: Record<string, T>) =>
    Object.values(table).filter((row) => row.environmentId === env.id);
  const volumeInstances = of(data.volumeInstances);
  return JSON.stringify({
    env,
    volumeInstances,
    volumes: volumeInstances.map((instance) => data.volumes[instance.volumeId]),
    serviceDomains: of(data.serviceDomains),
    customDomains: of(data.customDomains),
    tcpProxies: of(data.tcpProxies),
    deployments: of(data.deployments),
    patches: of(data.patches),
  });
}

describeE2E("Railway environments of one project (shared layout, real Pulumi CLI)", () => {
  let workspace: Workspace;
  const data = () => workspace.emulator.state.data;
  const environmentNamed = (name: string) =>
    Object.values(data().environments).find((env) => env.name === name);

  const pr = (...args: string[]) => prScript(workspace, ...args);

  beforeAll(async () => {
    workspace = await createWorkspace();
    await initStacks(workspace, STACKS);
  });
  afterAll(() => workspace?.close());

  it("brings dev, preview and production up into ONE project: three environments, each service once", async () => {
    for (const stack of STACKS) {
      const result = expectSuccess(
        await workspace.pulumi(["up", "--yes", "--skip-preview", "-s", stack]),
      );
      expect(result.output).toContain("+ 36 created");
    }
    expect(Object.values(data().projects).map((project) => project.name)).toEqual([
      "agent-platform",
    ]);
    expect(
      Object.values(data().environments)
        .map((env) => [env.name, env.isEphemeral, env.sourceEnvironmentId])
        .sort(),
    ).toEqual([
      ["dev", false, null],
      ["preview", false, null],
      ["production", false, null],
    ]);
    expect(
      Object.values(data().services)
        .map((service) => service.name)
        .sort(),
    ).toEqual(SERVICES);
    // Every environment has its own configured instance of every service and its own volumes.
    for (const stack of STACKS) {
      const services = (environmentNamed(stack)!.config as any).services;
      for (const service of Object.values(data().services)) {
        expect([stack, service.name, Object.keys(services[service.id].source).length > 0]).toEqual([
          stack,
          service.name,
          true,
        ]);
      }
    }
    expect(
      Object.values(data().volumes)
        .map((volume) => volume.name)
        .sort(),
    ).toEqual(
      ["nats", "postgres", "redis"]
        .flatMap((service) => STACKS.map((stack) => `${service}-data-${stack}`))
        .sort(),
    );
  });

  it("then a preview of each stack changes nothing and makes no API call", async () => {
    for (const stack of STACKS) {
      const from = workspace.emulator.requestLog().length;
      const result = expectSuccess(
        await workspace.pulumi(["preview", "--expect-no-changes", "-s", stack]),
      );
      expect(result.output).toContain("36 unchanged");
      expect([stack, workspace.emulator.requestLog().length - from]).toEqual([stack, 0]);
    }
  });

  it("npm run pr -- up 7 / down 7: an ephemeral fork of preview comes and goes; down makes at most 2 writes; preview is untouched", async () => {
    const preview = environmentState(workspace, "preview");
    const up = expectSuccess(await pr("up", "7", "--branch", BRANCH));
    expect(up.stdout).toContain("pr-7");
    const fork = environmentNamed("pr-7")!;
    expect([fork.isEphemeral, fork.sourceEnvironmentId]).toEqual([
      true,
      environmentNamed("preview")!.id,
    ]);
    const services = (fork.config as any).services;
    for (const service of Object.values(data().services)) {
      const source = services[service.id].source;
      if (source.repo) expect([service.name, source.branch]).toEqual([service.name, BRANCH]);
    }
    expect(Object.values(data().projects)).toHaveLength(1);
    expect(environmentState(workspace, "preview")).toBe(preview);

    const from = workspace.emulator.requestLog().length;
    const down = expectSuccess(await pr("down", "7"));
    const writes = writesSince(workspace, from);
    expect(writes).toEqual(["EnvironmentDelete"]);
    expect(writes.length).toBeLessThanOrEqual(2);
    expect(down.stdout).toContain("pr-7");
    expect(environmentNamed("pr-7")).toBeUndefined();
    expect(environmentState(workspace, "preview")).toBe(preview);
    expect(
      Object.values(data().services)
        .map((service) => service.name)
        .sort(),
    ).toEqual(SERVICES);
  });

  it("pulumi destroy -s dev leaves production's and preview's environments, volumes and data as they were", async () => {
    const before = { preview: "", production: "" };
    before.preview = environmentState(workspace, "preview");
    before.production = environmentState(workspace, "production");
    const result = expectSuccess(
      await workspace.pulumi(["destroy", "--yes", "--skip-preview", "-s", "dev"]),
    );
    expect(result.output).toContain("36 deleted");
    expect(environmentNamed("dev")).toBeUndefined();
    expect(environmentState(workspace, "preview")).toBe(before.preview);
    expect(environmentState(workspace, "production")).toBe(before.production);
    // The project and the services stay: the other environments use them.
    expect(Object.values(data().projects).map((project) => project.name)).toEqual([
      "agent-platform",
    ]);
    expect(
      Object.values(data().services)
        .map((service) => service.name)
        .sort(),
    ).toEqual(SERVICES);
    expect(Object.values(data().volumes).filter((v) => v.name.endsWith("-dev"))).toEqual([]);
  });
});

describeE2E("adopting a hand-made project with two environments (shared layout)", () => {
  let workspace: Workspace;
  beforeAll(async () => {
    workspace = await createWorkspace();
  });
  afterAll(() => workspace?.close());

  const railway = (query: string, variables: Record<string, unknown>) =>
    railwayRequest(workspace, query, variables);

  /** The stack file of `stack` adopting the hand-made project `shop` with one app service. */
  function adoptingStackFile(stack: "production" | "staging", tier: string): string {
    const document = parseDocument(shippedStackFileText("dev"));
    const app = ["config", "railway-stacks:app"];
    document.setIn([...app, "tier"], tier);
    document.setIn([...app, "project"], {
      name: "shop",
      environment: stack,
      adopt: true,
    });
    document.deleteIn([...app, "app"]);
    for (const data of ["postgres", "redis", "nats"])
      document.setIn([...app, data], { enabled: false });
    document.setIn([...app, "services"], {
      web: {
        source: { image: "ghcr.io/acme/shop:1.2.0" },
        port: 8080,
        replicas: tier === "production" ? 2 : 1,
        healthcheck: { path: "/health" },
        limits: { cpu: 0.5, memory: "512MB" },
        variables: { SHOP_MODE: stack },
      },
    });
    return String(document);
  }

  it("previews, per environment, what adopting changes; after up every undeclared variable is still there", async () => {
    const project = (
      await railway(
        "mutation($i: ProjectCreateInput!) { projectCreate(input: $i) { id environments { edges { node { id name } } } } }",
        { i: { name: "shop", defaultEnvironmentName: "production", description: "by hand" } },
      )
    ).projectCreate;
    const productionId = project.environments.edges[0].node.id as string;
    const staging = (
      await railway(
        "mutation($i: EnvironmentCreateInput!) { environmentCreate(input: $i) { id } }",
        { i: { projectId: project.id, name: "staging" } },
      )
    ).environmentCreate.id as string;
    const web = (
      await railway("mutation($i: ServiceCreateInput!) { serviceCreate(input: $i) { id } }", {
        i: { projectId: project.id, name: "web" },
      })
    ).serviceCreate.id as string;
    for (const [environmentId, name] of [
      [productionId, "production"],
      [staging, "staging"],
    ] as const) {
      await railway(
        "mutation($e: String!, $p: EnvironmentConfig) { environmentPatchCommit(environmentId: $e, patch: $p) }",
        {
          e: environmentId,
          p: {
            services: {
              [web]: {
                source: { image: "ghcr.io/acme/shop:1.1.0" },
                deploy: { numReplicas: 1, overlapSeconds: name === "staging" ? 15 : 45 },
                variables: {
                  DASHBOARD_FLAG: { value: `${name}-on` },
                  SHOP_MODE: { value: "old" },
                },
              },
            },
          },
        },
      );
    }

    const environments = [
      ["production", "production"],
      ["staging", "preview"],
    ] as const;
    for (const [stack, tier] of environments) {
      workspace.stackFile(stack, adoptingStackFile(stack, tier));
      await workspace.initStack(stack);
    }
    const previews: Record<string, string> = {};
    for (const [stack] of environments) {
      previews[stack] = expectSuccess(await workspace.pulumi(["preview", "-s", stack])).output;
    }
    expect(previews.production).toContain(
      "railway-stacks: adopting web in environment production of project shop:",
    );
    expect(previews.production).toContain(
      'will change source.image: "ghcr.io/acme/shop:1.1.0" → "ghcr.io/acme/shop:1.2.0"',
    );
    expect(previews.production).toContain("will change deploy.numReplicas: 1 → (unset)");
    expect(previews.production).toContain(
      'will change deploy.multiRegionConfig: (unset) → {"us-west2":{"numReplicas":2}}',
    );
    expect(previews.production).toContain("will change variables.SHOP_MODE: changed");
    for (const stack of ["production", "staging"]) {
      expect(previews[stack]).toContain(
        "kept, not declared (project.removeUndeclared: true would remove them): deploy.overlapSeconds, variables.DASHBOARD_FLAG",
      );
    }
    expect(previews.staging).toContain(
      "railway-stacks: adopting web in environment staging of project shop:",
    );
    expect(previews.staging).toContain("will change deploy.numReplicas: 1 → (unset)");
    expect(previews.staging).toContain(
      'will change deploy.multiRegionConfig: (unset) → {"us-west2":{"numReplicas":1}}',
    );

    for (const [stack] of environments) {
      expectSuccess(await workspace.pulumi(["up", "--yes", "--skip-preview", "-s", stack]));
    }
    const data = workspace.emulator.state.data;
    expect(Object.values(data.projects).map((p) => p.id)).toEqual([project.id]);
    expect(Object.values(data.services).map((s) => s.id)).toEqual([web]);
    for (const [environmentId, name] of [
      [productionId, "production"],
      [staging, "staging"],
    ] as const) {
      const config = (data.environments[environmentId]!.config as any).services[web];
      expect([name, config.variables.DASHBOARD_FLAG]).toEqual([name, { value: `${name}-on` }]);
      expect([name, config.variables.SHOP_MODE]).toEqual([name, { value: name }]);
      expect([name, config.source.image]).toEqual([name, "ghcr.io/acme/shop:1.2.0"]);
      expect([name, config.deploy.overlapSeconds]).toEqual([name, name === "staging" ? 15 : 45]);
    }
    expect(data.projects[project.id]!.description).toBe("by hand");
  });
});
