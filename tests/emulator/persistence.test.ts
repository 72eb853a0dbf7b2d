/** State file: atomic saves after every mutation, reload on start, seeded sequences that resume. */
import * as fs from "node:fs";
import * as path from "node:path";
import { ALL_OPERATIONS as OPS } from "../../infra/railway/operations";
import { startEmulator } from "../../emulator/server";
import { DOCS, Harness, isResponse, startHarness, tempDir } from "./helpers";

let dir: string;
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

test("everything survives a restart with the same state file (ids, domains, proxies, etag, deployments, tokens)", async () => {
  const stateFile = path.join(dir, "state.json");
  let h = await startHarness({ stateFile, token: "emu_a" });
  const { projectId, environmentId } = await h.project("shop");
  const api = await h.service(projectId, "api");
  await h.commit(environmentId, {
    services: { [api]: { source: { image: "api:1" }, networking: { tcpProxies: { "9000": {} } } } },
  });
  const domain = (
    await h.op("ServiceDomainCreate", { input: { environmentId, serviceId: api, targetPort: 80 } })
  ).serviceDomainCreate;
  const volume = (
    await h.op("VolumeCreate", {
      input: { projectId, environmentId, serviceId: api, mountPath: "/data" },
    })
  ).volumeCreate;
  const token = (
    await h.data(DOCS.projectTokenCreate, { input: { projectId, environmentId, name: "ci" } })
  ).projectTokenCreate;
  const before = {
    config: await h.config(environmentId),
    proxies: (await h.op("TcpProxiesGet", { environmentId, serviceId: api })).tcpProxies,
    deployments: await h.deployments({ projectId }),
    volumes: (await h.op("EnvironmentVolumeInstances", { id: environmentId })).environment
      .volumeInstances,
  };
  await h.close();

  const saved = JSON.parse(fs.readFileSync(stateFile, "utf8"));
  expect(Object.keys(saved.projects)).toEqual([projectId]);
  expect(fs.readdirSync(dir)).toEqual(["state.json"]); // no temp file left behind

  h = await startHarness({ stateFile, token: "emu_a" });
  try {
    expect(await h.config(environmentId)).toEqual(before.config);
    expect(
      (await h.op("ServiceDomainsGet", { environmentId, projectId, serviceId: api })).domains
        .serviceDomains,
    ).toEqual([domain]);
    expect((await h.op("TcpProxiesGet", { environmentId, serviceId: api })).tcpProxies).toEqual(
      before.proxies,
    );
    expect(await h.deployments({ projectId })).toEqual(before.deployments);
    expect(
      (await h.op("EnvironmentVolumeInstances", { id: environmentId })).environment.volumeInstances,
    ).toEqual(before.volumes);
    expect(
      (await h.op("ProjectServices", { id: projectId })).project.services.edges[0].node.name,
    ).toBe("api");
    expect(
      (
        await h.data(
          OPS.ProjectGet!,
          { id: projectId },
          { headers: { "Project-Access-Token": token } },
        )
      ).project.id,
    ).toBe(projectId);
    expect(volume.name).toMatch(/-volume-1$/);
  } finally {
    await h.close();
  }
});

test("a mutation whose answer was dropped (drop-after) is already in the state file", async () => {
  const stateFile = path.join(dir, "state.json");
  const h = await startHarness({ stateFile, faults: { rate: 1, kinds: ["drop-after"] } });
  try {
    const res = await h.post(OPS.ProjectCreate!, { input: { name: "durable" } });
    expect(isResponse(res)).toBe(false);
    const saved = JSON.parse(fs.readFileSync(stateFile, "utf8"));
    expect(Object.values(saved.projects).map((p: any) => p.name)).toEqual(["durable"]);
  } finally {
    await h.close();
  }
});

test("a seeded emulator is reproducible, and resumes its sequence after a restart (no duplicate ids)", async () => {
  const createIds = async (h: Harness) => {
    const { projectId, environmentId } = await h.project("p");
    return [projectId, environmentId];
  };
  const fresh1 = await startHarness({ seed: "bench" });
  const fresh2 = await startHarness({ seed: "bench" });
  const a = await createIds(fresh1);
  expect(await createIds(fresh2)).toEqual(a);
  const b = await createIds(fresh1);
  await fresh1.close();
  await fresh2.close();

  const stateFile = path.join(dir, "state.json");
  let h = await startHarness({ seed: "bench", stateFile });
  expect(await createIds(h)).toEqual(a);
  await h.close();
  h = await startHarness({ seed: "bench", stateFile });
  const next = await createIds(h);
  await h.close();
  expect(next).toEqual(b);
  expect(next).not.toEqual(a);
});

test("POST /_emulator/reset empties the state file too", async () => {
  const stateFile = path.join(dir, "state.json");
  const h = await startHarness({ stateFile });
  try {
    await h.project("x");
    await h.admin("POST", "/_emulator/reset");
    expect(JSON.parse(fs.readFileSync(stateFile, "utf8")).projects).toEqual({});
  } finally {
    await h.close();
  }
});

test("a corrupt state file stops the start with a clear message", async () => {
  const stateFile = path.join(dir, "state.json");
  fs.writeFileSync(stateFile, "{ not json");
  await expect(startEmulator({ stateFile })).rejects.toThrow(
    /state file .*state\.json is not valid JSON .*delete it to start empty/,
  );
  fs.writeFileSync(stateFile, JSON.stringify({ version: 999 }));
  await expect(startEmulator({ stateFile })).rejects.toThrow(/unsupported format/);
});
