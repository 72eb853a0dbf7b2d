/**
 * CRUD for `railway:Volume`: a volume, where it is mounted, its size and backup schedule. Size
 * and backups exist only in the environment config, so they are applied as one patch.
 */
import { RailwayApi, type VolumeInstanceRecord } from "../railway/api";
import { isObject, serviceSection, volumeConfigOf, type JsonObject } from "../railway/environment-config";
import type { BackupSchedule, VolumeInputs, VolumeOutputs } from "../resources/types";
import {
  diffFields,
  failure,
  isUnknown,
  withoutProvider,
  type Failure,
  type RailwayResourceProvider,
} from "./diff";

const BACKUP_SCHEDULES: readonly BackupSchedule[] = ["DAILY", "WEEKLY", "MONTHLY"];

/** The environment-config patch holding a volume's size and its mount's backup schedule. */
function volumePatch(volumeId: string, inputs: VolumeInputs): JsonObject {
  return {
    volumes: { [volumeId]: { sizeMB: inputs.sizeMB } },
    services: {
      [inputs.serviceId]: {
        volumeMounts: {
          [volumeId]: { mountPath: inputs.mountPath, backupSchedules: [...inputs.backupSchedules] },
        },
      },
    },
  };
}

const outputs = (inputs: VolumeInputs, instance: { id: string; volumeId: string }): VolumeOutputs => ({
  ...withoutProvider(inputs),
  volumeId: instance.volumeId,
  volumeInstanceId: instance.id,
});

async function findInstance(
  api: RailwayApi,
  environmentId: string,
  volumeId: string,
): Promise<VolumeInstanceRecord | undefined> {
  const instances = await api.listVolumeInstances(environmentId);
  return instances?.find((instance) => instance.volumeId === volumeId);
}

export const volumeProvider: RailwayResourceProvider<VolumeInputs, VolumeOutputs> = {
  async check(olds, news) {
    const failures: Failure[] = [];
    if (!isUnknown(news.mountPath) && !/^\/[^\s]*$/.test(news.mountPath ?? "")) {
      failures.push(failure("mountPath", "must be an absolute path such as /data"));
    }
    if (!Number.isInteger(news.sizeMB) || news.sizeMB < 500) {
      failures.push(failure("sizeMB", "must be a whole number of megabytes, at least 500"));
    } else if (olds?.sizeMB !== undefined && news.sizeMB < olds.sizeMB) {
      failures.push(
        failure("sizeMB", `cannot shrink from ${olds.sizeMB} to ${news.sizeMB}: Railway volumes can only grow`),
      );
    }
    for (const schedule of news.backupSchedules ?? []) {
      if (!BACKUP_SCHEDULES.includes(schedule)) {
        failures.push(failure("backupSchedules", `unknown schedule "${schedule}"; use DAILY, WEEKLY or MONTHLY`));
      }
    }
    return { inputs: news, failures };
  },

  async diff(_id, olds, news) {
    return diffFields<VolumeInputs>(
      olds,
      news,
      ["projectId", "environmentId", "serviceId", "name", "mountPath", "sizeMB", "backupSchedules"],
      ["projectId", "environmentId", "serviceId"],
    );
  },

  async create(inputs) {
    const api = RailwayApi.fromEnvironment();
    const created = await api.createVolume({
      projectId: inputs.projectId,
      environmentId: inputs.environmentId,
      serviceId: inputs.serviceId,
      mountPath: inputs.mountPath,
    });
    if (created.name !== inputs.name) await api.renameVolume(created.id, inputs.name);
    await api.commitPatch(inputs.environmentId, volumePatch(created.id, inputs), `railway-stacks: volume ${inputs.name}`);
    const instance = await findInstance(api, inputs.environmentId, created.id);
    if (!instance) throw new Error(`Railway created volume ${created.id} but shows no instance of it in environment ${inputs.environmentId}.`);
    return { id: created.id, outs: outputs(inputs, instance) };
  },

  async read(id, props) {
    if (!props) return { id: "" };
    const api = RailwayApi.fromEnvironment();
    const previous = withoutProvider(props);
    const [instance, environment] = await Promise.all([
      findInstance(api, previous.environmentId, id),
      api.getEnvironmentConfig(previous.environmentId),
    ]);
    if (!instance || !environment) return { id: "" };
    const mount = serviceSection(environment.config, instance.serviceId ?? previous.serviceId)?.volumeMounts;
    const mountEntry = isObject(mount) ? mount[id] : undefined;
    const schedules = isObject(mountEntry) && Array.isArray(mountEntry.backupSchedules) ? mountEntry.backupSchedules : [];
    const size = volumeConfigOf(environment.config, id)?.sizeMB;
    const liveInputs: VolumeInputs = {
      projectId: previous.projectId,
      environmentId: previous.environmentId,
      serviceId: instance.serviceId ?? "",
      name: instance.volume.name,
      mountPath: instance.mountPath,
      sizeMB: typeof size === "number" ? size : instance.sizeMB,
      backupSchedules: schedules.filter((s): s is BackupSchedule => BACKUP_SCHEDULES.includes(s as BackupSchedule)),
    };
    return { id, props: outputs(liveInputs, instance), inputs: liveInputs };
  },

  async update(id, olds, news) {
    const api = RailwayApi.fromEnvironment();
    if (news.name !== olds.name) await api.renameVolume(id, news.name);
    if (
      news.sizeMB !== olds.sizeMB ||
      news.mountPath !== olds.mountPath ||
      news.backupSchedules.join() !== olds.backupSchedules.join()
    ) {
      await api.commitPatch(news.environmentId, volumePatch(id, news), `railway-stacks: volume ${news.name}`);
    }
    return { outs: outputs(news, { id: olds.volumeInstanceId, volumeId: id }) };
  },

  async delete(id) {
    await RailwayApi.fromEnvironment().deleteVolume(id);
  },
};
