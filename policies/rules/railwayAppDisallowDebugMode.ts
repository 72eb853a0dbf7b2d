import type { ResourceValidationPolicy } from "@pulumi/policy";
import { keyOf } from "../lib/keys";
import { serviceLabel, violation } from "../lib/messages";
import { productionApp } from "../lib/resources";
import { UNKNOWN, variableOf } from "../lib/values";

/** Values an app reads as "debug on". */
const TRUTHY = /^(true|1|yes|on)$/i;

/**
 * Debug mode leaks stack traces and internals to clients; never in production.
 * @severity high
 */
export const railwayAppDisallowDebugMode: ResourceValidationPolicy = {
  name: "railway-app-disallow-debug-mode",
  description: "Checks that no production app service runs with DEBUG turned on.",
  enforcementLevel: "mandatory",
  severity: "high",
  validateResource: (args, report) => {
    const { props, stack } = productionApp(args);
    const value = variableOf(props, "DEBUG");
    if (value !== UNKNOWN && value !== undefined && TRUTHY.test(value.trim())) {
      report(
        violation(
          stack,
          `Production ${serviceLabel(props)} must not run in debug mode (DEBUG is ${JSON.stringify(value)})`,
          `set \`${keyOf(props, "variables.DEBUG")}\` to false`,
        ),
      );
    }
  },
};
