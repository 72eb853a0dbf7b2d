/**
 * Every error message the emulator sends, in one place so that the tests, the README and the
 * provider agree on them. Railway answers failures as HTTP 200 with a GraphQL error (and `data:
 * null` for the failing non-null field); "not found" messages contain the words "not found"
 * because clients (the Terraform provider, ours) match on that to detect a deleted resource.
 */
import { GraphQLError } from "graphql";

export const NOT_AUTHORIZED = "Not Authorized";

export const NOT_FOUND = {
  project: "Project not found",
  environment: "Environment not found",
  service: "Service not found",
  serviceInstance: "Service instance not found",
  volume: "Volume not found",
  volumeInstance: "Volume instance not found",
  domain: "Domain not found",
  tcpProxy: "TCP proxy not found",
  deployment: "Deployment not found",
  environmentPatch: "Environment patch not found",
  projectToken: "Project token not found",
  workspace: "Workspace not found",
  customer: "Customer not found",
} as const;

export const MESSAGES = {
  serviceNameTaken: (name: string) => `Service name "${name}" already exists in this project`,
  volumeNameTaken: (name: string) => `Volume name "${name}" already exists in this project`,
  environmentNameTaken: (name: string) =>
    `Environment name "${name}" already exists in this project`,
  emptyName: (what: string) => `${what} name cannot be empty`,
  oneServiceDomain: "Only one service domain is allowed per service instance",
  domainTaken: (domain: string) => `Domain "${domain}" is already in use`,
  invalidServiceDomain: (domain: string) =>
    `Invalid service domain "${domain}": expected <name>.up.railway.app`,
  invalidCustomDomain: (domain: string) => `Invalid custom domain "${domain}"`,
  invalidPort: (port: unknown) =>
    `Invalid port ${JSON.stringify(port)}: expected an integer from 1 to 65535`,
  volumeShrink: (from: number, to: number) =>
    `Volume size cannot be decreased (from ${from} MB to ${to} MB)`,
  oneVolumePerService: "A service can only have one volume mounted per environment",
  invalidMountPath: (path: string) => `Invalid mount path "${path}": it must be an absolute path`,
  noStagedChanges: "No staged changes to commit",
  invalidCursor: "Invalid cursor",
  invalidVariables: (name: string) =>
    `Invalid variables: the value of "${name}" must be a string or null`,
  invalidName: (what: string, name: string) => `Invalid ${what} name "${name}"`,
  invalidUsageLimit: "Usage limits must be whole dollars, at least 1",
  hardBelowSoftLimit: "Hard limit must be greater than or equal to the soft limit",
} as const;

export function fail(message: string): never {
  throw new GraphQLError(message);
}
