/** What every resolver receives, and small helpers shared by the resolver modules. */
import { Access, Principal } from "../auth";
import { fail, MESSAGES } from "../errors";
import { EmulatorState } from "../state";

export interface Context {
  state: EmulatorState;
  principal: Principal;
  access: Access;
}

/* eslint-disable @typescript-eslint/no-explicit-any -- GraphQL hands resolvers untyped args; each resolver narrows them. */
export type Resolver = (parent: any, args: any, ctx: Context) => unknown;
/* eslint-enable @typescript-eslint/no-explicit-any */
export type ResolverMap = Record<string, Record<string, Resolver>>;

export interface ConnectionArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
}

export interface Connection<T> {
  edges: Array<{ cursor: string; node: T }>;
  pageInfo: {
    startCursor: string | null;
    endCursor: string | null;
    hasNextPage: boolean;
    hasPreviousPage: boolean;
  };
}

/** Relay connection over an ordered list; a node's cursor is its id (stable under inserts). */
export function connection<T extends { id: string }>(
  items: T[],
  args: ConnectionArgs = {},
): Connection<T> {
  let start = 0;
  let end = items.length;
  if (args.after) {
    const i = items.findIndex((item) => item.id === args.after);
    if (i < 0) fail(MESSAGES.invalidCursor);
    start = i + 1;
  }
  if (args.before) {
    const i = items.findIndex((item) => item.id === args.before);
    if (i < 0) fail(MESSAGES.invalidCursor);
    end = Math.min(end, i);
  }
  let slice = items.slice(start, Math.max(start, end));
  let hasNextPage = end < items.length;
  let hasPreviousPage = start > 0;
  if (typeof args.first === "number" && args.first >= 0 && slice.length > args.first) {
    slice = slice.slice(0, args.first);
    hasNextPage = true;
  }
  if (typeof args.last === "number" && args.last >= 0 && slice.length > args.last) {
    slice = slice.slice(slice.length - args.last);
    hasPreviousPage = true;
  }
  const edges = slice.map((node) => ({ cursor: node.id, node }));
  return {
    edges,
    pageInfo: {
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
      hasNextPage,
      hasPreviousPage,
    },
  };
}

/** A required, non-empty, trimmed name; `what` is "Service", "Volume", ... */
export function requireName(what: string, name: string): string {
  const trimmed = name.trim();
  if (!trimmed) fail(MESSAGES.emptyName(what));
  return trimmed;
}

export function sameName(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/** Whether a field was given at all (GraphQL distinguishes an omitted input field from an explicit null). */
export function given(obj: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(obj, key);
}
