/** Volumes: creation with generated names, config mirror, resize rules, backups, rename, delete. */
import { ALL_OPERATIONS as OPS } from "../../infra/railway/operations";
import { DOCS, Harness, startHarness } from "./helpers";

let h: Harness;
let projectId: string;
let environmentId: string;
let pg: string;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());
beforeEach(async () => {
  h.emu.reset();
  ({ projectId, environmentId } = await h.project("shop"));
  pg = await h.service(projectId, "Postgres");
});

async function create(
  serviceId = pg,
  mountPath = "/var/lib/postgresql/data",
): Promise<{ id: string; name: string }> {
  return (
    await h.op("VolumeCreatePlain", { input: { projectId, environmentId, serviceId, mountPath } })
  ).volumeCreate;
}

test("volumeCreate answers with the new volume's instance (Volume.volumeInstances)", async () => {
  const svc = await h.op("ServiceCreate", { input: { projectId, name: "answers-instance" } });
  const serviceId = svc.serviceCreate.id as string;
  const created = (
    await h.op("VolumeCreate", { input: { projectId, environmentId, serviceId, mountPath: "/d" } })
  ).volumeCreate;
  const [instance] = (
    await h.op("EnvironmentVolumeInstances", { id: environmentId })
  ).environment.volumeInstances.edges
    .map((e: any) => e.node)
    .filter((node: any) => node.volumeId === created.id);
  expect(created).toEqual({
    id: instance.volumeId,
    name: instance.volume.name,
    volumeInstances: {
      edges: [
        {
          node: {
            id: instance.id,
            volumeId: created.id,
            environmentId,
            serviceId,
            mountPath: "/d",
            sizeMB: 5000,
          },
        },
      ],
    },
  });
});

test("volumeCreate makes a Volume with a generated name and a READY 5000 MB instance, mirrored in the config", async () => {
  const v = await create();
  expect(v.name).toMatch(/^[a-z]+-volume-1$/);
  const instances = (
    await h.data(DOCS.volumeInstances, { id: environmentId })
  ).environment.volumeInstances.edges.map((e: any) => e.node);
  expect(instances).toEqual([
    expect.objectContaining({
      volumeId: v.id,
      serviceId: pg,
      mountPath: "/var/lib/postgresql/data",
      sizeMB: 5000,
      state: "READY",
      currentSizeMB: 0,
      volume: v,
    }),
  ]);
  const viaProvider = (await h.op("EnvironmentVolumeInstances", { id: environmentId })).environment
    .volumeInstances.edges[0].node;
  expect(viaProvider).toEqual({
    id: instances[0].id,
    volumeId: v.id,
    serviceId: pg,
    mountPath: "/var/lib/postgresql/data",
    sizeMB: 5000,
    volume: v,
  });
  const { config } = await h.config(environmentId);
  expect(config.volumes[v.id]).toEqual({ isCreated: true, sizeMB: 5000 });
  expect(config.services[pg].volumeMounts).toEqual({
    [v.id]: { mountPath: "/var/lib/postgresql/data" },
  });
  expect((await h.data(DOCS.volumeInstance, { id: instances[0].id })).volumeInstance).toMatchObject(
    { volumeId: v.id, environmentId, sizeMB: 5000 },
  );
  expect(await h.error(DOCS.volumeInstance, { id: "nope" })).toBe("Volume instance not found");
  const listed = (await h.data(DOCS.project, { id: projectId })).project.volumes.edges.map(
    (e: any) => e.node,
  );
  expect(listed).toEqual([v]);
});

test("volumeCreate errors: one volume per service, relative mount path, unknown ids", async () => {
  await create();
  expect(
    await h.error(OPS.VolumeCreate!, {
      input: { projectId, environmentId, serviceId: pg, mountPath: "/other" },
    }),
  ).toBe("A service can only have one volume mounted per environment");
  const redis = await h.service(projectId, "Redis");
  expect(
    await h.error(OPS.VolumeCreate!, {
      input: { projectId, environmentId, serviceId: redis, mountPath: "data" },
    }),
  ).toBe('Invalid mount path "data": it must be an absolute path');
  expect(
    await h.error(OPS.VolumeCreate!, {
      input: { projectId: "nope", environmentId, serviceId: redis, mountPath: "/d" },
    }),
  ).toBe("Project not found");
  expect(
    await h.error(OPS.VolumeCreate!, {
      input: { projectId, environmentId: "nope", serviceId: redis, mountPath: "/d" },
    }),
  ).toBe("Environment not found");
  expect(
    await h.error(OPS.VolumeCreate!, {
      input: { projectId, environmentId, serviceId: "nope", mountPath: "/d" },
    }),
  ).toBe("Service not found");
});

