/** railway:Volume provider against the emulator, called as the engine calls it. */
import { volumeProvider } from "../../infra/providers/volume";
import type { VolumeInputs, VolumeOutputs } from "../../infra/domain/types";
import { engineInputs, PROVIDER_KEY, useEmulator } from "../helpers/emulator";
import { NO_OLDS, volumeInputs, withoutEngineKey } from "./inputs";

const emu = useEmulator();

let project: { projectId: string; environmentId: string };
let serviceCount = 0;
beforeAll(async () => {
  project = await emu.freshProject("volume-tests");
});

/** A new service (Railway allows one volume per service) and the ids a volume needs. */
async function ids() {
  const serviceId = await emu.freshService(project.projectId, `svc-${++serviceCount}`);
  return { projectId: project.projectId, environmentId: project.environmentId, serviceId };
}

/** Volume names are unique in a project: each test volume gets its own. */
async function created(overrides: Partial<VolumeInputs> = {}) {
  const volumeIds = await ids();
  const inputs = volumeInputs(volumeIds, { name: `data-${serviceCount}`, ...overrides });
  const result = await volumeProvider.create(inputs);
  return { inputs, id: result.id, outs: result.outs as VolumeOutputs };
}

const state = (outs: VolumeOutputs): VolumeOutputs => engineInputs(outs);
const config = () =>
  emu.data.environments[project.environmentId]!.config as Record<string, Record<string, any>>;

describe("check", () => {
  const SIZE_REASON = "must be a whole number of megabytes, at least 500";
  const PATH_REASON = "must be an absolute path such as /data";
  const base = volumeInputs({ projectId: "p", environmentId: "e", serviceId: "s" });

  test("valid inputs pass unchanged; growing passes", async () => {
    expect(await volumeProvider.check!(NO_OLDS, base)).toEqual({ inputs: base, failures: [] });
    expect(
      (await volumeProvider.check!({ ...base, sizeMB: 5000 }, { ...base, sizeMB: 8000 })).failures,
    ).toEqual([]);
  });

  test.each([
    [
      "relative mount path",
      { mountPath: "data" },
      [{ property: "mountPath", reason: PATH_REASON }],
    ],
    [
      "mount path with a space",
      { mountPath: "/my data" },
      [{ property: "mountPath", reason: PATH_REASON }],
    ],
    ["size under 500 MB", { sizeMB: 100 }, [{ property: "sizeMB", reason: SIZE_REASON }]],
    ["fractional size", { sizeMB: 1000.5 }, [{ property: "sizeMB", reason: SIZE_REASON }]],
    [
      "unknown backup schedule",
      { backupSchedules: ["DAILY", "HOURLY"] },
      [
        {
          property: "backupSchedules",
          reason: 'unknown schedule "HOURLY"; use DAILY, WEEKLY or MONTHLY',
        },
      ],
    ],
  ])("%s", async (_label, overrides, failures) => {
    expect(
      (await volumeProvider.check!(NO_OLDS, { ...base, ...(overrides as Partial<VolumeInputs>) }))
        .failures,
    ).toEqual(failures);
  });

  test("shrinking is refused with both sizes", async () => {
    const result = await volumeProvider.check!(
      { ...base, sizeMB: 8000 },
      { ...base, sizeMB: 5000 },
    );
    expect(result.failures).toEqual([
      {
        property: "sizeMB",
        reason: "cannot shrink from 8000 to 5000: Railway volumes can only grow",
      },
    ]);
  });
});

