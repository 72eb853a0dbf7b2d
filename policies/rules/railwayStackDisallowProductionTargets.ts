import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import type { ProjectProps, ServiceInstanceProps } from "../lib/contract";
import { TYPE_TOKENS } from "../lib/contract";
import { configPath } from "../lib/keys";
import { codeViolation, serviceLabel, settingViolation, violation } from "../lib/messages";
import type { StackInfo } from "../lib/stack";
import { PRODUCTION, stackOfResources } from "../lib/stack";
import { configOf, knownStringEntries, peek, REFERENCE } from "../lib/values";

interface Config {
  productionProjectNames: string[];
  productionIds: string[];
  productionHosts: string[];
}

const DEFAULTS: Config = { productionProjectNames: [], productionIds: [], productionHosts: [] };

/** Without configured names: a production project's name is `production`/`prod` or ends in `-production`/`-prod`. */
const PRODUCTION_PROJECT_NAME = /(^|-)(production|prod)$/i;
/** Without configured hosts: Railway's generated domains of a production environment (`api-production-1a2b.up.railway.app`). */
const PRODUCTION_RAILWAY_DOMAIN = /^[a-z0-9-]*-production(-[a-z0-9]+)?\.up\.railway\.app$/i;
/** Railway ids that could name the production project, environment, service or volume. */
const ID_PROPS = ["projectId", "environmentId", "serviceId", "volumeId"] as const;
const RAILWAY_TYPES: string[] = Object.values(TYPE_TOKENS);
const HOST = /(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]*[a-z0-9]/gi;

/** Hosts named in a value; Railway references are resolved by Railway inside this stack's project. */
export function hostsIn(value: string): string[] {
  return [...value.replace(REFERENCE, " ").matchAll(HOST)].map((m) => m[0].toLowerCase());
}

/** True when `host` is one of `hosts` (exact, or under a `*.domain` entry) or a production Railway domain. */
export function isProductionHost(host: string, hosts: string[]): boolean {
  const h = host.toLowerCase();
  return (
    PRODUCTION_RAILWAY_DOMAIN.test(h) ||
    hosts.some((entry) => {
      const e = entry.toLowerCase();
      return e.startsWith("*.") ? h.endsWith(e.slice(1)) : h === e;
    })
  );
}

function known(read: () => unknown): string | undefined {
  const value = peek(read);
  return typeof value === "string" ? value : undefined;
}

/**
 * Preview and PR stacks own their own Railway project (docs/decisions.md §1). A stack that
 * names the production project, a production id or a production host would deploy into, or send
 * traffic and data to, production. Blocks every non-production stack.
 * @severity critical
 */
export const railwayStackDisallowProductionTargets: StackValidationPolicy = {
  name: "railway-stack-disallow-production-targets",
  description:
    "Checks that a non-production stack never points at production: no production project name, tier or Railway id, and no variable naming a production host.",
  configSchema: {
    properties: {
      productionProjectNames: {
        type: "array",
        items: { type: "string" },
        default: DEFAULTS.productionProjectNames,
        description:
          "Railway project names of production, in addition to names ending in -production or -prod.",
      },
      productionIds: {
        type: "array",
        items: { type: "string" },
        default: DEFAULTS.productionIds,
        description: "Railway ids of the production project, environment, services and volumes.",
      },
      productionHosts: {
        type: "array",
        items: { type: "string" },
        default: DEFAULTS.productionHosts,
        description:
          'Production hostnames ("api.example.com") or domains ("*.example.com"), in addition to *-production.up.railway.app.',
      },
    },
  },
  enforcementLevel: "mandatory",
  severity: "critical",
  validateStack: (args, report) => {
    const stack = stackOfResources(args);
    if (!stack) {
      return args.notApplicable("The stack has no resources.");
    }
    if (stack.productionStack) {
      return args.notApplicable("Only judges stacks that are not production.");
    }
    const config = configOf(args, DEFAULTS);
    for (const resource of args.resources) {
      if (resource.type === TYPE_TOKENS.project) {
        checkProject(resource, stack, config, report);
      }
      if (RAILWAY_TYPES.includes(resource.type)) {
        checkIds(resource, stack, config, report);
      }
      if (resource.type === TYPE_TOKENS.serviceInstance) {
        checkServiceInstance(resource, stack, config, report);
      }
    }
  },
};

type Report = (message: string, urn?: string) => void;

function rule(stack: StackInfo, what: string): string {
  return `Stack "${stack.name}" must not point at production: ${what}`;
}

function checkProject(
  resource: PolicyResource,
  stack: StackInfo,
  config: Config,
  report: Report,
): void {
  const props = resource.props as ProjectProps;
  const name = known(() => props.name);
  if (name !== undefined) {
    const configured = config.productionProjectNames.some(
      (n) => n.toLowerCase() === name.toLowerCase(),
    );
    if (configured || PRODUCTION_PROJECT_NAME.test(name)) {
      report(
        violation(
          stack,
          rule(
            stack,
            `project "${name}" ${configured ? "is the production project" : "is named like a production project"}`,
          ),
          `set \`${configPath("project.name")}\` to this stack's own project name (not ending in -production or -prod)`,
        ),
        resource.urn,
      );
    }
  }
  if (known(() => props.tier) === PRODUCTION) {
    report(
      violation(
        stack,
        rule(stack, `project "${name ?? resource.name}" declares tier production`),
        `set \`${configPath("tier")}\` to this stack's tier`,
      ),
      resource.urn,
    );
  }
  const owner = known(() => props.stack);
  if (owner !== undefined && owner !== stack.name) {
    report(
      codeViolation(
        rule(stack, `project "${name ?? resource.name}" belongs to stack "${owner}"`),
        "declare the project with this stack's name as its `stack` input (pulumi.getStack())",
      ),
      resource.urn,
    );
  }
}

function checkIds(
  resource: PolicyResource,
  stack: StackInfo,
  config: Config,
  report: Report,
): void {
  for (const prop of ID_PROPS) {
    const id = known(() => resource.props[prop]);
    if (id !== undefined && config.productionIds.includes(id)) {
      report(
        violation(
          stack,
          rule(stack, `${resource.name} uses the production ${prop} "${id}"`),
          `remove the production id "${id}"`,
        ),
        resource.urn,
      );
    }
  }
}

function checkServiceInstance(
  resource: PolicyResource,
  stack: StackInfo,
  config: Config,
  report: Report,
): void {
  const props = resource.props as ServiceInstanceProps;
  if (known(() => props.tier) === PRODUCTION) {
    report(
      violation(
        stack,
        rule(stack, `${serviceLabel(props)} declares tier production`),
        `set \`${configPath("tier")}\` to this stack's tier`,
      ),
      resource.urn,
    );
  }
  for (const [key, value] of knownStringEntries(() => props.variables)) {
    const host = hostsIn(value).find((h) => isProductionHost(h, config.productionHosts));
    if (host !== undefined) {
      report(
        settingViolation(
          stack,
          props,
          `variables.${key}`,
          rule(
            stack,
            `variable ${key} of ${serviceLabel(props)} names the production host "${host}"`,
          ),
          (k) => `set \`${k}\` to this stack's own endpoint, e.g. { ref: <service>.<VARIABLE> }`,
          `point ${key} at this stack's own service`,
        ),
        resource.urn,
      );
    }
  }
}
