/** CRUD for `railway:Project`: the project and its default environment. */
import { RailwayApi, type ProjectRecord } from "../railway/api";
import type { ProjectInputs, ProjectOutputs } from "../domain/types";
import {
  diffFields,
  failure,
  isUnknown,
  defined,
  withoutProvider,
  type Failure,
  type RailwayResourceProvider,
} from "./diff";

const description = (inputs: ProjectInputs): string =>
  inputs.description ?? `Managed by railway-stacks (stack ${inputs.stack}).`;

function outputs(inputs: ProjectInputs, project: ProjectRecord): ProjectOutputs {
  const environment =
    project.environments.find((env) => env.name === inputs.defaultEnvironmentName) ??
    project.environments[0];
  if (!environment) {
    throw new Error(
      `Railway project ${project.id} has no environment; expected "${inputs.defaultEnvironmentName}".`,
    );
  }
  return defined({
    ...withoutProvider(inputs),
    projectId: project.id,
    environmentId: environment.id,
  });
}

export const projectProvider: RailwayResourceProvider<ProjectInputs, ProjectOutputs> = {
  async check(_olds, news) {
    const failures: Failure[] = [];
    if (!isUnknown(news.name) && !/^[A-Za-z0-9][A-Za-z0-9 _.-]{0,63}$/.test(news.name ?? "")) {
      failures.push(
        failure(
          "name",
          "must be 1-64 letters, digits, spaces, '.', '_' or '-', starting with a letter or digit",
        ),
      );
    }
    if (
      !isUnknown(news.defaultEnvironmentName) &&
      !/^[a-z0-9][a-z0-9-]{0,31}$/.test(news.defaultEnvironmentName ?? "")
    ) {
      failures.push(
        failure("defaultEnvironmentName", "must be 1-32 lowercase letters, digits or '-'"),
      );
    }
    if (news.prDeploys !== false) {
      failures.push(
        failure("prDeploys", "must be false: PR previews are stacks of their own (pr-<n>)"),
      );
    }
    return { inputs: news, failures };
  },

  async diff(_id, olds, news) {
    return diffFields<ProjectInputs>(
      olds,
      news,
      [
        "name",
        "description",
        "workspaceId",
        "defaultEnvironmentName",
        "prDeploys",
        "stack",
        "tier",
        "adoptExisting",
      ],
      ["workspaceId"],
    );
  },

  async create(inputs) {
    const api = RailwayApi.fromEnvironment();
    if (inputs.adoptExisting) {
      const adopted = await api.adoptProject(inputs.name, inputs.workspaceId);
      const environment =
        adopted.environments.find((env) => env.name === inputs.defaultEnvironmentName) ??
        adopted.environments[0];
      if (!environment)
        throw new Error(`Railway project ${adopted.id} has no environment to adopt.`);
      // As found: the update below brings description and environment name to what is declared.
      const found: ProjectOutputs = {
        ...withoutProvider(inputs),
        description: adopted.description ?? "",
        prDeploys: adopted.prDeploys,
        defaultEnvironmentName: environment.name,
        projectId: adopted.id,
        environmentId: environment.id,
      };
      const updated = await projectProvider.update!(adopted.id, found, inputs);
      return { id: adopted.id, outs: updated.outs! };
    }
    const project = await api.createProject({
      name: inputs.name,
      description: description(inputs),
      workspaceId: inputs.workspaceId,
      defaultEnvironmentName: inputs.defaultEnvironmentName,
    });
    return { id: project.id, outs: outputs(inputs, project) };
  },

  async read(id, props) {
    const project = await RailwayApi.fromEnvironment().getProject(id);
    if (!project || !props) return { id: "" };
    const previous = withoutProvider(props);
    const liveDescription = project.description ?? "";
    const liveInputs: ProjectInputs = {
      name: project.name,
      description:
        liveDescription === description(previous) ? previous.description : liveDescription,
      workspaceId: previous.workspaceId,
      // Without a previous environment (adopting by id + read), the project's first one.
      defaultEnvironmentName:
        project.environments.find((env) => env.id === previous.environmentId)?.name ??
        previous.defaultEnvironmentName ??
        project.environments[0]?.name,
      prDeploys: project.prDeploys,
      stack: previous.stack,
      tier: previous.tier,
      adoptExisting: previous.adoptExisting,
    };
    return { id, props: outputs(liveInputs, project), inputs: defined(liveInputs) };
  },

  async update(id, olds, news) {
    const api = RailwayApi.fromEnvironment();
    // Only what Railway holds is sent, and only when it changed: stack, tier and adoptExisting
    // are metadata, and the ids are known from the previous outputs.
    if (
      news.name !== olds.name ||
      description(news) !== description(olds) ||
      news.prDeploys !== olds.prDeploys
    ) {
      await api.updateProject(id, {
        name: news.name,
        description: description(news),
        prDeploys: news.prDeploys,
      });
    }
    if (news.defaultEnvironmentName !== olds.defaultEnvironmentName) {
      await api.renameEnvironment(olds.environmentId, news.defaultEnvironmentName);
    }
    return {
      outs: defined({ ...withoutProvider(news), projectId: id, environmentId: olds.environmentId }),
    };
  },

  async delete(id) {
    await RailwayApi.fromEnvironment().deleteProject(id);
  },
};