describe("create, read, diff", () => {
  test("a plain volume: create (which answers with its instance) and rename; no patch, so no deployment", async () => {
    const volumeIds = await ids();
    const inputs = volumeInputs(volumeIds);
    const before = emu.checkpoint();
    const { id, outs } = await volumeProvider.create(inputs);
    expect(before.operations()).toEqual(["VolumeCreate", "VolumeUpdate"]);
    expect(before.deployments()).toEqual([]);
    const live = await emu.state();
    const instance = Object.values(live.volumeInstances).find((i) => i.volumeId === id)!;
    expect(outs).toEqual({
      ...volumeIds,
      name: "api-data",
      mountPath: "/data",
      sizeMB: 1000,
      backupSchedules: [],
      volumeId: id,
      volumeInstanceId: instance.id,
      actualSizeMB: 5000,
    });
    expect(live.volumes[id]).toMatchObject({ name: "api-data", projectId: project.projectId });
    expect(instance).toMatchObject({
      serviceId: volumeIds.serviceId,
      mountPath: "/data",
      environmentId: project.environmentId,
    });
    expect(live.environments[project.environmentId]!.config.volumes).toMatchObject({
      [id]: { sizeMB: 5000 },
    });
    expect(JSON.stringify(before.requests())).not.toContain(PROVIDER_KEY);
    expect(JSON.stringify(live)).not.toContain(PROVIDER_KEY);
  });

  test("a volume larger than the plan's size with backups: one patch with exactly the growth and the schedule", async () => {
    const volumeIds = await ids();
    const inputs = volumeInputs(volumeIds, {
      name: "pg-data",
      mountPath: "/var/lib/postgresql/data",
      sizeMB: 8000,
      backupSchedules: ["DAILY"],
    });
    const before = emu.checkpoint();
    const { id, outs } = await volumeProvider.create(inputs);
    expect(before.operations()).toEqual(["VolumeCreate", "VolumeUpdate", "EnvironmentPatchCommit"]);
    expect(
      before
        .patches()
        .filter((p) => p.source === "environmentPatchCommit")
        .map((p) => p.patch),
    ).toEqual([
      {
        volumes: { [id]: { sizeMB: 8000 } },
        services: {
          [volumeIds.serviceId]: {
            volumeMounts: {
              [id]: { mountPath: "/var/lib/postgresql/data", backupSchedules: ["DAILY"] },
            },
          },
        },
      },
    ]);
    expect(outs).toMatchObject({ sizeMB: 8000, actualSizeMB: 8000, backupSchedules: ["DAILY"] });
    expect(config().volumes![id].sizeMB).toBe(8000);
    expect(config().services![volumeIds.serviceId].volumeMounts[id]).toEqual({
      mountPath: "/var/lib/postgresql/data",
      backupSchedules: ["DAILY"],
    });
  });

  test("read right after create: identical props and inputs, two reads", async () => {
    for (const overrides of [
      {},
      { sizeMB: 8000, backupSchedules: ["DAILY", "WEEKLY"] as VolumeInputs["backupSchedules"] },
    ]) {
      const { id, inputs, outs } = await created(overrides);
      const before = emu.checkpoint();
      expect(await volumeProvider.read(id, state(outs))).toEqual({
        id,
        props: outs,
        inputs: withoutEngineKey(inputs),
      });
      expect(before.operations().sort()).toEqual([
        "EnvironmentConfigGet",
        "EnvironmentVolumeInstances",
      ]);
    }
  });

  test("diff: none against the outputs; size is an update; a new service or environment replaces", async () => {
    const { id, inputs, outs } = await created();
    expect(await volumeProvider.diff!(id, state(outs), inputs)).toEqual({
      changes: false,
      replaces: [],
      stables: ["projectId", "environmentId", "serviceId"],
      deleteBeforeReplace: false,
    });
    expect(await volumeProvider.diff!(id, state(outs), { ...inputs, sizeMB: 8000 })).toMatchObject({
      changes: true,
      replaces: [],
    });
    expect(
      (await volumeProvider.diff!(id, state(outs), { ...inputs, serviceId: "other" })).replaces,
    ).toEqual(["serviceId"]);
    expect(
      (await volumeProvider.diff!(id, state(outs), { ...inputs, environmentId: "other" })).replaces,
    ).toEqual(["environmentId"]);
  });
});

describe("update", () => {
  test("growing 1000 → 8000 MB: one patch holding only the size, no read, no deployment", async () => {
    const { id, inputs, outs } = await created();
    const before = emu.checkpoint();
    const result = await volumeProvider.update!(id, state(outs), { ...inputs, sizeMB: 8000 });
    expect(before.operations()).toEqual(["EnvironmentPatchCommit"]);
    expect(before.patches().map((p) => p.patch)).toEqual([{ volumes: { [id]: { sizeMB: 8000 } } }]);
    expect(before.deployments()).toEqual([]);
    expect(result.outs).toEqual({ ...outs, sizeMB: 8000, actualSizeMB: 8000 });
    expect(config().volumes![id].sizeMB).toBe(8000);
  });

  test("a larger minimum that the volume already meets: no call at all", async () => {
    const { id, inputs, outs } = await created();
    const before = emu.checkpoint();
    const result = await volumeProvider.update!(id, state(outs), { ...inputs, sizeMB: 2000 });
    expect(before.counters().requests).toBe(0);
    expect(result.outs).toEqual({ ...outs, sizeMB: 2000, actualSizeMB: 5000 });
  });

  test("backups on: one patch holding only the mount; no deployment for a service without source", async () => {
    const { id, inputs, outs } = await created();
    const before = emu.checkpoint();
    await volumeProvider.update!(id, state(outs), {
      ...inputs,
      backupSchedules: ["DAILY", "WEEKLY"],
    });
    expect(before.operations()).toEqual(["EnvironmentPatchCommit"]);
    expect(before.patches().map((p) => p.patch)).toEqual([
      {
        services: {
          [inputs.serviceId]: {
            volumeMounts: { [id]: { mountPath: "/data", backupSchedules: ["DAILY", "WEEKLY"] } },
          },
        },
      },
    ]);
    // The fixture's service has no image or repo: Railway has nothing to deploy.
    expect(before.deployments()).toEqual([]);
  });

  test("rename: one VolumeUpdate", async () => {
    const { id, inputs, outs } = await created();
    const before = emu.checkpoint();
    const result = await volumeProvider.update!(id, state(outs), {
      ...inputs,
      name: "renamed-data",
    });
    expect(before.operations()).toEqual(["VolumeUpdate"]);
    expect(result.outs).toEqual({ ...outs, name: "renamed-data" });
    expect(emu.data.volumes[id]!.name).toBe("renamed-data");
  });
});

