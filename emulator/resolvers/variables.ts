/** Variables (docs/railway-api.md §6): reads (rendered or raw) and the upsert/delete shorthands over config patches. */
import { commitPatch } from "../commit";
import { isPlainObject, Json, JsonObject } from "../config-merge";
import { fail, MESSAGES } from "../errors";
import { EnvironmentRecord } from "../state";
import { variablesForRead } from "../variables";
import { Context, requireName, ResolverMap } from "./context";
import { variableEntries } from "./services";

interface Target {
  environmentId: string;
  projectId: string;
  serviceId?: string | null;
}

/** Resolves and authorizes (project, environment, service instance) of a variables call. */
function target(ctx: Context, args: Target): { env: EnvironmentRecord; serviceId: string | null } {
  const project = ctx.state.project(args.projectId);
  ctx.access.project(project.id);
  const env = ctx.state.environmentOf(project.id, args.environmentId);
  ctx.access.environment(env);
  if (!args.serviceId) return { env, serviceId: null };
  ctx.state.serviceOf(project.id, args.serviceId);
  ctx.state.requireInstance(env, args.serviceId);
  return { env, serviceId: args.serviceId };
}

function variablesPatch(serviceId: string | null, entries: JsonObject): JsonObject {
  return serviceId
    ? { services: { [serviceId]: { variables: entries } } }
    : { sharedVariables: entries };
}

function currentNames(env: EnvironmentRecord, serviceId: string | null, ctx: Context): string[] {
  const map = serviceId
    ? ctx.state.instanceConfig(env, serviceId)?.variables
    : env.config.sharedVariables;
  return isPlainObject(map) ? Object.keys(map) : [];
}

export const variableResolvers: ResolverMap = {
  Query: {
    variables: (_: unknown, args: Target & { unrendered?: boolean | null }, ctx: Context) => {
      const { env, serviceId } = target(ctx, args);
      return variablesForRead(ctx.state, env, serviceId, args.unrendered === true);
    },
    variablesForServiceDeployment: (
      _: unknown,
      args: Target & { serviceId: string },
      ctx: Context,
    ) => {
      const { env, serviceId } = target(ctx, args);
      return variablesForRead(ctx.state, env, serviceId, false);
    },
  },
  Mutation: {
    variableUpsert: (
      _: unknown,
      { input }: { input: Target & { name: string; value: string; skipDeploys?: boolean | null } },
      ctx: Context,
    ) => {
      const { env, serviceId } = target(ctx, input);
      const name = requireName("Variable", input.name);
      commitPatch(ctx.state, env, variablesPatch(serviceId, { [name]: { value: input.value } }), {
        source: "variableUpsert",
        deploy: !input.skipDeploys,
      });
      return true;
    },
    variableCollectionUpsert: (
      _: unknown,
      {
        input,
      }: {
        input: Target & { variables: Json; replace?: boolean | null; skipDeploys?: boolean | null };
      },
      ctx: Context,
    ) => {
      const { env, serviceId } = target(ctx, input);
      if (!isPlainObject(input.variables))
        fail("Invalid variables: expected an object of NAME: value");
      const entries = variableEntries(input.variables);
      if (input.replace) {
        for (const name of currentNames(env, serviceId, ctx))
          if (!(name in entries)) entries[name] = null;
      }
      commitPatch(ctx.state, env, variablesPatch(serviceId, entries), {
        source: "variableCollectionUpsert",
        deploy: !input.skipDeploys,
      });
      return true;
    },
    variableDelete: (_: unknown, { input }: { input: Target & { name: string } }, ctx: Context) => {
      const { env, serviceId } = target(ctx, input);
      if (!input.name.trim()) fail(MESSAGES.emptyName("Variable"));
      commitPatch(ctx.state, env, variablesPatch(serviceId, { [input.name]: null }), {
        source: "variableDelete",
      });
      return true;
    },
  },
};
