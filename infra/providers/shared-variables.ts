/**
 * CRUD for `railway:SharedVariables`: the shared variables one environment declares (Railway's
 * `sharedVariables` of the environment config, referenced by services as `${{shared.KEY}}`).
 *
 * The resource owns the keys it declares and nothing else: shared variables the environment has
 * but the stack does not declare (set in the dashboard, or by another tool) are never written,
 * never removed and never read into the state. A key removed from the config was declared, so it
 * is removed from Railway (`null` in the patch), as are all declared keys on delete.
 */
import { isDiscarded } from "./discard";
import { RailwayApi } from "../railway/api";
import { isNotFound } from "../railway/errors";
import type { JsonObject } from "../railway/environment-config";
import type { SharedVariablesInputs, SharedVariablesOutputs } from "../domain/types";
import { checkVariableName } from "../domain/rules";
import {
  defined,
  diffFields,
  failure,
  isUnknown,
  ruleFailure,
  withoutProvider,
  type Failure,
  type RailwayResourceProvider,
} from "./diff";

const FIELDS = [
  "projectId",
  "environmentId",
  "variables",
  "secretVariables",
  "notSecretVariables",
  "tier",
] as const;

/** Every declared key with its value: plain and secret ones in one map (names never overlap). */
const declared = (inputs: Partial<SharedVariablesInputs>): Record<string, string> => ({
  ...inputs.variables,
  ...inputs.secretVariables,
});

/** The patch entry of one shared variable, or `null` to remove it. */
type Entry = { value: string } | null;

/** Commits `entries` as one environment-config patch; no API call when there are none. */
async function commitShared(
  environmentId: string,
  entries: Record<string, Entry>,
  message: string,
): Promise<void> {
  if (Object.keys(entries).length === 0) return;
  await RailwayApi.fromEnvironment().commitPatch(
    environmentId,
    { sharedVariables: entries as Record<string, JsonObject | null> },
    message,
  );
}

const commitMessage = (inputs: SharedVariablesInputs): string =>
  `railway-stacks: shared variables (${inputs.tier})`;

/** Outputs are the inputs: what is live for the declared keys. */
const outputs = (inputs: SharedVariablesInputs): SharedVariablesOutputs =>
  defined({
    projectId: inputs.projectId,
    environmentId: inputs.environmentId,
    variables: { ...inputs.variables },
    secretVariables: { ...inputs.secretVariables },
    ...(inputs.notSecretVariables !== undefined
      ? { notSecretVariables: [...inputs.notSecretVariables] }
      : {}),
    tier: inputs.tier,
  });

/** Input checks the engine shows against each property, before any API call. */
export function checkSharedVariables(news: SharedVariablesInputs): Failure[] {
  const failures: Failure[] = [];
  if (!isUnknown(news.environmentId) && !news.environmentId) {
    failures.push(failure("environmentId", "is required"));
  }
  for (const map of ["variables", "secretVariables"] as const) {
    const variables = news[map] ?? {};
    if (isUnknown(variables)) continue;
    for (const [key, value] of Object.entries(variables)) {
      const property = `${map}.${key}`;
      const badName = checkVariableName(key);
      if (badName) {
        failures.push(ruleFailure(property, badName));
      } else if (key.startsWith("RAILWAY_")) {
        failures.push(
          failure(
            property,
            "uses the RAILWAY_ prefix Railway keeps for its own variables; rename the variable",
          ),
        );
      }
      if (typeof value !== "string" && !isUnknown(value)) {
        failures.push(failure(property, `must be text, not ${typeof value}`));
      }
    }
  }
  const plain = news.variables ?? {};
  if (!isUnknown(plain) && !isUnknown(news.secretVariables)) {
    for (const key of Object.keys(news.secretVariables ?? {})) {
      if (key in plain) {
        failures.push(failure(`secretVariables.${key}`, "is also a plain variable; keep one"));
      }
    }
  }
  return failures;
}

export const sharedVariablesProvider: RailwayResourceProvider<
  SharedVariablesInputs,
  SharedVariablesOutputs
> = {
  async check(_olds, news) {
    return { inputs: news, failures: checkSharedVariables(news) };
  },

  async diff(_id, olds, news) {
    return diffFields<SharedVariablesInputs>(olds, news, FIELDS, ["projectId", "environmentId"]);
  },

  /** Sets the declared keys only; the environment's other shared variables are kept. */
  async create(inputs) {
    const entries: Record<string, Entry> = {};
    for (const [key, value] of Object.entries(declared(inputs))) entries[key] = { value };
    await commitShared(inputs.environmentId, entries, commitMessage(inputs));
    return { id: inputs.environmentId, outs: outputs(withoutProvider(inputs)) };
  },

  /**
   * The live values of the declared keys (a changed value, or a key removed in Railway, shows as
   * drift); keys the stack does not declare are not read.
   */
  async read(id, props) {
    if (!props) return { id: "" };
    const previous = withoutProvider(props);
    const environmentId = previous.environmentId ?? id;
    const environment = await RailwayApi.fromEnvironment().getEnvironmentConfig(environmentId);
    if (!environment) return { id: "" };
    const live = environment.config.sharedVariables ?? {};
    const liveValue = (key: string): string | undefined => {
      const entry = live[key];
      return entry && typeof entry.value === "string" ? entry.value : undefined;
    };
    const pick = (variables: Record<string, string> | undefined): Record<string, string> => {
      const out: Record<string, string> = {};
      for (const key of Object.keys(variables ?? {})) {
        const value = liveValue(key);
        if (value !== undefined) out[key] = value;
      }
      return out;
    };
    const liveInputs: SharedVariablesInputs = outputs({
      ...previous,
      projectId: previous.projectId ?? environment.projectId,
      environmentId,
      variables: pick(previous.variables),
      secretVariables: pick(previous.secretVariables),
    });
    return { id, props: outputs(liveInputs), inputs: liveInputs };
  },

  /** Writes the changed and added keys, and removes the keys no longer declared. */
  async update(_id, olds, news) {
    const before = declared(olds);
    const after = declared(news);
    const entries: Record<string, Entry> = {};
    for (const [key, value] of Object.entries(after)) {
      if (before[key] !== value) entries[key] = { value };
    }
    for (const key of Object.keys(before)) {
      if (!(key in after)) entries[key] = null;
    }
    await commitShared(news.environmentId, entries, commitMessage(news));
    return { outs: outputs(withoutProvider(news)) };
  },

  /** Removes the declared keys only; nothing to do when the environment is already gone. */
  async delete(_id, props) {
    // Deleted with the whole environment by this operation (infra/providers/discard.ts).
    if (isDiscarded(props.environmentId)) return;
    const entries: Record<string, Entry> = {};
    for (const key of Object.keys(declared(props))) entries[key] = null;
    try {
      await commitShared(
        props.environmentId,
        entries,
        `railway-stacks: remove shared variables (${props.tier})`,
      );
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  },
};
