/**
 * CRUD for `railway:Volume`: a volume, where it is mounted, its size and backup schedule. Size
 * and backups exist only in the environment config, so they are applied as one patch.
 */
import {
  RailwayApi,
  volumeMountedAt,
  type VolumeInstanceRecord,
  type VolumeRecord,
} from "../railway/api";
import { environmentBatches } from "../railway/batch";
import { knownConfig, volumeInstancesOf } from "../railway/known";
import { isDiscarded } from "./discard";
import {
  isObject,
  serviceSection,
  volumeConfigOf,
  type EnvironmentConfig,
  type JsonObject,
} from "../railway/environment-config";
import type { BackupSchedule, VolumeInputs, VolumeOutputs } from "../domain/types";
import {
  diffFields,
  failure,
  isUnknown,
  defined,
  PartialCreateError,
  withoutProvider,
  type Failure,
  type RailwayResourceProvider,
} from "./diff";

const BACKUP_SCHEDULES: readonly BackupSchedule[] = ["DAILY", "WEEKLY", "MONTHLY"];

/**
 * The environment-config patch holding a volume's size (only when it must grow: Railway cannot
 * shrink a volume, and a new one already has the plan's size) and its mount's backup schedule
 * (only when the mount differs from `previous`: a mount change redeploys the service). Undefined
 * when there is nothing to change.
 */
function volumePatch(
  volumeId: string,
  inputs: VolumeInputs,
  currentSizeMB: number,
  previous?: Pick<VolumeInputs, "mountPath" | "backupSchedules">,
): JsonObject | undefined {
  const grow = inputs.sizeMB > currentSizeMB;
  const mount =
    !previous ||
    previous.mountPath !== inputs.mountPath ||
    previous.backupSchedules.join() !== inputs.backupSchedules.join();
  if (!grow && !mount) return undefined;
  return {
    ...(grow ? { volumes: { [volumeId]: { sizeMB: inputs.sizeMB } } } : {}),
    ...(mount
      ? {
          services: {
            [inputs.serviceId]: {
              volumeMounts: {
                [volumeId]: {
                  mountPath: inputs.mountPath,
                  backupSchedules: [...inputs.backupSchedules],
                },
              },
            },
          },
        }
      : {}),
  };
}

const outputs = (
  inputs: VolumeInputs,
  instance: { id: string; volumeId: string; sizeMB: number },
): VolumeOutputs =>
  defined({
    ...withoutProvider(inputs),
    volumeId: instance.volumeId,
    volumeInstanceId: instance.id,
    actualSizeMB: Math.max(instance.sizeMB, inputs.sizeMB),
  });

/**
 * A fork's volume copy. In a fork every declared volume is a copy made with the environment, so
 * the listing cannot change while this stack creates them: the environment's create answered with
 * it, or one read per process serves all of them, whatever the order or timing of their creates.
 */
async function findForkCopy(
  api: RailwayApi,
  inputs: VolumeInputs,
): Promise<VolumeRecord | undefined> {
  const listing = await volumeInstancesOf(inputs.environmentId, () =>
    api.listVolumeInstances(inputs.environmentId),
  );
  return volumeMountedAt(listing, inputs);
}

