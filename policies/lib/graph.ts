/**
 * Relations between resources in a stack policy. Ids such as `serviceId` are outputs: unknown in a
 * preview that creates the Service. The engine still records which resource each input came from
 * (`propertyDependencies`), so a Volume is matched to its Service by that first and by the known
 * id second.
 */
import type { PolicyResource } from "@pulumi/policy";
import { TYPE_TOKENS } from "./contract";
import { peek } from "./values";

function knownString(read: () => unknown): string | undefined {
  const value = peek(read);
  return typeof value === "string" && value !== "" ? value : undefined;
}

/** True when `resource` takes its `property` input from `source` (by dependency or by known id). */
export function takesFrom(
  resource: PolicyResource,
  property: string,
  source: PolicyResource,
  sourceId: string,
): boolean {
  const deps = resource.propertyDependencies?.[property] ?? [];
  if (deps.some((dep) => dep.urn === source.urn)) {
    return true;
  }
  const value = knownString(() => resource.props[property]);
  const id = knownString(() => source.props[sourceId]);
  return value !== undefined && value === id;
}

export function ofType(resources: PolicyResource[], type: string): PolicyResource[] {
  return resources.filter((r) => r.type === type);
}

/** The Volumes mounted on a Service. */
export function volumesOf(service: PolicyResource, resources: PolicyResource[]): PolicyResource[] {
  return ofType(resources, TYPE_TOKENS.volume).filter((volume) =>
    takesFrom(volume, "serviceId", service, "serviceId"),
  );
}
