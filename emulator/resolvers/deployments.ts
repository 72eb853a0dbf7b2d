/** Deployment records (docs/railway-api.md §5) and their build/deploy logs (deployments.ts plays the lifecycle). */
import { deploymentLogLines } from "../deployments";
import { fail, NOT_FOUND } from "../errors";
import { connection, ConnectionArgs, Context, ResolverMap } from "./context";
import { deploymentView } from "./views";

interface DeploymentListInput {
  environmentId?: string | null;
  projectId?: string | null;
  serviceId?: string | null;
  includeDeleted?: boolean | null;
  status?: { in?: string[] | null; notIn?: string[] | null } | null;
}

interface LogArgs {
  deploymentId: string;
  limit?: number | null;
  filter?: string | null;
  startDate?: string | null;
  endDate?: string | null;
}

function visibleDeployment(ctx: Context, id: string) {
  const d = ctx.state.data.deployments[id] ?? fail(NOT_FOUND.deployment);
  ctx.access.environment(ctx.state.environment(d.environmentId));
  return d;
}

export const deploymentResolvers: ResolverMap = {
  Query: {
    deployments: (
      _: unknown,
      args: ConnectionArgs & { input: DeploymentListInput },
      ctx: Context,
    ) => {
      const { input } = args;
      const { state } = ctx;
      if (input.projectId) ctx.access.project(input.projectId);
      if (input.environmentId && state.data.environments[input.environmentId])
        ctx.access.environment(state.data.environments[input.environmentId]!);
      const p = ctx.principal;
      const list = Object.values(state.data.deployments)
        .filter((d) => (p.kind === "project" ? d.environmentId === p.environmentId : true))
        .filter((d) => !input.projectId || d.projectId === input.projectId)
        .filter((d) => !input.environmentId || d.environmentId === input.environmentId)
        .filter((d) => !input.serviceId || d.serviceId === input.serviceId)
        .filter((d) => !input.status?.in || input.status.in.includes(d.status))
        .filter((d) => !input.status?.notIn || !input.status.notIn.includes(d.status))
        .reverse() // newest first, as Railway lists them
        .map(deploymentView);
      return connection(list, args);
    },
    buildLogs: (_: unknown, args: LogArgs, ctx: Context) =>
      deploymentLogLines(visibleDeployment(ctx, args.deploymentId), "build", args),
    deploymentLogs: (_: unknown, args: LogArgs, ctx: Context) =>
      deploymentLogLines(visibleDeployment(ctx, args.deploymentId), "deploy", args),
    deployment: (_: unknown, { id }: { id: string }, ctx: Context) => {
      const d = ctx.state.data.deployments[id] ?? fail(NOT_FOUND.deployment);
      ctx.access.environment(ctx.state.environment(d.environmentId));
      return deploymentView(d);
    },
  },
};
