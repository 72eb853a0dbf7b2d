/** Environments and their config-as-code: patches, staged changes, history (docs/railway-api.md §2, §10). */
import { GraphQLError } from "graphql";
import { commitPatch, previewPatch } from "../commit";
import { clone, isPlainObject, Json, JsonObject, mergePatches } from "../config-merge";
import { fail, MESSAGES, NOT_FOUND } from "../errors";
import { serviceDomainName } from "../names";
import { EmulatorState, EnvironmentRecord, PatchRecord } from "../state";
import { maskConfig } from "../variables";
import { connection, ConnectionArgs, Context, requireName, ResolverMap, sameName } from "./context";
import { deploymentView, serviceInstanceView, volumeInstanceView } from "./views";

function assertUniqueEnvironmentName(
  state: EmulatorState,
  projectId: string,
  name: string,
  exceptId?: string,
): void {
  if (state.environmentsOf(projectId).some((e) => e.id !== exceptId && sameName(e.name, name)))
    fail(MESSAGES.environmentNameTaken(name));
}

/** The staged patch of an environment; environmentStagedChanges shows an empty one when nothing is staged. */
function stagedView(state: EmulatorState, env: EnvironmentRecord): PatchRecord {
  const staged = state.data.patches[env.stagedPatchId];
  if (staged) return staged;
  return {
    id: env.stagedPatchId,
    projectId: env.projectId,
    environmentId: env.id,
    status: "STAGED",
    message: null,
    source: "environmentStageChanges",
    patch: {},
    configEtag: null,
    changedServiceIds: [],
    deploymentIds: [],
    createdAt: env.updatedAt,
    updatedAt: env.updatedAt,
    appliedAt: null,
  };
}

/**
 * The patch that copies a source environment into a new one (sourceEnvironmentId): every service
 * and volume instance with its config. Sealed variables are not copied (Railway docs); generated
 * service domains are regenerated for the new environment and custom domains are left out, since
 * a domain can point at one place only.
 */
function copyPatch(
  state: EmulatorState,
  source: EnvironmentRecord,
  target: EnvironmentRecord,
): JsonObject {
  const config = clone(source.config);
  const stripSealed = (map: Json | undefined): void => {
    if (!isPlainObject(map)) return;
    for (const [k, v] of Object.entries(map))
      if (isPlainObject(v) && v.isSealed === true) delete map[k];
  };
  stripSealed(config.sharedVariables);
  const services = isPlainObject(config.services) ? config.services : {};
  for (const [serviceId, service] of Object.entries(services)) {
    if (!isPlainObject(service)) continue;
    service.isCreated = true;
    stripSealed(service.variables);
    const networking = isPlainObject(service.networking) ? service.networking : undefined;
    if (networking) {
      delete networking.customDomains;
      if (isPlainObject(networking.serviceDomains)) {
        const fresh: JsonObject = {};
        const name = state.data.services[serviceId]?.name ?? serviceId;
        for (const entry of Object.values(networking.serviceDomains)) {
          fresh[uniqueServiceDomain(state, name, target.name)] = entry;
        }
        networking.serviceDomains = fresh;
      }
    }
  }
  const volumes = isPlainObject(config.volumes) ? config.volumes : {};
  for (const v of Object.values(volumes)) if (isPlainObject(v)) v.isCreated = true;
  return config;
}

export function uniqueServiceDomain(
  state: EmulatorState,
  serviceName: string,
  envName: string,
): string {
  const used = new Set(Object.values(state.data.serviceDomains).map((d) => d.domain));
  for (;;) {
    const domain = state.random((r) => serviceDomainName(r, serviceName, envName));
    if (!used.has(domain)) return domain;
  }
}

function unmergedCount(patch: JsonObject): number {
  let n = 0;
  for (const key of ["services", "volumes", "sharedVariables", "buckets"]) {
    const v = patch[key];
    if (isPlainObject(v)) n += Object.keys(v).length;
  }
  return n;
}

