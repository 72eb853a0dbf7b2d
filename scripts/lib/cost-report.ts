/**
 * What `npm run cost` prints: a table per stack (service lines, total, budget), PR previews per
 * day, the total over the stacks, and the change against a base config. Pure formatting over
 * {@link StackCostEstimate}s (infra/cost).
 */
import {
  PLAN_REPLICA_CEILING,
  RAILWAY_RATES,
  type CostRange,
  type StackCostEstimate,
  cents,
  perDay,
  sumRanges,
} from "../../infra/cost";

export interface CostReport {
  rates: { source: string; retrieved: string };
  stacks: StackCostEstimate[];
  /** One PR preview stack (`pr-<n>`, derived from the preview stack), per day. */
  prPreviewPerDay?: CostRange;
  /** Sum over the stacks, per month (with more than one stack). */
  total?: CostRange;
  /** With `--base`: the stack's estimate from the base config and the change to this one. */
  base?: { stack: string; monthly: CostRange; delta: CostRange };
}

/** `$1,234.50`; negative amounts as `-$12.00`. */
export function usd(amount: number): string {
  const text = `$${Math.abs(amount).toLocaleString("en-US", {
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
  })}`;
  return cents(amount) < 0 ? `-${text}` : text;
}

/** `+$60.00` / `-$60.00` / `$0.00`. */
export const signedUsd = (amount: number): string =>
  cents(amount) > 0 ? `+${usd(amount)}` : usd(amount);

/** `$45.00–$180.00`. */
export const range = (cost: CostRange): string => `${usd(cost.lower)}–${usd(cost.upper)}`;

/** Assembles the report; `pr` is the estimate of a PR stack derived from the preview config. */
export function buildReport(
  stacks: StackCostEstimate[],
  options: { pr?: StackCostEstimate; base?: StackCostEstimate } = {},
): CostReport {
  const report: CostReport = {
    rates: { source: RAILWAY_RATES.source, retrieved: RAILWAY_RATES.retrieved },
    stacks,
  };
  if (options.pr) {
    report.prPreviewPerDay = {
      lower: perDay(options.pr.monthly.lower),
      upper: perDay(options.pr.monthly.upper),
    };
  }
  if (stacks.length > 1) report.total = sumRanges(stacks.map((stack) => stack.monthly));
  const [only] = stacks;
  if (options.base && only) {
    report.base = {
      stack: options.base.stack,
      monthly: options.base.monthly,
      delta: {
        lower: only.monthly.lower - options.base.monthly.lower,
        upper: only.monthly.upper - options.base.monthly.upper,
      },
    };
  }
  return report;
}

const roundRange = (cost: CostRange): CostRange => ({
  lower: cents(cost.lower),
  upper: cents(cost.upper),
});

/** The report as JSON-ready data, amounts rounded to cents. */
export function reportJson(report: CostReport): unknown {
  return {
    rates: report.rates,
    stacks: report.stacks.map((stack) => ({
      stack: stack.stack,
      tier: stack.tier,
      monthly: roundRange(stack.monthly),
      perDay: roundRange({
        lower: perDay(stack.monthly.lower),
        upper: perDay(stack.monthly.upper),
      }),
      ...(stack.budgetMonthlyUsd !== undefined
        ? {
            budgetMonthlyUsd: stack.budgetMonthlyUsd,
            overBudget: stack.monthly.upper > stack.budgetMonthlyUsd,
          }
        : {}),
      services: stack.lines.map((line) => ({
        name: line.name,
        kind: line.kind,
        replicas: line.replicas,
        cpu: line.cpu,
        memoryGB: line.memoryGB,
        unlimited: line.unlimited,
        utilization: line.utilization,
        volumeGB: line.volumeGB,
        monthly: roundRange(line),
      })),
    })),
    ...(report.prPreviewPerDay ? { prPreviewPerDay: roundRange(report.prPreviewPerDay) } : {}),
    ...(report.total ? { total: roundRange(report.total) } : {}),
    ...(report.base
      ? {
          base: {
            stack: report.base.stack,
            monthly: roundRange(report.base.monthly),
            delta: roundRange(report.base.delta),
          },
        }
      : {}),
  };
}

