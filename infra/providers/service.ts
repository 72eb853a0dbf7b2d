/**
 * CRUD for `railway:Service`: a service's identity (its name in the project). In the shared layout
 * (`environmentId` set) the identity is used by the stacks of several environments: each adopts it
 * by name, and only the last one to let it go deletes it from the project.
 */
import { RailwayApi, type ServiceRecord } from "../railway/api";
import { servicesOf as knownServicesOf } from "../railway/known";
import { environmentBatches } from "../railway/batch";
import { isObject, serviceSection, type EnvironmentConfig } from "../railway/environment-config";
import { isDiscarded } from "./discard";
import type { ServiceInputs, ServiceOutputs } from "../domain/types";
import { checkServiceName } from "../domain/rules";
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

export const serviceProvider: RailwayResourceProvider<ServiceInputs, ServiceOutputs> = {
  async check(_olds, news) {
    const failures: Failure[] = [];
    const badName = isUnknown(news.name) ? undefined : checkServiceName(news.name ?? "");
    if (badName) failures.push(ruleFailure("name", badName));
    if (!news.projectId) failures.push(failure("projectId", "is required"));
    return { inputs: news, failures };
  },

  async diff(_id, olds, news) {
    return diffFields<ServiceInputs>(
      olds,
      news,
      ["projectId", "name", "icon", "role", "adoptExisting", "environmentId"],
      // Shared: the name is what the stacks find the service by; another name is another service.
      news.environmentId === undefined ? ["projectId"] : ["projectId", "name"],
    );
  },

  async create(inputs) {
    const api = RailwayApi.fromEnvironment();
    const shared = inputs.environmentId !== undefined;
    const adopted: ServiceRecord | undefined = shared
      ? (await servicesOf(api, inputs.projectId)).get(inputs.name)
      : inputs.adoptExisting
        ? await api.findService(inputs.projectId, inputs.name)
        : undefined;
    const { created, ...service }: ServiceRecord & { created?: true } =
      adopted ??
      (await api.createService({
        projectId: inputs.projectId,
        name: inputs.name,
        icon: inputs.icon,
        environmentId: inputs.environmentId,
      }));
    if (inputs.environmentId !== undefined) {
      (await servicesOf(api, inputs.projectId)).set(service.name, service);
      // A service this call created has its instance in the declaring environment already
      // (serviceCreate with environmentId); one found by name may not.
      if (!created) await ensureInstance(api, inputs.environmentId, service.id, inputs.name);
    }
    return { id: service.id, outs: defined({ ...withoutProvider(inputs), serviceId: service.id }) };
  },

  async read(id, props) {
    const service = await RailwayApi.fromEnvironment().getService(id);
    if (!service || !props) return { id: "" };
    const previous = withoutProvider(props);
    const liveInputs: ServiceInputs = {
      projectId: service.projectId,
      name: service.name,
      icon: service.icon ?? undefined,
      role: previous.role,
      adoptExisting: previous.adoptExisting,
      environmentId: previous.environmentId,
    };
    return { id, props: defined({ ...liveInputs, serviceId: id }), inputs: defined(liveInputs) };
  },

  async update(id, olds, news) {
    // `role` and `adoptExisting` are metadata: only a name or icon change reaches Railway. A
    // shared service's icon is left to the first stack that set it (stacks would flip it).
    if (news.name !== olds.name || (news.environmentId === undefined && news.icon !== olds.icon)) {
      await RailwayApi.fromEnvironment().updateService(id, { name: news.name, icon: news.icon });
    }
    return { outs: defined({ ...withoutProvider(news), serviceId: id }) };
  },

  async delete(id, props) {
    const api = RailwayApi.fromEnvironment();
    if (props.environmentId !== undefined) {
      const users = await environmentsUsing(api, props.projectId, id, props.environmentId);
      if (users.length > 0) {
        process.stderr.write(
          `railway-stacks: service ${props.name} is still used by environment(s) ${users.join(", ")}: kept in the project\n`,
        );
        return;
      }
    }
    await api.deleteService(id);
  },
};

/**
 * Whether a service config section is an instance some stack configured: one with a source. An
 * empty section is what Railway's fan-out left in an environment that never declared the service
 * (a `serviceCreate` reaches every environment that is not a fork); it does not keep the service.
 */
function isConfigured(section: unknown): boolean {
  return isObject(section) && isObject(section.source) && Object.keys(section.source).length > 0;
}

/** The environments other than `own` (and one being discarded) with an instance of the service. */
async function environmentsUsing(
  api: RailwayApi,
  projectId: string,
  serviceId: string,
  own: string,
): Promise<string[]> {
  const environments = await api.listEnvironmentConfigs(projectId);
  return environments
    .filter((env) => env.id !== own && !isDiscarded(env.id))
    .filter((env) => {
      const services = (env.config as EnvironmentConfig & { services?: unknown }).services;
      return isObject(services) && isConfigured(services[serviceId]);
    })
    .map((env) => env.name);
}

/**
 * Gives the service an instance in the declaring environment when it has none: an environment
 * created after the service (Railway's create reached only the environments that existed), or a
 * service found by name. Its volume and settings go there next. One read and at most one commit
 * for all the services a stack creates together.
 */
async function ensureInstance(
  api: RailwayApi,
  environmentId: string,
  serviceId: string,
  name: string,
): Promise<void> {
  await environmentBatches.commitPatch(api, environmentId, {
    readConfig: true,
    summary: `add ${name}`,
    patch(environment) {
      if (!environment) throw new Error(`Railway environment ${environmentId} does not exist.`);
      return serviceSection(environment.config, serviceId)
        ? undefined
        : { services: { [serviceId]: { isCreated: true } } };
    },
  });
}

/**
 * The project's services by name, read once per provider process (or known from the project's
 * create: none): the engine creates a stack's services together, and each looks for its name
 * first (one read for all of them instead of one each; Railway counts calls). A service another
 * stack creates meanwhile is not missed: its create is refused as a duplicate name and the
 * existing one adopted (`createService`).
 */
const servicesOf = (api: RailwayApi, projectId: string): Promise<Map<string, ServiceRecord>> =>
  knownServicesOf(projectId, () => api.listServices(projectId));
