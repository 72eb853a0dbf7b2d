/** Services (project-level identity, docs/railway-api.md §3) and service instances (§4). */
import { commitPatch } from "../commit";
import { isPlainObject, Json, JsonObject } from "../config-merge";
import { fail, MESSAGES } from "../errors";
import { randomName } from "../names";
import { EmulatorState, ServiceRecord } from "../state";
import { Context, requireName, ResolverMap, sameName } from "./context";
import { serviceInstanceView } from "./views";

export function assertUniqueServiceName(
  state: EmulatorState,
  projectId: string,
  name: string,
  exceptId?: string,
): void {
  if (state.servicesOf(projectId).some((s) => s.id !== exceptId && sameName(s.name, name)))
    fail(MESSAGES.serviceNameTaken(name));
}

/** An EnvironmentVariables input (`{ NAME: "value" | null }`) as config variable entries. */
export function variableEntries(variables: unknown): JsonObject {
  if (variables === undefined || variables === null) return {};
  if (!isPlainObject(variables)) fail("Invalid variables: expected an object of NAME: value");
  const out: JsonObject = {};
  for (const [name, value] of Object.entries(variables)) {
    if (!name.trim()) fail(MESSAGES.invalidName("variable", name));
    if (value === null) out[name] = null;
    else if (typeof value === "string") out[name] = { value };
    else fail(MESSAGES.invalidVariables(name));
  }
  return out;
}

interface ServiceCreateInput {
  projectId: string;
  name?: string | null;
  icon?: string | null;
  environmentId?: string | null;
  branch?: string | null;
  source?: { image?: string | null; repo?: string | null } | null;
  variables?: Json;
  registryCredentials?: { username: string; password: string } | null;
  templateId?: string | null;
  templateServiceId?: string | null;
}

/** ServiceInstanceUpdateInput field -> [config section, config key]. */
const INSTANCE_FIELDS: Record<string, [string | null, string]> = {
  rootDirectory: ["source", "rootDirectory"],
  builder: ["build", "builder"],
  buildCommand: ["build", "buildCommand"],
  dockerfilePath: ["build", "dockerfilePath"],
  watchPatterns: ["build", "watchPatterns"],
  nixpacksPlan: ["build", "nixpacksPlan"],
  startCommand: ["deploy", "startCommand"],
  preDeployCommand: ["deploy", "preDeployCommand"],
  healthcheckPath: ["deploy", "healthcheckPath"],
  healthcheckTimeout: ["deploy", "healthcheckTimeout"],
  numReplicas: ["deploy", "numReplicas"],
  multiRegionConfig: ["deploy", "multiRegionConfig"],
  region: ["deploy", "region"],
  cronSchedule: ["deploy", "cronSchedule"],
  restartPolicyType: ["deploy", "restartPolicyType"],
  restartPolicyMaxRetries: ["deploy", "restartPolicyMaxRetries"],
  sleepApplication: ["deploy", "sleepApplication"],
  overlapSeconds: ["deploy", "overlapSeconds"],
  drainingSeconds: ["deploy", "drainingSeconds"],
  ipv6EgressEnabled: ["deploy", "ipv6EgressEnabled"],
  registryCredentials: ["deploy", "registryCredentials"],
  railwayConfigFile: [null, "configFile"],
};

/** serviceInstanceUpdate expressed as the equivalent EnvironmentConfig patch of one instance. */
export function instanceUpdatePatch(input: Record<string, Json>): JsonObject {
  const patch: JsonObject = {};
  const put = (sectionName: string | null, key: string, value: Json): void => {
    if (sectionName === null) {
      patch[key] = value;
      return;
    }
    const s = isPlainObject(patch[sectionName])
      ? (patch[sectionName] as JsonObject)
      : (patch[sectionName] = {});
    s[key] = value;
  };
  for (const [field, value] of Object.entries(input)) {
    if (value === undefined) continue;
    if (field === "source") {
      const src = isPlainObject(value) ? value : {};
      // One source kind at a time: setting an image disconnects a repo and vice versa.
      if (typeof src.image === "string") {
        put("source", "image", src.image);
        put("source", "repo", null);
      } else if (typeof src.repo === "string") {
        put("source", "repo", src.repo);
        put("source", "image", null);
      } else {
        put("source", "image", null);
        put("source", "repo", null);
      }
      continue;
    }
    const target = INSTANCE_FIELDS[field];
    if (target) put(target[0], target[1], value);
  }
  return patch;
}

