import type { ResourceValidationPolicy } from "@pulumi/policy";
import { advisoryOutsideProduction } from "../lib/levels";
import { serviceLabel, settingViolation } from "../lib/messages";
import { hasPublicDomain, serviceInstanceProps } from "../lib/resources";
import { stackOfResource } from "../lib/stack";
import { peek, shown, UNKNOWN } from "../lib/values";

/**
 * Railway routes traffic to a new deployment only after its healthcheck passes; without one a
 * broken deploy takes a public service down. Blocks production, warns elsewhere.
 * @severity medium
 */
export const railwayServiceRequireHealthcheck: ResourceValidationPolicy = {
  name: "railway-service-require-healthcheck",
  description:
    "Checks that every service with a public domain has a healthcheck path. Mandatory in production, advisory in other stacks.",
  enforcementLevel: "mandatory",
  severity: "medium",
  validateResource: (args, report) => {
    const props = serviceInstanceProps(args);
    if (!hasPublicDomain(props)) {
      return args.notApplicable("Only judges services with a public domain.");
    }
    const stack = stackOfResource(args);
    const path = peek(() => props.deploy?.healthcheckPath);
    if (path === UNKNOWN) {
      return;
    }
    if (typeof path !== "string" || !path.startsWith("/")) {
      advisoryOutsideProduction(
        report,
        stack,
        railwayServiceRequireHealthcheck,
      )(
        settingViolation(
          stack,
          props,
          "deploy.healthcheckPath",
          `Public ${serviceLabel(props)} must have a healthcheck (healthcheckPath is ${shown(path)})`,
          (key) => `set \`${key}\` to its health endpoint, e.g. /health`,
          "set deploy.healthcheckPath",
        ),
      );
    }
  },
};
