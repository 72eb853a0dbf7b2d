/**
 * The cost model: what one service and one volume cost per month at Railway's rates. Pure
 * arithmetic on plain numbers, shared by the estimate of a stack config (./estimate.ts) and the
 * budget policy, which applies it to the resources' inputs (policies/rules).
 *
 * Upper bound: every replica uses its whole CPU and memory limit all month (a service without a
 * limit: the plan's per-replica ceiling). Lower bound: the replicas use `utilization` of that on
 * average. A volume costs its declared size in both bounds (Railway bills the storage used; a
 * declared size is what the stack plans for).
 */
import { PLAN_REPLICA_CEILING, RAILWAY_RATES } from "./rates";

const MB_PER_GB = 1024;

/** A monthly amount in US dollars: what Railway would bill at least and at most. */
export interface CostRange {
  lower: number;
  upper: number;
}

export interface ComputeSpec {
  /** Replicas across all regions. */
  replicas: number;
  /** vCPUs per replica; undefined: no limit (the plan's ceiling). */
  cpu?: number;
  /** Memory per replica in MB; undefined: no limit (the plan's ceiling). */
  memoryMB?: number;
  /** Expected average share of the limits in use, 0 < utilization ≤ 1. */
  utilization: number;
}

export interface ComputeCost extends CostRange {
  /** The vCPUs and GB per replica the upper bound assumed. */
  cpu: number;
  memoryGB: number;
  /** True when a limit was missing and the plan's ceiling stood in for it. */
  unlimited: boolean;
}

/** Monthly compute cost of a service: replicas × (vCPU × CPU rate + GB × memory rate). */
export function computeMonthlyCost(spec: ComputeSpec): ComputeCost {
  const cpu = spec.cpu ?? PLAN_REPLICA_CEILING.cpu;
  const memoryGB =
    spec.memoryMB === undefined ? PLAN_REPLICA_CEILING.memoryGB : spec.memoryMB / MB_PER_GB;
  const upper =
    spec.replicas *
    (cpu * RAILWAY_RATES.cpu.perMonthUsd + memoryGB * RAILWAY_RATES.memory.perMonthUsd);
  return {
    lower: upper * spec.utilization,
    upper,
    cpu,
    memoryGB,
    unlimited: spec.cpu === undefined || spec.memoryMB === undefined,
  };
}

/** Monthly cost of a volume of `sizeMB`: GB × storage rate. */
export function volumeMonthlyCost(sizeMB: number): number {
  return (sizeMB / MB_PER_GB) * RAILWAY_RATES.volume.perMonthUsd;
}

/** A monthly amount per day of a 30-day month (PR previews live for days, not months). */
export const perDay = (monthly: number): number => monthly / RAILWAY_RATES.daysPerMonth;

/** Rounds to whole cents, for outputs and reports (the sums keep full precision). */
export const cents = (usd: number): number => Math.round(usd * 100) / 100;

/** Adds ranges. */
export function sumRanges(ranges: readonly CostRange[]): CostRange {
  return ranges.reduce(
    (sum, range) => ({
      lower: sum.lower + range.lower,
      upper: sum.upper + range.upper,
    }),
    { lower: 0, upper: 0 },
  );
}
