import type { ResourceValidationPolicy } from "@pulumi/policy";
import { serviceLabel, settingViolation } from "../lib/messages";
import { productionService } from "../lib/resources";
import { peek, shown, UNKNOWN } from "../lib/values";

/**
 * A crashed production process comes back by itself. ON_FAILURE needs at least one retry; ALWAYS
 * restarts without a retry limit (Railway ignores restartPolicyMaxRetries for it).
 * @severity medium
 */
export const railwayServiceConfigureRestartPolicy: ResourceValidationPolicy = {
  name: "railway-service-configure-restart-policy",
  description:
    "Checks that production services restart after a crash: restartPolicyType ON_FAILURE with restartPolicyMaxRetries of 1 or more, or ALWAYS.",
  enforcementLevel: "mandatory",
  severity: "medium",
  validateResource: (args, report) => {
    const { props, stack } = productionService(args);
    const type = peek(() => props.deploy?.restartPolicyType);
    const retries = peek(() => props.deploy?.restartPolicyMaxRetries);
    if (type === UNKNOWN) {
      return;
    }
    if (type !== "ON_FAILURE" && type !== "ALWAYS") {
      report(
        settingViolation(
          stack,
          props,
          "deploy.restartPolicyType",
          `Production ${serviceLabel(props)} must restart after a crash (restartPolicyType is ${shown(type)})`,
          (key) => `set \`${key}\` to ON_FAILURE`,
          "set deploy.restartPolicyType to ON_FAILURE with restartPolicyMaxRetries of 1 or more",
        ),
      );
    } else if (
      type === "ON_FAILURE" &&
      retries !== UNKNOWN &&
      !(typeof retries === "number" && retries >= 1)
    ) {
      report(
        settingViolation(
          stack,
          props,
          "deploy.restartPolicyMaxRetries",
          `Production ${serviceLabel(props)} must retry at least once after a crash (restartPolicyMaxRetries is ${shown(retries)})`,
          (key) => `set \`${key}\` to 1 or more`,
          "set deploy.restartPolicyMaxRetries to 1 or more",
        ),
      );
    }
  },
};
