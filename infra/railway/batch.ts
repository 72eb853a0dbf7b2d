/**
 * Coalescing of the environment calls that concurrent provider operations make at the same moment.
 *
 * The engine runs a stack's creates concurrently in one dynamic-provider process. Every new
 * ServiceInstance reads the environment's config (to take ownership of what its service already
 * has) and commits a patch. Railway deploys each service a commit changes once, whether the commit
 * carries one service or seven, so the operations that arrive within a short quiet window share
 * one config read and one commit: the same deployments, 2 calls instead of 14 for seven services
 * (Railway counts calls against an hourly limit). The components make an environment's instances
 * wait for all its volumes (`VolumeBarrier`), so the engine starts them at one moment however
 * slow the API is, and the batch does not depend on timing. A lone operation (or `pulumi up
 * --parallel 1`) waits out the window and goes on alone. Crash safety is unchanged: a patch is an
 * absolute merge, so a rerun commits it again.
 */
import type { EnvironmentConfigRecord, RailwayApi } from "./api";
import { isObject, type EnvironmentConfig, type JsonObject } from "./environment-config";
import { knownConfig } from "./known";

export interface BatchTiming {
  /** A batch starts when no operation has joined it for this long. */
  quietMs: number;
  /** ... or when its first operation has waited this long. */
  maxWaitMs: number;
}

/**
 * Long enough for the engine's concurrent creates to arrive even on a busy machine (the fault
 * drills compare call counts across runs), short against the deployments a create starts.
 */
export const DEFAULT_BATCH_TIMING: BatchTiming = { quietMs: 500, maxWaitMs: 5000 };

interface Waiting<T> {
  resolve(value: T): void;
  reject(error: unknown): void;
}

/**
 * Collects entries per key and runs them together once the batch is quiet. Entries that arrive
 * after a batch started form the next batch: a run never misses what was written before it.
 */
class Batches<Entry, Result> {
  private readonly pending = new Map<
    string,
    { entries: (Entry & Waiting<Result>)[]; firstAt: number; timer: NodeJS.Timeout }
  >();

  constructor(
    private readonly timing: BatchTiming,
    private readonly runBatch: (key: string, entries: (Entry & Waiting<Result>)[]) => Promise<void>,
  ) {}

  add(key: string, entry: Entry): Promise<Result> {
    return new Promise<Result>((resolve, reject) => {
      const now = Date.now();
      let batch = this.pending.get(key);
      if (batch) clearTimeout(batch.timer);
      else {
        batch = { entries: [], firstAt: now, timer: undefined as unknown as NodeJS.Timeout };
        this.pending.set(key, batch);
      }
      batch.entries.push({ ...entry, resolve, reject });
      const delay = Math.max(
        0,
        Math.min(this.timing.quietMs, batch.firstAt + this.timing.maxWaitMs - now),
      );
      const started = batch;
      batch.timer = setTimeout(() => {
        this.pending.delete(key);
        this.runBatch(key, started.entries).catch((error: unknown) => {
          for (const entry of started.entries) entry.reject(error);
        });
      }, delay);
    });
  }
}

/** Merges `source` into `target` (objects key by key, anything else replaced). */
function mergeInto(target: JsonObject, source: JsonObject): JsonObject {
  for (const [key, value] of Object.entries(source)) {
    const existing = target[key];
    target[key] = isObject(value) && isObject(existing) ? mergeInto({ ...existing }, value) : value;
  }
  return target;
}

export interface PatchRequest {
  /** Whether `patch` needs the environment's current config (one read for the whole batch). */
  readConfig: boolean;
  /**
   * This operation's part of the commit, from the config read before it (undefined without
   * `readConfig`, or when the environment does not exist); undefined for nothing to change. An
   * error thrown here fails this operation only.
   */
  patch(environment: EnvironmentConfigRecord | undefined): EnvironmentConfig | undefined;
  /** Says what this operation changes, e.g. `backend (dev)`; joined in the commit message. */
  summary: string;
}

export interface PatchResult {
  /** The commit that carried this operation's patch; undefined when it had nothing to change. */
  commitId: string | undefined;
  /** The config `patch` was computed from (before the commit), when read. */
  environment: EnvironmentConfigRecord | undefined;
}

/** Per process: the engine's concurrent operations of one stack share these. */
export class EnvironmentBatches {
  private readonly patches: Batches<PatchRequest & { api: RailwayApi }, PatchResult>;

  constructor(timing: BatchTiming = DEFAULT_BATCH_TIMING) {
    this.patches = new Batches(timing, (environmentId, entries) =>
      commitTogether(environmentId, entries),
    );
  }

  /** Commits `request`'s patch together with the others that arrive with it. */
  commitPatch(api: RailwayApi, environmentId: string, request: PatchRequest): Promise<PatchResult> {
    return this.patches.add(environmentId, { ...request, api });
  }
}

async function commitTogether(
  environmentId: string,
  entries: (PatchRequest & { api: RailwayApi } & Waiting<PatchResult>)[],
): Promise<void> {
  const api = entries[0]?.api;
  if (!api) return;
  // An environment this run created comes with its config until this process writes again.
  const environment = entries.some((entry) => entry.readConfig)
    ? (knownConfig(environmentId) ?? (await api.getEnvironmentConfig(environmentId)))
    : undefined;
  const parts: { entry: (typeof entries)[number]; patch: EnvironmentConfig }[] = [];
  for (const entry of entries) {
    try {
      const patch = entry.patch(entry.readConfig ? environment : undefined);
      if (patch) parts.push({ entry, patch });
      else entry.resolve({ commitId: undefined, environment });
    } catch (error) {
      entry.reject(error);
    }
  }
  if (parts.length === 0) return;
  const merged = parts.reduce<JsonObject>(
    (acc, part) => mergeInto(acc, part.patch as JsonObject),
    {},
  );
  const message = `railway-stacks: ${parts.map((part) => part.entry.summary).join(", ")}`;
  try {
    const commitId = await api.commitPatch(environmentId, merged, message);
    for (const { entry } of parts) entry.resolve({ commitId, environment });
  } catch (error) {
    for (const { entry } of parts) entry.reject(error);
  }
}

/** The provider process's batches. */
export const environmentBatches = new EnvironmentBatches();
