/**
 * Domains and TCP proxies (docs/railway-api.md §7). All of them live in the environment config under
 * `services.<id>.networking` (`serviceDomains.<domain>: {port}`, `customDomains.<domain>: {port}`,
 * `tcpProxies."<port>": {}`); these mutations are shorthands that commit the equivalent patch.
 */
import { commitPatch } from "../commit";
import { isPlainObject, JsonObject } from "../config-merge";
import { fail, MESSAGES, NOT_FOUND } from "../errors";
import { isHostname, isServiceDomain } from "../names";
import { Context, given, ResolverMap } from "./context";
import { customDomainView, domainsView, serviceDomainView, tcpProxyView } from "./views";
import { uniqueServiceDomain } from "./environments";

function checkPort(port: number | null | undefined): void {
  if (port !== null && port !== undefined && (!Number.isInteger(port) || port < 1 || port > 65535))
    fail(MESSAGES.invalidPort(port));
}

function domainInUse(ctx: Context, domain: string): boolean {
  return [
    ...Object.values(ctx.state.data.serviceDomains),
    ...Object.values(ctx.state.data.customDomains),
  ].some((d) => d.domain === domain);
}

function networkingPatch(serviceId: string, networking: JsonObject): JsonObject {
  return { services: { [serviceId]: { networking } } };
}

