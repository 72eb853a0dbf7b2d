/**
 * What a policy can know about the stack it judges.
 *
 * @pulumi/policy 1.21.0 does not hand the stack name to the pack: the engine's ConfigureStack
 * request carries it, but the SDK's handler keeps only the stack tags (`args.stackTags`). Every
 * resource URN does carry it (`urn:pulumi:<stack>::<project>::<type>::<name>`), so that is the
 * source of truth, together with the `tier` input the components set on Projects and
 * ServiceInstances and an optional `railway:tier` stack tag.
 */
import { prNumberOf } from "../../infra/domain/rules";
import { peek } from "./values";

/** The stack tag that marks a stack as production whatever its name (`pulumi stack tag set`). */
export const TIER_TAG = "railway:tier";
export const PRODUCTION = "production";

export interface StackInfo {
  /** Stack name, the third segment of the URN. */
  name: string;
  /**
   * True when the stack is named `production` or tagged `railway:tier=production`: what the
   * stack-isolation rule trusts, since a non-production stack declaring production resources is
   * exactly what it looks for.
   */
  productionStack: boolean;
  /**
   * True for a production stack and for any resource that declares `tier: production`: fails
   * closed, so a production resource in an oddly named stack is still judged as production.
   */
  production: boolean;
  /** A pull-request preview stack, `pr-<n>`. */
  pr: boolean;
}

/** The stack segment of a URN (`urn:pulumi:<stack>::<project>::<type>::<name>`). */
export function stackOfUrn(urn: string): string {
  const match = /^urn:pulumi:([^:]+)::/.exec(urn);
  if (!match) {
    throw new Error(`Not a Pulumi URN: ${urn}`);
  }
  return match[1]!;
}

function tierOf(props: Record<string, unknown>): unknown {
  const tier = peek(() => props.tier);
  return typeof tier === "string" ? tier : undefined;
}

function info(name: string, tags: ReadonlyMap<string, string>, tiers: unknown[]): StackInfo {
  const productionStack = name === PRODUCTION || tags.get(TIER_TAG) === PRODUCTION;
  return {
    name,
    productionStack,
    production: productionStack || tiers.includes(PRODUCTION),
    pr: prNumberOf(name) !== undefined,
  };
}

/** The stack of one resource under validation. */
export function stackOfResource(args: {
  urn: string;
  props: Record<string, unknown>;
  stackTags: ReadonlyMap<string, string>;
}): StackInfo {
  return info(stackOfUrn(args.urn), args.stackTags, [tierOf(args.props)]);
}

/** The stack of a whole program; undefined when it has no resources to tell. */
export function stackOfResources(args: {
  resources: { urn: string; props: Record<string, unknown> }[];
  stackTags: ReadonlyMap<string, string>;
}): StackInfo | undefined {
  const first = args.resources[0];
  if (!first) {
    return undefined;
  }
  return info(
    stackOfUrn(first.urn),
    args.stackTags,
    args.resources.map((r) => tierOf(r.props)),
  );
}

/** The reason production-only rules give when they skip a stack. */
export function notProductionReason(stack: StackInfo): string {
  return `Only judged in production; stack "${stack.name}" is not production.`;
}
