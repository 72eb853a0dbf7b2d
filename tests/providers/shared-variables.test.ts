/**
 * railway:SharedVariables provider against the emulator, called as the engine calls it: it owns
 * the shared variables it declares and nothing else.
 */
import { sharedVariablesProvider as provider } from "../../infra/providers/shared-variables";
import type { SharedVariablesInputs, SharedVariablesOutputs } from "../../infra/domain/types";
import { engineInputs, useEmulator } from "../helpers/emulator";
import { NO_OLDS, withoutEngineKey } from "./inputs";

const emu = useEmulator();

const sharedInputs = (
  ids: { projectId: string; environmentId: string },
  overrides: Partial<SharedVariablesInputs> = {},
): SharedVariablesInputs =>
  engineInputs({
    ...ids,
    variables: { LOG_LEVEL: "info", API_HOST: "${{api.RAILWAY_PRIVATE_DOMAIN}}" },
    secretVariables: { STRIPE_KEY: "sk_test_123" },
    tier: "dev",
    ...overrides,
  });

/** The environment's shared variables as stored, `{ KEY: value }`. */
function liveShared(environmentId: string): Record<string, string> {
  const config = emu.data.environments[environmentId]!.config as {
    sharedVariables?: Record<string, { value: string }>;
  };
  return Object.fromEntries(
    Object.entries(config.sharedVariables ?? {}).map(([key, entry]) => [key, entry.value]),
  );
}

/** A change made in Railway behind Pulumi's back (the dashboard, the CLI). */
async function setByHand(environmentId: string, entries: Record<string, { value: string } | null>) {
  await emu.op("EnvironmentPatchCommit", {
    environmentId,
    patch: { sharedVariables: entries },
    commitMessage: "by hand",
  });
}

/** The ids of a fresh project and its environment. */
async function freshIds() {
  const { projectId, environmentId } = await emu.freshProject();
  return { projectId, environmentId };
}

/** A fresh environment that already has a shared variable the stack does not declare. */
async function environmentWithManualKey() {
  const ids = await freshIds();
  await setByHand(ids.environmentId, { MANUAL: { value: "set-in-dashboard" } });
  return ids;
}

describe("check", () => {
  const base = sharedInputs({ projectId: "p", environmentId: "e" });

  test("valid inputs pass unchanged", async () => {
    expect(await provider.check!(NO_OLDS, base)).toEqual({ inputs: base, failures: [] });
  });

  test.each([
    [
      "an invalid name",
      { variables: { "my-var": "x" } },
      [
        {
          property: "variables.my-var",
          reason:
            '"my-var" is not a valid variable name. Fix: use letters, digits and "_", not starting with a digit, e.g. "API_URL"',
        },
      ],
    ],
    [
      "the RAILWAY_ prefix",
      { secretVariables: { RAILWAY_TOKEN: "x" } },
      [
        {
          property: "secretVariables.RAILWAY_TOKEN",
          reason:
            "uses the RAILWAY_ prefix Railway keeps for its own variables; rename the variable",
        },
      ],
    ],
    [
      "a name in both maps",
      { variables: { KEY: "a" }, secretVariables: { KEY: "b" } },
      [{ property: "secretVariables.KEY", reason: "is also a plain variable; keep one" }],
    ],
    [
      "a value that is not text",
      { variables: { COUNT: 3 as unknown as string } },
      [{ property: "variables.COUNT", reason: "must be text, not number" }],
    ],
    [
      "no environment",
      { environmentId: "" },
      [{ property: "environmentId", reason: "is required" }],
    ],
  ])("fails %s", async (_label, overrides, failures) => {
    expect((await provider.check!(NO_OLDS, { ...base, ...overrides })).failures).toEqual(failures);
  });
});

describe("create", () => {
  test("one patch with the declared keys only; keys the environment already has are kept", async () => {
    const ids = await environmentWithManualKey();
    const inputs = sharedInputs(ids);
    const before = emu.checkpoint();
    const { id, outs } = await provider.create(inputs);

    expect(before.operations()).toEqual(["EnvironmentPatchCommit"]);
    expect(before.patches().map((p) => [p.message, p.patch])).toEqual([
      [
        "railway-stacks: shared variables (dev)",
        {
          sharedVariables: {
            LOG_LEVEL: { value: "info" },
            API_HOST: { value: "${{api.RAILWAY_PRIVATE_DOMAIN}}" },
            STRIPE_KEY: { value: "sk_test_123" },
          },
        },
      ],
    ]);
    expect(liveShared(ids.environmentId)).toEqual({
      MANUAL: "set-in-dashboard",
      LOG_LEVEL: "info",
      API_HOST: "${{api.RAILWAY_PRIVATE_DOMAIN}}",
      STRIPE_KEY: "sk_test_123",
    });
    expect(id).toBe(ids.environmentId);
    expect(outs).toEqual(withoutEngineKey(inputs));
  });

  test("an empty map makes no API call", async () => {
    const ids = await freshIds();
    const before = emu.checkpoint();
    const { id, outs } = await provider.create(
      sharedInputs(ids, { variables: {}, secretVariables: {} }),
    );
    expect(before.operations()).toEqual([]);
    expect(id).toBe(ids.environmentId);
    expect(outs).toEqual({ ...ids, variables: {}, secretVariables: {}, tier: "dev" });
  });
});

