import type { ResourceValidationPolicy } from "@pulumi/policy";
import { keyOf } from "../lib/keys";
import { serviceLabel, violation } from "../lib/messages";
import { productionApp } from "../lib/resources";
import { shown, UNKNOWN, variableOf } from "../lib/values";

/**
 * Production logs are structured so that Railway's log search and alerts can parse them.
 * @severity low
 */
export const railwayAppRequireJsonLogs: ResourceValidationPolicy = {
  name: "railway-app-require-json-logs",
  description: 'Checks that production app services log JSON (LOG_FORMAT set to "json").',
  enforcementLevel: "mandatory",
  severity: "low",
  validateResource: (args, report) => {
    const { props, stack } = productionApp(args);
    const value = variableOf(props, "LOG_FORMAT");
    if (value !== UNKNOWN && value !== "json") {
      report(
        violation(
          stack,
          `Production ${serviceLabel(props)} must log JSON (LOG_FORMAT is ${shown(value)})`,
          `set \`${keyOf(props, "variables.LOG_FORMAT")}\` to json`,
        ),
      );
    }
  },
};
