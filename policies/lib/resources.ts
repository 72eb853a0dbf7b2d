/** Narrowing the resource under validation to the Railway shapes the rules judge. */
import type { ResourceValidationArgs } from "@pulumi/policy";
import type { ServiceInstanceProps, ServiceRole } from "./contract";
import { DATASTORE_ROLES, TYPE_TOKENS } from "./contract";
import type { StackInfo } from "./stack";
import { notProductionReason, stackOfResource } from "./stack";
import { roleName } from "./keys";
import { peek, UNKNOWN } from "./values";

/** The props of a ServiceInstance; any other resource type makes the policy not applicable. */
export function serviceInstanceProps(args: ResourceValidationArgs): ServiceInstanceProps {
  if (args.type !== TYPE_TOKENS.serviceInstance) {
    return args.notApplicable(`Only judges ${TYPE_TOKENS.serviceInstance}.`);
  }
  return args.props as ServiceInstanceProps;
}

/** The role a service declares, when it is known. */
export const roleOf = roleName;

export function isDatastore(role: ServiceRole | undefined): role is "postgres" | "redis" | "nats" {
  return role !== undefined && DATASTORE_ROLES.includes(role);
}

/** Custom domains of a service (known ones). */
export function customDomainsOf(props: ServiceInstanceProps): string[] {
  const domains = peek(() => props.networking?.customDomains);
  return domains !== UNKNOWN && domains && typeof domains === "object" ? Object.keys(domains) : [];
}

/** True when the service asks for a generated `*.up.railway.app` domain (known to). */
export function hasRailwayDomain(props: ServiceInstanceProps): boolean {
  const port = peek(() => props.networking?.railwayDomainPort);
  return port !== UNKNOWN && port !== undefined && port !== null;
}

/** True when the service is reachable over HTTP from the internet. */
export function hasPublicDomain(props: ServiceInstanceProps): boolean {
  return hasRailwayDomain(props) || customDomainsOf(props).length > 0;
}

/**
 * The props and stack of a production app service; anything else makes the policy not applicable
 * (other types, data services, stacks that are not production).
 */
export function productionApp(args: ResourceValidationArgs): {
  props: ServiceInstanceProps;
  stack: StackInfo;
} {
  const props = serviceInstanceProps(args);
  if (roleOf(props) !== "app") {
    return args.notApplicable("Only judges app services.");
  }
  const stack = stackOfResource(args);
  if (!stack.production) {
    return args.notApplicable(notProductionReason(stack));
  }
  return { props, stack };
}

/** The props and stack of a production ServiceInstance of any role. */
export function productionService(args: ResourceValidationArgs): {
  props: ServiceInstanceProps;
  stack: StackInfo;
} {
  const props = serviceInstanceProps(args);
  const stack = stackOfResource(args);
  if (!stack.production) {
    return args.notApplicable(notProductionReason(stack));
  }
  return { props, stack };
}
