/**
 * railway:Project provider against the emulator, called exactly as the engine calls it (inputs
 * carry `__provider`; no Pulumi engine involved).
 */
import { projectProvider } from "../../infra/providers/project";
import { UNKNOWN } from "../../infra/providers/diff";
import type { ProjectOutputs } from "../../infra/domain/types";
import { engineInputs, PROVIDER_KEY, useEmulator } from "../helpers/emulator";
import { NO_OLDS, projectInputs, withoutEngineKey } from "./inputs";

const emu = useEmulator();

const NAME_REASON =
  "must be 1-64 letters, digits, spaces, '.', '_' or '-', starting with a letter or digit";
const ENV_REASON = "must be 1-32 lowercase letters, digits or '-'";
const PR_REASON = "must be false: PR previews are stacks of their own (pr-<n>)";

/** Creates a project through the provider and returns its id and outputs. */
async function created(overrides: Parameters<typeof projectInputs>[0] = {}) {
  const inputs = projectInputs(overrides);
  const result = await projectProvider.create(inputs);
  return { inputs, id: result.id, outs: result.outs as ProjectOutputs };
}

/** What the engine keeps in state and hands back to read/diff/update/delete. */
const state = (outs: ProjectOutputs): ProjectOutputs => engineInputs(outs);

describe("check", () => {
  test("valid inputs pass unchanged, __provider included (the engine needs it back)", async () => {
    const news = projectInputs();
    const result = await projectProvider.check!(NO_OLDS, news);
    expect(result).toEqual({ inputs: news, failures: [] });
    expect(result.inputs).toBe(news);
  });

  test.each([
    ["empty name", { name: "" }, [{ property: "name", reason: NAME_REASON }]],
    ["name starting with '-'", { name: "-shop" }, [{ property: "name", reason: NAME_REASON }]],
    [
      "name of 65 characters",
      { name: "a".repeat(65) },
      [{ property: "name", reason: NAME_REASON }],
    ],
    ["name with '/'", { name: "shop/dev" }, [{ property: "name", reason: NAME_REASON }]],
    [
      "uppercase environment",
      { defaultEnvironmentName: "Dev" },
      [{ property: "defaultEnvironmentName", reason: ENV_REASON }],
    ],
    [
      "empty environment",
      { defaultEnvironmentName: "" },
      [{ property: "defaultEnvironmentName", reason: ENV_REASON }],
    ],
    [
      "environment of 33 characters",
      { defaultEnvironmentName: "e".repeat(33) },
      [{ property: "defaultEnvironmentName", reason: ENV_REASON }],
    ],
    ["prDeploys true", { prDeploys: true }, [{ property: "prDeploys", reason: PR_REASON }]],
    [
      "every problem at once",
      { name: "", defaultEnvironmentName: "Prod", prDeploys: true },
      [
        { property: "name", reason: NAME_REASON },
        { property: "defaultEnvironmentName", reason: ENV_REASON },
        { property: "prDeploys", reason: PR_REASON },
      ],
    ],
  ])("%s", async (_label, overrides, failures) => {
    const before = emu.checkpoint();
    const result = await projectProvider.check!(NO_OLDS, projectInputs(overrides));
    expect(result.failures).toEqual(failures);
    expect(before.counters().requests).toBe(0);
  });

  test("values unknown during preview are not judged", async () => {
    const result = await projectProvider.check!(
      NO_OLDS,
      projectInputs({ name: UNKNOWN, defaultEnvironmentName: UNKNOWN }),
    );
    expect(result.failures).toEqual([]);
  });
});

