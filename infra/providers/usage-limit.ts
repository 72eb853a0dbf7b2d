/**
 * CRUD for `railway:UsageLimit`: Railway's own usage limit of a workspace (`usageLimitSet`), which
 * belongs to the workspace's customer. The limit is workspace-wide, so the resource's id is the
 * workspace id. Create and update read the customer, then set the limit (absolute); read shows a
 * limit changed in the dashboard as drift, and one removed there as gone; delete removes it.
 */
import { RailwayApi, type WorkspaceUsageLimitRecord } from "../railway/api";
import type { UsageLimitInputs, UsageLimitOutputs } from "../domain/types";
import { WORKSPACE_ID } from "../domain/rules";
import {
  defined,
  diffFields,
  failure,
  isUnknown,
  withoutProvider,
  type Failure,
  type RailwayResourceProvider,
} from "./diff";

const isWholeDollars = (value: unknown): value is number =>
  typeof value === "number" && Number.isInteger(value) && value >= 1;

/** The workspace's customer, or a clear error when Railway has no such workspace. */
async function customerOf(
  api: RailwayApi,
  workspaceId: string,
): Promise<WorkspaceUsageLimitRecord> {
  const found = await api.getWorkspaceUsageLimit(workspaceId);
  if (!found) {
    throw new Error(
      `cannot set the usage limit of Railway workspace ${workspaceId}: the token cannot see that workspace. Fix: check project.workspaceId, and that RAILWAY_API_TOKEN is an account or workspace token of a member of that workspace.`,
    );
  }
  return found;
}

/** Sets the limit of `inputs` on the workspace's customer and returns the outputs. */
async function apply(inputs: UsageLimitInputs): Promise<UsageLimitOutputs> {
  const api = RailwayApi.fromEnvironment();
  const current = await customerOf(api, inputs.workspaceId);
  await api.setUsageLimit({
    customerId: current.customerId,
    softLimitDollars: inputs.softLimitUsd,
    hardLimitDollars: inputs.hardLimitUsd,
  });
  return defined({
    ...withoutProvider(inputs),
    customerId: current.customerId,
    isOverLimit: current.usageLimit?.isOverLimit ?? false,
  });
}

export const usageLimitProvider: RailwayResourceProvider<UsageLimitInputs, UsageLimitOutputs> = {
  async check(_olds, news) {
    const failures: Failure[] = [];
    const { workspaceId, softLimitUsd, hardLimitUsd } = news;
    if (!workspaceId) failures.push(failure("workspaceId", "is required"));
    else if (!isUnknown(workspaceId) && !WORKSPACE_ID.test(workspaceId))
      failures.push(failure("workspaceId", "must be a Railway workspace id (a UUID)"));
    if (!isUnknown(softLimitUsd) && !isWholeDollars(softLimitUsd))
      failures.push(failure("softLimitUsd", "must be a whole number of dollars, at least 1"));
    if (hardLimitUsd !== undefined && !isUnknown(hardLimitUsd)) {
      if (!isWholeDollars(hardLimitUsd))
        failures.push(failure("hardLimitUsd", "must be a whole number of dollars, at least 1"));
      else if (isWholeDollars(softLimitUsd) && hardLimitUsd < softLimitUsd)
        failures.push(
          failure("hardLimitUsd", `must be at least softLimitUsd (${softLimitUsd}), or absent`),
        );
    }
    return { inputs: news, failures };
  },

  async diff(_id, olds, news) {
    return diffFields<UsageLimitInputs>(
      olds,
      news,
      ["workspaceId", "softLimitUsd", "hardLimitUsd", "stack"],
      // The limit belongs to the workspace: another workspace's is another limit.
      ["workspaceId"],
    );
  },

  async create(inputs) {
    const outs = await apply(inputs);
    return { id: outs.workspaceId, outs };
  },

  async read(id, props) {
    if (!props) return { id: "" };
    const previous = withoutProvider(props);
    const live = await RailwayApi.fromEnvironment().getWorkspaceUsageLimit(previous.workspaceId);
    // The workspace is gone, or the limit was removed in the dashboard.
    if (!live?.usageLimit) return { id: "" };
    const liveInputs: UsageLimitInputs = defined({
      workspaceId: previous.workspaceId,
      softLimitUsd: live.usageLimit.softLimit,
      hardLimitUsd: live.usageLimit.hardLimit ?? undefined,
      stack: previous.stack,
    });
    return {
      id,
      props: defined({
        ...liveInputs,
        customerId: live.customerId,
        isOverLimit: live.usageLimit.isOverLimit,
      }),
      inputs: liveInputs,
    };
  },

  async update(_id, _olds, news) {
    return { outs: await apply(news) };
  },

  /** Removes the workspace's usage limit (every stack of the workspace shares it). */
  async delete(_id, props) {
    await RailwayApi.fromEnvironment().removeUsageLimit(props.customerId);
  },
};
