/**
 * What adopting an existing service instance will change, said during `pulumi preview`.
 *
 * While a stack adopts (`project.adopt: true`) its first preview plans every resource as a create,
 * so none of the ids is known and the engine cannot diff anything against Railway. The
 * ServiceInstance's check finds the instance by the names it is declared with (project,
 * environment, service) and writes, per service and environment, the settings and variables the
 * `up` will change and what it keeps without declaring. Reads only, shared by all the instances of
 * a preview (one lookup of the project, its environments and services, one config read per
 * environment); nothing runs once the stack has adopted (its state holds the ids).
 */
import { RailwayApi, type EnvironmentConfigRecord } from "../railway/api";
import {
  differences,
  liveServiceInstanceView,
  ownedPart,
  serviceInstanceView,
  serviceSection,
  undeclaredPaths,
} from "../railway/environment-config";
import type { ServiceInstanceInputs } from "../domain/types";
import { UNKNOWN } from "./diff";

interface FoundEnvironment {
  projectId?: string;
  environment?: EnvironmentConfigRecord;
  services: Map<string, string>;
  problem?: string;
}

const lookups = new Map<string, Promise<FoundEnvironment>>();

async function lookUp(projectName: string, environmentName: string): Promise<FoundEnvironment> {
  const api = RailwayApi.fromEnvironment();
  const projects = await api.findProjects({ name: projectName });
  if (projects.length !== 1) {
    return {
      services: new Map(),
      problem:
        projects.length === 0
          ? `no project is named "${projectName}": it will be created`
          : `${projects.length} projects are named "${projectName}": the up will stop; rename all but one`,
    };
  }
  const projectId = projects[0]!.id;
  const [environments, services] = await Promise.all([
    api.listEnvironments(projectId),
    api.listServices(projectId),
  ]);
  const byName = new Map(services.map((service) => [service.name, service.id]));
  const match = environments.find((env) => env.name === environmentName);
  if (!match) {
    return {
      projectId,
      services: byName,
      problem: `project "${projectName}" has no environment "${environmentName}": it will be created (environments: ${environments.map((env) => env.name).join(", ") || "none"})`,
    };
  }
  return { projectId, services: byName, environment: await api.getEnvironmentConfig(match.id) };
}

/** Writes the adoption report of one service instance to the operation's output. */
export async function reportAdoption(inputs: ServiceInstanceInputs): Promise<void> {
  const { projectName, environmentName } = inputs.adopting!;
  const key = `${projectName}\n${environmentName}`;
  let lookup = lookups.get(key);
  if (!lookup) {
    lookup = lookUp(projectName, environmentName);
    lookups.set(key, lookup);
  }
  const found = await lookup;
  const where = `environment ${environmentName} of project ${projectName}`;
  const say = (lines: string[]): void =>
    void process.stderr.write(
      `railway-stacks: adopting ${inputs.serviceName} in ${where}:\n${lines.map((line) => `  ${line}`).join("\n")}\n`,
    );
  if (found.problem) return say([found.problem]);
  const serviceId = found.services.get(inputs.serviceName);
  const section =
    serviceId && found.environment
      ? serviceSection(found.environment.config, serviceId)
      : undefined;
  if (!serviceId) return say([`no service is named ${inputs.serviceName}: it will be created`]);
  if (!section) return say([`the service has no instance here: one will be added`]);

  const declared = serviceInstanceView(inputs);
  const live = liveServiceInstanceView(section);
  const owned = inputs.removeUndeclared ? live : ownedPart(live, declared);
  const changes = differences(owned, declared).map((line) =>
    // A value computed during the up (a generated secret) is not known yet.
    line.replaceAll(JSON.stringify(UNKNOWN), "(computed)"),
  );
  const kept = inputs.removeUndeclared ? [] : undeclaredPaths(live, declared);
  say([
    ...(changes.length === 0 ? ["no change to what the stack declares"] : []),
    ...changes.map((line) => `will change ${line}`),
    ...(kept.length > 0
      ? [
          `kept, not declared (project.removeUndeclared: true would remove them): ${kept.join(", ")}`,
        ]
      : []),
    ...(inputs.removeUndeclared
      ? ["everything not declared will be removed (project.removeUndeclared)"]
      : []),
  ]);
}
