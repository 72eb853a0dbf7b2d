/**
 * Deployment lifecycle: what happens to a deployment after a commit starts it. Railway moves a
 * deployment through QUEUED → INITIALIZING → BUILDING → DEPLOYING → SUCCESS (or FAILED / CRASHED),
 * writes build and deploy logs on the way, and keeps the previous SUCCESS deployment serving until
 * the new one succeeds. Here the whole timeline (statuses and log lines, with their times) is
 * planned when the deployment is created, and `advanceDeployments` materialises whatever is due
 * whenever the emulator is asked anything: no timers, so a persisted state resumes exactly and a
 * phase length of 0 (the default) makes every deployment final at once.
 *
 * Per-service failure modes (for tests) are set with `POST /_emulator/deployments`:
 * "build" (the build fails: FAILED), "crash" (the container exits on start, again and again:
 * CRASHED) and "healthcheck" (the container runs but the healthcheck never passes: FAILED).
 */
import { isPlainObject, JsonObject } from "./config-merge";
import type { DeploymentRecord, DeploymentStatus, EmulatorState, EnvironmentRecord } from "./state";

export const DEPLOYMENT_FAILURES = ["build", "crash", "healthcheck"] as const;
export type DeploymentFailure = (typeof DEPLOYMENT_FAILURES)[number];

/** Statuses after which nothing more happens to a deployment. */
export const FINAL_STATUSES: readonly DeploymentStatus[] = [
  "SUCCESS",
  "FAILED",
  "CRASHED",
  "REMOVED",
  "SKIPPED",
];

export interface DeploymentSettings {
  /** Milliseconds each of QUEUED, INITIALIZING, BUILDING and DEPLOYING lasts. @default 0 */
  phaseMs: number;
  /** Failure mode per service id or service name. */
  failures: Record<string, DeploymentFailure>;
}

export const DEFAULT_DEPLOYMENT_SETTINGS: DeploymentSettings = { phaseMs: 0, failures: {} };

/** Validates a partial update of the settings (POST /_emulator/deployments, flags). */
export function normalizeDeploymentSettings(
  input: Record<string, unknown>,
  base: DeploymentSettings = DEFAULT_DEPLOYMENT_SETTINGS,
): DeploymentSettings {
  const out: DeploymentSettings = { phaseMs: base.phaseMs, failures: { ...base.failures } };
  for (const key of Object.keys(input)) {
    if (key !== "phaseMs" && key !== "failures")
      throw new Error(`unknown deployment setting "${key}" (expected phaseMs, failures)`);
  }
  if (input.phaseMs !== undefined) {
    const n = typeof input.phaseMs === "string" ? Number(input.phaseMs) : input.phaseMs;
    if (typeof n !== "number" || !Number.isInteger(n) || n < 0 || n > 600_000)
      throw new Error("phaseMs must be an integer from 0 to 600000");
    out.phaseMs = n;
  }
  if (input.failures !== undefined) {
    if (!isPlainObject(input.failures as JsonObject))
      throw new Error('failures must be an object like {"<service name or id>": "build"}');
    for (const [service, mode] of Object.entries(input.failures as Record<string, unknown>)) {
      if (mode === null) {
        delete out.failures[service];
      } else if ((DEPLOYMENT_FAILURES as readonly unknown[]).includes(mode)) {
        out.failures[service] = mode as DeploymentFailure;
      } else {
        throw new Error(
          `failures.${service} must be one of ${DEPLOYMENT_FAILURES.join(", ")} or null, got ${JSON.stringify(mode)}`,
        );
      }
    }
  }
  return out;
}

const str = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);

function section(instance: JsonObject, key: string): JsonObject {
  const value = instance[key];
  return isPlainObject(value) ? value : {};
}

/** True when the instance has something to build or pull: Railway deploys nothing otherwise. */
export function hasSource(instance: JsonObject | undefined): boolean {
  if (!instance) return false;
  const source = section(instance, "source");
  return Boolean(str(source.image) || str(source.repo));
}

interface PlannedLine {
  kind: "build" | "deploy";
  message: string;
  severity: "info" | "error";
}

/**
 * The timeline of a new deployment: statuses at offsets (in phases) and the log lines written
 * when each phase starts.
 */
