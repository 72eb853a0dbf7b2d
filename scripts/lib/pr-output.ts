/** What `npm run pr` prints at the end of `up` and `down`, for people and (with --json) for CI. */
import type { CostRange } from "../../infra/cost";
import { range } from "./cost-report";

/** `pulumi up`/`destroy` resource changes, e.g. `{ create: 35 }` or `{ same: 35 }`. */
export type ResourceChanges = Record<string, number | undefined>;

export interface PrUpSummary {
  stack: string;
  prNumber: number;
  branch: string;
  /** Railway project of the PR stack (`projectName` output). */
  project: string;
  projectId?: string;
  /** `shared`: the PR is an environment of the project; `isolated`: a project of its own. */
  layout?: "shared" | "isolated";
  /** The PR's Railway environment (`environmentName` output). */
  environment?: string;
  environmentId?: string;
  /** Public URL per app service with a Railway domain (`serviceUrls` output). */
  serviceUrls: Record<string, string>;
  /** Health URL per public service with a healthcheck (`healthUrls` output). */
  healthUrls: Record<string, string>;
  changes: ResourceChanges;
  /** Settings of the preview config the PR stack drops or lowers, `<key>: <what happens>`. */
  adjustments: string[];
  /** The stack's estimated cost per day in US dollars (its `monthlyCostUsd` output / 30). */
  costPerDayUsd?: CostRange;
  /** Things the person should know (e.g. a preview secret that was not copied). */
  warnings: string[];
}

export interface PrDownSummary {
  stack: string;
  prNumber: number;
  /** False when there was no such stack (nothing to do). */
  existed: boolean;
  changes: ResourceChanges;
  /** A leftover `Pulumi.pr-<n>.yaml` that was deleted although the stack did not exist. */
  removedConfigFile?: string;
}

const VERBS: Record<string, string> = {
  create: "created",
  update: "updated",
  delete: "deleted",
  replace: "replaced",
  same: "unchanged",
  read: "read",
  import: "imported",
  refresh: "refreshed",
  discard: "discarded",
};

/** `{ create: 35 }` → "35 created"; `{ same: 35 }` → "none (35 unchanged)"; `{}` → "none". */
export function formatChanges(changes: ResourceChanges): string {
  const entries = Object.entries(changes).filter(
    (entry): entry is [string, number] => (entry[1] ?? 0) > 0,
  );
  const describe = ([op, count]: [string, number]) => `${count} ${VERBS[op] ?? op}`;
  const changed = entries.filter(([op]) => op !== "same");
  const same = entries.filter(([op]) => op === "same");
  if (changed.length === 0)
    return same.length === 0 ? "none" : `none (${same.map(describe).join("")})`;
  return [...changed, ...same].map(describe).join(", ");
}

/** Name/URL lines, names padded to one column, sorted by name. */
function urlLines(urls: Record<string, string>, indent: string): string[] {
  const names = Object.keys(urls).sort();
  const width = Math.max(0, ...names.map((name) => name.length));
  return names.map((name) => `${indent}${name.padEnd(width)}  ${urls[name]}`);
}

/** The block `pr up` ends with. */
export function formatUpSummary(summary: PrUpSummary): string {
  const lines = [
    `=== PR #${summary.prNumber} is up: stack ${summary.stack} ===`,
    summary.layout === "shared"
      ? `Project: ${summary.project}, environment ${summary.environment} (ephemeral, forked from preview)`
      : `Project: ${summary.project}`,
    `Branch:  ${summary.branch}`,
    `Changes: ${formatChanges(summary.changes)}`,
  ];
  if (summary.costPerDayUsd)
    lines.push(`Cost:    ${range(summary.costPerDayUsd)} per day (estimate)`);
  if (Object.keys(summary.serviceUrls).length === 0) {
    lines.push("URLs:    none (no service has a public Railway domain)");
  } else {
    lines.push("URLs:", ...urlLines(summary.serviceUrls, "  "));
  }
  if (summary.adjustments.length > 0) {
    lines.push("Differs from preview:", ...summary.adjustments.map((line) => `  ${line}`));
  }
  for (const warning of summary.warnings) lines.push(`Warning: ${warning}`);
  return `${lines.join("\n")}\n`;
}

/** The line(s) `pr down` ends with. */
export function formatDownSummary(summary: PrDownSummary): string {
  if (!summary.existed) {
    const removed = summary.removedConfigFile
      ? ` Removed the leftover ${summary.removedConfigFile}.`
      : "";
    return `PR stack ${summary.stack} does not exist: nothing to destroy.${removed}\n`;
  }
  return [
    `=== PR #${summary.prNumber} is down: stack ${summary.stack} removed ===`,
    `Destroyed: ${formatChanges(summary.changes)}`,
    "",
  ].join("\n");
}
