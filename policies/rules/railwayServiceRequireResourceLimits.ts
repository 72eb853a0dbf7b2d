import type { ResourceValidationPolicy } from "@pulumi/policy";
import { serviceLabel, settingViolation } from "../lib/messages";
import { productionService } from "../lib/resources";
import { peek, shown, UNKNOWN } from "../lib/values";

const LIMITS = [
  { field: "cpu", what: "a CPU limit", example: "vCPUs per replica, e.g. 1" },
  { field: "memoryBytes", what: "a memory limit", example: 'per replica, e.g. "1GB"' },
] as const;

/**
 * Explicit limits keep one runaway production service from starving the others and make the bill
 * predictable.
 * @severity medium
 */
export const railwayServiceRequireResourceLimits: ResourceValidationPolicy = {
  name: "railway-service-require-resource-limits",
  description:
    "Checks that every production service sets its CPU (cpu) and memory (memoryBytes) limits.",
  enforcementLevel: "mandatory",
  severity: "medium",
  validateResource: (args, report) => {
    const { props, stack } = productionService(args);
    for (const { field, what, example } of LIMITS) {
      const value = peek(() => props.deploy?.[field]);
      if (value !== UNKNOWN && !(typeof value === "number" && value > 0)) {
        report(
          settingViolation(
            stack,
            props,
            `deploy.${field}`,
            `Production ${serviceLabel(props)} must set ${what} (${field} is ${shown(value)})`,
            (key) => `set \`${key}\` (${example})`,
            `set deploy.${field}`,
          ),
        );
      }
    }
  },
};