describe("read after changes behind Pulumi's back", () => {
  test("renamed, grown and given backups by hand: live values in props and inputs", async () => {
    const { id, inputs, outs } = await created();
    await emu.op("VolumeUpdate", { volumeId: id, input: { name: "renamed-by-hand" } });
    await emu.op("EnvironmentPatchCommit", {
      environmentId: project.environmentId,
      patch: {
        volumes: { [id]: { sizeMB: 9000 } },
        services: {
          [inputs.serviceId]: {
            volumeMounts: { [id]: { mountPath: "/data", backupSchedules: ["MONTHLY"] } },
          },
        },
      },
    });
    const read = await volumeProvider.read(id, state(outs));
    // The declared size is a minimum, met by the bigger volume: no drift on sizeMB itself.
    const expected = {
      ...withoutEngineKey(inputs),
      name: "renamed-by-hand",
      backupSchedules: ["MONTHLY"],
    };
    expect(read).toEqual({
      id,
      props: { ...outs, ...expected, actualSizeMB: 9000 },
      inputs: expected,
    });
  });

  test("a volume deleted behind Pulumi's back reads as gone", async () => {
    const { id, outs } = await created();
    await emu.op("VolumeDelete", { volumeId: id });
    expect(await volumeProvider.read(id, state(outs))).toEqual({ id: "" });
  });
});

describe("delete", () => {
  test("delete removes the volume, its instance and its mount", async () => {
    const { id, inputs, outs } = await created();
    const before = emu.checkpoint();
    await volumeProvider.delete!(id, state(outs));
    expect(before.operations()).toEqual(["VolumeDelete"]);
    const live = await emu.state();
    expect(live.volumes[id]).toBeUndefined();
    expect(Object.values(live.volumeInstances).filter((i) => i.volumeId === id)).toEqual([]);
    expect(
      (live.environments[project.environmentId]!.config.volumes as Record<string, unknown>)[id],
    ).toBeUndefined();
    expect(
      JSON.stringify(
        (live.environments[project.environmentId]!.config.services as Record<string, unknown>)[
          inputs.serviceId
        ],
      ),
    ).not.toContain(id);
  });

  test("delete of a volume that no longer exists succeeds", async () => {
    const { id, outs } = await created();
    await emu.op("VolumeDelete", { volumeId: id });
    await expect(volumeProvider.delete!(id, state(outs))).resolves.toBeUndefined();
  });
});

describe("import: adopting an existing volume by id", () => {
  // `pulumi import` cannot run under Pulumi's Node dynamic-provider host (pulumi/pulumi#16175);
  // the documented path is the volume id + read. A volume has an instance per environment, so the
  // one prop read needs is the environment; everything else is live.
  test("read(id, { environmentId }) of a volume made directly through the API returns its full live state", async () => {
    const volumeIds = await ids();
    const data = await emu.op("VolumeCreate", {
      input: {
        projectId: project.projectId,
        environmentId: project.environmentId,
        serviceId: volumeIds.serviceId,
        mountPath: "/srv",
      },
    });
    const id = data.volumeCreate.id as string;
    const name = data.volumeCreate.name as string;
    const instance = Object.values(emu.data.volumeInstances).find((i) => i.volumeId === id)!;
    const read = await volumeProvider.read(
      id,
      engineInputs({ environmentId: project.environmentId }) as unknown as VolumeOutputs,
    );
    const inputs = { ...volumeIds, name, mountPath: "/srv", sizeMB: 5000, backupSchedules: [] };
    expect(read).toEqual({
      id,
      props: { ...inputs, volumeId: id, volumeInstanceId: instance.id, actualSizeMB: 5000 },
      inputs,
    });
  });
});
