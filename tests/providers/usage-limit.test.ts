/**
 * railway:UsageLimit provider against the emulator, called exactly as the engine calls it: create
 * reads the workspace's customer and sets the limit, read shows a dashboard change as drift (and a
 * removed limit as gone), update sets the new limit, delete removes it.
 */
import { usageLimitProvider as provider } from "../../infra/providers/usage-limit";
import { UNKNOWN } from "../../infra/providers/diff";
import type { UsageLimitInputs, UsageLimitOutputs } from "../../infra/domain/types";
import { engineInputs, PROVIDER_KEY, useEmulator } from "../helpers/emulator";
import { NO_OLDS, withoutEngineKey } from "./inputs";

const emu = useEmulator();

const WORKSPACE = "2d8b5c0a-6e3c-4f4d-9a7b-9cadbe1f2a4b";

const limitInputs = (overrides: Partial<UsageLimitInputs> = {}): UsageLimitInputs =>
  engineInputs({
    workspaceId: WORKSPACE,
    softLimitUsd: 500,
    hardLimitUsd: 800,
    stack: "production",
    ...overrides,
  });

/** The workspace's usage limit as Railway has it. */
async function live(): Promise<{ customerId: string; usageLimit: any }> {
  const { workspace } = await emu.op("WorkspaceUsageLimit", { workspaceId: WORKSPACE });
  return { customerId: workspace.customer.id, usageLimit: workspace.customer.usageLimit };
}

let customerId: string;
beforeAll(async () => {
  // Railway's workspaces exist beforehand; the emulator knows one once a project is created in it.
  await emu.op("ProjectCreate", {
    input: { name: "shop", description: "d", prDeploys: false, workspaceId: WORKSPACE },
  });
  customerId = (await live()).customerId;
});

afterEach(async () => {
  await emu.op("UsageLimitRemove", { input: { customerId } });
});

describe("check", () => {
  test("valid inputs pass unchanged, unknown values too", async () => {
    const news = limitInputs();
    expect(await provider.check!(NO_OLDS, news)).toEqual({ inputs: news, failures: [] });
    const unknown = limitInputs({ workspaceId: UNKNOWN, softLimitUsd: UNKNOWN as never });
    expect((await provider.check!(NO_OLDS, unknown)).failures).toEqual([]);
    const softOnly = limitInputs({ hardLimitUsd: undefined });
    expect((await provider.check!(NO_OLDS, softOnly)).failures).toEqual([]);
  });

  test.each([
    ["no workspace", { workspaceId: "" }, [{ property: "workspaceId", reason: "is required" }]],
    [
      "a workspace that is not a UUID",
      { workspaceId: "my-team" },
      [{ property: "workspaceId", reason: "must be a Railway workspace id (a UUID)" }],
    ],
    [
      "a soft limit of 0",
      { softLimitUsd: 0 },
      [{ property: "softLimitUsd", reason: "must be a whole number of dollars, at least 1" }],
    ],
    [
      "cents",
      { softLimitUsd: 9.5, hardLimitUsd: 10.5 },
      [
        { property: "softLimitUsd", reason: "must be a whole number of dollars, at least 1" },
        { property: "hardLimitUsd", reason: "must be a whole number of dollars, at least 1" },
      ],
    ],
    [
      "a hard limit below the soft one",
      { softLimitUsd: 500, hardLimitUsd: 400 },
      [{ property: "hardLimitUsd", reason: "must be at least softLimitUsd (500), or absent" }],
    ],
  ])("fails clearly on %s", async (_name, overrides, failures) => {
    expect((await provider.check!(NO_OLDS, limitInputs(overrides))).failures).toEqual(failures);
  });
});

describe("diff", () => {
  const olds = { ...limitInputs(), customerId: "c", isOverLimit: false } as UsageLimitOutputs;

  test("no change, a limit change updates, another workspace replaces", async () => {
    expect(await provider.diff!(WORKSPACE, olds, limitInputs())).toMatchObject({
      changes: false,
      replaces: [],
    });
    expect(
      await provider.diff!(WORKSPACE, olds, limitInputs({ hardLimitUsd: undefined })),
    ).toMatchObject({
      changes: true,
      replaces: [],
    });
    const other = limitInputs({ workspaceId: "3e9c6d1b-7f4d-4a5e-8b8c-adbecf2a3b5c" });
    expect(await provider.diff!(WORKSPACE, olds, other)).toMatchObject({
      changes: true,
      replaces: ["workspaceId"],
    });
  });
});

