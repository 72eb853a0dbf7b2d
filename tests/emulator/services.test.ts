/** Services: fan-out of instances, unique names, deletes, service instance reads and updates. */
import { ALL_OPERATIONS as OPS } from "../../infra/railway/operations";
import { DOCS, Harness, startHarness } from "./helpers";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());
beforeEach(() => h.emu.reset());

describe("serviceCreate", () => {
  test("creates the service and an instance (isCreated) in every non-fork environment, not in forks", async () => {
    const { projectId, environmentId } = await h.project("shop");
    const staging = (
      await h.data(DOCS.environmentCreate, { input: { projectId, name: "staging" } })
    ).environmentCreate.id;
    const fork = (
      await h.data(DOCS.environmentCreate, {
        input: { projectId, name: "fork", sourceEnvironmentId: environmentId },
      })
    ).environmentCreate.id;
    const d = await h.op("ServiceCreate", {
      input: { projectId, name: "api", icon: "https://x/icon.svg" },
    });
    const id = d.serviceCreate.id;
    expect(d.serviceCreate).toMatchObject({ name: "api", projectId, icon: "https://x/icon.svg" });
    for (const env of [environmentId, staging])
      expect((await h.config(env)).config.services[id]).toEqual({ isCreated: true });
    expect((await h.config(fork)).config.services[id]).toBeUndefined();
    // No source, nothing to deploy.
    expect(await h.deployments({ projectId })).toEqual([]);
  });

  test("with environmentId of a fork, the service is created in that fork only", async () => {
    const { projectId, environmentId } = await h.project("shop");
    const fork = (
      await h.data(DOCS.environmentCreate, {
        input: { projectId, name: "fork", sourceEnvironmentId: environmentId },
      })
    ).environmentCreate.id;
    const id = await h.service(projectId, "worker", { environmentId: fork });
    expect((await h.config(fork)).config.services[id]).toEqual({ isCreated: true });
    expect((await h.config(environmentId)).config.services[id]).toBeUndefined();
  });

  test("source and variables land in the config; a service with a source deploys once", async () => {
    const { projectId, environmentId } = await h.project("shop");
    const id = await h.service(projectId, "web", {
      source: { repo: "acme/web" },
      branch: "main",
      variables: { PORT: "8080" },
    });
    const svc = (await h.config(environmentId)).config.services[id];
    expect(svc).toEqual({
      isCreated: true,
      source: { repo: "acme/web", branch: "main" },
      variables: { PORT: { value: "8080" } },
    });
    const deployments = await h.deployments({ serviceId: id });
    expect(deployments).toHaveLength(1);
    expect(deployments[0]).toMatchObject({ status: "SUCCESS", environmentId, projectId });
  });

  test("service names are unique per project (case-insensitive), with Railway-style errors", async () => {
    const { projectId } = await h.project("shop");
    await h.service(projectId, "api");
    expect(await h.error(OPS.ServiceCreate!, { input: { projectId, name: "api" } })).toBe(
      'Service name "api" already exists in this project',
    );
    expect(await h.error(OPS.ServiceCreate!, { input: { projectId, name: "API" } })).toBe(
      'Service name "API" already exists in this project',
    );
    const other = await h.project("other");
    await h.service(other.projectId, "api");
    expect(await h.error(OPS.ServiceCreate!, { input: { projectId: "nope", name: "api" } })).toBe(
      "Project not found",
    );
    expect(await h.error(OPS.ServiceCreate!, { input: { projectId, name: "" } })).toBe(
      "Service name cannot be empty",
    );
  });

  test("a service without a name gets a unique generated one", async () => {
    const { projectId } = await h.project("shop");
    const d = await h.data(DOCS.serviceCreate, { input: { projectId } });
    expect(d.serviceCreate.name).toMatch(/^[a-z]+-[a-z]+$/);
  });

  test("variables must be strings", async () => {
    const { projectId } = await h.project("shop");
    expect(
      await h.error(OPS.ServiceCreate!, { input: { projectId, name: "x", variables: { N: 1 } } }),
    ).toBe('Invalid variables: the value of "N" must be a string or null');
  });
});