describe("create, read, diff", () => {
  test("create looks for a leftover of an interrupted run, then makes the project and its environment in one call; outputs hold no __provider", async () => {
    const before = emu.checkpoint();
    const { id, outs } = await created({ name: "shop-create" });
    expect(before.operations()).toEqual(["ProjectsList", "ProjectCreate"]);

    const live = await emu.state();
    const environment = Object.values(live.environments).find((env) => env.projectId === id)!;
    expect(outs).toEqual({
      name: "shop-create",
      defaultEnvironmentName: "dev",
      prDeploys: false,
      stack: "dev",
      tier: "dev",
      projectId: id,
      environmentId: environment.id,
    });
    expect(live.projects[id]).toMatchObject({
      name: "shop-create",
      description: "Managed by railway-stacks (stack dev).",
      prDeploys: false,
      workspaceId: null,
    });
    expect(
      Object.values(live.environments)
        .filter((env) => env.projectId === id)
        .map((env) => env.name),
    ).toEqual(["dev"]);
    expect("__provider" in outs).toBe(false);
    expect(JSON.stringify(before.requests())).not.toContain(PROVIDER_KEY);
    expect(JSON.stringify(live)).not.toContain(PROVIDER_KEY);
  });

  test("read right after create returns the same props and the inputs (no drift), in one call", async () => {
    const { id, inputs, outs } = await created({ name: "shop-read", description: "The shop" });
    const before = emu.checkpoint();
    const read = await projectProvider.read(id, state(outs));
    expect(read).toEqual({ id, props: outs, inputs: withoutEngineKey(inputs) });
    expect(before.operations()).toEqual(["ProjectGet"]);
  });

  test("diff of unchanged inputs against the outputs: no changes, and no API call", async () => {
    const { id, inputs, outs } = await created({ name: "shop-diff" });
    const before = emu.checkpoint();
    expect(await projectProvider.diff!(id, state(outs), inputs)).toEqual({
      changes: false,
      replaces: [],
      stables: ["workspaceId"],
      deleteBeforeReplace: false,
    });
    expect(before.counters().requests).toBe(0);
  });

  test("diff reports each changed field; a workspace change replaces", async () => {
    const { id, inputs, outs } = await created({ name: "shop-diff-2" });
    const diff = (overrides: Parameters<typeof projectInputs>[0]) =>
      projectProvider.diff!(id, state(outs), { ...inputs, ...overrides });
    expect(await diff({ name: "shop-renamed" })).toEqual({
      changes: true,
      replaces: [],
      stables: ["workspaceId"],
      deleteBeforeReplace: false,
    });
    expect((await diff({ tier: "preview" })).changes).toBe(true);
    expect((await diff({ defaultEnvironmentName: "staging" })).replaces).toEqual([]);
    expect(await diff({ workspaceId: "ws-2" })).toEqual({
      changes: true,
      replaces: ["workspaceId"],
      stables: [],
      deleteBeforeReplace: false,
    });
  });
});

describe("update", () => {
  test("a new name and description: one ProjectUpdate and nothing else", async () => {
    const { id, inputs, outs } = await created({ name: "shop-upd" });
    const news = { ...inputs, name: "shop-upd-2", description: "Renamed" };
    const before = emu.checkpoint();
    const result = await projectProvider.update!(id, state(outs), news);
    expect(before.operations()).toEqual(["ProjectUpdate"]);
    expect(result.outs).toEqual({ ...outs, name: "shop-upd-2", description: "Renamed" });
    expect(emu.data.projects[id]).toMatchObject({ name: "shop-upd-2", description: "Renamed" });
  });

  test("a new environment name: one EnvironmentRename and nothing else", async () => {
    const { id, inputs, outs } = await created({ name: "shop-env" });
    const before = emu.checkpoint();
    const result = await projectProvider.update!(id, state(outs), {
      ...inputs,
      defaultEnvironmentName: "development",
    });
    expect(before.operations()).toEqual(["EnvironmentRename"]);
    expect(result.outs).toEqual({ ...outs, defaultEnvironmentName: "development" });
    expect(emu.data.environments[outs.environmentId]!.name).toBe("development");
  });

  test("metadata only (tier, stack-independent description): no API call", async () => {
    const { id, inputs, outs } = await created({ name: "shop-meta", description: "Fixed" });
    const before = emu.checkpoint();
    const result = await projectProvider.update!(id, state(outs), {
      ...inputs,
      tier: "preview",
      stack: "preview",
    });
    expect(before.counters().requests).toBe(0);
    expect(result.outs).toEqual({ ...outs, tier: "preview", stack: "preview" });
  });

  test("a new stack changes the default description, which is sent", async () => {
    const { id, inputs, outs } = await created({ name: "shop-stack" });
    const before = emu.checkpoint();
    await projectProvider.update!(id, state(outs), { ...inputs, stack: "dev-2" });
    expect(before.operations()).toEqual(["ProjectUpdate"]);
    expect(emu.data.projects[id]!.description).toBe("Managed by railway-stacks (stack dev-2).");
  });
});