function plan(
  serviceName: string,
  instance: JsonObject,
  failure: DeploymentFailure | undefined,
): { steps: { status: DeploymentStatus; phase: number; lines: PlannedLine[] }[] } {
  const source = section(instance, "source");
  const build = section(instance, "build");
  const deploy = section(instance, "deploy");
  const variables = section(instance, "variables");
  const portEntry = variables.PORT;
  const port = (isPlainObject(portEntry) && str(portEntry.value)) || "8080";
  const image = str(source.image);
  const origin = image ?? `${str(source.repo)}@${str(source.branch) ?? "main"}`;
  const buildCommand = str(build.buildCommand) ?? "npm run build";
  const startCommand = str(deploy.startCommand) ?? (image ? "the image's entrypoint" : "npm start");
  const healthcheckPath = str(deploy.healthcheckPath);
  const retries = Math.min(
    typeof deploy.restartPolicyMaxRetries === "number" ? deploy.restartPolicyMaxRetries : 10,
    3,
  );
  const info = (kind: PlannedLine["kind"], message: string): PlannedLine => ({
    kind,
    message,
    severity: "info",
  });
  const error = (kind: PlannedLine["kind"], message: string): PlannedLine => ({
    kind,
    message,
    severity: "error",
  });

  const buildLines: PlannedLine[] = image
    ? [info("build", `Pulling image ${image}`)]
    : [
        info("build", `Cloning ${origin}`),
        info("build", `Using ${str(build.builder) ?? "RAILPACK"}`),
        info("build", `$ ${buildCommand}`),
      ];
  const steps: { status: DeploymentStatus; phase: number; lines: PlannedLine[] }[] = [
    { status: "QUEUED", phase: 0, lines: [] },
    { status: "INITIALIZING", phase: 1, lines: [info("build", `Building ${serviceName}`)] },
    { status: "BUILDING", phase: 2, lines: buildLines },
  ];
  if (failure === "build") {
    steps.push({
      status: "FAILED",
      phase: 3,
      lines: image
        ? [
            error("build", `failed to pull ${image}: manifest unknown`),
            error("build", "Build Failed"),
          ]
        : [
            error("build", `npm ERR! code ELIFECYCLE (${buildCommand} exited with code 1)`),
            error(
              "build",
              `process "/bin/sh -c ${buildCommand}" did not complete successfully: exit code: 1`,
            ),
            error("build", "Build Failed"),
          ],
    });
    return { steps };
  }
  steps.push({
    status: "DEPLOYING",
    phase: 3,
    lines: [
      info("build", image ? "Image pulled" : "Build completed"),
      info("deploy", "Starting Container"),
    ],
  });
  if (failure === "crash") {
    const crash: PlannedLine[] = [];
    for (let attempt = 0; attempt <= retries; attempt++) {
      crash.push(error("deploy", `Error: Cannot find module '/app/dist/server.js'`));
      crash.push(error("deploy", `${startCommand} exited with code 1`));
      if (attempt < retries)
        crash.push(info("deploy", `Restarting container (${attempt + 1}/${retries})`));
    }
    crash.push(error("deploy", `Deployment crashed: the container exited ${retries + 1} times`));
    steps.push({ status: "CRASHED", phase: 4, lines: crash });
    return { steps };
  }
  const listening = info("deploy", `Listening on port ${port}`);
  if (failure === "healthcheck") {
    steps.push({
      status: "FAILED",
      phase: 4,
      lines: [
        listening,
        info("deploy", `Starting Healthcheck on ${healthcheckPath ?? "/"}`),
        error("deploy", "Attempt #1 failed with service unavailable. Continuing to retry"),
        error("deploy", "Attempt #2 failed with service unavailable. Continuing to retry"),
        error("deploy", "1/1 replicas never became healthy!"),
        error("deploy", "Healthcheck failed!"),
      ],
    });
    return { steps };
  }
  steps.push({
    status: "SUCCESS",
    phase: 4,
    lines: healthcheckPath
      ? [
          listening,
          info("deploy", `Starting Healthcheck on ${healthcheckPath}`),
          info("deploy", "[1/1] Healthcheck succeeded!"),
        ]
      : [listening],
  });
  return { steps };
}

