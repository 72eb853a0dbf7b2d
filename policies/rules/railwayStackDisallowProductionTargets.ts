import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { PRODUCTION_ENVIRONMENT } from "../../infra/domain/rules";
import type { EnvironmentProps, ProjectProps, ServiceInstanceProps } from "../lib/contract";
import { TYPE_TOKENS } from "../lib/contract";
import { configPath } from "../lib/keys";
import {
  codeViolation,
  configViolation,
  serviceLabel,
  settingViolation,
  violation,
} from "../lib/messages";
import type { StackInfo } from "../lib/stack";
import { PRODUCTION, stackOfResources } from "../lib/stack";
import { configOf, knownStringEntries, peek, REFERENCE } from "../lib/values";

interface Config {
  productionProjectNames: string[];
  productionEnvironmentNames: string[];
  productionIds: string[];
  productionHosts: string[];
}

const DEFAULTS: Config = {
  productionProjectNames: [],
  productionEnvironmentNames: [],
  productionIds: [],
  productionHosts: [],
};

/** Without configured names: a production project's name is `production`/`prod` or ends in `-production`/`-prod`. */
const PRODUCTION_PROJECT_NAME = /(^|-)(production|prod)$/i;
/** Without configured hosts: Railway's generated domains of a production environment (`api-production-1a2b.up.railway.app`). */
const PRODUCTION_RAILWAY_DOMAIN = /^[a-z0-9-]*-production(-[a-z0-9]+)?\.up\.railway\.app$/i;
/** Railway ids that could name the production project, environment, service or volume (isolated layout). */
const ID_PROPS = ["projectId", "environmentId", "serviceId", "volumeId"] as const;
/**
 * In a shared project the project, its services and its volumes are every stack's: only an
 * environment id tells production apart (an Environment's own id, or the one it is forked from).
 */
const SHARED_ID_PROPS = ["environmentId", "sourceEnvironmentId"] as const;
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
 * A non-production stack must never deploy into, or send traffic and data to, production
 * (docs/decisions.md §1). What "production" is depends on the layout:
 *
 * - `isolated` (a project per stack; its Project has no `shared: true`): the production project,
 *   by name, tier, owner or id.
 * - `shared` (every stack in one project; its Project has `shared: true`, and the stack declares an
 *   Environment): the project, its services and volumes are everyone's, so their names and ids
 *   are not judged; what a stack must not target is the production ENVIRONMENT: an Environment
 *   named `production` or a configured production name, with tier production, forked from
 *   production, or with a configured production id, and no resource with the production
 *   `environmentId` (ServiceInstance, Volume, SharedVariables).
 *
 * In both, no ServiceInstance may declare tier production or name a production host in a
 * variable. Blocks every non-production stack.
 * @severity critical
 */
