/** Projects and environments: creation, uniqueness, not-found errors, cascading deletes. */
import { ALL_OPERATIONS as OPS } from "../../infra/railway/operations";
import { DOCS, Harness, startHarness } from "./helpers";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());
beforeEach(() => h.emu.reset());

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe("projectCreate", () => {
  test("creates the project and exactly one environment named production by default", async () => {
    const d = await h.data(DOCS.projectCreate, { input: { name: "shop" } });
    const p = d.projectCreate;
    expect(p.id).toMatch(UUID);
    expect(p).toMatchObject({
      name: "shop",
      description: null,
      isPublic: false,
      prDeploys: false,
      workspaceId: null,
    });
    expect(p.environments.edges).toHaveLength(1);
    expect(p.environments.edges[0].node).toMatchObject({ name: "production", isEphemeral: false });
    expect(p.environments.edges[0].node.id).toMatch(UUID);
    expect(p.primaryEnvironmentId).toBe(p.environments.edges[0].node.id);
  });

  test("honours defaultEnvironmentName, description, prDeploys and workspaceId (provider document)", async () => {
    const d = await h.op("ProjectCreate", {
      input: {
        name: "shop",
        description: "d",
        prDeploys: false,
        workspaceId: "ws-1",
        defaultEnvironmentName: "dev",
      },
    });
    expect(d.projectCreate).toMatchObject({
      name: "shop",
      description: "d",
      prDeploys: false,
      workspaceId: "ws-1",
    });
    expect(d.projectCreate.environments.edges.map((e: any) => e.node.name)).toEqual(["dev"]);
  });

  test("project names need not be unique", async () => {
    const a = await h.project("same");
    const b = await h.project("same");
    expect(a.projectId).not.toBe(b.projectId);
  });

  test("a project without a name gets a generated adjective-noun name", async () => {
    const d = await h.data(DOCS.projectCreate, { input: {} });
    expect(d.projectCreate.name).toMatch(/^[a-z]+-[a-z]+$/);
  });

  test("an empty name is rejected", async () => {
    expect(await h.error(DOCS.projectCreate, { input: { name: "  " } })).toBe(
      "Project name cannot be empty",
    );
  });
});

