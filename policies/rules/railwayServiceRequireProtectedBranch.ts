import type { ResourceValidationPolicy } from "@pulumi/policy";
import { configPath } from "../lib/keys";
import { serviceLabel, settingViolation } from "../lib/messages";
import { productionService } from "../lib/resources";
import { configOf, peek, shown, UNKNOWN } from "../lib/values";

interface Config {
  protectedBranch: string;
}

const DEFAULTS: Config = { protectedBranch: "main" };

/**
 * Production runs only code that went through review on the protected branch.
 * @severity high
 */
export const railwayServiceRequireProtectedBranch: ResourceValidationPolicy = {
  name: "railway-service-require-protected-branch",
  description:
    "Checks that production services built from a repository deploy from the protected branch only.",
  configSchema: {
    properties: {
      protectedBranch: {
        type: "string",
        minLength: 1,
        default: DEFAULTS.protectedBranch,
        description: "The only branch production may deploy from.",
      },
    },
  },
  enforcementLevel: "mandatory",
  severity: "high",
  validateResource: (args, report) => {
    const { props, stack } = productionService(args);
    const repo = peek(() => props.source?.repo);
    if (repo !== UNKNOWN && typeof repo !== "string") {
      return args.notApplicable("Only judges services deployed from a repository.");
    }
    const { protectedBranch } = configOf(args, DEFAULTS);
    const branch = peek(() => props.source?.branch);
    if (branch !== UNKNOWN && branch !== protectedBranch) {
      report(
        settingViolation(
          stack,
          props,
          "source.branch",
          `Production ${serviceLabel(props)} must deploy from the protected branch "${protectedBranch}" (branch is ${shown(branch)})`,
          (key) =>
            `set \`${key}\` to ${protectedBranch}, or remove it and set \`${configPath("project.protectedBranch")}\` to ${protectedBranch}`,
          `set source.branch to ${protectedBranch}`,
        ),
      );
    }
  },
};