/** Creates a deployment (QUEUED) with its planned timeline and logs, then advances it. */
export function startDeployment(
  state: EmulatorState,
  env: EnvironmentRecord,
  serviceId: string,
  instance: JsonObject,
  meta: JsonObject,
): DeploymentRecord {
  const settings = state.deploymentSettings;
  const serviceName = state.data.services[serviceId]?.name ?? serviceId;
  const failure = settings.failures[serviceId] ?? settings.failures[serviceName];
  const started = Date.now();
  const at = (phase: number): string => new Date(started + phase * settings.phaseMs).toISOString();
  const now = new Date(started).toISOString();
  // A newer deployment supersedes one that has not finished yet (Railway removes it).
  for (const d of Object.values(state.data.deployments)) {
    if (
      d.environmentId === env.id &&
      d.serviceId === serviceId &&
      !FINAL_STATUSES.includes(d.status)
    ) {
      d.status = "REMOVED";
      d.timeline = d.timeline.filter((step) => step.at <= now);
      d.timeline.push({ status: "REMOVED", at: now });
      d.logs = d.logs.filter((line) => line.timestamp <= now);
      d.updatedAt = now;
    }
  }
  const { steps } = plan(serviceName, instance, failure);
  const deployment: DeploymentRecord = {
    id: state.newId(),
    projectId: env.projectId,
    environmentId: env.id,
    serviceId,
    status: "QUEUED",
    meta,
    timeline: steps.map((step) => ({ status: step.status, at: at(step.phase) })),
    logs: steps.flatMap((step) =>
      step.lines.map((line) => ({ ...line, timestamp: at(step.phase) })),
    ),
    createdAt: now,
    updatedAt: now,
  };
  state.data.deployments[deployment.id] = deployment;
  advanceDeployments(state, started);
  return deployment;
}

/**
 * Moves every unfinished deployment to the status its timeline has reached by `nowMs`. A
 * deployment that reaches SUCCESS takes over: the instance's previous SUCCESS one becomes
 * REMOVED. Returns true when anything changed (so the caller persists it).
 */
export function advanceDeployments(state: EmulatorState, nowMs: number = Date.now()): boolean {
  const now = new Date(nowMs).toISOString();
  let changed = false;
  const pending = Object.values(state.data.deployments).filter(
    (d) => !FINAL_STATUSES.includes(d.status),
  );
  for (const d of pending) {
    const reached = d.timeline.filter((step) => step.at <= now).at(-1);
    if (!reached || reached.status === d.status) continue;
    d.status = reached.status;
    d.updatedAt = reached.at;
    changed = true;
    if (d.status !== "SUCCESS") continue;
    for (const other of Object.values(state.data.deployments)) {
      if (
        other.id !== d.id &&
        other.environmentId === d.environmentId &&
        other.serviceId === d.serviceId &&
        other.status === "SUCCESS"
      ) {
        other.status = "REMOVED";
        other.updatedAt = reached.at;
      }
    }
  }
  return changed;
}

/** The deployment serving an instance now (its SUCCESS one), if any. */
export function liveDeployment(
  state: EmulatorState,
  environmentId: string,
  serviceId: string,
): DeploymentRecord | undefined {
  return Object.values(state.data.deployments).find(
    (d) => d.environmentId === environmentId && d.serviceId === serviceId && d.status === "SUCCESS",
  );
}

/**
 * Log lines of one kind written so far, as Railway's `Log` objects, oldest first; `limit` keeps
 * the last ones, `filter` keeps lines containing it (case-insensitive).
 */
export function deploymentLogLines(
  d: DeploymentRecord,
  kind: "build" | "deploy",
  options: {
    limit?: number | null;
    filter?: string | null;
    startDate?: string | null;
    endDate?: string | null;
  },
  nowMs: number = Date.now(),
) {
  const now = new Date(nowMs).toISOString();
  const filter = options.filter?.toLowerCase();
  let lines = d.logs
    .filter((line) => line.kind === kind && line.timestamp <= now)
    .filter((line) => !options.startDate || line.timestamp >= options.startDate)
    .filter((line) => !options.endDate || line.timestamp <= options.endDate)
    .filter((line) => !filter || line.message.toLowerCase().includes(filter));
  if (options.limit !== undefined && options.limit !== null && options.limit >= 0)
    lines = lines.slice(Math.max(0, lines.length - options.limit));
  return lines.map((line) => ({
    message: line.message,
    severity: line.severity,
    timestamp: line.timestamp,
    attributes: [
      { key: "level", value: line.severity },
      { key: "deploymentId", value: d.id },
    ],
  }));
}
