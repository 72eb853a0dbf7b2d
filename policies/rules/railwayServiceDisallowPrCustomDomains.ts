import type { ResourceValidationPolicy } from "@pulumi/policy";
import { serviceLabel, settingViolation } from "../lib/messages";
import { customDomainsOf, serviceInstanceProps } from "../lib/resources";
import { stackOfResource } from "../lib/stack";

/**
 * PR stacks come and go with pull requests; a custom domain there would take a real hostname away
 * from the stack that owns it. They use their generated Railway domain. Blocks in PR stacks.
 * @severity high
 */
export const railwayServiceDisallowPrCustomDomains: ResourceValidationPolicy = {
  name: "railway-service-disallow-pr-custom-domains",
  description:
    "Checks that services in pull-request stacks (pr-<n>) have no custom domains. PR previews use their generated Railway domain.",
  enforcementLevel: "mandatory",
  severity: "high",
  validateResource: (args, report) => {
    const props = serviceInstanceProps(args);
    const stack = stackOfResource(args);
    if (!stack.pr) {
      return args.notApplicable(
        `Only judges pull-request stacks (pr-<n>); stack "${stack.name}" is not one.`,
      );
    }
    const domains = customDomainsOf(props);
    if (domains.length > 0) {
      report(
        settingViolation(
          stack,
          props,
          "networking.customDomains",
          `PR stack "${stack.name}" must not claim custom domains (${serviceLabel(props)} has ${domains.join(", ")})`,
          (key) => `remove \`${key}\``,
          "declare it without networking.customDomains",
        ),
      );
    }
  },
};
