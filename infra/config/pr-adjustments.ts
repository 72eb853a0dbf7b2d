/**
 * What a PR stack (`pr-<n>`) changes of the preview config it is derived from (./pr.ts): the caps
 * it applies, and {@link prAdjustments}, the list `npm run pr` and `npm run policy:check` print.
 * Free of the Pulumi SDK, so the scripts that only check config load fast.
 */
import { bytesFromMB, formatSizeMB, quote } from "../domain/rules";
import { type PathSegment, yamlPath } from "./issues";
import type { DataServiceConfig, ResourceLimits, StackConfig } from "./types";

/** Upper bounds of per-replica limits in PR stacks (applied when unset, too). */
export const PR_LIMIT_CAPS = { cpu: 1, memoryMB: 1024 } as const;

/** Limits no larger than {@link PR_LIMIT_CAPS}. */
export function capLimits(limits: ResourceLimits | undefined): ResourceLimits {
  const memoryMB = Math.min(limits?.memoryMB ?? PR_LIMIT_CAPS.memoryMB, PR_LIMIT_CAPS.memoryMB);
  return {
    cpu: Math.min(limits?.cpu ?? PR_LIMIT_CAPS.cpu, PR_LIMIT_CAPS.cpu),
    memoryMB,
    memoryBytes: bytesFromMB(memoryMB),
  };
}

/** Redis' `maxmemory` in a PR stack: a quarter of the capped container memory stays free. */
export const redisMaxMemoryCap = (limits: ResourceLimits | undefined): number =>
  Math.floor((capLimits(limits).memoryMB ?? 0) * 0.75);

/** A data service as a PR stack runs it: capped limits, no backups, Redis' memory to fit. */
export function prDataService(data: DataServiceConfig): DataServiceConfig {
  const limits = capLimits(data.limits);
  switch (data.kind) {
    case "postgres":
      return { ...data, backups: [], limits };
    case "redis":
      return {
        ...data,
        limits,
        maxMemoryMB: Math.min(data.maxMemoryMB, redisMaxMemoryCap(data.limits)),
      };
    case "nats":
      return { ...data, limits };
  }
}

/** A setting of the preview config that a PR stack drops or lowers, with its key. */
export interface PrAdjustment {
  /** The key in `Pulumi.preview.yaml`, e.g. `railway-stacks:app.services.web.domains.custom`. */
  path: string;
  /** What happens to it, e.g. `"shop.acme.dev" is dropped: PR stacks have no custom domains`. */
  change: string;
}

export const formatPrAdjustment = (adjustment: PrAdjustment): string =>
  `${adjustment.path}: ${adjustment.change}`;

function limitAdjustments(
  at: PathSegment[],
  limits: ResourceLimits | undefined,
  out: PrAdjustment[],
): void {
  if (limits?.cpu !== undefined && limits.cpu > PR_LIMIT_CAPS.cpu) {
    out.push({
      path: yamlPath([...at, "limits", "cpu"]),
      change: `${limits.cpu} vCPU is capped to ${PR_LIMIT_CAPS.cpu} in PR stacks`,
    });
  }
  if (limits?.memoryMB !== undefined && limits.memoryMB > PR_LIMIT_CAPS.memoryMB) {
    out.push({
      path: yamlPath([...at, "limits", "memory"]),
      change: `${formatSizeMB(limits.memoryMB)} is capped to ${formatSizeMB(PR_LIMIT_CAPS.memoryMB)} in PR stacks`,
    });
  }
}

/**
 * Every setting of the preview config that {@link derivePrStackConfig} drops or lowers, in file
 * order, so `npm run pr` and `npm run policy:check` can say so instead of changing it silently.
 */
export function prAdjustments<V>(preview: StackConfig<V>): PrAdjustment[] {
  const out: PrAdjustment[] = [];
  if (preview.project.adopt) {
    out.push({
      path: yamlPath(["project", "adopt"]),
      change:
        preview.project.layout === "shared"
          ? "is ignored: a PR stack always creates an environment of its own"
          : "is ignored: a PR stack always creates a project of its own",
    });
  }
  // Per data service, in the order of `dataServices`.
  for (const data of preview.dataServices) {
    if (data.kind === "postgres" && data.backups.length > 0) {
      out.push({
        path: yamlPath([...data.path, "backups"]),
        change: `${data.backups.join(", ")} ${data.backups.length === 1 ? "is" : "are"} dropped: PR stacks keep no backups`,
      });
    }
    limitAdjustments(data.path, data.limits, out);
    if (data.kind === "redis") {
      const redisCap = redisMaxMemoryCap(data.limits);
      if (data.maxMemoryMB > redisCap) {
        out.push({
          path: yamlPath([...data.path, "maxMemory"]),
          change: `${formatSizeMB(data.maxMemoryMB)} is lowered to ${formatSizeMB(redisCap)} to fit the PR stack's capped memory`,
        });
      }
    }
  }
  for (const [name, service] of Object.entries(preview.services)) {
    const at: PathSegment[] = ["services", name];
    if (service.regions !== undefined) {
      out.push({
        path: yamlPath([...at, "regions"]),
        change: `are dropped: PR stacks run one replica in project.region`,
      });
    } else if (service.replicas > 1) {
      out.push({
        path: yamlPath([...at, "replicas"]),
        change: `${service.replicas} is lowered to 1 in PR stacks`,
      });
    }
    limitAdjustments(at, service.limits, out);
    if (service.domains.custom.length > 0) {
      out.push({
        path: yamlPath([...at, "domains", "custom"]),
        change: `${service.domains.custom.map(quote).join(", ")} ${service.domains.custom.length === 1 ? "is" : "are"} dropped: PR stacks have no custom domains`,
      });
      if (service.gate.enabled && !service.domains.railway) {
        out.push({
          path: yamlPath([...at, "gate", "enabled"]),
          change: `is turned off: without its custom domains the service has no public domain to poll`,
        });
      }
    }
  }
  if (preview.budget?.railwayUsageLimit) {
    out.push({
      path: yamlPath(["budget", "railwayUsageLimit"]),
      change:
        "is dropped: the usage limit is the workspace's, and closing the PR must not remove it",
    });
  }
  return out;
}
