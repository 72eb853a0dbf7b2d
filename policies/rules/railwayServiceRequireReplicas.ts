import type { ResourceValidationPolicy } from "@pulumi/policy";
import type { Setting } from "../lib/keys";
import { serviceLabel, settingViolation } from "../lib/messages";
import { hasPublicDomain, isDatastore, productionService, roleOf } from "../lib/resources";
import { configOf, peek, UNKNOWN } from "../lib/values";

interface Config {
  minReplicas: number;
}

/** The production tier's web replicas (docs/decisions.md §6). */
const DEFAULTS: Config = { minReplicas: 2 };

/**
 * One replica means every deploy, crash or host failure is an outage of a public service.
 * Replicas may be spread over regions (`deploy.multiRegion`); they are summed.
 * @severity medium
 */
export const railwayServiceRequireReplicas: ResourceValidationPolicy = {
  name: "railway-service-require-replicas",
  description:
    "Checks that public production services run at least the minimum number of replicas, counted over all their regions.",
  configSchema: {
    properties: {
      minReplicas: {
        type: "integer",
        minimum: 1,
        default: DEFAULTS.minReplicas,
        description: "Fewest replicas (summed over regions) a public production service may run.",
      },
    },
  },
  enforcementLevel: "mandatory",
  severity: "medium",
  validateResource: (args, report) => {
    const { props, stack } = productionService(args);
    if (isDatastore(roleOf(props)) || !hasPublicDomain(props)) {
      return args.notApplicable("Only judges public app services.");
    }
    const { minReplicas } = configOf(args, DEFAULTS);
    const regions = peek(() => props.deploy?.multiRegion);
    const replicas = peek(() => props.deploy?.numReplicas);
    if (regions === UNKNOWN || replicas === UNKNOWN) {
      return;
    }
    let total: number;
    let setting: Setting;
    if (regions && typeof regions === "object" && Object.keys(regions).length > 0) {
      const counts = Object.keys(regions).map((region) => peek(() => regions[region]));
      if (counts.includes(UNKNOWN)) {
        return;
      }
      total = counts.reduce<number>((sum, n) => sum + (typeof n === "number" ? n : 0), 0);
      setting = "deploy.multiRegion";
    } else {
      total = typeof replicas === "number" ? replicas : 1;
      setting = "deploy.numReplicas";
    }
    if (total < minReplicas) {
      report(
        settingViolation(
          stack,
          props,
          setting,
          `Public production ${serviceLabel(props)} must run at least ${minReplicas} replicas (it runs ${total})`,
          (key) =>
            setting === "deploy.multiRegion"
              ? `set \`${key}\` to ${minReplicas} or more replicas in total`
              : `set \`${key}\` to ${minReplicas} or more`,
          `run ${minReplicas} or more replicas`,
        ),
      );
    }
  },
};
