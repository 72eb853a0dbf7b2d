/**
 * CRUD for `railway:Project`: the project and its default environment. Layout `isolated`: the
 * stack's own project. Layout `shared` (`shared: true`): the project every stack's environment
 * lives in: adopted by name or created, left as found (its name and description are the team's),
 * and never deleted by a stack's destroy.
 */
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
  inputs.description ??
  (inputs.shared
    ? "Managed by railway-stacks: one environment per stack."
    : `Managed by railway-stacks (stack ${inputs.stack}).`);

function outputs(
  inputs: ProjectInputs,
  project: Pick<ProjectRecord, "id" | "environments">,
): ProjectOutputs {
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
        "shared",
      ],
      // A shared project is found by its name: another name is another project.
      news.shared ? ["workspaceId", "name"] : ["workspaceId"],
    );
  },

  async create(inputs) {
    const api = RailwayApi.fromEnvironment();
    if (inputs.shared) {
      // The first stack of the program creates the project; the others find it by name.
      const found = await api.findProjects({ name: inputs.name }, inputs.workspaceId);
      if (found.length > 1) {
        throw new Error(
          `cannot use Railway project "${inputs.name}": ${found.length} projects have that name, and the stacks of a shared layout find their project by name. Fix: rename or delete the extra projects in Railway, or set project.name to a unique name.`,
        );
      }
      // Found: the listing brought its environments, no second read.
      const project =
        found[0] ??
        (await api.createProject({
          name: inputs.name,
          description: description(inputs),
          workspaceId: inputs.workspaceId,
          defaultEnvironmentName: inputs.defaultEnvironmentName,
          noneOfTheName: true,
        }));
      return { id: project.id, outs: outputs(inputs, project) };
    }
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
    if (previous.shared) {
      // Found by name, not managed: only a rename in Railway is drift (the next up replaces it
      // by the project of the declared name).
      const liveInputs: ProjectInputs = { ...previous, name: project.name };
      delete (liveInputs as Partial<ProjectOutputs>).projectId;
      delete (liveInputs as Partial<ProjectOutputs>).environmentId;
      return { id, props: outputs(liveInputs, project), inputs: defined(liveInputs) };
    }
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
    if (news.shared) {
      // Nothing of a shared project is this stack's to change (a new name replaces it).
      return {
        outs: defined({
          ...withoutProvider(news),
          projectId: id,
          environmentId: olds.environmentId,
        }),
      };
    }
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

  async delete(id, props) {
    if (props.shared) {
      process.stderr.write(
        `railway-stacks: project ${props.name} is shared by the environments of several stacks: left in place (stack ${props.stack} removed only its own environment)\n`,
      );
      return;
    }
    await RailwayApi.fromEnvironment().deleteProject(id);
  },
};
