/**
 * Workspaces, their billing customer and its usage limit (docs/railway-api.md §12). A workspace is
 * known once a project was created in it; its customer id is derived from the workspace id. The
 * usage limit is the customer's: whole dollars, the soft one required, the hard one optional.
 */
import { fail, MESSAGES, NOT_AUTHORIZED } from "../errors";
import { derivedId, UsageLimitRecord, WorkspaceRecord } from "../state";
import { Context, ResolverMap } from "./context";

interface UsageLimitSetInput {
  customerId: string;
  softLimitDollars: number;
  hardLimitDollars?: number | null;
}

/** Workspaces and billing are the account's: a project token reaches neither. */
function account(ctx: Context): void {
  if (ctx.principal.kind !== "account") fail(NOT_AUTHORIZED);
}

export const workspaceResolvers: ResolverMap = {
  Query: {
    workspace: (_: unknown, args: { workspaceId: string }, ctx: Context) => {
      account(ctx);
      return ctx.state.workspace(args.workspaceId);
    },
  },
  Mutation: {
    usageLimitSet: (_: unknown, { input }: { input: UsageLimitSetInput }, ctx: Context) => {
      account(ctx);
      const { state } = ctx;
      const workspace = state.workspaceOfCustomer(input.customerId);
      const soft = input.softLimitDollars;
      const hard = input.hardLimitDollars ?? null;
      if (soft < 1 || (hard !== null && hard < 1)) fail(MESSAGES.invalidUsageLimit);
      if (hard !== null && hard < soft) fail(MESSAGES.hardBelowSoftLimit);
      const now = state.now();
      const existing = state.data.usageLimits[workspace.customerId];
      // Absolute: the limit becomes exactly the input (no hard limit when it has none).
      const limit: UsageLimitRecord = {
        id: existing?.id ?? derivedId(`usage-limit:${workspace.customerId}`),
        customerId: workspace.customerId,
        softLimit: soft,
        hardLimit: hard,
        createdAt: existing?.createdAt ?? now,
        updatedAt: now,
      };
      state.data.usageLimits[workspace.customerId] = limit;
      return true;
    },
    usageLimitRemove: (_: unknown, { input }: { input: { customerId: string } }, ctx: Context) => {
      account(ctx);
      const workspace = ctx.state.workspaceOfCustomer(input.customerId);
      delete ctx.state.data.usageLimits[workspace.customerId];
      return true;
    },
  },
  Workspace: {
    customer: (w: WorkspaceRecord) => ({ id: w.customerId, workspaceId: w.id }),
  },
  Customer: {
    usageLimit: (c: { id: string }, _: unknown, ctx: Context) =>
      ctx.state.data.usageLimits[c.id] ?? null,
    workspace: (c: { workspaceId: string }, _: unknown, ctx: Context) =>
      ctx.state.workspace(c.workspaceId),
  },
  UsageLimit: {
    // The emulator runs no workloads, so usage is never over a limit.
    isOverLimit: () => false,
  },
};