describe("lifecycle", () => {
  test("create reads the customer and sets the limit", async () => {
    const before = emu.checkpoint();
    const { id, outs } = await provider.create(limitInputs());
    expect(before.operations()).toEqual(["WorkspaceUsageLimit", "UsageLimitSet"]);
    expect(id).toBe(WORKSPACE);
    expect(outs).toEqual({
      workspaceId: WORKSPACE,
      softLimitUsd: 500,
      hardLimitUsd: 800,
      stack: "production",
      customerId,
      isOverLimit: false,
    });
    expect(JSON.stringify(outs)).not.toContain(PROVIDER_KEY);
    expect((await live()).usageLimit).toMatchObject({ softLimit: 500, hardLimit: 800 });
  });

  test("read shows a dashboard change as drift, and a removed limit as gone", async () => {
    const { id, outs } = await provider.create(limitInputs());
    const state = engineInputs(outs as UsageLimitOutputs);

    let before = emu.checkpoint();
    expect(await provider.read!(id, state)).toEqual({
      id,
      props: withoutEngineKey(state),
      inputs: withoutEngineKey(limitInputs()),
    });
    expect(before.operations()).toEqual(["WorkspaceUsageLimit"]);

    // Changed in the dashboard: a higher soft limit, no hard limit.
    await emu.op("UsageLimitSet", { input: { customerId, softLimitDollars: 900 } });
    before = emu.checkpoint();
    const drifted = await provider.read!(id, state);
    expect(before.operations()).toEqual(["WorkspaceUsageLimit"]);
    expect(drifted).toEqual({
      id,
      props: {
        workspaceId: WORKSPACE,
        softLimitUsd: 900,
        stack: "production",
        customerId,
        isOverLimit: false,
      },
      inputs: { workspaceId: WORKSPACE, softLimitUsd: 900, stack: "production" },
    });
    // The refreshed inputs differ from the declared ones: the next `up` sets them back.
    expect((await provider.diff!(id, drifted.props!, limitInputs())).changes).toBe(true);

    await emu.op("UsageLimitRemove", { input: { customerId } });
    expect(await provider.read!(id, state)).toEqual({ id: "" });
  });

  test("update sets the new limit", async () => {
    const { id, outs } = await provider.create(limitInputs());
    const before = emu.checkpoint();
    const result = await provider.update!(
      id,
      engineInputs(outs as UsageLimitOutputs),
      limitInputs({ softLimitUsd: 600, hardLimitUsd: undefined }),
    );
    expect(before.operations()).toEqual(["WorkspaceUsageLimit", "UsageLimitSet"]);
    expect(result.outs).toEqual({
      workspaceId: WORKSPACE,
      softLimitUsd: 600,
      stack: "production",
      customerId,
      isOverLimit: false,
    });
    expect((await live()).usageLimit).toMatchObject({ softLimit: 600, hardLimit: null });
  });

  test("delete removes the limit; deleting again is harmless", async () => {
    const { id, outs } = await provider.create(limitInputs());
    const state = engineInputs(outs as UsageLimitOutputs);
    const before = emu.checkpoint();
    await provider.delete!(id, state);
    expect(before.operations()).toEqual(["UsageLimitRemove"]);
    expect((await live()).usageLimit).toBeNull();
    await provider.delete!(id, state);
    expect(await provider.read!(id, state)).toEqual({ id: "" });
  });

  test("create in a workspace the token cannot see fails with the fix", async () => {
    const unknown = "4fad7e2c-8a5e-4b6f-9c9d-becfd03b4c6d";
    await expect(provider.create(limitInputs({ workspaceId: unknown }))).rejects.toThrow(
      `cannot set the usage limit of Railway workspace ${unknown}: the token cannot see that workspace. Fix: check project.workspaceId, and that RAILWAY_API_TOKEN is an account or workspace token of a member of that workspace.`,
    );
  });
});
