import type { ResourceValidationPolicy } from "@pulumi/policy";
import { serviceLabel, settingViolation } from "../lib/messages";
import { productionService } from "../lib/resources";
import { peek } from "../lib/values";

/**
 * A sleeping service answers its first request after idle time with a cold start, or not at all.
 * @severity medium
 */
export const railwayServiceDisallowSleep: ResourceValidationPolicy = {
  name: "railway-service-disallow-sleep",
  description: "Checks that no production service sleeps when idle (sleepApplication).",
  enforcementLevel: "mandatory",
  severity: "medium",
  validateResource: (args, report) => {
    const { props, stack } = productionService(args);
    if (peek(() => props.deploy?.sleepApplication) === true) {
      report(
        settingViolation(
          stack,
          props,
          "deploy.sleepApplication",
          `Production ${serviceLabel(props)} must not sleep when idle (sleepApplication is true)`,
          (key) => `set \`${key}\` to false`,
          "set deploy.sleepApplication to false",
        ),
      );
    }
  },
};
