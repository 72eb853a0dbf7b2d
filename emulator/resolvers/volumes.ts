/**
 * Volumes (docs/railway-api.md §8). A Volume is project-level identity (id, unique name); each environment
 * holds a VolumeInstance whose size lives in the config (`volumes.<id>.sizeMB`) and whose mount is
 * `services.<serviceId>.volumeMounts.<id>.mountPath`.
 */
import { commitPatch, DEFAULT_VOLUME_SIZE_MB } from "../commit";
import { isPlainObject, JsonObject } from "../config-merge";
import { fail, MESSAGES, NOT_FOUND } from "../errors";
import { ADJECTIVES } from "../names";
import { EmulatorState, EnvironmentRecord, VolumeRecord } from "../state";
import {
  connection,
  ConnectionArgs,
  Context,
  given,
  requireName,
  ResolverMap,
  sameName,
} from "./context";
import { volumeInstanceView } from "./views";

function assertUniqueVolumeName(
  state: EmulatorState,
  projectId: string,
  name: string,
  exceptId?: string,
): void {
  if (state.volumesOf(projectId).some((v) => v.id !== exceptId && sameName(v.name, name)))
    fail(MESSAGES.volumeNameTaken(name));
}

function generatedVolumeName(state: EmulatorState, projectId: string): string {
  const taken = (name: string) => state.volumesOf(projectId).some((v) => sameName(v.name, name));
  let n = state.volumesOf(projectId).length + 1;
  let name: string;
  do name = `${state.random((r) => r.pick(ADJECTIVES))}-volume-${n++}`;
  while (taken(name));
  return name;
}

function hasVolumeMount(state: EmulatorState, env: EnvironmentRecord, serviceId: string): boolean {
  const instance = state.instanceConfig(env, serviceId);
  return Boolean(
    instance &&
    isPlainObject(instance.volumeMounts) &&
    Object.keys(instance.volumeMounts).length > 0,
  );
}

interface VolumeCreateInput {
  projectId: string;
  mountPath: string;
  environmentId?: string | null;
  serviceId?: string | null;
  region?: string | null;
}

export const volumeResolvers: ResolverMap = {
  Query: {
    volumeInstance: (_: unknown, { id }: { id: string }, ctx: Context) => {
      const record = ctx.state.data.volumeInstances[id] ?? fail(NOT_FOUND.volumeInstance);
      ctx.access.environment(ctx.state.environment(record.environmentId));
      return volumeInstanceView(ctx.state, record);
    },
  },
  Mutation: {
    volumeCreate: (_: unknown, { input }: { input: VolumeCreateInput }, ctx: Context) => {
      const { state } = ctx;
      const project = state.project(input.projectId);
      ctx.access.project(project.id);
      if (!input.mountPath.startsWith("/")) fail(MESSAGES.invalidMountPath(input.mountPath));
      // Railway: environmentId null = no instance anywhere; omitted = every environment.
      let envs: EnvironmentRecord[];
      if (!given(input, "environmentId")) envs = state.environmentsOf(project.id);
      else if (input.environmentId === null || input.environmentId === undefined) envs = [];
      else envs = [state.environmentOf(project.id, input.environmentId)];
      envs.forEach((e) => ctx.access.environment(e));
      const service = input.serviceId ? state.serviceOf(project.id, input.serviceId) : null;
      if (service) {
        for (const env of envs) {
          state.requireInstance(env, service.id);
          if (hasVolumeMount(state, env, service.id)) fail(MESSAGES.oneVolumePerService);
        }
      }
      const volume: VolumeRecord = {
        id: state.newId(),
        projectId: project.id,
        name: generatedVolumeName(state, project.id),
        region: input.region ?? null,
        createdAt: state.now(),
      };
      state.data.volumes[volume.id] = volume;
      for (const env of envs) {
        const entry: JsonObject = { isCreated: true, sizeMB: DEFAULT_VOLUME_SIZE_MB };
        if (input.region) entry.region = input.region;
        const patch: JsonObject = { volumes: { [volume.id]: entry } };
        if (service)
          patch.services = {
            [service.id]: { volumeMounts: { [volume.id]: { mountPath: input.mountPath } } },
          };
        commitPatch(state, env, patch, { source: "volumeCreate", deploy: false });
        const instance = Object.values(state.data.volumeInstances).find(
          (v) => v.environmentId === env.id && v.volumeId === volume.id,
        );
        if (instance) instance.mountPath = input.mountPath;
      }
      return volume;
    },
    volumeUpdate: (
      _: unknown,
      { volumeId, input }: { volumeId: string; input: { name?: string | null } },
      ctx: Context,
    ) => {
      const volume = ctx.state.volume(volumeId);
      ctx.access.project(volume.projectId);
      if (input.name != null) {
        const name = requireName("Volume", input.name);
        assertUniqueVolumeName(ctx.state, volume.projectId, name, volume.id);
        volume.name = name;
      }
      return volume;
    },
    volumeDelete: (_: unknown, { volumeId }: { volumeId: string }, ctx: Context) => {
      const { state } = ctx;
      const volume = state.volume(volumeId);
      ctx.access.project(volume.projectId);
      for (const env of state.environmentsOf(volume.projectId)) {
        const volumes = env.config.volumes;
        if (isPlainObject(volumes) && volumes[volume.id] !== undefined) {
          commitPatch(
            state,
            env,
            { volumes: { [volume.id]: null } },
            { source: "volumeDelete", deploy: false },
          );
        }
      }
      delete state.data.volumes[volume.id];
      return true;
    },
  },
  Volume: {
    project: (v: VolumeRecord, _: unknown, ctx: Context) => ctx.state.project(v.projectId),
    // Its instance in every environment (a project token sees only its own environment's).
    volumeInstances: (v: VolumeRecord, args: ConnectionArgs, ctx: Context) =>
      connection(
        Object.values(ctx.state.data.volumeInstances)
          .filter((i) => i.volumeId === v.id)
          .filter(
            (i) =>
              ctx.principal.kind !== "project" || i.environmentId === ctx.principal.environmentId,
          )
          .map((i) => volumeInstanceView(ctx.state, i)),
        args,
      ),
  },
};
