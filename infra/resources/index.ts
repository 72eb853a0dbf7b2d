export { Environment, type EnvironmentArgs } from "./environment";
export { Project, type ProjectArgs } from "./project";
export { Service, type ServiceArgs } from "./service";
export { ServiceInstance, type ServiceInstanceArgs } from "./service-instance";
export { SharedVariables, type SharedVariablesArgs } from "./shared-variables";
export { UsageLimit, type UsageLimitArgs } from "./usage-limit";
export { Volume, type VolumeArgs } from "./volume";
export * from "../domain/types";
