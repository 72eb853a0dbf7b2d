import type { ResourceValidationPolicy } from "@pulumi/policy";
import type { EnvironmentProps } from "../lib/contract";
import { TYPE_TOKENS } from "../lib/contract";
import { configPath } from "../lib/keys";
import { violation } from "../lib/messages";
import { notProductionReason, stackOfResource } from "../lib/stack";
import { peek } from "../lib/values";

/**
 * Production's environment (layout `shared`: the stack's Environment resource) must outlive every
 * pull request and stand on its own. Railway deletes an ephemeral environment with its pull
 * request, and a fork starts as a copy of another environment (its variables, volumes' data) and
 * no longer receives the project's service changes. Only PR stacks (`pr-<n>`) own such
 * environments: ephemeral forks of the preview environment. Production only.
 * @severity critical
 */
export const railwayEnvironmentDisallowEphemeralProduction: ResourceValidationPolicy = {
  name: "railway-environment-disallow-ephemeral-production",
  description:
    "Checks that the environment of a production stack is neither ephemeral nor a fork of another environment.",
  enforcementLevel: "mandatory",
  severity: "critical",
  validateResource: (args, report) => {
    if (args.type !== TYPE_TOKENS.environment) {
      return args.notApplicable(`Only judges ${TYPE_TOKENS.environment}.`);
    }
    const props = args.props as EnvironmentProps;
    const stack = stackOfResource(args);
    if (!stack.production) {
      return args.notApplicable(notProductionReason(stack));
    }
    const name = peek(() => props.name);
    const label = `Environment "${typeof name === "string" ? name : args.name}" of production stack "${stack.name}"`;
    if (peek(() => props.ephemeral) === true) {
      report(
        violation(
          stack,
          `${label} must not be ephemeral: Railway deletes ephemeral environments with their pull request`,
          `set \`${configPath("project.environment")}\` to production (a permanent environment, not pr-<n>)`,
        ),
      );
    }
    const source = peek(() => props.sourceEnvironmentName);
    if (typeof source === "string") {
      report(
        violation(
          stack,
          `${label} must not be a fork of "${source}": a fork starts as a copy of it and no longer receives the project's service changes`,
          `set \`${configPath("project.environment")}\` to an environment of its own, or \`${configPath("project.layout")}\` to isolated`,
        ),
      );
    }
  },
};
