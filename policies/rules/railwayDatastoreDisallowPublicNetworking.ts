import type { ResourceValidationPolicy } from "@pulumi/policy";
import { codeViolation, violation } from "../lib/messages";
import { configPath, dataServiceKey, serviceName } from "../lib/keys";
import { customDomainsOf, isDatastore, roleOf, serviceInstanceProps } from "../lib/resources";
import { notProductionReason, stackOfResource } from "../lib/stack";
import { peek, UNKNOWN } from "../lib/values";

/**
 * Production data services are reached over Railway's private network only: a public TCP proxy or
 * domain puts Postgres, Redis or NATS one leaked password away from the internet.
 * @severity critical
 */
export const railwayDatastoreDisallowPublicNetworking: ResourceValidationPolicy = {
  name: "railway-datastore-disallow-public-networking",
  description:
    "Checks that production Postgres, Redis and NATS have no public TCP proxy, Railway domain or custom domain. Data services are reached over the private network only.",
  enforcementLevel: "mandatory",
  severity: "critical",
  validateResource: (args, report) => {
    const props = serviceInstanceProps(args);
    const role = roleOf(props);
    if (!isDatastore(role)) {
      return args.notApplicable("Only judges postgres, redis and nats services.");
    }
    const stack = stackOfResource(args);
    if (!stack.production) {
      return args.notApplicable(notProductionReason(stack));
    }
    const ports = peek(() => props.networking?.tcpProxyPorts);
    if (ports !== UNKNOWN && Array.isArray(ports) && ports.length > 0) {
      report(
        violation(
          stack,
          `Production ${role} must not have a public TCP proxy (ports ${ports.join(", ")})`,
          `set \`${configPath(dataServiceKey(role, serviceName(props)), "publicProxy")}\` to false`,
        ),
      );
    }
    const domainPort = peek(() => props.networking?.railwayDomainPort);
    if (domainPort !== UNKNOWN && domainPort !== undefined && domainPort !== null) {
      report(
        codeViolation(
          `Production ${role} must not have a public Railway domain`,
          `declare it without networking.railwayDomainPort in the ${role} component`,
        ),
      );
    }
    const domains = customDomainsOf(props);
    if (domains.length > 0) {
      report(
        codeViolation(
          `Production ${role} must not have custom domains (${domains.join(", ")})`,
          `declare it without networking.customDomains in the ${role} component`,
        ),
      );
    }
  },
};
