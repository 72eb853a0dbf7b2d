import type { StackValidationPolicy } from "@pulumi/policy";
import { TYPE_TOKENS } from "../lib/contract";
import { ofType, volumesOf } from "../lib/graph";
import { advisoryOutsideProduction } from "../lib/levels";
import { codeViolation, serviceLabel } from "../lib/messages";
import { isDatastore, roleOf } from "../lib/resources";
import { stackOfResources } from "../lib/stack";

/**
 * Postgres, Redis and NATS JetStream keep their data on a volume; without one every redeploy starts
 * from empty. Blocks production, warns elsewhere.
 * @severity critical
 */
export const railwayDatastoreRequireVolume: StackValidationPolicy = {
  name: "railway-datastore-require-volume",
  description:
    "Checks that every Postgres, Redis and NATS service has a volume attached. Mandatory in production, advisory in other stacks.",
  enforcementLevel: "mandatory",
  severity: "critical",
  validateStack: (args, reportViolation) => {
    const stack = stackOfResources(args);
    if (!stack) {
      return args.notApplicable("The stack has no resources.");
    }
    const report = advisoryOutsideProduction(reportViolation, stack, railwayDatastoreRequireVolume);
    const datastores = ofType(args.resources, TYPE_TOKENS.service).filter((service) =>
      isDatastore(roleOf(service.props)),
    );
    if (datastores.length === 0) {
      return args.notApplicable("The stack has no postgres, redis or nats service.");
    }
    for (const service of datastores) {
      if (volumesOf(service, args.resources).length === 0) {
        report(
          codeViolation(
            `Stateful ${serviceLabel(service.props)} (${roleOf(service.props)}) must have a volume; without one its data is lost on every redeploy`,
            `declare a Volume with serviceId from this Service in the ${roleOf(service.props)} component`,
          ),
          service.urn,
        );
      }
    }
  },
};
