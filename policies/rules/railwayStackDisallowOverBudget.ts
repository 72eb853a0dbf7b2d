import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { computeMonthlyCost, volumeMonthlyCost, type CostRange } from "../../infra/cost/model";
import type {
  EnvironmentComponentOutputs,
  Loose,
  ServiceInstanceProps,
  VolumeProps,
} from "../lib/contract";
import { ENVIRONMENT_COMPONENT_TYPE, TYPE_TOKENS } from "../lib/contract";
import { configPath } from "../lib/keys";
import { advisoryOutsideProduction } from "../lib/levels";
import { violation } from "../lib/messages";
import { stackOfResources } from "../lib/stack";
import { peek, UNKNOWN } from "../lib/values";

const BYTES_PER_MB = 1024 * 1024;

type EnvironmentProps = Loose<EnvironmentComponentOutputs>;
/** The upper bound does not depend on utilization; the model needs one. */
const FULL_USE = 1;

const known = (read: () => unknown): number | undefined => {
  const value = peek(read);
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
};

/** Replicas of a ServiceInstance: `numReplicas`, or the sum over `multiRegion`; 1 when unset. */
function replicasOf(props: ServiceInstanceProps): number | undefined {
  const regions = peek(() => props.deploy?.multiRegion);
  if (regions === UNKNOWN) return undefined;
  if (regions && typeof regions === "object") {
    let sum = 0;
    for (const key of Object.keys(regions)) {
      const count = known(() => (regions as Record<string, number>)[key]);
      if (count === undefined) return undefined;
      sum += count;
    }
    return sum;
  }
  const replicas = peek(() => props.deploy?.numReplicas);
  if (replicas === UNKNOWN) return undefined;
  return typeof replicas === "number" ? replicas : 1;
}

interface Priced {
  name: string;
  upper: number;
}

/** The upper bound of one ServiceInstance, from the inputs Railway receives; undefined if unknown. */
function serviceUpper(resource: PolicyResource): Priced | undefined {
  const props = resource.props as ServiceInstanceProps;
  const replicas = replicasOf(props);
  const cpu = peek(() => props.deploy?.cpu);
  const memoryBytes = peek(() => props.deploy?.memoryBytes);
  if (replicas === undefined || cpu === UNKNOWN || memoryBytes === UNKNOWN) return undefined;
  const cost: CostRange = computeMonthlyCost({
    replicas,
    cpu: typeof cpu === "number" ? cpu : undefined,
    memoryMB: typeof memoryBytes === "number" ? memoryBytes / BYTES_PER_MB : undefined,
    utilization: FULL_USE,
  });
  const name = peek(() => props.serviceName);
  return { name: typeof name === "string" ? name : resource.name, upper: cost.upper };
}

const usd = (amount: number): string =>
  `$${amount.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

/**
 * A budget only helps if a change that breaks it is stopped before it reaches Railway. The pack
 * prices the resources themselves (replicas, CPU and memory limits, volume sizes, with the same
 * model as `npm run cost`), so what is judged is what would be deployed. The budget
 * (`budget.monthlyUsd` in the stack file) comes from the outputs of the RailwayEnvironment
 * component: stack policies see outputs, and a component's are known in preview and change no
 * resource (a Project input would update the Project, making every service's projectId
 * unknown in preview).
 * @severity high
 */
export const railwayStackDisallowOverBudget: StackValidationPolicy = {
  name: "railway-stack-disallow-over-budget",
  description:
    "Checks that the stack's estimated monthly cost at full use of its limits stays within its budget (budget.monthlyUsd).",
  enforcementLevel: "mandatory",
  severity: "high",
  validateStack: (args, report) => {
    const stack = stackOfResources(args);
    if (!stack) {
      return args.notApplicable("The stack has no resources.");
    }
    const environment = args.resources.find((r) => r.type === ENVIRONMENT_COMPONENT_TYPE);
    const budget =
      environment === undefined
        ? undefined
        : known(() => (environment.props as EnvironmentProps).budgetMonthlyUsd);
    if (budget === undefined) {
      return args.notApplicable("The stack sets no budget (budget.monthlyUsd).");
    }
    const priced: Priced[] = [];
    let unknown = 0;
    for (const resource of args.resources) {
      if (resource.type === TYPE_TOKENS.serviceInstance) {
        const service = serviceUpper(resource);
        if (service) priced.push(service);
        else unknown++;
      } else if (resource.type === TYPE_TOKENS.volume) {
        const sizeMB = known(() => (resource.props as VolumeProps).sizeMB);
        if (sizeMB === undefined) unknown++;
        else priced.push({ name: `volume ${resource.name}`, upper: volumeMonthlyCost(sizeMB) });
      }
    }
    const upper = priced.reduce((sum, item) => sum + item.upper, 0);
    if (upper <= budget) return;
    const largest = [...priced]
      .sort((a, b) => b.upper - a.upper)
      .slice(0, 3)
      .map((item) => `${item.name} ${usd(item.upper)}`)
      .join(", ");
    const partial =
      unknown === 0
        ? ""
        : ` (${unknown} ${unknown === 1 ? "resource" : "resources"} not known yet not counted)`;
    advisoryOutsideProduction(
      report,
      stack,
      railwayStackDisallowOverBudget,
    )(
      violation(
        stack,
        `Stack "${stack.name}" is estimated at up to ${usd(upper)} per month${partial}, over its budget of ${usd(budget)}; the largest: ${largest}`,
        `lower replicas or limits of those services, or raise \`${configPath("budget.monthlyUsd")}\``,
      ),
      environment?.urn,
    );
  },
};
