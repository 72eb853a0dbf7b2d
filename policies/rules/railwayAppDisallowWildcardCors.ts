import type { ResourceValidationPolicy } from "@pulumi/policy";
import { keyOf } from "../lib/keys";
import { serviceLabel, violation } from "../lib/messages";
import { productionApp } from "../lib/resources";
import { UNKNOWN, variableOf } from "../lib/values";

/**
 * A wildcard origin lets any website call the production API with its users' browsers.
 * @severity high
 */
export const railwayAppDisallowWildcardCors: ResourceValidationPolicy = {
  name: "railway-app-disallow-wildcard-cors",
  description:
    'Checks that production app services list their CORS origins explicitly. CORS_ORIGINS must not be or contain "*".',
  enforcementLevel: "mandatory",
  severity: "high",
  validateResource: (args, report) => {
    const { props, stack } = productionApp(args);
    const value = variableOf(props, "CORS_ORIGINS");
    if (value !== UNKNOWN && value !== undefined && value.includes("*")) {
      report(
        violation(
          stack,
          `Production ${serviceLabel(props)} must not allow wildcard CORS origins (CORS_ORIGINS is ${JSON.stringify(value)})`,
          `set \`${keyOf(props, "variables.CORS_ORIGINS")}\` to the exact origins, e.g. ["https://app.example.com"]`,
        ),
      );
    }
  },
};
