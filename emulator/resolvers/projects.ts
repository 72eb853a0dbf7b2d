/** Projects (docs/railway-api.md §1) and project tokens (§11). */
import { randomUUID } from "node:crypto";
import { hashToken } from "../auth";
import { fail, NOT_FOUND } from "../errors";
import { randomName } from "../names";
import { ProjectRecord } from "../state";
import { connection, ConnectionArgs, Context, given, requireName, ResolverMap } from "./context";

interface ProjectCreateInput {
  defaultEnvironmentName?: string | null;
  description?: string | null;
  isPublic?: boolean | null;
  name?: string | null;
  prDeploys?: boolean | null;
  workspaceId?: string | null;
}

interface ProjectUpdateInput {
  baseEnvironmentId?: string | null;
  botPrEnvironments?: boolean | null;
  description?: string | null;
  focusedPrEnvironments?: boolean | null;
  isPublic?: boolean | null;
  name?: string | null;
  prDeploys?: boolean | null;
}

export const projectResolvers: ResolverMap = {
  Query: {
    project: (_: unknown, args: { id: string }, ctx: Context) => {
      const project = ctx.state.project(args.id);
      ctx.access.project(project.id);
      return project;
    },
    projects: (
      _: unknown,
      args: ConnectionArgs & { workspaceId?: string | null; orderBy?: string | null },
      ctx: Context,
    ) => {
      let list = Object.values(ctx.state.data.projects).filter((p) =>
        ctx.access.canSeeProject(p.id),
      );
      if (args.workspaceId) list = list.filter((p) => p.workspaceId === args.workspaceId);
      if (args.orderBy === "NAME_ASC")
        list = [...list].sort((a, b) => a.name.localeCompare(b.name));
      if (args.orderBy === "CREATED_AT_DESC") list = [...list].reverse();
      if (args.orderBy === "UPDATED_AT_DESC")
        list = [...list].sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
      return connection(list, args);
    },
    projectToken: (_: unknown, __: unknown, ctx: Context) => {
      if (ctx.principal.kind !== "project") fail(NOT_FOUND.projectToken);
      return ctx.state.data.projectTokens[ctx.principal.tokenId] ?? fail(NOT_FOUND.projectToken);
    },
  },
  Mutation: {
    projectCreate: (_: unknown, { input }: { input: ProjectCreateInput }, ctx: Context) => {
      ctx.access.accountOnly();
      const { state } = ctx;
      const name =
        input.name == null ? state.random(randomName) : requireName("Project", input.name);
      const envName =
        input.defaultEnvironmentName == null
          ? "production"
          : requireName("Environment", input.defaultEnvironmentName);
      const now = state.now();
      const project: ProjectRecord = {
        id: state.newId(),
        name,
        description: input.description ?? null,
        isPublic: input.isPublic ?? false,
        prDeploys: input.prDeploys ?? false,
        botPrEnvironments: false,
        focusedPrEnvironments: false,
        baseEnvironmentId: null,
        workspaceId: input.workspaceId ?? null,
        createdAt: now,
        updatedAt: now,
      };
      state.data.projects[project.id] = project;
      if (input.workspaceId) state.addWorkspace(input.workspaceId);
      // Railway creates exactly one environment with a new project.
      state.addEnvironment(project.id, envName);
      return project;
    },
    projectUpdate: (
      _: unknown,
      { id, input }: { id: string; input: ProjectUpdateInput },
      ctx: Context,
    ) => {
      const project = ctx.state.project(id);
      ctx.access.project(project.id);
      if (input.name != null) project.name = requireName("Project", input.name);
      if (given(input, "description")) project.description = input.description ?? null;
      if (input.isPublic != null) project.isPublic = input.isPublic;
      if (input.prDeploys != null) project.prDeploys = input.prDeploys;
      if (input.botPrEnvironments != null) project.botPrEnvironments = input.botPrEnvironments;
      if (input.focusedPrEnvironments != null)
        project.focusedPrEnvironments = input.focusedPrEnvironments;
      if (given(input, "baseEnvironmentId")) {
        project.baseEnvironmentId = input.baseEnvironmentId
          ? ctx.state.environmentOf(project.id, input.baseEnvironmentId).id
          : null;
      }
      project.updatedAt = ctx.state.now();
      return project;
    },
    projectDelete: (_: unknown, { id }: { id: string }, ctx: Context) => {
      ctx.access.accountOnly();
      ctx.state.project(id);
      ctx.state.removeProject(id);
      return true;
    },
    projectTokenCreate: (
      _: unknown,
      { input }: { input: { environmentId: string; name: string; projectId: string } },
      ctx: Context,
    ) => {
      ctx.access.accountOnly();
      const { state } = ctx;
      const project = state.project(input.projectId);
      const env = state.environmentOf(project.id, input.environmentId);
      // Tokens are credentials: always cryptographically random, even under --seed, and only their hash is stored.
      const token = randomUUID();
      const id = state.newId();
      state.data.projectTokens[id] = {
        id,
        name: requireName("Project token", input.name),
        projectId: project.id,
        environmentId: env.id,
        tokenSha256: hashToken(token),
        displayToken: `${token.slice(0, 4)}****`,
        createdAt: state.now(),
      };
      return token;
    },
  },
  Project: {
    environments: (
      p: ProjectRecord,
      args: ConnectionArgs & { isEphemeral?: boolean | null; sort?: string | null },
      ctx: Context,
    ) => {
      let list = ctx.state.environmentsOf(p.id);
      if (typeof args.isEphemeral === "boolean")
        list = list.filter((e) => e.isEphemeral === args.isEphemeral);
      if (args.sort === "desc") list = [...list].reverse();
      return connection(list, args);
    },
    services: (p: ProjectRecord, args: ConnectionArgs, ctx: Context) =>
      connection(ctx.state.servicesOf(p.id), args),
    volumes: (p: ProjectRecord, args: ConnectionArgs, ctx: Context) =>
      connection(ctx.state.volumesOf(p.id), args),
    primaryEnvironmentId: (p: ProjectRecord, _: unknown, ctx: Context) =>
      ctx.state.environmentsOf(p.id).find((e) => !e.isEphemeral)?.id ?? null,
    isTempProject: () => false,
    expiredAt: () => null,
    deletedAt: () => null,
  },
  ProjectToken: {
    project: (t: { projectId: string }, _: unknown, ctx: Context) => ctx.state.project(t.projectId),
    environment: (t: { environmentId: string }, _: unknown, ctx: Context) =>
      ctx.state.environment(t.environmentId),
  },
};