describe("project reads, update and delete", () => {
  test("ProjectGet returns the project; an unknown id is a 'Project not found' error with data null", async () => {
    const { projectId } = await h.project("shop");
    const d = await h.op("ProjectGet", { id: projectId });
    expect(d.project).toMatchObject({ id: projectId, name: "shop" });
    const body = await h.gql(OPS.ProjectGet!, { id: "00000000-0000-4000-8000-000000000000" });
    expect(body.data).toBeNull();
    expect(body.errors).toHaveLength(1);
    expect(body.errors![0]!.message).toBe("Project not found");
    expect(body.errors![0]!.path).toEqual(["project"]);
  });

  test("ProjectUpdate changes name, description and prDeploys", async () => {
    const { projectId } = await h.project("shop");
    const d = await h.op("ProjectUpdate", {
      id: projectId,
      input: { name: "store", description: "x", prDeploys: true },
    });
    expect(d.projectUpdate).toMatchObject({
      id: projectId,
      name: "store",
      description: "x",
      prDeploys: true,
    });
    expect(await h.error(OPS.ProjectUpdate!, { id: "nope", input: { name: "x" } })).toBe(
      "Project not found",
    );
  });

  test("baseEnvironmentId must be an environment of the project", async () => {
    const a = await h.project("a");
    const b = await h.project("b");
    const q = `mutation($id: String!, $env: String) { projectUpdate(id: $id, input: { baseEnvironmentId: $env }) { baseEnvironmentId } }`;
    expect(
      (await h.data(q, { id: a.projectId, env: a.environmentId })).projectUpdate.baseEnvironmentId,
    ).toBe(a.environmentId);
    expect(await h.error(q, { id: a.projectId, env: b.environmentId })).toBe(
      "Environment not found",
    );
  });

  test("ProjectDelete removes the project and everything beneath it", async () => {
    const { projectId, environmentId } = await h.project("shop");
    const serviceId = await h.service(projectId, "api");
    await h.data(DOCS.volumeCreate, {
      input: { projectId, environmentId, serviceId, mountPath: "/data" },
    });
    await h.data(DOCS.serviceDomainCreate, { input: { environmentId, serviceId, targetPort: 80 } });
    await h.commit(environmentId, { services: { [serviceId]: { source: { image: "nginx:1" } } } });
    const other = await h.project("other");

    expect((await h.op("ProjectDelete", { id: projectId })).projectDelete).toBe(true);
    const s = h.emu.state.data;
    const remaining = [
      s.environments,
      s.services,
      s.volumes,
      s.volumeInstances,
      s.serviceDomains,
      s.deployments,
      s.patches,
    ].flatMap((t) =>
      Object.values(t as Record<string, { projectId?: string; id: string }>).filter(
        (r) => r.projectId === projectId,
      ),
    );
    expect(remaining).toEqual([]);
    expect(Object.keys(s.projects)).toEqual([other.projectId]);
    expect(await h.error(DOCS.project, { id: projectId })).toBe("Project not found");
    expect(await h.error(DOCS.environmentConfig, { id: environmentId })).toBe(
      "Environment not found",
    );
    expect(await h.error(OPS.ProjectDelete!, { id: projectId })).toBe("Project not found");
  });

  test("projects lists with cursor pagination and a workspace filter (ProjectsList)", async () => {
    const ids = [];
    for (const name of ["a", "b", "c"])
      ids.push((await h.project(name, { workspaceId: "ws" })).projectId);
    await h.project("elsewhere", { workspaceId: "other" });
    const page1 = (await h.op("ProjectsList", { workspaceId: "ws", first: 2 })).projects;
    expect(page1.edges.map((e: any) => e.node.id)).toEqual(ids.slice(0, 2));
    expect(page1.pageInfo.hasNextPage).toBe(true);
    const page2 = (
      await h.op("ProjectsList", { workspaceId: "ws", first: 2, after: page1.pageInfo.endCursor })
    ).projects;
    expect(page2.edges.map((e: any) => e.node.id)).toEqual(ids.slice(2));
    expect(page2.pageInfo.hasNextPage).toBe(false);
    const all = (await h.data(DOCS.projects, {})).projects;
    expect(all.edges).toHaveLength(4);
    expect(await h.error(DOCS.projects, { after: "bogus" })).toBe("Invalid cursor");
  });
});