export const serviceResolvers: ResolverMap = {
  Query: {
    service: (_: unknown, { id }: { id: string }, ctx: Context) => {
      const service = ctx.state.service(id);
      ctx.access.project(service.projectId);
      return service;
    },
    serviceInstance: (
      _: unknown,
      args: { environmentId: string; serviceId: string },
      ctx: Context,
    ) => {
      const env = ctx.state.environment(args.environmentId);
      ctx.access.environment(env);
      ctx.state.serviceOf(env.projectId, args.serviceId);
      return serviceInstanceView(
        ctx.state,
        env,
        args.serviceId,
        ctx.state.requireInstance(env, args.serviceId),
      );
    },
  },
  Mutation: {
    serviceCreate: (_: unknown, { input }: { input: ServiceCreateInput }, ctx: Context) => {
      const { state } = ctx;
      const project = state.project(input.projectId);
      ctx.access.project(project.id);
      let name: string;
      if (input.name == null) {
        do name = state.random(randomName);
        while (state.servicesOf(project.id).some((s) => sameName(s.name, name)));
      } else {
        name = requireName("Service", input.name);
        assertUniqueServiceName(state, project.id, name);
      }
      const variables = variableEntries(input.variables);
      const envs = state.fanOut(project.id, input.environmentId);
      const now = state.now();
      const service: ServiceRecord = {
        id: state.newId(),
        projectId: project.id,
        name,
        icon: input.icon ?? null,
        templateId: input.templateId ?? null,
        templateServiceId: input.templateServiceId ?? null,
        createdAt: now,
        updatedAt: now,
      };
      state.data.services[service.id] = service;

      const instance: JsonObject = { isCreated: true };
      const image = input.source?.image ?? null;
      const repo = input.source?.repo ?? null;
      if (image) instance.source = { image };
      else if (repo) instance.source = input.branch ? { repo, branch: input.branch } : { repo };
      if (Object.keys(variables).length) instance.variables = variables;
      if (input.registryCredentials)
        instance.deploy = { registryCredentials: { ...input.registryCredentials } };
      for (const env of envs) {
        // A service with a source deploys at once; an empty one waits for its first config.
        commitPatch(
          state,
          env,
          { services: { [service.id]: instance } },
          { source: "serviceCreate", deploy: Boolean(image || repo) },
        );
      }
      return service;
    },
    serviceUpdate: (
      _: unknown,
      { id, input }: { id: string; input: { name?: string | null; icon?: string | null } },
      ctx: Context,
    ) => {
      const service = ctx.state.service(id);
      ctx.access.project(service.projectId);
      if (input.name != null) {
        const name = requireName("Service", input.name);
        assertUniqueServiceName(ctx.state, service.projectId, name, service.id);
        service.name = name;
      }
      if (input.icon !== undefined) service.icon = input.icon;
      service.updatedAt = ctx.state.now();
      return service;
    },
    serviceDelete: (
      _: unknown,
      args: { id: string; environmentId?: string | null },
      ctx: Context,
    ) => {
      const { state } = ctx;
      const service = state.service(args.id);
      ctx.access.project(service.projectId);
      const patch = { services: { [service.id]: { isDeleted: true } } };
      if (args.environmentId) {
        const env = state.environmentOf(service.projectId, args.environmentId);
        if (state.isFork(env)) {
          // Railway: in a fork, only that environment's instance goes.
          if (state.instanceConfig(env, service.id))
            commitPatch(state, env, patch, { source: "serviceDelete", deploy: false });
          return true;
        }
      }
      for (const env of state.environmentsOf(service.projectId)) {
        if (state.instanceConfig(env, service.id))
          commitPatch(state, env, patch, { source: "serviceDelete", deploy: false });
      }
      for (const [id, d] of Object.entries(state.data.deployments))
        if (d.serviceId === service.id) delete state.data.deployments[id];
      delete state.data.services[service.id];
      return true;
    },
    serviceInstanceUpdate: (
      _: unknown,
      args: { environmentId?: string | null; serviceId: string; input: Record<string, Json> },
      ctx: Context,
    ) => {
      const { state } = ctx;
      const service = state.service(args.serviceId);
      ctx.access.project(service.projectId);
      const envs = state
        .fanOut(service.projectId, args.environmentId)
        .filter((e) => state.instanceConfig(e, service.id));
      if (args.environmentId && envs.length === 0)
        state.requireInstance(state.environment(args.environmentId), service.id);
      const patch = { services: { [service.id]: instanceUpdatePatch(args.input) } };
      // Railway applies instance settings on the next deploy; the update itself does not deploy.
      for (const env of envs)
        commitPatch(state, env, patch, { source: "serviceInstanceUpdate", deploy: false });
      return true;
    },
  },
  Service: {
    project: (s: ServiceRecord, _: unknown, ctx: Context) => ctx.state.project(s.projectId),
    isRestricted: () => false,
    groupId: () => null,
    deletedAt: () => null,
  },
};