test("patches resize volumes (never down) and set backup schedules", async () => {
  const v = await create();
  await h.commit(environmentId, {
    volumes: { [v.id]: { sizeMB: 10000 } },
    services: { [pg]: { volumeMounts: { [v.id]: { backupSchedules: ["DAILY", "WEEKLY"] } } } },
  });
  const { config } = await h.config(environmentId);
  expect(config.volumes[v.id].sizeMB).toBe(10000);
  expect(config.services[pg].volumeMounts[v.id]).toEqual({
    mountPath: "/var/lib/postgresql/data",
    backupSchedules: ["DAILY", "WEEKLY"],
  });
  expect(
    (await h.data(DOCS.volumeInstances, { id: environmentId })).environment.volumeInstances.edges[0]
      .node.sizeMB,
  ).toBe(10000);

  expect(
    await h.error(OPS.EnvironmentPatchCommit!, {
      environmentId,
      patch: { volumes: { [v.id]: { sizeMB: 5000 } } },
    }),
  ).toBe("Volume size cannot be decreased (from 10000 MB to 5000 MB)");
  expect(
    await h.error(OPS.EnvironmentPatchCommit!, {
      environmentId,
      patch: { volumes: { [v.id]: { sizeMB: "big" } } },
    }),
  ).toBe(`Invalid patch: volumes.${v.id}.sizeMB must be a positive integer`);
  expect(
    await h.error(OPS.EnvironmentPatchCommit!, {
      environmentId,
      patch: { services: { [pg]: { volumeMounts: { [v.id]: { backupSchedules: ["HOURLY"] } } } } },
    }),
  ).toBe(
    `Invalid patch: services.${pg}.volumeMounts.${v.id}.backupSchedules must be a list of DAILY, WEEKLY, MONTHLY`,
  );
  // A mount can move to another path.
  await h.commit(environmentId, {
    services: { [pg]: { volumeMounts: { [v.id]: { mountPath: "/data" } } } },
  });
  expect(
    (await h.data(DOCS.volumeInstances, { id: environmentId })).environment.volumeInstances.edges[0]
      .node.mountPath,
  ).toBe("/data");
});

test("a volume cannot be mounted by two services", async () => {
  const v = await create();
  const other = await h.service(projectId, "other");
  expect(
    await h.error(OPS.EnvironmentPatchCommit!, {
      environmentId,
      patch: { services: { [other]: { volumeMounts: { [v.id]: { mountPath: "/x" } } } } },
    }),
  ).toBe(`Invalid patch: volume "${v.id}" is already mounted by service "${pg}"`);
});

test("volumeUpdate renames (unique per project); volumeDelete removes it and its mounts", async () => {
  const v = await create();
  const redis = await h.service(projectId, "Redis");
  const w = await create(redis, "/data");
  expect(w.name).not.toBe(v.name);
  expect(
    (await h.op("VolumeUpdate", { volumeId: v.id, input: { name: "pg-data" } })).volumeUpdate,
  ).toEqual({ id: v.id, name: "pg-data" });
  expect(await h.error(OPS.VolumeUpdate!, { volumeId: w.id, input: { name: "PG-data" } })).toBe(
    'Volume name "PG-data" already exists in this project',
  );
  expect(await h.error(OPS.VolumeUpdate!, { volumeId: "nope", input: { name: "x" } })).toBe(
    "Volume not found",
  );

  expect((await h.op("VolumeDelete", { volumeId: v.id })).volumeDelete).toBe(true);
  const { config } = await h.config(environmentId);
  expect(config.volumes[v.id]).toBeUndefined();
  expect(config.services[pg].volumeMounts).toEqual({});
  const instances = (
    await h.data(DOCS.volumeInstances, { id: environmentId })
  ).environment.volumeInstances.edges.map((e: any) => e.node.volumeId);
  expect(instances).toEqual([w.id]);
  expect(await h.error(OPS.VolumeDelete!, { volumeId: v.id })).toBe("Volume not found");
  expect(
    await h.error(OPS.EnvironmentPatchCommit!, {
      environmentId,
      patch: { volumes: { [v.id]: { sizeMB: 6000 } } },
    }),
  ).toBe(`Invalid patch: volume "${v.id}" not found in this project`);
});
