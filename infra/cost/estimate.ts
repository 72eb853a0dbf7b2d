/**
 * The cost estimate of a resolved stack config: per service (app and data), per environment and
 * in total, at Railway's rates (./rates.ts) with the model in ./model.ts. Pure: no Pulumi runtime,
 * so `npm run cost`, the program's `monthlyCostUsd` output and the tests share it.
 */
import type { DataServiceName, StackConfig } from "../config/types";
import { computeMonthlyCost, type CostRange, sumRanges, volumeMonthlyCost } from "./model";

export type { CostRange };

export interface ServiceCostLine extends CostRange {
  /** Railway service name: the app service key, or a data service's (`postgres`, `postgres-main`). */
  name: string;
  kind: "app" | DataServiceName;
  replicas: number;
  /** vCPUs and GB per replica the upper bound assumed. */
  cpu: number;
  memoryGB: number;
  /** True when the service sets no CPU or memory limit: the plan's ceiling stands in. */
  unlimited: boolean;
  utilization: number;
  /** Declared volume size in GB (0: no volume). */
  volumeGB: number;
  /** The compute part of the range (without the volume). */
  compute: CostRange;
  /** Monthly cost of the volume (in both bounds). */
  volume: number;
}

export interface StackCostEstimate {
  stack: string;
  tier: StackConfig["tier"];
  /** Per month, US dollars: the sum of the lines. */
  monthly: CostRange;
  lines: ServiceCostLine[];
  /** The stack's budget (`budget.monthlyUsd`), when it sets one. */
  budgetMonthlyUsd?: number;
}

interface Priced {
  name: string;
  kind: ServiceCostLine["kind"];
  replicas: number;
  cpu?: number;
  memoryMB?: number;
  utilization: number;
  volumeSizeMB: number;
}

function line(service: Priced): ServiceCostLine {
  const compute = computeMonthlyCost({
    replicas: service.replicas,
    cpu: service.cpu,
    memoryMB: service.memoryMB,
    utilization: service.utilization,
  });
  const volume = volumeMonthlyCost(service.volumeSizeMB);
  return {
    name: service.name,
    kind: service.kind,
    replicas: service.replicas,
    cpu: compute.cpu,
    memoryGB: compute.memoryGB,
    unlimited: compute.unlimited,
    utilization: service.utilization,
    volumeGB: service.volumeSizeMB / 1024,
    compute: { lower: compute.lower, upper: compute.upper },
    volume,
    lower: compute.lower + volume,
    upper: compute.upper + volume,
  };
}

/**
 * The monthly estimate of one stack: data services first (one replica each, with their volume),
 * then the app services in the order of the stack file.
 */
export function estimateStackCost<V>(config: StackConfig<V>): StackCostEstimate {
  const priced: Priced[] = [];
  for (const data of config.dataServices) {
    priced.push({
      name: data.serviceName,
      kind: data.kind,
      replicas: 1,
      cpu: data.limits?.cpu,
      memoryMB: data.limits?.memoryMB,
      utilization: data.expectedUtilization,
      volumeSizeMB: data.volumeSizeMB,
    });
  }
  for (const service of Object.values(config.services)) {
    priced.push({
      name: service.name,
      kind: "app",
      replicas: service.replicas,
      cpu: service.limits?.cpu,
      memoryMB: service.limits?.memoryMB,
      utilization: service.expectedUtilization,
      volumeSizeMB: service.volume?.sizeMB ?? 0,
    });
  }
  const lines = priced.map(line);
  return {
    stack: config.stack,
    tier: config.tier,
    monthly: sumRanges(lines),
    lines,
    ...(config.budget ? { budgetMonthlyUsd: config.budget.monthlyUsd } : {}),
  };
}
