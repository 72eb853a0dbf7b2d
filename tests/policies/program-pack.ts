/** Running the whole pack over the resources the program declares under mocks. */
import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { policies } from "../../policies/rules";
import type { DeclaredResource } from "../helpers/program";
import { unwrapSecret } from "../program/expectations";
import { runResource, runStack, type StackEntry, type Violation } from "./helpers";

/** The declared resources as the policy server hands them over (secrets unwrapped). */
export function entriesOf(resources: DeclaredResource[]): StackEntry[] {
  const plain = (value: unknown): unknown => {
    const { value: inner } = unwrapSecret(value);
    if (Array.isArray(inner)) return inner.map(plain);
    if (inner && typeof inner === "object")
      return Object.fromEntries(Object.entries(inner).map(([key, item]) => [key, plain(item)]));
    return inner;
  };
  // The ids tests/helpers/program.ts's mocks give: an input holding one was computed from that
  // resource, which the policy server reports as a property dependency.
  const producers = new Map<string, string>();
  for (const resource of resources) {
    if (resource.type === "pulumi-nodejs:dynamic/railway:Service")
      producers.set(`${String(resource.inputs.name)}-service-id`, resource.name);
    if (resource.type === "pulumi-nodejs:dynamic/railway:Project") {
      producers.set(`${resource.name}-project-id`, resource.name);
      producers.set(`${resource.name}-env-id`, resource.name);
    }
  }
  return resources
    .filter((resource) => resource.type !== "pulumi:pulumi:Stack")
    .map((resource) => {
      const dependsOn: Record<string, string[]> = {};
      for (const [key, value] of Object.entries(resource.inputs)) {
        const producer = typeof value === "string" ? producers.get(value) : undefined;
        if (producer !== undefined) dependsOn[key] = [producer];
      }
      return {
        type: resource.type,
        name: resource.name,
        props: plain(resource.inputs) as object,
        dependsOn,
      };
    });
}

export async function runPack(
  entries: StackEntry[],
  stack: string,
): Promise<Record<string, Violation[]>> {
  const found: Record<string, Violation[]> = {};
  for (const policy of policies) {
    const violations: Violation[] = [];
    if ("validateStack" in policy) {
      violations.push(
        ...(await runStack(policy as StackValidationPolicy, entries, { stack })).violations,
      );
    } else {
      for (const entry of entries) {
        const result = await runResource(
          policy as ResourceValidationPolicy,
          entry.type,
          entry.props,
          { stack, name: entry.name },
        );
        violations.push(...result.violations);
      }
    }
    if (violations.length > 0) found[policy.name] = violations;
  }
  return found;
}