describe("service reads and updates", () => {
  test("ServiceGet, ProjectServices and ServiceUpdate", async () => {
    const { projectId } = await h.project("shop");
    const api = await h.service(projectId, "api");
    const web = await h.service(projectId, "web");
    expect((await h.op("ServiceGet", { id: api })).service).toEqual({
      id: api,
      name: "api",
      projectId,
      icon: null,
    });
    const listed = (await h.op("ProjectServices", { id: projectId })).project.services.edges.map(
      (e: any) => e.node,
    );
    expect(listed).toEqual([
      { id: api, name: "api", projectId, icon: null },
      { id: web, name: "web", projectId, icon: null },
    ]);
    const d = await h.op("ServiceUpdate", { id: api, input: { name: "backend", icon: "i" } });
    expect(d.serviceUpdate).toEqual({ id: api, name: "backend", projectId, icon: "i" });
    expect(await h.error(OPS.ServiceUpdate!, { id: api, input: { name: "web" } })).toBe(
      'Service name "web" already exists in this project',
    );
    expect(await h.error(OPS.ServiceGet!, { id: "nope" })).toBe("Service not found");
    expect(await h.error(OPS.ServiceUpdate!, { id: "nope", input: { name: "x" } })).toBe(
      "Service not found",
    );
  });

  test("serviceInstance reads settings from the environment config, with Railway's defaults", async () => {
    const { projectId, environmentId } = await h.project("shop");
    const id = await h.service(projectId, "api");
    let si = (await h.data(DOCS.serviceInstance, { environmentId, serviceId: id })).serviceInstance;
    expect(si).toMatchObject({
      serviceId: id,
      serviceName: "api",
      environmentId,
      builder: "RAILPACK",
      numReplicas: 1,
      restartPolicyType: "ON_FAILURE",
      restartPolicyMaxRetries: 10,
      sleepApplication: false,
      watchPatterns: [],
      source: null,
      latestDeployment: null,
      domains: { serviceDomains: [], customDomains: [] },
    });
    await h.commit(environmentId, {
      services: {
        [id]: {
          source: { image: "ghcr.io/acme/api:1.2.3", rootDirectory: "/api" },
          build: { builder: "NIXPACKS", buildCommand: "make", watchPatterns: ["api/**"] },
          deploy: {
            startCommand: "./serve",
            preDeployCommand: ["./migrate"],
            healthcheckPath: "/health",
            healthcheckTimeout: 60,
            multiRegionConfig: { "us-west2": { numReplicas: 2 } },
            restartPolicyType: "ALWAYS",
            restartPolicyMaxRetries: 3,
          },
          configFile: "/railway.json",
        },
      },
    });
    si = (await h.data(DOCS.serviceInstance, { environmentId, serviceId: id })).serviceInstance;
    expect(si).toMatchObject({
      source: { image: "ghcr.io/acme/api:1.2.3", repo: null },
      rootDirectory: "/api",
      builder: "NIXPACKS",
      buildCommand: "make",
      watchPatterns: ["api/**"],
      startCommand: "./serve",
      preDeployCommand: ["./migrate"],
      healthcheckPath: "/health",
      healthcheckTimeout: 60,
      numReplicas: 2,
      region: "us-west2",
      restartPolicyType: "ALWAYS",
      restartPolicyMaxRetries: 3,
      railwayConfigFile: "/railway.json",
      latestDeployment: { status: "SUCCESS" },
    });
    expect(await h.error(DOCS.serviceInstance, { environmentId, serviceId: "nope" })).toBe(
      "Service not found",
    );
    expect(await h.error(DOCS.serviceInstance, { environmentId: "nope", serviceId: id })).toBe(
      "Environment not found",
    );
    const fork = (
      await h.data(DOCS.environmentCreate, {
        input: { projectId, name: "empty-fork", sourceEnvironmentId: environmentId },
      })
    ).environmentCreate.id;
    const lonely = await h.service(projectId, "lonely");
    expect(await h.error(DOCS.serviceInstance, { environmentId: fork, serviceId: lonely })).toBe(
      "Service instance not found",
    );
  });

  test("serviceInstanceUpdate writes the equivalent config (and does not deploy)", async () => {
    const { projectId, environmentId } = await h.project("shop");
    const id = await h.service(projectId, "api");
    await h.data(DOCS.serviceInstanceUpdate, {
      environmentId,
      serviceId: id,
      input: {
        source: { image: "redis:7" },
        startCommand: "redis-server",
        numReplicas: 2,
        healthcheckPath: "/h",
        railwayConfigFile: "/r.json",
      },
    });
    expect((await h.config(environmentId)).config.services[id]).toEqual({
      isCreated: true,
      source: { image: "redis:7" },
      deploy: { startCommand: "redis-server", numReplicas: 2, healthcheckPath: "/h" },
      configFile: "/r.json",
    });
    await h.data(DOCS.serviceInstanceUpdate, {
      environmentId,
      serviceId: id,
      input: { startCommand: null },
    });
    expect((await h.config(environmentId)).config.services[id].deploy).toEqual({
      numReplicas: 2,
      healthcheckPath: "/h",
    });
    expect(await h.deployments({ serviceId: id })).toEqual([]);
  });
});

