/** Inputs as the engine hands them to the providers (with `__provider`), for the provider tests. */
import type {
  ProjectInputs,
  ServiceInputs,
  ServiceInstanceInputs,
  VolumeInputs,
} from "../../infra/domain/types";
import { engineInputs } from "../helpers/emulator";

export const projectInputs = (overrides: Partial<ProjectInputs> = {}): ProjectInputs =>
  engineInputs({
    name: "shop-dev",
    defaultEnvironmentName: "dev",
    prDeploys: false,
    stack: "dev",
    tier: "dev",
    ...overrides,
  });

export const serviceInputs = (
  projectId: string,
  overrides: Partial<ServiceInputs> = {},
): ServiceInputs => engineInputs({ projectId, name: "api", role: "app", ...overrides });

export const volumeInputs = (
  ids: { projectId: string; environmentId: string; serviceId: string },
  overrides: Partial<VolumeInputs> = {},
): VolumeInputs =>
  engineInputs({
    ...ids,
    name: "api-data",
    mountPath: "/data",
    sizeMB: 1000,
    backupSchedules: [],
    ...overrides,
  });

export const instanceInputs = (
  ids: { projectId: string; environmentId: string; serviceId: string; serviceName: string },
  overrides: Partial<ServiceInstanceInputs> = {},
): ServiceInstanceInputs =>
  engineInputs({
    ...ids,
    role: "app",
    tier: "dev",
    source: { image: "ghcr.io/acme/api:1.4.2" },
    build: {},
    deploy: { numReplicas: 1, healthcheckPath: "/health", restartPolicyType: "ON_FAILURE" },
    variables: { LOG_FORMAT: "json", RATE_LIMIT_RPM: "1000" },
    secretVariables: {},
    networking: { customDomains: {}, tcpProxyPorts: [] },
    ...overrides,
  });

/** Removes the engine's key, to compare inputs with what a provider returns. */
export function withoutEngineKey<T extends object>(inputs: T): Omit<T, "__provider"> {
  const { __provider: _ignored, ...rest } = inputs as T & { __provider?: unknown };
  return rest;
}

/** The `olds` the engine passes to `check` for a resource not created yet: an empty object. */
export const NO_OLDS = {} as never;
