/**
 * CRUD for `railway:Environment` (layout `shared`): the one environment of the shared project a
 * stack owns. Found by name (adopted) or created; a PR environment is created as an ephemeral
 * fork of the preview environment. Only an environment this stack created is deleted with it.
 */
import { RailwayApi, type EnvironmentRecord } from "../railway/api";
import { isNotFound } from "../railway/errors";
import { environmentsOf } from "../railway/known";
import type { EnvironmentInputs, EnvironmentOutputs } from "../domain/types";
import { checkEnvironmentName } from "../domain/rules";
import {
  diffFields,
  failure,
  isUnknown,
  defined,
  ruleFailure,
  withoutProvider,
  type Failure,
  type RailwayResourceProvider,
} from "./diff";

function sourceOf(environments: EnvironmentRecord[], inputs: EnvironmentInputs): string {
  const source = environments.find((env) => env.name === inputs.sourceEnvironmentName);
  if (!source) {
    throw new Error(
      `cannot fork environment "${inputs.name}" from "${inputs.sourceEnvironmentName}": the project has no environment of that name. Fix: bring the stack that owns "${inputs.sourceEnvironmentName}" up first (\`pulumi up -s preview\`), or correct project.environment in that stack's file.`,
    );
  }
  return source.id;
}

const outputs = (
  inputs: EnvironmentInputs,
  environment: EnvironmentRecord,
  created: boolean,
): EnvironmentOutputs =>
  defined({
    ...withoutProvider(inputs),
    environmentId: environment.id,
    sourceEnvironmentId: environment.sourceEnvironmentId ?? undefined,
    created,
  });

export const environmentProvider: RailwayResourceProvider<EnvironmentInputs, EnvironmentOutputs> = {
  async check(_olds, news) {
    const failures: Failure[] = [];
    if (!news.projectId) failures.push(failure("projectId", "is required"));
    const badName = isUnknown(news.name) ? undefined : checkEnvironmentName(news.name ?? "");
    if (badName) failures.push(ruleFailure("name", badName));
    if (
      news.sourceEnvironmentName !== undefined &&
      !isUnknown(news.sourceEnvironmentName) &&
      news.sourceEnvironmentName === news.name
    ) {
      failures.push(failure("sourceEnvironmentName", "cannot be the environment itself"));
    }
    return { inputs: news, failures };
  },

  async diff(_id, olds, news) {
    return diffFields<EnvironmentInputs>(
      olds,
      news,
      ["projectId", "name", "ephemeral", "sourceEnvironmentName", "stack", "tier"],
      // Whether an environment is a fork (and of what) or ephemeral is fixed at creation.
      ["projectId", "ephemeral", "sourceEnvironmentName"],
    );
  },

  async create(inputs) {
    const api = RailwayApi.fromEnvironment();
    // The listing that found or made the project brought them (infra/railway/known.ts); a
    // source it does not show may have been made since: then Railway is asked.
    let environments = await environmentsOf(inputs.projectId, () =>
      api.listEnvironments(inputs.projectId),
    );
    if (
      inputs.sourceEnvironmentName !== undefined &&
      !environments.some((env) => env.name === inputs.sourceEnvironmentName)
    ) {
      environments = await api.listEnvironments(inputs.projectId);
    }
    const existing = environments.find((env) => env.name === inputs.name);
    // A PR environment of this name can only be this stack's own, left by an interrupted run:
    // it stays this stack's to delete. Any other existing environment is adopted and kept.
    if (existing && !inputs.ephemeral) {
      return { id: existing.id, outs: outputs(inputs, existing, false) };
    }
    const created =
      existing ??
      (await api.createEnvironment({
        projectId: inputs.projectId,
        name: inputs.name,
        ephemeral: inputs.ephemeral,
        sourceEnvironmentId:
          inputs.sourceEnvironmentName === undefined ? undefined : sourceOf(environments, inputs),
      }));
    return { id: created.id, outs: outputs(inputs, created, true) };
  },

  async read(id, props) {
    if (!props) return { id: "" };
    const previous = withoutProvider(props);
    // The whole project may be gone (deleted in the dashboard): then so is the environment.
    const environments = await RailwayApi.fromEnvironment()
      .listEnvironments(previous.projectId)
      .catch((error: unknown) => {
        if (isNotFound(error)) return [];
        throw error;
      });
    const live = environments.find((env) => env.id === id);
    if (!live) return { id: "" };
    const sourceName = environments.find((env) => env.id === live.sourceEnvironmentId)?.name;
    const liveInputs: EnvironmentInputs = {
      projectId: previous.projectId,
      name: live.name,
      ephemeral: live.isEphemeral,
      // A fork whose source was deleted since keeps the name it was declared with.
      sourceEnvironmentName: live.sourceEnvironmentId
        ? (sourceName ?? previous.sourceEnvironmentName)
        : undefined,
      stack: previous.stack,
      tier: previous.tier,
    };
    return {
      id,
      props: outputs(liveInputs, live, previous.created),
      inputs: defined(liveInputs),
    };
  },

  async update(id, olds, news) {
    if (news.name !== olds.name) {
      await RailwayApi.fromEnvironment().renameEnvironment(id, news.name);
    }
    return {
      outs: defined({
        ...withoutProvider(news),
        environmentId: id,
        sourceEnvironmentId: olds.sourceEnvironmentId,
        created: olds.created,
      }),
    };
  },

  /** Deletes the environment and all in it, when this stack created it; else leaves it. */
  async delete(id, props) {
    if (!props.created) {
      process.stderr.write(
        `railway-stacks: environment ${props.name} was adopted, not created by stack ${props.stack}: left in place (only what the stack declared in it was removed)\n`,
      );
      return;
    }
    await RailwayApi.fromEnvironment().deleteEnvironment(id);
  },
};
