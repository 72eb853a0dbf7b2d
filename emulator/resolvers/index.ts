/** All resolvers, merged per GraphQL type. */
import { ResolverMap } from "./context";
import { deploymentResolvers } from "./deployments";
import { environmentResolvers } from "./environments";
import { networkingResolvers } from "./networking";
import { projectResolvers } from "./projects";
import { serviceResolvers } from "./services";
import { variableResolvers } from "./variables";
import { volumeResolvers } from "./volumes";
import { workspaceResolvers } from "./workspaces";

export function mergeResolvers(...maps: ResolverMap[]): ResolverMap {
  const out: ResolverMap = {};
  for (const map of maps) {
    for (const [type, fields] of Object.entries(map)) {
      out[type] = out[type] ?? {};
      for (const [field, resolver] of Object.entries(fields)) {
        if (out[type][field]) throw new Error(`resolver ${type}.${field} is defined twice`);
        out[type][field] = resolver;
      }
    }
  }
  return out;
}

export const resolvers: ResolverMap = mergeResolvers(
  projectResolvers,
  environmentResolvers,
  serviceResolvers,
  networkingResolvers,
  volumeResolvers,
  variableResolvers,
  deploymentResolvers,
  workspaceResolvers,
);

export type { Context, ResolverMap } from "./context";
