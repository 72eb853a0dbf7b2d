/**
 * PR preview stacks (`pr-<n>`) are derived from the preview stack's config (docs/decisions.md §1):
 * same services, the PR's branch, one replica, capped limits, no custom domains, their own
 * environment (layout `shared`) or project (`isolated`).
 */
import * as pulumi from "@pulumi/pulumi";

import { checkBranch } from "../domain/rules";
import { capLimits, prDataService } from "./pr-adjustments";
import type { AppServiceConfig, ProjectConfig, StackConfig } from "./types";

export {
  PR_LIMIT_CAPS,
  type PrAdjustment,
  capLimits,
  formatPrAdjustment,
  prAdjustments,
} from "./pr-adjustments";

export interface PullRequest {
  /** Pull request number; the stack is `pr-<prNumber>`. */
  prNumber: number;
  /** The PR's head branch; every repo-sourced service deploys it. */
  branch: string;
}

/** Name of the stack of a pull request. */
export const prStackName = (prNumber: number): string => `pr-${prNumber}`;

function prService<V>(service: AppServiceConfig<V>, branch: string): AppServiceConfig<V> {
  const { regions: _regions, ...rest } = service;
  const isPublic = service.domains.railway;
  return {
    ...rest,
    source: service.source.kind === "repo" ? { ...service.source, branch } : service.source,
    replicas: 1,
    limits: capLimits(service.limits),
    ...(service.volume ? { volume: { ...service.volume, backups: [] } } : {}),
    domains: { railway: service.domains.railway, custom: [] },
    public: isPublic,
    gate: { ...service.gate, enabled: service.gate.enabled && isPublic },
  };
}

/**
 * Where a PR lives. Shared: an ephemeral environment `pr-<n>` of the preview stack's project,
 * forked from the preview environment. Isolated: a project of its own, `<name>-pr-<n>`. Never an
 * existing one either way: nothing is adopted.
 */
function prProject(preview: ProjectConfig, prNumber: number): ProjectConfig {
  const stack = prStackName(prNumber);
  if (preview.layout === "shared") {
    return { ...preview, environment: stack, forkOf: preview.environment, adopt: false };
  }
  return { ...preview, name: `${preview.name}-pr-${prNumber}`, adopt: false };
}

/**
 * The config of PR stack `pr-<prNumber>`, derived from the preview stack's resolved config.
 * Pure: returns a new object and leaves `preview` untouched.
 */
export function derivePrStackConfig<V>(preview: StackConfig<V>, pr: PullRequest): StackConfig<V> {
  if (!Number.isInteger(pr.prNumber) || pr.prNumber < 1) {
    throw new pulumi.RunError(
      `PR number must be a positive whole number, got ${String(pr.prNumber)}`,
    );
  }
  const badBranch = checkBranch(pr.branch);
  if (badBranch) throw new pulumi.RunError(`PR branch ${badBranch.problem}. Fix: ${badBranch.fix}`);
  if (preview.tier !== "preview") {
    throw new pulumi.RunError(
      `PR stacks derive from a preview-tier config, got tier "${preview.tier}" (stack "${preview.stack}")`,
    );
  }

  return {
    ...preview,
    stack: prStackName(pr.prNumber),
    project: prProject(preview.project, pr.prNumber),
    app: {
      ...preview.app,
      rateLimit: { ...preview.app.rateLimit },
      corsOrigins: [...preview.app.corsOrigins],
    },
    dataServices: preview.dataServices.map(prDataService),
    services: Object.fromEntries(
      Object.entries(preview.services).map(([name, service]) => [
        name,
        prService(service, pr.branch),
      ]),
    ),
    // As in the preview environment (a fork starts with a copy; the PR stack keeps them so).
    sharedVariables: { ...preview.sharedVariables },
    // Railway's usage limit is the workspace's: a PR stack's destroy must not remove it.
    ...(preview.budget ? { budget: { monthlyUsd: preview.budget.monthlyUsd } } : {}),
    pullRequest: { number: pr.prNumber, branch: pr.branch },
  };
}