describe("update", () => {
  test("writes changed and added keys, removes a key dropped from the config, keeps the rest", async () => {
    const ids = await environmentWithManualKey();
    const { outs } = await provider.create(
      sharedInputs(ids, { variables: { A: "1", B: "2", C: "3" }, secretVariables: { S: "s1" } }),
    );
    const news = sharedInputs(ids, {
      variables: { A: "1", C: "30", D: "4" },
      secretVariables: { S: "s1" },
    });
    const diff = await provider.diff!(ids.environmentId, outs as SharedVariablesOutputs, news);
    expect(diff).toEqual({
      changes: true,
      replaces: [],
      stables: ["projectId", "environmentId"],
      deleteBeforeReplace: false,
    });

    const before = emu.checkpoint();
    const result = await provider.update!(ids.environmentId, outs as SharedVariablesOutputs, news);
    expect(before.patches().map((p) => p.patch)).toEqual([
      { sharedVariables: { C: { value: "30" }, D: { value: "4" }, B: null } },
    ]);
    expect(liveShared(ids.environmentId)).toEqual({
      MANUAL: "set-in-dashboard",
      A: "1",
      C: "30",
      D: "4",
      S: "s1",
    });
    expect(result.outs).toEqual(withoutEngineKey(news));
  });

  test("moving a key between plain and secret with the same value writes nothing", async () => {
    const ids = await freshIds();
    const { outs } = await provider.create(
      sharedInputs(ids, { variables: { TOKEN_TTL: "60" }, secretVariables: {} }),
    );
    const before = emu.checkpoint();
    await provider.update!(
      ids.environmentId,
      outs as SharedVariablesOutputs,
      sharedInputs(ids, { variables: {}, secretVariables: { TOKEN_TTL: "60" } }),
    );
    expect(before.operations()).toEqual([]);
    expect(liveShared(ids.environmentId)).toEqual({ TOKEN_TTL: "60" });
  });
});

describe("read (refresh)", () => {
  test("shows drift on declared keys only; undeclared keys are ignored", async () => {
    const ids = await environmentWithManualKey();
    const inputs = sharedInputs(ids, {
      variables: { A: "1", B: "2" },
      secretVariables: { S: "s1", T: "t1" },
    });
    const { id, outs } = await provider.create(inputs);
    await setByHand(ids.environmentId, {
      A: { value: "changed-by-hand" },
      B: null,
      T: { value: "t2" },
      MANUAL: { value: "changed-too" },
      OTHER: { value: "new-by-hand" },
    });

    const read = await provider.read!(id, engineInputs(outs as SharedVariablesOutputs));
    const live = {
      ...ids,
      variables: { A: "changed-by-hand" },
      secretVariables: { S: "s1", T: "t2" },
      tier: "dev",
    };
    expect(read).toEqual({ id, props: live, inputs: live });

    // The next update puts the declared values back and leaves the others alone.
    const diff = await provider.diff!(id, read.props!, inputs);
    expect(diff.changes).toBe(true);
    await provider.update!(id, read.props!, inputs);
    expect(liveShared(ids.environmentId)).toEqual({
      MANUAL: "changed-too",
      OTHER: "new-by-hand",
      A: "1",
      B: "2",
      S: "s1",
      T: "t1",
    });
  });

  test("without drift the state reads back unchanged", async () => {
    const ids = await environmentWithManualKey();
    const inputs = sharedInputs(ids);
    const { id, outs } = await provider.create(inputs);
    const read = await provider.read!(id, engineInputs(outs as SharedVariablesOutputs));
    expect(read).toEqual({ id, props: withoutEngineKey(inputs), inputs: withoutEngineKey(inputs) });
    expect((await provider.diff!(id, read.props!, inputs)).changes).toBe(false);
  });

  test("an environment that is gone reads as gone", async () => {
    const ids = await freshIds();
    const { id, outs } = await provider.create(sharedInputs(ids));
    await emu.op("EnvironmentDelete", { id: ids.environmentId });
    expect(await provider.read!(id, engineInputs(outs as SharedVariablesOutputs))).toEqual({
      id: "",
    });
  });
});

describe("delete", () => {
  test("removes the declared keys only", async () => {
    const ids = await environmentWithManualKey();
    const { id, outs } = await provider.create(sharedInputs(ids));
    const before = emu.checkpoint();
    await provider.delete!(id, outs as SharedVariablesOutputs);
    expect(before.patches().map((p) => [p.message, p.patch])).toEqual([
      [
        "railway-stacks: remove shared variables (dev)",
        { sharedVariables: { LOG_LEVEL: null, API_HOST: null, STRIPE_KEY: null } },
      ],
    ]);
    expect(liveShared(ids.environmentId)).toEqual({ MANUAL: "set-in-dashboard" });
  });

  test("succeeds when the environment is already gone", async () => {
    const ids = await freshIds();
    const { id, outs } = await provider.create(sharedInputs(ids));
    await emu.op("EnvironmentDelete", { id: ids.environmentId });
    await expect(provider.delete!(id, outs as SharedVariablesOutputs)).resolves.toBeUndefined();
  });
});
