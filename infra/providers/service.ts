/** CRUD for `railway:Service`: a service's identity (its name in the project). */
import { RailwayApi } from "../railway/api";
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
      ["projectId", "name", "icon", "role", "adoptExisting"],
      ["projectId"],
    );
  },

  async create(inputs) {
    const api = RailwayApi.fromEnvironment();
    const adopted = inputs.adoptExisting
      ? await api.findService(inputs.projectId, inputs.name)
      : undefined;
    const service =
      adopted ??
      (await api.createService({
        projectId: inputs.projectId,
        name: inputs.name,
        icon: inputs.icon,
      }));
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
    };
    return { id, props: defined({ ...liveInputs, serviceId: id }), inputs: defined(liveInputs) };
  },

  async update(id, olds, news) {
    // `role` and `adoptExisting` are metadata: only a name or icon change reaches Railway.
    if (news.name !== olds.name || news.icon !== olds.icon) {
      await RailwayApi.fromEnvironment().updateService(id, { name: news.name, icon: news.icon });
    }
    return { outs: defined({ ...withoutProvider(news), serviceId: id }) };
  },

  async delete(id) {
    await RailwayApi.fromEnvironment().deleteService(id);
  },
};
