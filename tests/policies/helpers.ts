/**
 * Running policies the way the policy server does, without the CLI (the pattern of
 * pulumi-policy-aws `src/tests/util.ts`): props wrapped in the unknown-checking proxy, a throwing
 * `notApplicable`, `stackTags`, and `reportViolation` accepting both forms. Imports rules from
 * `policies/rules/…`, never `policies/index.ts` (its PolicyPack would start a gRPC server).
 */
import * as path from "path";
import type {
  EnforcementLevel,
  PolicyResource,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";

export const POLICIES_DIR = path.resolve(__dirname, "../../policies");

/**
 * The @pulumi/policy the rules load (policies/node_modules when installed, else the root's): its
 * UnknownValueError must be the class the rules catch.
 */
const policyEntry = require.resolve("@pulumi/policy", { paths: [path.join(POLICIES_DIR, "lib")] });
// eslint-disable-next-line @typescript-eslint/no-require-imports
const policySdk = require(policyEntry) as typeof import("@pulumi/policy");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const proxy = require(path.join(path.dirname(policyEntry), "proxy")) as {
  unknownStringValue: string;
  unknownNumberValue: string;
  unknownObjectValue: string;
  unknownArrayValue: string;
};

/** Values the engine sends for outputs that `pulumi preview` can't know yet. */
export const UNKNOWN_STRING = proxy.unknownStringValue as unknown as string;
export const UNKNOWN_NUMBER = proxy.unknownNumberValue as unknown as number;
export const UNKNOWN_OBJECT = proxy.unknownObjectValue as unknown as Record<string, string>;
export const UNKNOWN_ARRAY = proxy.unknownArrayValue as unknown as number[];

export const PROJECT = "railway-stacks";

export interface RunOptions {
  stack?: string;
  name?: string;
  config?: object;
  tags?: Record<string, string>;
}

export interface Violation {
  message: string;
  level: EnforcementLevel;
  urn?: string;
}

export interface Result {
  violations: Violation[];
  /** The reason given to `notApplicable`, when the policy skipped the resource or stack. */
  notApplicable?: string;
}

class NotApplicable extends Error {
  constructor(public readonly reason: string | undefined) {
    super(reason);
  }
}

const throwNotApplicable = (reason?: string): never => {
  throw new NotApplicable(reason);
};

export function urnOf(type: string, name: string, stack = "production"): string {
  return `urn:pulumi:${stack}::${PROJECT}::${type}::${name}`;
}

/**
 * Props as the server hands them over: plain JSON of this realm (undefined values dropped), behind
 * the unknown-checking proxy.
 */
function asServerProps(props: object): Record<string, unknown> {
  return policySdk.unknownCheckingProxy(JSON.parse(JSON.stringify(props))) as Record<
    string,
    unknown
  >;
}

export function resourceArgs(
  type: string,
  props: object,
  options: RunOptions = {},
): ResourceValidationArgs {
  const name = options.name ?? "r";
  const proxied = asServerProps(props);
  return {
    type,
    props: proxied,
    urn: urnOf(type, name, options.stack),
    name,
    opts: {
      protect: false,
      ignoreChanges: [],
      aliases: [],
      customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
      additionalSecretOutputs: [],
    },
    stackTags: new Map(Object.entries(options.tags ?? {})),
    isType: () => false,
    asType: () => undefined,
    getConfig: <T extends object>() => (options.config ?? {}) as T,
    notApplicable: throwNotApplicable,
  } as ResourceValidationArgs;
}

/** A recording `reportViolation`: the plain form gets the policy's level, the object form its own. */
function recorder(
  policy: { description: string; enforcementLevel?: EnforcementLevel },
  violations: Violation[],
) {
  return (message: unknown, urn?: string): void => {
    if (typeof message === "object" && message !== null) {
      const args = message as {
        message: string;
        urn?: string;
        enforcementLevel?: EnforcementLevel;
      };
      const prefix = `${policy.description}\n`;
      if (!args.message.startsWith(prefix)) {
        throw new Error(`object-form violation must start with the description: ${args.message}`);
      }
      violations.push({
        message: args.message.slice(prefix.length),
        level: args.enforcementLevel ?? policy.enforcementLevel!,
        ...(args.urn ? { urn: args.urn } : {}),
      });
    } else {
      violations.push({
        message: String(message),
        level: policy.enforcementLevel!,
        ...(urn ? { urn } : {}),
      });
    }
  };
}

async function run(body: () => Promise<void> | void, violations: Violation[]): Promise<Result> {
  try {
    await body();
  } catch (e) {
    if (e instanceof NotApplicable) {
      return { violations, notApplicable: e.reason ?? "" };
    }
    throw e;
  }
  return { violations };
}

export async function runResource(
  policy: ResourceValidationPolicy,
  type: string,
  props: object,
  options: RunOptions = {},
): Promise<Result> {
  const violations: Violation[] = [];
  const args = resourceArgs(type, props, options);
  const report = recorder(policy, violations);
  const fns = Array.isArray(policy.validateResource)
    ? policy.validateResource
    : [policy.validateResource!];
  return run(async () => {
    for (const fn of fns) {
      await fn(args, report);
    }
  }, violations);
}

export interface StackEntry {
  type: string;
  name: string;
  props: object;
  /** Input property → names of the resources it was computed from. */
  dependsOn?: Record<string, string[]>;
}

/** Builds PolicyResources the way the server does (proxied props, dependencies resolved to resources). */
export function stackResources(entries: StackEntry[], stack = "production"): PolicyResource[] {
  const resources = entries.map(
    (e) =>
      ({
        type: e.type,
        name: e.name,
        urn: urnOf(e.type, e.name, stack),
        props: asServerProps(e.props),
        opts: {
          protect: false,
          ignoreChanges: [],
          aliases: [],
          customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
          additionalSecretOutputs: [],
        },
        dependencies: [],
        propertyDependencies: {},
        isType: () => false,
        asType: () => undefined,
      }) as unknown as PolicyResource,
  );
  const byName = new Map(resources.map((r) => [r.name, r]));
  entries.forEach((e, i) => {
    for (const [prop, names] of Object.entries(e.dependsOn ?? {})) {
      const deps = names.map((n) => {
        const dep = byName.get(n);
        if (!dep) {
          throw new Error(`unknown dependency ${n}`);
        }
        return dep;
      });
      resources[i]!.propertyDependencies[prop] = deps;
      resources[i]!.dependencies.push(...deps);
    }
  });
  return resources;
}

export async function runStack(
  policy: StackValidationPolicy,
  entries: StackEntry[],
  options: Omit<RunOptions, "name"> = {},
): Promise<Result> {
  const violations: Violation[] = [];
  const args: StackValidationArgs = {
    resources: stackResources(entries, options.stack),
    stackTags: new Map(Object.entries(options.tags ?? {})),
    getConfig: <T extends object>() => (options.config ?? {}) as T,
    notApplicable: throwNotApplicable,
  };
  return run(() => policy.validateStack(args, recorder(policy, violations)), violations);
}

/** The plain messages of a result, for exact comparisons. */
export function messages(result: Result): string[] {
  return result.violations.map((v) => v.message);
}
