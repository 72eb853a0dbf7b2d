/**
 * Workspaces, their billing customer and its usage limit: a workspace is known once a project was
 * created in it, its customer id is derived from the workspace id, and the limit is set absolutely,
 * removed, persisted, and refused for unknown workspaces and customers.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { DOCS, Harness, startHarness, tempDir } from "./helpers";

const WORKSPACE = "0b6f3f8e-4c1a-4d2b-9e5f-7a8b9c0d1e2f";
const OTHER_WORKSPACE = "1c7a4b9f-5d2b-4e3c-8f6a-8b9cad0e1f3a";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());
beforeEach(() => h.emu.reset());

async function customerOf(workspaceId: string, harness = h): Promise<any> {
  return (await harness.op("WorkspaceUsageLimit", { workspaceId })).workspace.customer;
}

const set = (customerId: string, softLimitDollars: number, hardLimitDollars?: number | null) =>
  h.gql(`mutation UsageLimitSet($input: UsageLimitSetInput!) { usageLimitSet(input: $input) }`, {
    input: { customerId, softLimitDollars, hardLimitDollars },
  });

test("a workspace is unknown until a project is created in it, and stays known after", async () => {
  expect(await h.error(`query { workspace(workspaceId: "${WORKSPACE}") { id } }`)).toBe(
    "Workspace not found",
  );
  const { projectId } = await h.project("shop", { workspaceId: WORKSPACE });
  const workspace = (await h.op("WorkspaceUsageLimit", { workspaceId: WORKSPACE })).workspace;
  expect(workspace).toEqual({
    id: WORKSPACE,
    customer: { id: expect.stringMatching(UUID), usageLimit: null },
  });
  await h.op("ProjectDelete", { id: projectId });
  expect((await customerOf(WORKSPACE)).id).toBe(workspace.customer.id);
});

test("each workspace has its own customer, with the same id in every emulator", async () => {
  await h.project("a", { workspaceId: WORKSPACE });
  await h.project("b", { workspaceId: OTHER_WORKSPACE });
  const first = (await customerOf(WORKSPACE)).id;
  expect((await customerOf(OTHER_WORKSPACE)).id).not.toBe(first);
  const other = await startHarness();
  try {
    await other.project("a", { workspaceId: WORKSPACE });
    expect((await customerOf(WORKSPACE, other)).id).toBe(first);
  } finally {
    await other.close();
  }
  const d = await h.data(
    `query ($w: String!) { workspace(workspaceId: $w) { customer { workspace { id } } } }`,
    { w: WORKSPACE },
  );
  expect(d.workspace.customer.workspace.id).toBe(WORKSPACE);
});

test("usageLimitSet sets the limit absolutely; usageLimitRemove removes it", async () => {
  await h.project("shop", { workspaceId: WORKSPACE });
  const customerId = (await customerOf(WORKSPACE)).id;
  expect(
    await h.op("UsageLimitSet", {
      input: { customerId, softLimitDollars: 100, hardLimitDollars: 150 },
    }),
  ).toEqual({ usageLimitSet: true });
  const limit = (await customerOf(WORKSPACE)).usageLimit;
  expect(limit).toEqual({
    id: expect.stringMatching(UUID),
    softLimit: 100,
    hardLimit: 150,
    isOverLimit: false,
  });
  // Without hardLimitDollars the limit has no hard limit (nothing is kept from before).
  await h.op("UsageLimitSet", { input: { customerId, softLimitDollars: 120 } });
  expect((await customerOf(WORKSPACE)).usageLimit).toEqual({
    id: limit.id,
    softLimit: 120,
    hardLimit: null,
    isOverLimit: false,
  });
  expect(await h.op("UsageLimitRemove", { input: { customerId } })).toEqual({
    usageLimitRemove: true,
  });
  expect((await customerOf(WORKSPACE)).usageLimit).toBeNull();
  // Removing again is harmless.
  expect(await h.op("UsageLimitRemove", { input: { customerId } })).toEqual({
    usageLimitRemove: true,
  });
});

test("usageLimitSet refuses an unknown customer, limits below 1 and a hard limit below the soft", async () => {
  await h.project("shop", { workspaceId: WORKSPACE });
  const customerId = (await customerOf(WORKSPACE)).id;
  const message = async (body: Promise<{ errors?: { message: string }[] }>) =>
    (await body).errors?.map((e) => e.message);
  expect(await message(set("cus_unknown", 10))).toEqual(["Customer not found"]);
  expect(await message(set(customerId, 0))).toEqual([
    "Usage limits must be whole dollars, at least 1",
  ]);
  expect(await message(set(customerId, 10, 0))).toEqual([
    "Usage limits must be whole dollars, at least 1",
  ]);
  expect(await message(set(customerId, 100, 50))).toEqual([
    "Hard limit must be greater than or equal to the soft limit",
  ]);
  expect(await message(set(customerId, 100, 100))).toBeUndefined();
  expect(
    await h.error(`mutation ($input: UsageLimitRemoveInput!) { usageLimitRemove(input: $input) }`, {
      input: { customerId: "cus_unknown" },
    }),
  ).toBe("Customer not found");
});

test("a project token reaches neither the workspace nor its usage limit", async () => {
  const { projectId, environmentId } = await h.project("shop", { workspaceId: WORKSPACE });
  const customerId = (await customerOf(WORKSPACE)).id;
  const token = (
    await h.data(DOCS.projectTokenCreate, { input: { projectId, environmentId, name: "ci" } })
  ).projectTokenCreate;
  const headers = { "project-access-token": token };
  expect(
    await h.error(`query { workspace(workspaceId: "${WORKSPACE}") { id } }`, {}, { headers }),
  ).toBe("Not Authorized");
  expect(
    await h.error(
      `mutation ($input: UsageLimitSetInput!) { usageLimitSet(input: $input) }`,
      { input: { customerId, softLimitDollars: 5 } },
      { headers },
    ),
  ).toBe("Not Authorized");
});

test("workspaces and usage limits survive a restart with the same state file", async () => {
  const dir = tempDir();
  try {
    const stateFile = path.join(dir, "state.json");
    let emu = await startHarness({ stateFile, token: "emu_a" });
    await emu.project("shop", { workspaceId: WORKSPACE });
    const customerId = (await customerOf(WORKSPACE, emu)).id;
    await emu.op("UsageLimitSet", { input: { customerId, softLimitDollars: 40 } });
    const before = await customerOf(WORKSPACE, emu);
    await emu.close();
    const saved = JSON.parse(fs.readFileSync(stateFile, "utf8"));
    expect(Object.keys(saved.workspaces)).toEqual([WORKSPACE]);
    expect(Object.keys(saved.usageLimits)).toEqual([customerId]);
    emu = await startHarness({ stateFile, token: "emu_a" });
    try {
      expect(await customerOf(WORKSPACE, emu)).toEqual(before);
    } finally {
      await emu.close();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