describe("serviceDelete", () => {
  test("removes the service everywhere, with its domains and volume mounts (the volume stays, detached)", async () => {
    const { projectId, environmentId } = await h.project("shop");
    const staging = (
      await h.data(DOCS.environmentCreate, { input: { projectId, name: "staging" } })
    ).environmentCreate.id;
    const id = await h.service(projectId, "api");
    const keep = await h.service(projectId, "keep");
    await h.commit(environmentId, {
      services: {
        [id]: { source: { image: "nginx:1" }, networking: { tcpProxies: { "80": {} } } },
      },
    });
    await h.data(DOCS.serviceDomainCreate, { input: { environmentId, serviceId: id } });
    const vol = (
      await h.data(DOCS.volumeCreate, {
        input: { projectId, environmentId, serviceId: id, mountPath: "/data" },
      })
    ).volumeCreate.id;

    expect((await h.op("ServiceDelete", { id })).serviceDelete).toBe(true);
    for (const env of [environmentId, staging]) {
      const { config } = await h.config(env);
      expect(config.services[id]).toBeUndefined();
      expect(config.services[keep]).toEqual({ isCreated: true });
    }
    const s = h.emu.state.data;
    expect(Object.values(s.serviceDomains).filter((d) => d.serviceId === id)).toEqual([]);
    expect(Object.values(s.tcpProxies).filter((d) => d.serviceId === id)).toEqual([]);
    expect(Object.values(s.deployments).filter((d) => d.serviceId === id)).toEqual([]);
    const vi = (
      await h.data(DOCS.volumeInstances, { id: environmentId })
    ).environment.volumeInstances.edges.map((e: any) => e.node);
    expect(vi).toEqual([
      expect.objectContaining({ volumeId: vol, serviceId: null, mountPath: "/data" }),
    ]);
    expect(await h.error(OPS.ServiceGet!, { id })).toBe("Service not found");
    expect(await h.error(OPS.ServiceDelete!, { id })).toBe("Service not found");
    // The name is free again.
    await h.service(projectId, "api");
  });

  test("with the environmentId of a fork, only that fork's instance goes", async () => {
    const { projectId, environmentId } = await h.project("shop");
    const id = await h.service(projectId, "api");
    const fork = (
      await h.data(DOCS.environmentCreate, {
        input: { projectId, name: "fork", sourceEnvironmentId: environmentId },
      })
    ).environmentCreate.id;
    expect((await h.config(fork)).config.services[id]).toBeDefined();
    await h.data(DOCS.serviceDelete, { id, environmentId: fork });
    expect((await h.config(fork)).config.services[id]).toBeUndefined();
    expect((await h.config(environmentId)).config.services[id]).toBeDefined();
    expect((await h.op("ServiceGet", { id })).service.id).toBe(id);
  });
});