export const networkingResolvers: ResolverMap = {
  Query: {
    domains: (
      _: unknown,
      args: { environmentId: string; projectId: string; serviceId: string },
      ctx: Context,
    ) => {
      const project = ctx.state.project(args.projectId);
      ctx.access.project(project.id);
      const env = ctx.state.environmentOf(project.id, args.environmentId);
      ctx.access.environment(env);
      ctx.state.serviceOf(project.id, args.serviceId);
      return domainsView(ctx.state, env.id, args.serviceId);
    },
    customDomain: (_: unknown, args: { id: string; projectId: string }, ctx: Context) => {
      const record = ctx.state.data.customDomains[args.id];
      if (!record || record.projectId !== args.projectId) fail(NOT_FOUND.domain);
      ctx.access.environment(ctx.state.environment(record.environmentId));
      return customDomainView(ctx.state, record);
    },
    tcpProxies: (_: unknown, args: { environmentId: string; serviceId: string }, ctx: Context) => {
      const env = ctx.state.environment(args.environmentId);
      ctx.access.environment(env);
      ctx.state.serviceOf(env.projectId, args.serviceId);
      return Object.values(ctx.state.data.tcpProxies)
        .filter((p) => p.environmentId === env.id && p.serviceId === args.serviceId)
        .map(tcpProxyView);
    },
  },
  Mutation: {
    serviceDomainCreate: (
      _: unknown,
      {
        input,
      }: { input: { environmentId: string; serviceId: string; targetPort?: number | null } },
      ctx: Context,
    ) => {
      const { state } = ctx;
      const env = state.environment(input.environmentId);
      ctx.access.environment(env);
      const service = state.serviceOf(env.projectId, input.serviceId);
      const instance = state.requireInstance(env, service.id);
      checkPort(input.targetPort);
      const networking = isPlainObject(instance.networking) ? instance.networking : {};
      if (
        isPlainObject(networking.serviceDomains) &&
        Object.keys(networking.serviceDomains).length > 0
      )
        fail(MESSAGES.oneServiceDomain);
      const domain = uniqueServiceDomain(state, service.name, env.name);
      const entry: JsonObject = input.targetPort != null ? { port: input.targetPort } : {};
      commitPatch(
        state,
        env,
        networkingPatch(service.id, { serviceDomains: { [domain]: entry } }),
        { source: "serviceDomainCreate", deploy: false },
      );
      const record = Object.values(state.data.serviceDomains).find(
        (d) => d.environmentId === env.id && d.domain === domain,
      );
      return serviceDomainView(state, record ?? fail(NOT_FOUND.domain));
    },
    serviceDomainUpdate: (
      _: unknown,
      {
        input,
      }: {
        input: {
          domain: string;
          environmentId: string;
          serviceDomainId: string;
          serviceId: string;
          targetPort?: number | null;
        };
      },
      ctx: Context,
    ) => {
      const { state } = ctx;
      const record = state.data.serviceDomains[input.serviceDomainId];
      if (
        !record ||
        record.environmentId !== input.environmentId ||
        record.serviceId !== input.serviceId
      )
        fail(NOT_FOUND.domain);
      const env = state.environment(record.environmentId);
      ctx.access.environment(env);
      const view = serviceDomainView(state, record);
      const port = given(input, "targetPort") ? (input.targetPort ?? null) : view.targetPort;
      checkPort(port);
      const domain = input.domain.trim().toLowerCase();
      const entry: JsonObject = { port };
      let serviceDomains: JsonObject;
      if (domain !== record.domain) {
        if (!isServiceDomain(domain)) fail(MESSAGES.invalidServiceDomain(domain));
        if (domainInUse(ctx, domain)) fail(MESSAGES.domainTaken(domain));
        serviceDomains = { [record.domain]: null, [domain]: port === null ? {} : { port } };
      } else {
        serviceDomains = { [domain]: entry };
      }
      const old = record.domain;
      // Renamed in place first so that reconcile keeps this record (and its id) for the new name.
      record.domain = domain;
      try {
        commitPatch(state, env, networkingPatch(record.serviceId, { serviceDomains }), {
          source: "serviceDomainUpdate",
          deploy: false,
        });
      } catch (err) {
        record.domain = old;
        throw err;
      }
      record.updatedAt = state.now();
      return true;
    },
    serviceDomainDelete: (_: unknown, { id }: { id: string }, ctx: Context) => {
      const record = ctx.state.data.serviceDomains[id] ?? fail(NOT_FOUND.domain);
      const env = ctx.state.environment(record.environmentId);
      ctx.access.environment(env);
      commitPatch(
        ctx.state,
        env,
        networkingPatch(record.serviceId, { serviceDomains: { [record.domain]: null } }),
        {
          source: "serviceDomainDelete",
          deploy: false,
        },
      );
      return true;
    },
    customDomainCreate: (
      _: unknown,
      {
        input,
      }: {
        input: {
          domain: string;
          environmentId: string;
          projectId: string;
          serviceId: string;
          targetPort?: number | null;
        };
      },
      ctx: Context,
    ) => {
      const { state } = ctx;
      const project = state.project(input.projectId);
      ctx.access.project(project.id);
      const env = state.environmentOf(project.id, input.environmentId);
      ctx.access.environment(env);
      const service = state.serviceOf(project.id, input.serviceId);
      state.requireInstance(env, service.id);
      checkPort(input.targetPort);
      const domain = input.domain.trim().toLowerCase();
      if (!isHostname(domain) || domain.endsWith(".railway.app"))
        fail(MESSAGES.invalidCustomDomain(domain));
      if (domainInUse(ctx, domain)) fail(MESSAGES.domainTaken(domain));
      const entry: JsonObject = input.targetPort != null ? { port: input.targetPort } : {};
      commitPatch(state, env, networkingPatch(service.id, { customDomains: { [domain]: entry } }), {
        source: "customDomainCreate",
        deploy: false,
      });
      const record = Object.values(state.data.customDomains).find(
        (d) => d.environmentId === env.id && d.domain === domain,
      );
      return customDomainView(state, record ?? fail(NOT_FOUND.domain));
    },
    customDomainDelete: (_: unknown, { id }: { id: string }, ctx: Context) => {
      const record = ctx.state.data.customDomains[id] ?? fail(NOT_FOUND.domain);
      const env = ctx.state.environment(record.environmentId);
      ctx.access.environment(env);
      commitPatch(
        ctx.state,
        env,
        networkingPatch(record.serviceId, { customDomains: { [record.domain]: null } }),
        {
          source: "customDomainDelete",
          deploy: false,
        },
      );
      return true;
    },
    tcpProxyDelete: (_: unknown, { id }: { id: string }, ctx: Context) => {
      const record = ctx.state.data.tcpProxies[id] ?? fail(NOT_FOUND.tcpProxy);
      const env = ctx.state.environment(record.environmentId);
      ctx.access.environment(env);
      commitPatch(
        ctx.state,
        env,
        networkingPatch(record.serviceId, {
          tcpProxies: { [String(record.applicationPort)]: null },
        }),
        {
          source: "tcpProxyDelete",
          deploy: false,
        },
      );
      return true;
    },
  },
};
