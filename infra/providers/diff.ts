/** Field-by-field diffing shared by the providers. */
import type * as pulumi from "@pulumi/pulumi";
import type { Problem } from "../domain/rules";
import { deepEqual } from "../railway/environment-config";

/** The value the engine sends for an input not known yet during preview. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export const isUnknown = (value: unknown): boolean => value === UNKNOWN;

/**
 * Compares `fields` of the old outputs and new inputs. A change in a `replaceOn` field (a parent
 * id, or anything Railway cannot change in place) replaces the resource.
 */
export function diffFields<T extends object>(
  olds: T,
  news: T,
  fields: readonly (keyof T & string)[],
  replaceOn: readonly (keyof T & string)[] = [],
): pulumi.dynamic.DiffResult {
  const changed = fields.filter((field) => !deepEqual(olds[field], news[field]));
  const replaces = changed.filter((field) => replaceOn.includes(field));
  return {
    changes: changed.length > 0,
    replaces,
    stables: replaceOn.filter((field) => !changed.includes(field)),
    deleteBeforeReplace: false,
  };
}

/** Removes the engine's bookkeeping key so inputs are never echoed into API calls or outputs. */
export function withoutProvider<T extends object>(props: T): T {
  const { __provider: _ignored, ...rest } = props as T & { __provider?: unknown };
  return rest as T;
}

/**
 * Drops `undefined` values, deeply: the engine's protobuf Struct rejects them ("Unexpected struct
 * type"), and an absent optional output must simply be absent.
 */
export function defined<T>(value: T): T {
  if (Array.isArray(value)) return value.map((item) => defined(item)) as T;
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, item]) => item !== undefined)
        .map(([key, item]) => [key, defined(item)]),
    ) as T;
  }
  return value;
}

export type Failure = pulumi.dynamic.CheckFailure;

export const failure = (property: string, reason: string): Failure => ({ property, reason });

/** A failure from a domain rule (infra/domain/rules.ts): the problem, then the fix. */
export const ruleFailure = (property: string, found: Problem): Failure =>
  failure(property, `${found.problem}. Fix: ${found.fix}`);

/**
 * Pulumi's ResourceProvider, with `read` able to return refreshed *inputs* (typed as inputs:
 * the SDK types them as outputs, but the engine uses them as the inputs of later diffs).
 */
export type RailwayResourceProvider<Inputs, Outputs> = Omit<
  pulumi.dynamic.ResourceProvider<Inputs, Outputs>,
  "read"
> & {
  read(id: string, props?: Outputs): Promise<{ id?: string; props?: Outputs; inputs?: Inputs }>;
};

/**
 * A create that made the object but failed a later step. The engine records the object (with
 * `id` and these properties, which describe only what was really applied) as failed to
 * initialize, so nothing is orphaned and the next `up` finishes the job with an update.
 */
export class PartialCreateError extends Error {
  readonly properties: Record<string, unknown>;
  /** What the engine prints for a resource that failed to initialize (it ignores `message`). */
  readonly reasons: string[];

  constructor(
    cause: unknown,
    readonly id: string,
    applied: object,
    inputs: object,
  ) {
    super(cause instanceof Error ? cause.message : String(cause));
    this.name = "PartialCreateError";
    this.reasons = [this.message];
    // The dynamic-provider host sends these as they are: keep `__provider`, or later reads fail.
    this.properties = defined({
      ...applied,
      __provider: (inputs as { __provider?: unknown }).__provider,
    }) as Record<string, unknown>;
  }
}
