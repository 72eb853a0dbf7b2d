/**
 * Railway's usage rates, as data with their source and the date they were read. Railway bills
 * CPU, memory and volume storage per minute and egress per GB; the monthly rates below are the
 * ones Railway's pricing page states next to the per-minute ones (a 30-day month).
 *
 * This file and ./model.ts import nothing: the policy pack compiles them (run-policy-pack's
 * ts-node, outside the pack's own directory), like infra/resources/types.ts.
 */

export interface Rate {
  /** US dollars per unit per month (30 days), as Railway states it. */
  perMonthUsd: number;
  /** US dollars per unit per minute, as Railway states it. */
  perMinuteUsd: number;
}

export const RAILWAY_RATES = {
  /** Where the rates come from and when they were read. */
  source: "https://docs.railway.com/reference/pricing/plans (Resource Usage Pricing)",
  retrieved: "2026-12-03",
  /** $20 per vCPU per month = $0.000463 per vCPU per minute. */
  cpu: { perMonthUsd: 20, perMinuteUsd: 0.000463 } satisfies Rate,
  /** $10 per GB of memory per month = $0.000231 per GB per minute. */
  memory: { perMonthUsd: 10, perMinuteUsd: 0.000231 } satisfies Rate,
  /** $0.15 per GB of volume storage per month = $0.000003472222222 per GB per minute. */
  volume: { perMonthUsd: 0.15, perMinuteUsd: 0.000003472222222 } satisfies Rate,
  /** $0.05 per GB of network egress (ingress and private-network traffic are free). */
  egressPerGbUsd: 0.05,
  /** Days in the month Railway's monthly rates assume (43,200 minutes). */
  daysPerMonth: 30,
} as const;

/**
 * What one replica may use when a service sets no limits: Railway scales a replica up to the
 * plan's per-replica ceiling, 32 vCPU and 32 GB on Pro. The upper bound of a service without
 * limits uses it, so the estimate never claims a bound Railway does not enforce.
 */
export const PLAN_REPLICA_CEILING = {
  source: "https://docs.railway.com/reference/scaling (Horizontal Scaling with Replicas, Pro plan)",
  retrieved: "2026-12-03",
  cpu: 32,
  memoryGB: 32,
} as const;
