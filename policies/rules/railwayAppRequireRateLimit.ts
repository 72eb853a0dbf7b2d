import type { ResourceValidationPolicy } from "@pulumi/policy";
import { keyOf } from "../lib/keys";
import { serviceLabel, violation } from "../lib/messages";
import { productionApp } from "../lib/resources";
import { configOf, shown, UNKNOWN, variableOf } from "../lib/values";

interface Config {
  maxRpm: number;
}

/** The production tier's limit (docs/decisions.md §6). */
const DEFAULTS: Config = { maxRpm: 60 };

/**
 * Production apps rate-limit every client, no looser than the production tier.
 * @severity high
 */
export const railwayAppRequireRateLimit: ResourceValidationPolicy = {
  name: "railway-app-require-rate-limit",
  description:
    "Checks that production app services have rate limiting on (RATE_LIMIT_ENABLED) with RATE_LIMIT_RPM no looser than the production tier.",
  configSchema: {
    properties: {
      maxRpm: {
        type: "integer",
        minimum: 1,
        default: DEFAULTS.maxRpm,
        description:
          "Highest RATE_LIMIT_RPM (requests per minute per client) allowed in production.",
      },
    },
  },
  enforcementLevel: "mandatory",
  severity: "high",
  validateResource: (args, report) => {
    const { props, stack } = productionApp(args);
    const { maxRpm } = configOf(args, DEFAULTS);
    const enabled = variableOf(props, "RATE_LIMIT_ENABLED");
    if (enabled !== UNKNOWN && enabled !== "true") {
      report(
        violation(
          stack,
          `Production ${serviceLabel(props)} must have rate limiting on (RATE_LIMIT_ENABLED is ${shown(enabled)})`,
          `set \`${keyOf(props, "variables.RATE_LIMIT_ENABLED")}\` to true`,
        ),
      );
    }
    const rpm = variableOf(props, "RATE_LIMIT_RPM");
    if (
      rpm !== UNKNOWN &&
      !(rpm !== undefined && /^\d+$/.test(rpm) && Number(rpm) >= 1 && Number(rpm) <= maxRpm)
    ) {
      report(
        violation(
          stack,
          `Production ${serviceLabel(props)} must limit each client to at most ${maxRpm} requests per minute (RATE_LIMIT_RPM is ${shown(rpm)})`,
          `set \`${keyOf(props, "variables.RATE_LIMIT_RPM")}\` to a whole number from 1 to ${maxRpm}`,
        ),
      );
    }
  },
};