const number = (value: number): string => String(Math.round(value * 100) / 100);

/** Columns padded to their widest cell; numbers right-aligned. */
function table(rows: string[][], rightAligned: ReadonlySet<number>): string[] {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows.map((row) =>
    row
      .map((cell, column) =>
        rightAligned.has(column) ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!),
      )
      .join("  ")
      .trimEnd(),
  );
}

/** The table of one stack. */
export function formatStack(stack: StackCostEstimate): string[] {
  const rows = [
    ["service", "replicas", "vCPU", "memory", "volume", "use", "lower/month", "upper/month"],
    ...stack.lines.map((line) => [
      line.name,
      String(line.replicas),
      `${number(line.cpu)}${line.unlimited ? "*" : ""}`,
      `${number(line.memoryGB)} GB${line.unlimited ? "*" : ""}`,
      line.volumeGB > 0 ? `${number(line.volumeGB)} GB` : "-",
      `${Math.round(line.utilization * 100)}%`,
      usd(line.lower),
      usd(line.upper),
    ]),
    ["total", "", "", "", "", "", usd(stack.monthly.lower), usd(stack.monthly.upper)],
  ];
  const lines = [
    `Stack ${stack.stack} (tier ${stack.tier}): ${range(stack.monthly)} per month, ${range({
      lower: perDay(stack.monthly.lower),
      upper: perDay(stack.monthly.upper),
    })} per day`,
    ...table(rows, new Set([1, 2, 3, 4, 5, 6, 7])),
  ];
  if (stack.lines.some((line) => line.unlimited)) {
    lines.push(
      `* no limit set: the plan's per-replica ceiling (${PLAN_REPLICA_CEILING.cpu} vCPU, ${PLAN_REPLICA_CEILING.memoryGB} GB) stands in; set limits to narrow the estimate`,
    );
  }
  if (stack.budgetMonthlyUsd !== undefined) {
    const over = stack.monthly.upper > stack.budgetMonthlyUsd;
    lines.push(
      `Budget ${usd(stack.budgetMonthlyUsd)} per month: ${
        over
          ? `the upper bound is ${usd(stack.monthly.upper - stack.budgetMonthlyUsd)} OVER it`
          : `the upper bound is within it (${usd(stack.budgetMonthlyUsd - stack.monthly.upper)} left)`
      }`,
    );
  }
  return lines;
}

/** The whole report as text. */
export function formatReport(report: CostReport): string {
  const lines: string[] = [];
  for (const stack of report.stacks) lines.push(...formatStack(stack), "");
  if (report.prPreviewPerDay) {
    lines.push(`Each PR preview stack (pr-<n>): ${range(report.prPreviewPerDay)} per day`);
  }
  if (report.total) lines.push(`All stacks: ${range(report.total)} per month`);
  if (report.base) {
    lines.push(
      `Change against the base config of ${report.base.stack} (${range(report.base.monthly)}): ` +
        `lower ${signedUsd(report.base.delta.lower)}, upper ${signedUsd(report.base.delta.upper)} per month`,
    );
  }
  lines.push(
    `Railway rates read ${report.rates.retrieved} from ${report.rates.source}: vCPU ${usd(
      RAILWAY_RATES.cpu.perMonthUsd,
    )}/month, memory ${usd(RAILWAY_RATES.memory.perMonthUsd)}/GB-month, volumes ${usd(
      RAILWAY_RATES.volume.perMonthUsd,
    )}/GB-month. Not included: network egress (${usd(RAILWAY_RATES.egressPerGbUsd)}/GB) and the plan's subscription.`,
  );
  return `${lines.join("\n")}\n`;
}
