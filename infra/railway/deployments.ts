/**
 * Following the deployment a config commit started, the way Railway reports it: find the
 * deployment of that service and environment that the commit started, poll its status through
 * QUEUED/INITIALIZING/BUILDING/DEPLOYING until it is final, print one progress line per change,
 * and on failure build an error with the status, the deployment id, the dashboard URL and the last
 * lines of its build or deploy log.
 *
 * This runs inside the ServiceInstance provider, which already holds the Railway token (read in
 * `configure`/from the environment): the token never has to reach a @pulumi/command resource,
 * whose `environment` Pulumi stores in state.
 */
import { type EnvironmentDeploymentRecord, RailwayApi } from "./api";
import { readOnce } from "./read-once";

/**
 * Statuses after which a deployment changes no more (or waits on a person). `SUCCESS` serves, and
 * so does `SLEEPING`: a service with `sleep` on that succeeded and has no traffic yet. Every other
 * final status fails the update; `NEEDS_APPROVAL` waits for someone to approve it in the
 * dashboard, which `pulumi up` cannot do.
 */
const FINAL = new Set([
  "SUCCESS",
  "SLEEPING",
  "FAILED",
  "CRASHED",
  "REMOVED",
  "SKIPPED",
  "NEEDS_APPROVAL",
]);
const SERVING = new Set(["SUCCESS", "SLEEPING"]);

/** True when the deployment serves: the state of a last deployment that needs no follow-up. */
export const isServing = (status: string): boolean => SERVING.has(status);

export interface DeploymentRef {
  id: string;
  status: string;
}

export interface DeployTarget {
  projectId: string;
  environmentId: string;
  serviceId: string;
  serviceName: string;
}

