import type { ResourceValidationPolicy } from "@pulumi/policy";
import { keyOf } from "../lib/keys";
import { serviceLabel, violation } from "../lib/messages";
import { productionApp } from "../lib/resources";
import { shown, UNKNOWN, variableOf } from "../lib/values";

/**
 * The app's security middleware (headers, request hardening) is on in production.
 * @severity high
 */
export const railwayAppEnableSecurityMiddleware: ResourceValidationPolicy = {
  name: "railway-app-enable-security-middleware",
  description: 'Checks that production app services run with SECURITY_MIDDLEWARE set to "true".',
  enforcementLevel: "mandatory",
  severity: "high",
  validateResource: (args, report) => {
    const { props, stack } = productionApp(args);
    const value = variableOf(props, "SECURITY_MIDDLEWARE");
    if (value !== UNKNOWN && value !== "true") {
      report(
        violation(
          stack,
          `Production ${serviceLabel(props)} must run its security middleware (SECURITY_MIDDLEWARE is ${shown(value)})`,
          `set \`${keyOf(props, "variables.SECURITY_MIDDLEWARE")}\` to true`,
        ),
      );
    }
  },
};
