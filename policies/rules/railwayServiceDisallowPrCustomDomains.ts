import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import type { EnvironmentProps, ServiceInstanceProps } from "../lib/contract";
import { TYPE_TOKENS } from "../lib/contract";
import { serviceLabel, settingViolation } from "../lib/messages";
import { customDomainsOf } from "../lib/resources";
import { stackOfResources } from "../lib/stack";
import { peek } from "../lib/values";

/** The name of the first Environment of the stack that is ephemeral, if any. */
function ephemeralEnvironment(resources: PolicyResource[]): string | undefined {
  for (const r of resources) {
    if (r.type !== TYPE_TOKENS.environment) continue;
    const props = r.props as EnvironmentProps;
    if (peek(() => props.ephemeral) === true) {
      const name = peek(() => props.name);
      return typeof name === "string" ? name : r.name;
    }
  }
  return undefined;
}

/**
 * PR previews come and go with pull requests; a custom domain there would take a real hostname
 * away from the stack that owns it. They use their generated Railway domain. Judges `pr-<n>`
 * stacks (by name) and any stack that owns an ephemeral environment (layout `shared`: its
 * Environment has `ephemeral: true`, as PR environments forked from preview do), whatever its
 * name. Blocks in those stacks.
 *
 * A stack policy, not a resource policy: a ServiceInstance's inputs do not say whether its
 * environment is ephemeral, only the stack's Environment resource does, and a resource policy
 * sees one resource at a time (`ResourceValidationArgs` carries no dependencies). Like the
 * stack-isolation rule it judges the whole stack in `pulumi preview`, which every deploy runs
 * first (CI's `policy:check`, `pulumi up` without `--skip-preview`); PR stacks are also derived
 * without custom domains (infra/config/pr.ts), so the policy is the backstop for hand-written
 * or changed code.
 * @severity high
 */
export const railwayServiceDisallowPrCustomDomains: StackValidationPolicy = {
  name: "railway-service-disallow-pr-custom-domains",
  description:
    "Checks that services in pull-request stacks (pr-<n>) and in ephemeral environments have no custom domains. PR previews use their generated Railway domain.",
  enforcementLevel: "mandatory",
  severity: "high",
  validateStack: (args, report) => {
    const stack = stackOfResources(args);
    if (!stack) {
      return args.notApplicable("The stack has no resources.");
    }
    const ephemeral = ephemeralEnvironment(args.resources);
    if (!stack.pr && ephemeral === undefined) {
      return args.notApplicable(
        `Only judges pull-request stacks (pr-<n>) and stacks of an ephemeral environment; stack "${stack.name}" is neither.`,
      );
    }
    const who = stack.pr
      ? `PR stack "${stack.name}"`
      : `Stack "${stack.name}" of the ephemeral environment "${ephemeral}"`;
    for (const resource of args.resources) {
      if (resource.type !== TYPE_TOKENS.serviceInstance) continue;
      const props = resource.props as ServiceInstanceProps;
      const domains = customDomainsOf(props);
      if (domains.length > 0) {
        report(
          settingViolation(
            stack,
            props,
            "networking.customDomains",
            `${who} must not claim custom domains (${serviceLabel(props)} has ${domains.join(", ")})`,
            (key) => `remove \`${key}\``,
            "declare it without networking.customDomains",
          ),
          resource.urn,
        );
      }
    }
  },
};