describe("read after changes behind Pulumi's back", () => {
  test("rename and new description through the API: live values in props and inputs", async () => {
    const { id, inputs, outs } = await created({ name: "shop-drift" });
    await emu.op("ProjectUpdate", {
      id,
      input: { name: "shop-by-hand", description: "edited in the dashboard" },
    });
    const read = await projectProvider.read(id, state(outs));
    const expected = {
      ...withoutEngineKey(inputs),
      name: "shop-by-hand",
      description: "edited in the dashboard",
    };
    expect(read).toEqual({ id, props: { ...outs, ...expected }, inputs: expected });
    // The next diff against the program's inputs shows both fields.
    expect(await projectProvider.diff!(id, engineInputs(read.props!), inputs)).toMatchObject({
      changes: true,
      replaces: [],
    });
  });

  test("environment renamed and PR deploys switched on by hand; update puts them back", async () => {
    const { id, inputs, outs } = await created({ name: "shop-drift-2" });
    await emu.op("EnvironmentRename", { id: outs.environmentId, input: { name: "by-hand" } });
    await emu.op("ProjectUpdate", { id, input: { prDeploys: true } });
    const read = await projectProvider.read(id, state(outs));
    expect(read.inputs).toEqual({
      ...withoutEngineKey(inputs),
      defaultEnvironmentName: "by-hand",
      prDeploys: true,
    });
    expect(read.props).toEqual({ ...outs, defaultEnvironmentName: "by-hand", prDeploys: true });

    const before = emu.checkpoint();
    await projectProvider.update!(id, engineInputs(read.props!), inputs);
    expect(before.operations()).toEqual(["ProjectUpdate", "EnvironmentRename"]);
    expect(emu.data.projects[id]!.prDeploys).toBe(false);
    expect(emu.data.environments[outs.environmentId]!.name).toBe("dev");
  });

  test('a project deleted behind Pulumi\'s back reads as gone (id "")', async () => {
    const { id, outs } = await created({ name: "shop-gone" });
    await emu.op("ProjectDelete", { id });
    expect(await projectProvider.read(id, state(outs))).toEqual({ id: "" });
  });
});

describe("delete", () => {
  test("delete removes the project and its environment", async () => {
    const { id, outs } = await created({ name: "shop-delete" });
    const before = emu.checkpoint();
    await projectProvider.delete!(id, state(outs));
    expect(before.operations()).toEqual(["ProjectDelete"]);
    const live = await emu.state();
    expect(live.projects[id]).toBeUndefined();
    expect(live.environments[outs.environmentId]).toBeUndefined();
  });

  test("delete of a project that no longer exists succeeds", async () => {
    const { id, outs } = await created({ name: "shop-delete-2" });
    await emu.op("ProjectDelete", { id });
    const before = emu.checkpoint();
    await expect(projectProvider.delete!(id, state(outs))).resolves.toBeUndefined();
    expect(before.requests().map((r) => [r.operationName, r.errors])).toEqual([
      ["ProjectDelete", ["Project not found"]],
    ]);
  });
});

describe("import: adopting an existing project by id", () => {
  // Pulumi's Node dynamic-provider host cannot run `pulumi import` itself (pulumi/pulumi#16175:
  // the host needs `__provider` in the state before it can call read). Our import path is the
  // documented id (README "Adopting what already exists": the project id) + read, which must turn
  // minimal props (only what Railway cannot know: stack and tier) into the full live state.
  test("read(id, minimal props) of a project made directly through the API returns its full live state", async () => {
    const data = await emu.op("ProjectCreate", {
      input: {
        name: "legacy-shop",
        description: "made by hand",
        defaultEnvironmentName: "staging",
      },
    });
    const id = data.projectCreate.id as string;
    const environmentId = data.projectCreate.environments.edges[0].node.id as string;
    const before = emu.checkpoint();
    const read = await projectProvider.read(
      id,
      engineInputs({ stack: "dev", tier: "dev" }) as unknown as ProjectOutputs,
    );
    const inputs = {
      name: "legacy-shop",
      description: "made by hand",
      defaultEnvironmentName: "staging",
      prDeploys: false,
      stack: "dev",
      tier: "dev",
    };
    expect(read).toEqual({ id, props: { ...inputs, projectId: id, environmentId }, inputs });
    expect(before.operations()).toEqual(["ProjectGet"]);
  });
});