export const railwayStackDisallowProductionTargets: StackValidationPolicy = {
  name: "railway-stack-disallow-production-targets",
  description:
    "Checks that a non-production stack never points at production: no production project (isolated layout) or production environment (shared layout), no production tier or Railway id, and no variable naming a production host.",
  configSchema: {
    properties: {
      productionProjectNames: {
        type: "array",
        items: { type: "string" },
        default: DEFAULTS.productionProjectNames,
        description:
          "Railway project names of production, in addition to names ending in -production or -prod (isolated layout; a shared project is every stack's).",
      },
      productionEnvironmentNames: {
        type: "array",
        items: { type: "string" },
        default: DEFAULTS.productionEnvironmentNames,
        description:
          "Environment names of production in a shared project, in addition to production (shared layout).",
      },
      productionIds: {
        type: "array",
        items: { type: "string" },
        default: DEFAULTS.productionIds,
        description:
          "Railway ids of production: its environment, and in the isolated layout its project, services and volumes (a shared project's are every stack's, so only environment ids count there).",
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
    const shared = isSharedLayout(args.resources);
    for (const resource of args.resources) {
      if (resource.type === TYPE_TOKENS.project) {
        checkProject(resource, stack, config, shared, report);
      }
      if (resource.type === TYPE_TOKENS.environment) {
        checkEnvironment(resource, stack, config, report);
      }
      if (RAILWAY_TYPES.includes(resource.type)) {
        checkIds(resource, stack, config, shared ? SHARED_ID_PROPS : ID_PROPS, report);
      }
      if (resource.type === TYPE_TOKENS.serviceInstance) {
        checkServiceInstance(resource, stack, config, report);
      }
    }
  },
};

type Report = (message: string, urn?: string) => void;

/**
 * Layout `shared`: the stack's Project is shared (`shared: true`) or it declares an Environment
 * (only shared stacks do). Isolated stacks have neither.
 */
export function isSharedLayout(resources: PolicyResource[]): boolean {
  return resources.some(
    (r) =>
      r.type === TYPE_TOKENS.environment ||
      (r.type === TYPE_TOKENS.project && peek(() => (r.props as ProjectProps).shared) === true),
  );
}

function rule(stack: StackInfo, what: string): string {
  return `Stack "${stack.name}" must not point at production: ${what}`;
}

function checkProject(
  resource: PolicyResource,
  stack: StackInfo,
  config: Config,
  shared: boolean,
  report: Report,
): void {
  const props = resource.props as ProjectProps;
  const name = known(() => props.name);
  // A shared project is every stack's, production's too: its name is no target.
  if (name !== undefined && !shared) {
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
  checkTierAndOwner(resource, stack, `project "${name ?? resource.name}"`, "project", report);
}

function checkEnvironment(
  resource: PolicyResource,
  stack: StackInfo,
  config: Config,
  report: Report,
): void {
  const props = resource.props as EnvironmentProps;
  const name = known(() => props.name);
  const label = `environment "${name ?? resource.name}"`;
  const isProduction = (n: string): boolean =>
    n.toLowerCase() === PRODUCTION_ENVIRONMENT ||
    config.productionEnvironmentNames.some((p) => p.toLowerCase() === n.toLowerCase());
  if (name !== undefined && isProduction(name)) {
    report(
      violation(
        stack,
        rule(stack, `${label} is the production environment`),
        `set \`${configPath("project.environment")}\` to this stack's own environment (not production), or remove it to use the stack name`,
      ),
      resource.urn,
    );
  }
  const source = known(() => props.sourceEnvironmentName);
  if (source !== undefined && isProduction(source)) {
    report(
      configViolation(
        stack.pr ? "preview" : stack.name,
        rule(stack, `${label} is forked from the production environment "${source}"`),
        `set \`${configPath("project.environment")}\` to the preview stack's own environment (PR environments fork it)`,
      ),
      resource.urn,
    );
  }
  checkTierAndOwner(resource, stack, label, "environment", report);
}

/**
 * A project or environment this stack declares must carry this stack's tier and name: one that
 * says production, or another stack, is that stack's.
 */
function checkTierAndOwner(
  resource: PolicyResource,
  stack: StackInfo,
  label: string,
  kind: "project" | "environment",
  report: Report,
): void {
  const props = resource.props as ProjectProps | EnvironmentProps;
  if (known(() => props.tier) === PRODUCTION) {
    report(
      violation(
        stack,
        rule(stack, `${label} declares tier production`),
        `set \`${configPath("tier")}\` to this stack's tier`,
      ),
      resource.urn,
    );
  }
  const owner = known(() => props.stack);
  if (owner !== undefined && owner !== stack.name) {
    report(
      codeViolation(
        rule(stack, `${label} belongs to stack "${owner}"`),
        `declare the ${kind} with this stack's name as its \`stack\` input (pulumi.getStack())`,
      ),
      resource.urn,
    );
  }
}

function checkIds(
  resource: PolicyResource,
  stack: StackInfo,
  config: Config,
  props: readonly string[],
  report: Report,
): void {
  for (const prop of props) {
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
