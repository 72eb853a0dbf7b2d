/**
 * Runs the reference program (infra/index.ts) under Pulumi's mocks for one stack, with the
 * stack's real Pulumi.<stack>.yaml, and records every resource it declares.
 */
import * as pulumi from "@pulumi/pulumi";
import { REPO_ROOT, shippedStackConfig } from "./stack-file";

export { REPO_ROOT };

export interface DeclaredResource {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
  /** Whether the resource was declared with `protect`. */
  protect: boolean;
}

/** Stack config as `pulumi.runtime.setAllConfig` wants it: namespaced keys, JSON for objects. */
export function stackConfig(
  stack: string,
  overrides: Record<string, unknown> = {},
): Record<string, string> {
  const merged = { ...shippedStackConfig(stack), ...overrides };
  return Object.fromEntries(
    Object.entries(merged).map(([key, value]) => [
      key,
      typeof value === "string" ? value : JSON.stringify(value),
    ]),
  );
}

/** What the mocked engine returns as outputs for each dynamic resource type. */
function mockOutputs(args: pulumi.runtime.MockResourceArgs): Record<string, unknown> {
  const id = `${args.name}-id`;
  switch (args.type) {
    case "pulumi-nodejs:dynamic/railway:Project":
      return { projectId: `${args.name}-project-id`, environmentId: `${args.name}-env-id` };
    case "pulumi-nodejs:dynamic/railway:Environment":
      return { environmentId: `${args.name}-env-id`, created: true };
    case "pulumi-nodejs:dynamic/railway:SharedVariables":
      return {};
    case "pulumi-nodejs:dynamic/railway:UsageLimit":
      return { customerId: `${args.name}-customer-id`, isOverLimit: false };
    case "pulumi-nodejs:dynamic/railway:Service":
      return { serviceId: `${args.inputs.name}-service-id` };
    case "pulumi-nodejs:dynamic/railway:Volume":
      return { volumeId: id, volumeInstanceId: `${id}-instance` };
    case "pulumi-nodejs:dynamic/railway:ServiceInstance": {
      const networking = args.inputs.networking as { railwayDomainPort?: number };
      return {
        railwayDomain: networking.railwayDomainPort
          ? `${args.inputs.serviceName}.up.railway.app`
          : undefined,
        privateDomain: `${args.inputs.serviceName}.railway.internal`,
        tcpProxies: [],
        lastCommitId: "commit-1",
      };
    }
    case "random:index/randomPassword:RandomPassword":
      return { result: "x".repeat(Number(args.inputs.length)) };
    default:
      return {};
  }
}

export async function runProgram(
  stack: string,
  config: Record<string, string>,
  secretKeys: string[] = [],
): Promise<{ resources: DeclaredResource[]; outputs: Record<string, unknown> }> {
  const resources: DeclaredResource[] = [];
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        resources.push({ type: args.type, name: args.name, inputs: args.inputs, protect: false });
        return { id: `${args.name}-id`, state: { ...args.inputs, ...mockOutputs(args) } };
      },
      call: (args) => args.inputs,
    },
    "railway-stacks",
    stack,
    false,
  );
  pulumi.runtime.setAllConfig(config, secretKeys);
  // Resource options never reach the mocks; a stack transformation sees them (protect). It
  // needs the root stack resource, as a real `pulumi up` has.
  const protectedNames = new Set<string>();
  const outputs: Record<string, unknown> = {};
  await pulumi.runtime.runInPulumiStack(async () => {
    pulumi.runtime.registerStackTransformation((args) => {
      if (args.opts.protect) protectedNames.add(args.name);
      return undefined;
    });
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const program = require("../../infra/index") as Record<string, unknown>;
    for (const [key, value] of Object.entries(program)) {
      outputs[key] = pulumi.Output.isInstance(value) ? await unwrap(value) : value;
    }
    return undefined;
  });
  // Resources whose inputs wait on other outputs (the deploy gates) register later than the
  // exports resolve: disconnect() waits until the queue of pending registrations has drained (no
  // fixed sleep).
  await pulumi.runtime.disconnect();
  for (const resource of resources) resource.protect = protectedNames.has(resource.name);
  return { resources, outputs };
}

export const unwrap = <T>(output: pulumi.Output<T>): Promise<T> =>
  new Promise((resolve) => output.apply((value) => resolve(value)));

/** `type name` lines, sorted, for exact-cardinality assertions. */
export const inventory = (resources: DeclaredResource[]): string[] =>
  resources
    .filter((resource) => resource.type !== "pulumi:pulumi:Stack")
    .map((resource) => `${resource.type} ${resource.name}`)
    .sort();

export const byName = (resources: DeclaredResource[], name: string): DeclaredResource => {
  const found = resources.find((resource) => resource.name === name);
  if (!found) throw new Error(`no resource named ${name}`);
  return found;
};