describe("environments", () => {
  test("environmentCreate adds an empty environment; names are unique per project", async () => {
    const { projectId } = await h.project("shop");
    const d = await h.data(DOCS.environmentCreate, { input: { projectId, name: "staging" } });
    expect(d.environmentCreate).toMatchObject({
      name: "staging",
      projectId,
      isEphemeral: false,
      sourceEnvironment: null,
    });
    expect(await h.error(DOCS.environmentCreate, { input: { projectId, name: "staging" } })).toBe(
      'Environment name "staging" already exists in this project',
    );
    expect(
      await h.error(DOCS.environmentCreate, { input: { projectId, name: "Production" } }),
    ).toBe('Environment name "Production" already exists in this project');
    // Another project may reuse the name.
    const other = await h.project("other");
    await h.data(DOCS.environmentCreate, {
      input: { projectId: other.projectId, name: "staging" },
    });
    expect(await h.error(DOCS.environmentCreate, { input: { projectId: "nope", name: "x" } })).toBe(
      "Project not found",
    );
  });

  test("environmentRename (provider document) renames, keeps names unique, and reports unknown ids", async () => {
    const { projectId, environmentId } = await h.project("shop");
    await h.data(DOCS.environmentCreate, { input: { projectId, name: "staging" } });
    const d = await h.op("EnvironmentRename", { id: environmentId, input: { name: "prod" } });
    expect(d.environmentRename).toEqual({ id: environmentId, name: "prod" });
    expect(await h.error(DOCS.environmentRename, { id: environmentId, name: "staging" })).toBe(
      'Environment name "staging" already exists in this project',
    );
    expect(await h.error(DOCS.environmentRename, { id: "nope", name: "x" })).toBe(
      "Environment not found",
    );
  });

  test("environmentDelete removes the environment and its instances, deployments and domains", async () => {
    const { projectId } = await h.project("shop");
    const env = (await h.data(DOCS.environmentCreate, { input: { projectId, name: "staging" } }))
      .environmentCreate.id;
    const serviceId = await h.service(projectId, "api");
    await h.commit(env, { services: { [serviceId]: { source: { image: "nginx:1" } } } });
    await h.data(DOCS.serviceDomainCreate, { input: { environmentId: env, serviceId } });
    expect((await h.data(DOCS.environmentDelete, { id: env })).environmentDelete).toBe(true);
    expect(await h.error(DOCS.environmentConfig, { id: env })).toBe("Environment not found");
    const s = h.emu.state.data;
    expect(Object.values(s.deployments).filter((d) => d.environmentId === env)).toEqual([]);
    expect(Object.values(s.serviceDomains).filter((d) => d.environmentId === env)).toEqual([]);
    expect(await h.error(DOCS.environmentDelete, { id: env })).toBe("Environment not found");
  });

  test("environmentCreate with sourceEnvironmentId copies services, volumes and config (a fork), minus sealed variables", async () => {
    const { projectId, environmentId } = await h.project("shop");
    const serviceId = await h.service(projectId, "api");
    await h.data(DOCS.volumeCreate, {
      input: { projectId, environmentId, serviceId, mountPath: "/data" },
    });
    await h.commit(environmentId, {
      services: {
        [serviceId]: {
          source: { image: "nginx:1" },
          variables: { PLAIN: { value: "p" }, SEALED: { value: "s", isSealed: true } },
          networking: {
            customDomains: { "shop.example.com": { port: 80 } },
            tcpProxies: { "5432": {} },
          },
        },
      },
    });
    await h.data(DOCS.serviceDomainCreate, {
      input: { environmentId, serviceId, targetPort: 8080 },
    });
    const copy = (
      await h.data(DOCS.environmentCreate, {
        input: { projectId, name: "pr-1", sourceEnvironmentId: environmentId, ephemeral: true },
      })
    ).environmentCreate;
    expect(copy.sourceEnvironment).toEqual({ id: environmentId });
    expect(copy.isEphemeral).toBe(true);
    const { config } = await h.config(copy.id);
    const svc = config.services[serviceId];
    expect(svc.source).toEqual({ image: "nginx:1" });
    expect(svc.variables).toEqual({ PLAIN: { value: "p" } });
    expect(svc.networking.customDomains).toBeUndefined();
    expect(Object.keys(svc.networking.serviceDomains)).toHaveLength(1);
    expect(Object.keys(svc.networking.serviceDomains)[0]).toMatch(
      /^api-pr-1-[0-9a-f]{4}\.up\.railway\.app$/,
    );
    expect(svc.networking.tcpProxies).toEqual({ "5432": {} });
    expect(Object.keys(config.volumes)).toHaveLength(1);
    // A copy deploys each copied service once.
    expect(await h.deployments({ environmentId: copy.id })).toHaveLength(1);
  });

  test("environments(projectId) lists the project's environments", async () => {
    const { projectId } = await h.project("shop");
    await h.data(DOCS.environmentCreate, { input: { projectId, name: "staging" } });
    const d = await h.data(DOCS.environments, { projectId });
    expect(d.environments.edges.map((e: any) => e.node.name)).toEqual(["production", "staging"]);
  });
});