export interface DeployWaitOptions {
  /** Give up (fail) after this long. */
  timeoutMs: number;
  /** Between two status reads. */
  intervalMs: number;
  /** Progress lines. @default stderr */
  log?: (line: string) => void;
  /** Lines of log shown with a failure. @default 12 */
  logLines?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

/** A deployment that did not succeed; the message says why and where to look. */
export class DeploymentFailedError extends Error {
  constructor(
    message: string,
    readonly deployment: DeploymentRef,
  ) {
    super(message);
    this.name = "DeploymentFailedError";
  }
}

/** Railway's dashboard page of one deployment. */
export const dashboardUrl = (target: DeployTarget, deploymentId: string): string =>
  `https://railway.com/project/${target.projectId}/service/${target.serviceId}?environmentId=${target.environmentId}&id=${deploymentId}`;

const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const stderr = (line: string): void => void process.stderr.write(`${line}\n`);

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

/**
 * One listing of the environment's newest deployments per commit, shared by every service the
 * commit changed: the instances of one batch (infra/railway/batch.ts) look for their deployments
 * with one read instead of one each. Kept per commit id (a commit is followed once per process),
 * so the number of reads does not depend on when each service gets here.
 */
const listingsByCommit = new Map<string, Promise<EnvironmentDeploymentRecord[]>>();

/** Deployments one listing returns: enough for every service of a large environment. */
const ENVIRONMENT_LISTING_SIZE = 100;

/** The deployment `commitId` started, among `recent`: by `meta.patchId`, else by time. */
function startedAmong<T extends { createdAt: string; meta: { patchId?: string } | null }>(
  recent: T[],
  commitId: string,
  committedAt: number,
): T | undefined {
  const byPatch = recent.find((d) => d.meta?.patchId === commitId);
  if (byPatch) return byPatch;
  // Where Railway's meta carries no patch id: the newest one created since the commit, allowing
  // for clock skew between this machine and Railway.
  return recent.find(
    (d) => d.meta?.patchId === undefined && Date.parse(d.createdAt) >= committedAt - 5_000,
  );
}

/**
 * The deployment `commitId` started, if Railway lists it yet. The first look reads the whole
 * environment once per commit (shared); a later look (Railway had not queued it yet) reads only
 * this service's newest deployments.
 */
async function findStarted(
  api: RailwayApi,
  target: DeployTarget,
  commitId: string,
  committedAt: number,
  firstLook: boolean,
): Promise<DeploymentRef | undefined> {
  if (firstLook) {
    const listing = await readOnce(listingsByCommit, commitId, () =>
      api.listEnvironmentDeployments(target.environmentId, ENVIRONMENT_LISTING_SIZE),
    );
    const ofService = listing.filter((d) => d.serviceId === target.serviceId);
    return refOf(startedAmong(ofService, commitId, committedAt));
  }
  const recent = await api.listDeployments(target.environmentId, target.serviceId, 5);
  return refOf(startedAmong(recent, commitId, committedAt));
}

/** Only what the state keeps of a deployment (its meta holds the whole service manifest). */
const refOf = (record: DeploymentRef | undefined): DeploymentRef | undefined =>
  record && { id: record.id, status: record.status };

/**
 * Waits for the deployment a commit started and returns it once it is SUCCESS. Throws
 * DeploymentFailedError when it ends in any other status or the timeout passes. Returns undefined
 * when the commit started no deployment within the time Railway takes to queue one.
 */
export async function waitForDeployment(
  api: RailwayApi,
  target: DeployTarget,
  started: { commitId: string; committedAt: number } | { deploymentId: string },
  options: DeployWaitOptions,
): Promise<DeploymentRef | undefined> {
  const log = options.log ?? stderr;
  const sleep = options.sleep ?? realSleep;
  const now = options.now ?? Date.now;
  const begin = now();
  const deadline = begin + options.timeoutMs;
  const name = target.serviceName;

  let deployment: DeploymentRef | undefined;
  if ("deploymentId" in started) {
    deployment = await api.getDeployment(started.deploymentId);
    if (!deployment)
      throw new Error(`${name}: deployment ${started.deploymentId} no longer exists in Railway.`);
  } else {
    // Railway queues the deployment right after the commit; look a few times, then accept
    // that this commit deploys nothing (Railway decided there was nothing to redeploy).
    const appearBy = Math.min(deadline, begin + 30_000);
    for (let look = 0; ; look++) {
      deployment = await findStarted(
        api,
        target,
        started.commitId,
        started.committedAt,
        look === 0,
      );
      if (deployment || now() + options.intervalMs > appearBy) break;
      await sleep(options.intervalMs);
    }
    if (!deployment) {
      log(`railway-stacks: ${name}: commit ${started.commitId} started no deployment`);
      return undefined;
    }
  }

  let shown = "";
  for (;;) {
    if (deployment.status !== shown) {
      shown = deployment.status;
      log(
        `railway-stacks: ${name} deployment ${deployment.id}: ${shown} (${seconds(now() - begin)})`,
      );
    }
    if (FINAL.has(deployment.status)) break;
    if (now() + options.intervalMs > deadline) {
      throw new DeploymentFailedError(
        await failureMessage(
          api,
          target,
          deployment,
          `is still ${deployment.status} after ${seconds(options.timeoutMs)}`,
          options.logLines ?? 12,
        ),
        deployment,
      );
    }
    await sleep(options.intervalMs);
    deployment = (await api.getDeployment(deployment.id)) ?? { ...deployment, status: "REMOVED" };
  }
  if (!isServing(deployment.status)) {
    throw new DeploymentFailedError(
      await failureMessage(
        api,
        target,
        deployment,
        deployment.status === "NEEDS_APPROVAL"
          ? "waits for approval in Railway's dashboard (NEEDS_APPROVAL)"
          : `ended ${deployment.status}`,
        options.logLines ?? 12,
      ),
      deployment,
    );
  }
  return deployment;
}

async function failureMessage(
  api: RailwayApi,
  target: DeployTarget,
  deployment: DeploymentRef,
  what: string,
  lines: number,
): Promise<string> {
  // A build failure shows in the build log; anything after the build in the deploy log.
  const deployLog = await api.deploymentLogs(deployment.id, lines);
  const buildFailed = deployLog.length === 0;
  const excerpt = buildFailed ? await api.buildLogs(deployment.id, lines) : deployLog;
  const body = excerpt.length
    ? excerpt.map((line) => `    ${line.message}`).join("\n")
    : "    (no log lines)";
  return (
    `deployment of ${target.serviceName} failed: deployment ${deployment.id} ${what}.\n` +
    `  Dashboard: ${dashboardUrl(target, deployment.id)}\n` +
    `  Last ${buildFailed ? "build" : "deploy"} log lines:\n${body}\n` +
    `  The previous deployment keeps serving. Fix the service's settings (or code) and run pulumi up again.`
  );
}