export const environmentResolvers: ResolverMap = {
  Query: {
    environment: (_: unknown, args: { id: string; projectId?: string | null }, ctx: Context) => {
      const env = args.projectId
        ? ctx.state.environmentOf(args.projectId, args.id)
        : ctx.state.environment(args.id);
      ctx.access.environment(env);
      return env;
    },
    environments: (
      _: unknown,
      args: ConnectionArgs & { projectId: string; isEphemeral?: boolean | null },
      ctx: Context,
    ) => {
      const project = ctx.state.project(args.projectId);
      ctx.access.project(project.id);
      let list = ctx.state.environmentsOf(project.id);
      const p = ctx.principal;
      if (p.kind === "project") list = list.filter((e) => e.id === p.environmentId);
      if (typeof args.isEphemeral === "boolean")
        list = list.filter((e) => e.isEphemeral === args.isEphemeral);
      return connection(list, args);
    },
    environmentPatch: (_: unknown, { id }: { id: string }, ctx: Context) => {
      const patch = ctx.state.data.patches[id] ?? fail(NOT_FOUND.environmentPatch);
      ctx.access.environment(ctx.state.environment(patch.environmentId));
      return patch;
    },
    environmentPatches: (
      _: unknown,
      args: ConnectionArgs & { environmentId: string },
      ctx: Context,
    ) => {
      const env = ctx.state.environment(args.environmentId);
      ctx.access.environment(env);
      const list = Object.values(ctx.state.data.patches)
        .filter((p) => p.environmentId === env.id && p.status === "COMMITTED")
        .reverse();
      return connection(list, args);
    },
    environmentStagedChanges: (
      _: unknown,
      { environmentId }: { environmentId: string },
      ctx: Context,
    ) => {
      const env = ctx.state.environment(environmentId);
      ctx.access.environment(env);
      return stagedView(ctx.state, env);
    },
  },
  Mutation: {
    environmentCreate: (
      _: unknown,
      {
        input,
      }: {
        input: {
          name: string;
          projectId: string;
          ephemeral?: boolean | null;
          sourceEnvironmentId?: string | null;
          skipInitialDeploys?: boolean | null;
          stageInitialChanges?: boolean | null;
        };
      },
      ctx: Context,
    ) => {
      ctx.access.accountOnly();
      const { state } = ctx;
      const project = state.project(input.projectId);
      const name = requireName("Environment", input.name);
      assertUniqueEnvironmentName(state, project.id, name);
      const source = input.sourceEnvironmentId
        ? state.environmentOf(project.id, input.sourceEnvironmentId)
        : null;
      const env = state.addEnvironment(project.id, name, {
        isEphemeral: input.ephemeral ?? false,
        sourceEnvironmentId: source?.id ?? null,
      });
      if (source) {
        const patch = copyPatch(state, source, env);
        if (input.stageInitialChanges) {
          previewPatch(state, env, patch);
          const now = state.now();
          state.data.patches[env.stagedPatchId] = {
            ...stagedView(state, env),
            patch,
            source: "environmentCreate",
            createdAt: now,
            updatedAt: now,
          };
        } else {
          commitPatch(state, env, patch, {
            source: "environmentCreate",
            message: `Copy of ${source.name}`,
            deploy: !input.skipInitialDeploys,
          });
        }
      }
      return env;
    },
    environmentDelete: (_: unknown, { id }: { id: string }, ctx: Context) => {
      ctx.access.accountOnly();
      const env = ctx.state.environment(id);
      const project = ctx.state.data.projects[env.projectId];
      ctx.state.removeEnvironment(id);
      if (project && project.baseEnvironmentId === id) project.baseEnvironmentId = null;
      return true;
    },
    environmentRename: (
      _: unknown,
      { id, input }: { id: string; input: { name: string } },
      ctx: Context,
    ) => {
      const env = ctx.state.environment(id);
      ctx.access.environment(env);
      const name = requireName("Environment", input.name);
      assertUniqueEnvironmentName(ctx.state, env.projectId, name, env.id);
      env.name = name;
      env.updatedAt = ctx.state.now();
      return env;
    },
    environmentPatchCommit: (
      _: unknown,
      args: { environmentId: string; patch?: Json; commitMessage?: string | null },
      ctx: Context,
    ) => {
      const env = ctx.state.environment(args.environmentId);
      ctx.access.environment(env);
      return commitPatch(ctx.state, env, args.patch, {
        source: "environmentPatchCommit",
        message: args.commitMessage,
      }).id;
    },
    environmentStageChanges: (
      _: unknown,
      args: { environmentId: string; input: Json; merge?: boolean | null },
      ctx: Context,
    ) => {
      const { state } = ctx;
      const env = state.environment(args.environmentId);
      ctx.access.environment(env);
      if (!isPlainObject(args.input))
        throw new GraphQLError("Invalid patch: expected a JSON object");
      const existing = state.data.patches[env.stagedPatchId];
      const patch =
        args.merge && existing ? mergePatches(existing.patch, args.input) : clone(args.input);
      previewPatch(state, env, patch);
      const now = state.now();
      const record: PatchRecord = {
        ...stagedView(state, env),
        patch,
        source: "environmentStageChanges",
        updatedAt: now,
      };
      if (!existing) record.createdAt = now;
      state.data.patches[record.id] = record;
      return record;
    },
    environmentPatchCommitStaged: (
      _: unknown,
      args: { environmentId: string; commitMessage?: string | null; skipDeploys?: boolean | null },
      ctx: Context,
    ) => {
      const { state } = ctx;
      const env = state.environment(args.environmentId);
      ctx.access.environment(env);
      const staged = state.data.patches[env.stagedPatchId] ?? fail(MESSAGES.noStagedChanges);
      const record = commitPatch(state, env, staged.patch, {
        source: "environmentPatchCommitStaged",
        message: args.commitMessage ?? staged.message,
        deploy: !args.skipDeploys,
        patchId: staged.id,
      });
      env.stagedPatchId = state.newId();
      return record.id;
    },
  },
  Environment: {
    config: (env: EnvironmentRecord, args: { decryptVariables?: boolean | null }) =>
      maskConfig(env.config, args.decryptVariables === true),
    deployments: (env: EnvironmentRecord, args: ConnectionArgs, ctx: Context) =>
      connection(
        Object.values(ctx.state.data.deployments)
          .filter((d) => d.environmentId === env.id)
          .reverse()
          .map(deploymentView),
        args,
      ),
    serviceInstances: (env: EnvironmentRecord, args: ConnectionArgs, ctx: Context) => {
      const services = isPlainObject(env.config.services) ? env.config.services : {};
      const views = Object.entries(services)
        .filter(([id, entry]) => ctx.state.data.services[id] && isPlainObject(entry))
        .map(([id, entry]) => serviceInstanceView(ctx.state, env, id, entry as JsonObject));
      return connection(views, args);
    },
    volumeInstances: (env: EnvironmentRecord, args: ConnectionArgs, ctx: Context) =>
      connection(
        Object.values(ctx.state.data.volumeInstances)
          .filter((v) => v.environmentId === env.id)
          .map((v) => volumeInstanceView(ctx.state, v)),
        args,
      ),
    sourceEnvironment: (env: EnvironmentRecord, _: unknown, ctx: Context) =>
      env.sourceEnvironmentId
        ? (ctx.state.data.environments[env.sourceEnvironmentId] ?? null)
        : null,
    unmergedChangesCount: (env: EnvironmentRecord, _: unknown, ctx: Context) => {
      const staged = ctx.state.data.patches[env.stagedPatchId];
      return staged ? unmergedCount(staged.patch) : 0;
    },
    deletedAt: () => null,
  },
  EnvironmentPatch: {
    patch: (p: PatchRecord, args: { decryptVariables?: boolean | null }) =>
      maskConfig(p.patch, args.decryptVariables === true),
    environment: (p: PatchRecord, _: unknown, ctx: Context) =>
      ctx.state.environment(p.environmentId),
    lastAppliedError: () => null,
  },
};