/** The mount and backup schedules of volume `volumeId` in the service's config section. */
function mountOf(
  config: EnvironmentConfig,
  serviceId: string,
  volumeId: string,
): Pick<VolumeInputs, "mountPath" | "backupSchedules"> | undefined {
  const mounts = serviceSection(config, serviceId)?.volumeMounts;
  const entry = isObject(mounts) ? mounts[volumeId] : undefined;
  if (!isObject(entry) || typeof entry.mountPath !== "string") return undefined;
  const schedules = Array.isArray(entry.backupSchedules) ? entry.backupSchedules : [];
  return {
    mountPath: entry.mountPath,
    backupSchedules: schedules.filter((s): s is BackupSchedule =>
      BACKUP_SCHEDULES.includes(s as BackupSchedule),
    ),
  };
}

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
        failure(
          "sizeMB",
          `cannot shrink from ${olds.sizeMB} to ${news.sizeMB}: Railway volumes can only grow`,
        ),
      );
    }
    for (const schedule of news.backupSchedules ?? []) {
      if (!BACKUP_SCHEDULES.includes(schedule)) {
        failures.push(
          failure(
            "backupSchedules",
            `unknown schedule "${schedule}"; use DAILY, WEEKLY or MONTHLY`,
          ),
        );
      }
    }
    return { inputs: news, failures };
  },

  async diff(_id, olds, news) {
    return diffFields<VolumeInputs>(
      olds,
      news,
      [
        "projectId",
        "environmentId",
        "serviceId",
        "name",
        "mountPath",
        "sizeMB",
        "backupSchedules",
        "adoptExisting",
        "sharedProject",
      ],
      ["projectId", "environmentId", "serviceId"],
    );
  },

  async create(inputs) {
    const api = RailwayApi.fromEnvironment();
    // Adopting (a fork adopts its copies of the source's volumes): what is mounted here is used.
    // Shared: it is either another environment's volume too (a fork's copy: its name left alone)
    // or this environment's own.
    const found = inputs.forkCopy
      ? await findForkCopy(api, inputs)
      : inputs.adoptExisting
        ? await api.findVolume(inputs)
        : undefined;
    const copy =
      found !== undefined &&
      (inputs.forkCopy === true ||
        (inputs.sharedProject === true &&
          (await otherEnvironmentsWith(api, inputs, found.id)).length > 0));
    const adopted = inputs.adoptExisting || copy ? found : undefined;
    const created =
      found ??
      (await api.createVolume({
        projectId: inputs.projectId,
        environmentId: inputs.environmentId,
        serviceId: inputs.serviceId,
        mountPath: inputs.mountPath,
      }));
    let applied: VolumeInputs = {
      ...withoutProvider(inputs),
      name: created.name,
      backupSchedules: [],
    };
    let instance: VolumeInstanceRecord | undefined;
    try {
      // Another environment's volume's name (unique in the project) is not this stack's.
      if (created.name !== inputs.name && !copy) {
        await api.renameVolume(created.id, inputs.name);
        applied = { ...applied, name: inputs.name };
      }
      // volumeCreate and the adopting lookup answer with the instance: no second read.
      instance = created.instance ?? (await findInstance(api, inputs.environmentId, created.id));
      if (!instance) {
        throw new Error(
          `Railway created volume ${created.id} but shows no instance of it in environment ${inputs.environmentId}.`,
        );
      }
      // A new volume already has its mount, no backups and the plan's size. An adopted one may
      // have backups to clear, so its mount is written unless the config of an environment this
      // run created (a fork's copies) shows it as declared.
      const known = knownConfig(inputs.environmentId);
      const patch = volumePatch(
        created.id,
        inputs,
        instance.sizeMB,
        adopted
          ? known && mountOf(known.config, inputs.serviceId, created.id)
          : { mountPath: inputs.mountPath, backupSchedules: [] },
      );
      // With the other volumes the engine creates at the same moment: one commit for all.
      if (patch) {
        await environmentBatches.commitPatch(api, inputs.environmentId, {
          readConfig: false,
          summary: `volume ${inputs.name}`,
          patch: () => patch,
        });
      }
    } catch (error) {
      const known = instance ?? { id: "", volumeId: created.id, sizeMB: 0 };
      throw new PartialCreateError(error, created.id, outputs(applied, known), inputs);
    }
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
    const mount = mountOf(environment.config, instance.serviceId ?? previous.serviceId, id);
    const configured = volumeConfigOf(environment.config, id)?.sizeMB;
    const liveSizeMB = typeof configured === "number" ? configured : instance.sizeMB;
    const liveInputs: VolumeInputs = {
      // Adopting by id + read may give no more than the environment: the rest is live.
      projectId: previous.projectId ?? environment.projectId,
      environmentId: previous.environmentId,
      serviceId: instance.serviceId ?? "",
      // Shared: the name may be another environment's volume's (a fork's copy): not drift.
      name: previous.sharedProject ? previous.name : instance.volume.name,
      mountPath: instance.mountPath,
      // The desired size is a minimum: met unless the volume is smaller.
      sizeMB: previous.sizeMB === undefined ? liveSizeMB : Math.min(previous.sizeMB, liveSizeMB),
      backupSchedules: mount?.backupSchedules ?? [],
      adoptExisting: previous.adoptExisting,
      sharedProject: previous.sharedProject,
    };
    return {
      id,
      props: outputs(liveInputs, { ...instance, sizeMB: liveSizeMB }),
      inputs: defined(liveInputs),
    };
  },

  async update(id, olds, news) {
    const api = RailwayApi.fromEnvironment();
    // After a partial create the instance (and so the real size) may not be known yet.
    const instance = olds.volumeInstanceId
      ? { id: olds.volumeInstanceId, sizeMB: olds.actualSizeMB ?? olds.sizeMB }
      : await findInstance(api, news.environmentId, id);
    if (!instance)
      throw new Error(
        `Railway shows no instance of volume ${id} in environment ${news.environmentId}.`,
      );
    // Another environment's volume's name (a fork's copy) is not this stack's to change.
    if (
      news.name !== olds.name &&
      !news.forkCopy &&
      !(news.sharedProject && (await otherEnvironmentsWith(api, news, id)).length > 0)
    ) {
      await api.renameVolume(id, news.name);
    }
    const patch = volumePatch(id, news, instance.sizeMB, olds);
    if (patch)
      await api.commitPatch(news.environmentId, patch, `railway-stacks: volume ${news.name}`);
    return {
      outs: outputs(news, { id: instance.id, volumeId: id, sizeMB: instance.sizeMB }),
    };
  },

  /**
   * Deletes the volume. Shared layout: while another environment has an instance of it (a fork's
   * copy, or the environment a fork was copied from), only this environment's instance goes.
   */
  async delete(id, props) {
    const api = RailwayApi.fromEnvironment();
    if (props.sharedProject) {
      if (isDiscarded(props.environmentId)) return;
      const others = await otherEnvironmentsWith(api, props, id);
      if (others.length > 0) {
        await api.commitPatch(
          props.environmentId,
          { volumes: { [id]: { isDeleted: true } } },
          `railway-stacks: remove volume ${props.name} from this environment`,
        );
        return;
      }
    }
    await api.deleteVolume(id);
  },
};

/** The environments other than `inputs.environmentId` that have an instance of the volume. */
async function otherEnvironmentsWith(
  api: RailwayApi,
  inputs: Pick<VolumeInputs, "projectId" | "environmentId">,
  volumeId: string,
): Promise<string[]> {
  return (await api.listEnvironmentConfigs(inputs.projectId))
    .filter(
      (env) =>
        env.id !== inputs.environmentId && volumeConfigOf(env.config, volumeId) !== undefined,
    )
    .map((env) => env.name);
}
