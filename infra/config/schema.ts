/**
 * The zod schema of the one object each `Pulumi.<stack>.yaml` holds under `railway-stacks:app`.
 *
 * It is also the documentation: every field carries a description (and a default where there is
 * one) in `.meta()`; `scripts/gen-config-reference.ts` turns its JSON Schema (`z.toJSONSchema`,
 * read through ./json-schema.ts, where the `.meta()` keys appear) into docs/config-reference.md,
 * and config issues are worded from the same JSON Schema (./walk.ts). Field formats are
 * checked here, on the field; checks that need several fields live in ./checks.ts and run on the
 * whole object, so every problem is reported in one go. Its `.transform()`s then resolve the
 * values components take; ./types.ts names their types (`z.output`), none is written twice.
 */
import { z } from "zod";

import type { ServiceDeployInputs } from "../domain/types";
import {
  checkCrossField,
  checkService,
  checkSharedVariables,
  checkUsageLimit,
  checkVariableObject,
} from "./checks";
import {
  APP_CONFIG_KEY,
  BACKUP_SCHEDULES,
  BUILDERS,
  DATA_SERVICES,
  DEFAULT_APP_PORT,
  DEFAULT_EXPECTED_UTILIZATION,
  DEFAULT_HEALTHCHECK_TIMEOUT_SECONDS,
  DEFAULT_IMAGES,
  EVICTION_POLICIES,
  LAYOUTS,
  PROJECT_NAME,
  RESTART_POLICIES,
  DEFAULT_RESTART_MAX_RETRIES,
} from "./constants";
import {
  CONFIG_KEY,
  MAX_GENERATED_SECRET_LENGTH,
  MAX_PORT,
  MIN_GENERATED_SECRET_LENGTH,
  MIN_PORT,
  RAILWAY_REGIONS,
  SQL_IDENTIFIER,
  STREAM_NAME,
  WORKSPACE_ID,
  bytesFromMB,
  checkBranch,
  checkCron,
  checkCustomDomain,
  checkDuration,
  checkEnvironmentName,
  checkHttpPath,
  checkImage,
  checkOrigin,
  checkRegion,
  checkRepo,
  checkRepoFile,
  checkRootDirectory,
  checkSize,
  checkSubject,
  parseDurationSeconds,
  parseSizeMB,
  type Problem,
  type Region,
} from "../domain/rules";
import { DATA_SERVICE_FIELDS, dataServiceName, isNamedForm } from "./data-services";
import { TIERS, TIER_DEFAULTS } from "./tiers";
import type { DataServiceName } from "./types";

export {
  APP_CONFIG_KEY,
  BACKUP_SCHEDULES,
  BUILDERS,
  DATA_SERVICES,
  DEFAULT_HEALTHCHECK_TIMEOUT_SECONDS,
  DEFAULT_IMAGES,
  EVICTION_POLICIES,
  PROJECT_NAME,
  RESTART_POLICIES,
};

// ---------------------------------------------------------------------------------------------
// Building blocks

/** Documentation attached to a schema; `defaultText` is shown when the default is not a literal. */
type Doc = { description: string; defaultText?: string };

const doc = (description: string, defaultText?: string): Doc =>
  defaultText === undefined ? { description } : { description, defaultText };

/** A string field checked by a format function from ./formats. */
function formatted(check: (value: string) => Problem | undefined) {
  return z.string().superRefine((value, ctx) => {
    const found = check(value);
    if (found)
      ctx.addIssue({
        code: "custom",
        message: found.problem,
        params: { fix: found.fix, suggest: found.suggest },
        input: value,
      });
  });
}

function matching(pattern: RegExp, what: string, fix: string) {
  return z.string().superRefine((value, ctx) => {
    if (!pattern.test(value)) {
      ctx.addIssue({
        code: "custom",
        message: `${JSON.stringify(value)} is not ${what}`,
        params: { fix },
        input: value,
      });
    }
  });
}

const nonEmpty = () => z.string().min(1);
const MOUNT_PATH = /^\/[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/;
const port = () => z.number().int().min(MIN_PORT).max(MAX_PORT);
const size = () => formatted(checkSize).meta({ size: true });
/** A valid size ("512MB") in MB. */
const mb = (value: string): number => parseSizeMB(value) ?? 0;

const Limits = z
  .strictObject({
    cpu: z
      .number()
      .positive()
      .max(32)
      .optional()
      .meta(
        doc(
          "vCPUs per replica, e.g. 0.5 or 2 (Railway's limitOverride.containers.cpu).",
          "plan default",
        ),
      ),
    memory: size()
      .optional()
      .meta(doc('Memory per replica, e.g. "512MB" or "2GB" (up to 32GB).', "plan default")),
  })
  .meta(doc("Per-replica resource limits; unset fields keep Railway's plan defaults."))
  .transform(({ cpu, memory }) => {
    const memoryMB = memory === undefined ? undefined : parseSizeMB(memory);
    return {
      ...(cpu !== undefined ? { /** vCPUs per replica. */ cpu } : {}),
      ...(memoryMB !== undefined
        ? {
            memoryMB,
            /** `memoryMB` in bytes, as `limitOverride.containers.memoryBytes` takes it. */
            memoryBytes: bytesFromMB(memoryMB),
          }
        : {}),
    };
  });
/** Per-replica container limits; an absent field means Railway's plan default. */
export type ResourceLimits = z.output<typeof Limits>;

const expectedUtilization = () =>
  z
    .number()
    .positive()
    .max(1)
    .default(DEFAULT_EXPECTED_UTILIZATION)
    .meta(
      doc(
        "Share of its CPU and memory limits the service uses on average (0 < x ≤ 1), for the lower bound of `npm run cost`; the upper bound assumes full use.",
      ),
    );

const wholeDollars = () => z.number().int().min(1);

const RailwayUsageLimit = z
  .strictObject({
    softUsd: wholeDollars().meta(
      doc(
        "Whole US dollars of usage per month at which Railway emails the workspace's members (Railway's soft limit).",
      ),
    ),
    hardUsd: wholeDollars()
      .optional()
      .meta(
        doc(
          "Whole US dollars of usage per month at which Railway takes the workspace's services down until the next billing period or a higher limit (Railway's hard limit); at least `softUsd`.",
          "no hard limit",
        ),
      ),
  })
  .superRefine(checkUsageLimit, { when: () => true })
  .meta(
    doc(
      "Sets Railway's own usage limit of the workspace (`usageLimitSet`), enforced by Railway whatever this program estimates; needs `project.workspaceId`. The limit is workspace-wide: every project of the workspace, and so every stack in it, shares the one limit, and `pulumi destroy` of the stack that sets it removes it. Set it in one stack of the workspace, normally production; PR stacks leave it out.",
      "Railway's limit left as it is",
    ),
  );

const Budget = z
  .strictObject({
    monthlyUsd: z
      .number()
      .positive()
      .meta(
        doc(
          "Most the stack may cost per month in US dollars: the policy `railway-stack-disallow-over-budget` blocks a production change whose estimated upper bound exceeds it (advisory in other stacks).",
        ),
      ),
    railwayUsageLimit: RailwayUsageLimit.optional(),
  })
  .meta(doc("The stack's cost budget, checked against the estimate of `npm run cost`."));

// ---------------------------------------------------------------------------------------------
// Project and app settings

const Project = z
  .strictObject({
    name: nonEmpty()
      .max(64)
      .meta(
        doc(
          "Railway project name: with `layout: shared` the same in every stack file of the program. Isolated PR stacks use `<name>-pr-<number>`.",
        ),
      ),
    workspaceId: matching(
      WORKSPACE_ID,
      "a Railway workspace id",
      "copy the workspace id (a UUID) from the Railway dashboard URL",
    )
      .optional()
      .meta(
        doc(
          "Railway workspace to create the project in. Without one Railway creates a temporary project.",
        ),
      ),
    region: formatted(checkRegion)
      .default("us-west2")
      .meta(
        doc(
          `Region of the data services and of app services without \`regions\`: ${RAILWAY_REGIONS.join(", ")}.`,
        ),
      ),
    protectedBranch: formatted(checkBranch)
      .default("main")
      .meta(
        doc("Branch the stack deploys from: repo-sourced services without `source.branch` use it."),
      ),
    adopt: z
      .boolean()
      .default(false)
      .meta(
        doc(
          "Adopt what already exists in Railway instead of creating it: the project with this `name` (exactly one must exist), and in it the environment, services and volumes with the names this stack declares. `pulumi preview` then lists, per service, what adopting changes and what it keeps. Use it once to bring a project made by hand under Pulumi, then remove it.",
        ),
      ),
    layout: z
      .enum(LAYOUTS)
      .default("shared")
      .meta(
        doc(
          "`shared`: every stack of the program lives in ONE Railway project (`name`), each stack owning one environment of it (`environment`); the project is created by the first stack that needs it (or adopted by name) and never deleted by a stack. `isolated`: a project per stack (its default environment), e.g. to keep production's members and tokens apart.",
        ),
      ),
    environment: formatted(checkEnvironmentName)
      .optional()
      .meta(
        doc(
          "The Railway environment this stack owns. PR stacks use `pr-<number>`, forked from the preview stack's environment.",
          "`production` for the production tier, else the stack name (`isolated`: the tier)",
        ),
      ),
    removeUndeclared: z
      .boolean()
      .default(false)
      .meta(
        doc(
          "Remove the variables and settings that the services of this environment have in Railway but this stack does not declare (set in the dashboard, or by an earlier tool). Without it they are kept, and `pulumi preview` lists them while adopting.",
        ),
      ),
  })
  .meta(
    doc(
      "The Railway project this stack's environment lives in (`layout: shared`), or that it owns (`layout: isolated`).",
    ),
  );

const App = z
  .strictObject({
    rateLimit: z
      .strictObject({
        enabled: z
          .boolean()
          .optional()
          .meta(doc("Whether the app rate-limits requests (`RATE_LIMIT_ENABLED`).", "per tier")),
        rpm: z
          .number()
          .int()
          .min(1)
          .max(1_000_000)
          .optional()
          .meta(doc("Requests per minute per client when enabled (`RATE_LIMIT_RPM`).", "per tier")),
      })
      .optional()
      .meta(doc("Rate limiting the app applies.", "per tier")),
    securityMiddleware: z
      .boolean()
      .optional()
      .meta(
        doc(
          "Security headers, CSRF and auth hardening in the app (`SECURITY_MIDDLEWARE`).",
          "per tier",
        ),
      ),
    logFormat: z
      .enum(["json", "pretty"])
      .optional()
      .meta(
        doc(
          "Log line format (`LOG_FORMAT`): `json` for log search, `pretty` for a terminal.",
          "per tier",
        ),
      ),
    debug: z
      .boolean()
      .optional()
      .meta(doc("Debug mode (`DEBUG`); on only for local by default.", "per tier")),
    corsOrigins: z
      .array(formatted(checkOrigin))
      .optional()
      .meta(
        doc(
          'Origins allowed by CORS (`CORS_ORIGINS`, comma-separated), e.g. ["https://app.acme-agents.com"].',
          "per tier",
        ),
      ),
  })
  .meta(
    doc("Behaviour the app services receive as variables; each field overrides the tier default."),
  );

// ---------------------------------------------------------------------------------------------
// Data services

const enabled = () => z.boolean().default(true).meta(doc("Deploy this data service."));
const publicProxy = () =>
  z
    .boolean()
    .default(false)
    .meta(doc("Expose the service through a public TCP proxy. Keep it off in production."));
const image = (fallback: string, what: string) =>
  formatted(checkImage)
    .default(fallback)
    .meta(doc(`${what} image with a pinned tag or \`@sha256:\` digest (no \`latest\`).`));
const volumeSize = (fallback: string) =>
  size()
    .default(fallback)
    .meta(doc('Size of the data volume, e.g. "1GB" (volumes can grow, never shrink).'));

const Postgres = z
  .strictObject({
    enabled: enabled(),
    image: image(DEFAULT_IMAGES.postgres, "Postgres (pgvector-capable)"),
    database: matching(
      SQL_IDENTIFIER,
      "a database name",
      'use lower-case letters, digits and "_", e.g. "agents"',
    )
      .default("app")
      .meta(doc("Database created on first start (`POSTGRES_DB`).")),
    user: matching(
      SQL_IDENTIFIER,
      "a user name",
      'use lower-case letters, digits and "_", e.g. "agents"',
    )
      .default("app")
      .meta(doc("Owner role of the database (`POSTGRES_USER`); its password is generated.")),
    volumeSize: volumeSize("1GB"),
    publicProxy: publicProxy(),
    backups: z
      .array(z.enum(BACKUP_SCHEDULES))
      .default([])
      .meta(
        doc("Volume backup schedules: DAILY, WEEKLY, MONTHLY.", "per tier (production: [DAILY])"),
      ),
    limits: Limits.optional(),
    expectedUtilization: expectedUtilization(),
  })
  .meta(doc("Postgres with pgvector, on a volume at its data directory."));
const resolvePostgres = ({ volumeSize, ...settings }: z.output<typeof Postgres>) => ({
  ...settings,
  volumeSizeMB: mb(volumeSize),
});

const Redis = z
  .strictObject({
    enabled: enabled(),
    image: image(DEFAULT_IMAGES.redis, "Redis 7"),
    maxMemory: size()
      .default("512MB")
      .meta(doc("`maxmemory`: memory Redis may use for data before it evicts.")),
    evictionPolicy: z
      .enum(EVICTION_POLICIES)
      .default("allkeys-lru")
      .meta(doc(`\`maxmemory-policy\`: ${EVICTION_POLICIES.join(", ")}.`)),
    appendOnly: z
      .boolean()
      .default(false)
      .meta(doc("`appendonly`: log every write (AOF) besides snapshots.")),
    volumeSize: volumeSize("1GB"),
    publicProxy: publicProxy(),
    limits: Limits.optional(),
    expectedUtilization: expectedUtilization(),
  })
  .meta(doc("Redis with a generated password, bounded memory and an eviction policy."));
const resolveRedis = ({ maxMemory, volumeSize, ...settings }: z.output<typeof Redis>) => ({
  ...settings,
  maxMemoryMB: mb(maxMemory),
  volumeSizeMB: mb(volumeSize),
});

const Stream = z
  .strictObject({
    name: matching(
      STREAM_NAME,
      "a JetStream stream name",
      'use letters, digits, "_" and "-", e.g. "AGENT_EVENTS"',
    ).meta(doc("Stream name.")),
    subjects: z
      .array(formatted(checkSubject))
      .min(1)
      .meta(doc('Subjects the stream captures, e.g. ["agents.>"].')),
    maxAge: formatted(checkDuration).meta(
      doc('How long messages are kept, e.g. "7d", "12h" or "30m".'),
    ),
  })
  .meta(
    doc(
      "A JetStream stream. Railway's private network is out of CI's reach, so the stack does not create it: linked apps receive the streams as `NATS_STREAMS` (JSON) and add them at start-up (adding a stream is idempotent).",
    ),
  )
  // `maxAge` stays as written too: it is the `nats` CLI's `--max-age` format.
  .transform((stream) => ({
    ...stream,
    maxAgeSeconds: parseDurationSeconds(stream.maxAge) ?? 0,
  }));

const Nats = z
  .strictObject({
    enabled: enabled(),
    image: image(DEFAULT_IMAGES.nats, "NATS 2.10"),
    jetStream: z
      .strictObject({
        maxStorage: size()
          .default("1GB")
          .meta(doc("`max_file_store`: JetStream file storage; at most `volumeSize`.")),
        streams: z
          .array(Stream)
          .prefault([])
          .meta(doc("Streams the linked apps add at start-up (`NATS_STREAMS`).")),
      })
      .prefault({})
      .meta(doc("JetStream (always on), stored on the `/data` volume.")),
    volumeSize: volumeSize("1GB"),
    publicProxy: publicProxy(),
    limits: Limits.optional(),
    expectedUtilization: expectedUtilization(),
  })
  .meta(doc("NATS with JetStream and token auth, data on a volume at `/data`."));
const resolveNats = ({ jetStream, volumeSize, ...settings }: z.output<typeof Nats>) => ({
  ...settings,
  jetStream: { maxStorageMB: mb(jetStream.maxStorage), streams: jetStream.streams },
  volumeSizeMB: mb(volumeSize),
});

/**
 * A data-service key: the settings of one instance, or named instances each with those settings
 * (./data-services.ts tells the forms apart; the issue wording follows it, see `dataService`).
 */
function instances<T extends z.ZodObject, R>(
  kind: DataServiceName,
  settings: T,
  resolve: (value: z.output<T>) => R,
) {
  const fields = Object.keys(settings.shape);
  if (fields.join() !== DATA_SERVICE_FIELDS[kind].join())
    throw new Error(`DATA_SERVICE_FIELDS.${kind} does not list the fields of its schema`);
  // Named instances read by the one-instance branch fail it outright (`continue: false`), so zod judges
  // them by the instances branch instead of keeping the branch that only found unknown keys.
  const single = settings.superRefine((_value, ctx) => {
    const unknown = ctx.issues.find(
      (issue) => issue.code === "unrecognized_keys" && (issue.path ?? []).length === 0,
    );
    if (unknown && isNamedForm(kind, unknown.input))
      ctx.addIssue({ code: "custom", message: `named ${kind} instances`, continue: false });
  });
  // Resolved after the union (a transform inside a branch would abort it and sway zod's choice).
  return (
    z
      .union([
        single,
        z
          .record(z.string(), settings)
          .meta(
            doc(
              `Named ${kind} instances, e.g. { main: {...}, analytics: {...} }: each a Railway service \`${kind}-<name>\` with its own credentials and volume, linked as \`${kind}.<name>\`. Names are lowercase DNS labels.`,
            ),
          ),
      ])
      // The branch taken: one instance has its `enabled` (defaulted), instances are mappings. (Not
      // `isNamedForm`: with unknown keys alone, zod may take the instances branch of a mixed key.)
      .transform((value): R | Record<string, R> =>
        typeof value["enabled"] === "boolean"
          ? resolve(value as z.output<T>)
          : Object.fromEntries(
              Object.entries(value as Record<string, z.output<T>>).map(([name, instance]) => [
                name,
                resolve(instance),
              ]),
            ),
      )
      .prefault({})
      .meta({
        ...doc(
          `${settings.description ?? kind} One instance (Railway service \`${kind}\`, linked as \`${kind}\`), or named instances \`${kind}: { <name>: {...} }\` (service \`${kind}-<name>\`, linked as \`${kind}.<name>\`).`,
        ),
        dataService: kind,
      })
  );
}

// ---------------------------------------------------------------------------------------------
// App services

const VariableObject = z
  .strictObject({
    secret: matching(
      CONFIG_KEY,
      "a stack config key",
      'use letters, digits, "_" and "-", e.g. "openaiApiKey"',
    )
      .optional()
      .meta(doc("Name of a secret stack config key (`pulumi config set --secret <key> <value>`).")),
    optional: z
      .boolean()
      .optional()
      .meta(
        doc(
          "With `secret`: leave the variable out when the key is not set instead of failing.",
          "false",
        ),
      ),
    ref: z
      .string()
      .optional()
      .meta(
        doc("`<service>.<VARIABLE>`: a Railway reference variable, e.g. `postgres.DATABASE_URL`."),
      ),
    generate: z
      .strictObject({
        length: z
          .number()
          .int()
          .min(MIN_GENERATED_SECRET_LENGTH)
          .max(MAX_GENERATED_SECRET_LENGTH)
          .meta(
            doc(
              `Characters of the generated secret (${MIN_GENERATED_SECRET_LENGTH}–${MAX_GENERATED_SECRET_LENGTH}).`,
            ),
          ),
      })
      .optional()
      .meta(doc("A random secret generated once and kept in state as a Pulumi secret.")),
    notSecret: z
      .union([z.string(), z.number(), z.boolean()])
      .optional()
      .meta(
        doc(
          "A plain value you declare is not a secret although its name or value looks like one (e.g. a public webhook id, `TOKEN_TTL_SECONDS`): neither the config check nor the policy pack judges it.",
        ),
      ),
  })
  .superRefine(checkVariableObject)
  .meta(doc("Exactly one of `secret`, `ref`, `generate` or `notSecret`."));

const Variable = z
  .union([z.string(), z.number(), z.boolean(), VariableObject])
  .meta(
    doc(
      "A plain value (not for secrets), `{ secret: <configKey> }`, `{ ref: <service>.<VARIABLE> }`, `{ generate: { length: 32 } }` or `{ notSecret: <value> }`.",
    ),
  );

const Source = z
  .strictObject({
    repo: formatted(checkRepo)
      .optional()
      .meta(doc("GitHub repository `owner/name` to build from. Exclusive with `image`.")),
    branch: formatted(checkBranch)
      .optional()
      .meta(doc("Branch to deploy (repo only).", "project.protectedBranch")),
    rootDirectory: formatted(checkRootDirectory)
      .optional()
      .meta(doc("Directory of the service in a monorepo, e.g. `services/backend` (repo only).")),
    image: formatted(checkImage)
      .optional()
      .meta(doc("Docker image with a pinned tag or digest. Exclusive with `repo`.")),
  })
  .meta(
    doc("Where the service's code comes from: `repo` (+ `branch`, `rootDirectory`) or `image`."),
  );

const Build = z
  .strictObject({
    builder: z
      .enum(BUILDERS)
      .optional()
      .meta(
        doc("RAILPACK, NIXPACKS or DOCKERFILE.", "DOCKERFILE with dockerfilePath, else RAILPACK"),
      ),
    buildCommand: nonEmpty().optional().meta(doc("Overrides the builder's build command.")),
    dockerfilePath: formatted(checkRepoFile)
      .optional()
      .meta(doc("Dockerfile path relative to `source.rootDirectory` (DOCKERFILE builder).")),
    watchPatterns: z
      .array(nonEmpty())
      .default([])
      .meta(
        doc(
          'Only commits touching these gitignore-style patterns deploy, e.g. ["/services/ml/**"].',
        ),
      ),
  })
  .meta(doc("How Railway builds a repo-sourced service."))
  .transform((build) => ({
    ...build,
    builder: build.builder ?? (build.dockerfilePath !== undefined ? "DOCKERFILE" : "RAILPACK"),
  }));

/**
 * Service settings Railway takes as they are: each key is the `deploy.<key>` of the environment
 * config and the `ServiceDeployInputs` field of the same name (infra/domain/types.ts), so config,
 * components and provider pass them through without naming them. A new one goes here, into
 * `ServiceDeployInputs` and into the environment-config mapping (infra/railway/environment-config.ts);
 * see docs/contributing.md.
 */
export const RailwayDeploySettings = z.strictObject({
  overlapSeconds: z
    .number()
    .int()
    .min(0)
    .max(3600)
    .optional()
    .meta(
      doc(
        "Seconds the previous deployment keeps serving next to a new one before it is stopped (zero-downtime overlap).",
        "Railway's default",
      ),
    ),
  drainingSeconds: z
    .number()
    .int()
    .min(0)
    .max(3600)
    .optional()
    .meta(
      doc(
        "Seconds a stopping deployment gets between SIGTERM and SIGKILL to finish its requests.",
        "Railway's default",
      ),
    ),
} satisfies DeploySettingShape);
export type RailwayDeploySettings = z.output<typeof RailwayDeploySettings>;

/** Each deploy setting is the `ServiceDeployInputs` field of the same name and type (checked). */
type DeploySettingShape = {
  [K in keyof ServiceDeployInputs]?: z.ZodType<ServiceDeployInputs[K] | undefined>;
};

const Service = z
  .strictObject({
    ...RailwayDeploySettings.shape,
    source: Source,
    build: Build.optional(),
    startCommand: nonEmpty()
      .optional()
      .meta(doc("Command that starts the service (overrides the image/builder default).")),
    preDeployCommand: z
      .array(nonEmpty())
      .default([])
      .meta(doc('Command run before each deploy, as argv, e.g. ["npm", "run", "migrate"].')),
    port: port()
      .optional()
      .meta(doc("Port the service listens on (`PORT`); required for public services.")),
    volume: z
      .strictObject({
        mountPath: matching(
          MOUNT_PATH,
          "an absolute mount path",
          'start with "/" and use letters, digits, ".", "_", "-" and "/", e.g. "/data"',
        ).meta(doc('Where the volume is mounted in the container, e.g. "/data".')),
        size: size()
          .default("1GB")
          .meta(doc('Size of the volume, e.g. "5GB" (volumes can grow, never shrink).')),
        backups: z
          .array(z.enum(BACKUP_SCHEDULES))
          .default([])
          .meta(doc("Volume backup schedules: DAILY, WEEKLY, MONTHLY.")),
      })
      .transform(({ mountPath, size, backups }) => ({ mountPath, sizeMB: mb(size), backups }))
      .optional()
      .meta(
        doc(
          "A persistent volume (one per service, Railway's limit). Railway attaches it to a single replica, so the service runs one replica (no `regions`); protected in production like the data services' volumes.",
        ),
      ),
    tcpProxy: port()
      .optional()
      .meta(
        doc(
          "Application port to expose through a public TCP proxy (raw TCP, gRPC); its public `host:port` is the stack output `tcpProxies.<service>`.",
        ),
      ),
    healthcheck: z
      .strictObject({
        path: formatted(checkHttpPath).meta(
          doc("Path Railway polls until it answers 200 before switching traffic."),
        ),
        timeoutSeconds: z
          .number()
          .int()
          .min(1)
          .max(3600)
          .default(DEFAULT_HEALTHCHECK_TIMEOUT_SECONDS)
          .meta(doc("Seconds Railway waits for a healthy answer before failing the deploy.")),
      })
      .optional()
      .meta(doc("Railway's deploy healthcheck.")),
    readinessPath: formatted(checkHttpPath)
      .optional()
      .meta(doc("Path the post-deploy gate polls for readiness, e.g. `/health/ready`.")),
    replicas: z
      .number()
      .int()
      .min(1)
      .max(50)
      .optional()
      .meta(
        doc(
          "Replicas in `project.region`. Exclusive with `regions`.",
          "per tier (production: 2 for public services)",
        ),
      ),
    regions: z
      .record(z.string(), z.number().int().min(1).max(50))
      .optional()
      .meta(
        doc(
          "Replicas per region, e.g. { us-west2: 2, europe-west4-drams3a: 1 }. Exclusive with `replicas`.",
        ),
      ),
    limits: Limits.optional(),
    expectedUtilization: expectedUtilization(),
    restartPolicy: z
      .strictObject({
        type: z
          .enum(RESTART_POLICIES)
          .default("ON_FAILURE")
          .meta(doc("ALWAYS, NEVER or ON_FAILURE.")),
        maxRetries: z
          .number()
          .int()
          .min(0)
          .max(100)
          .optional()
          .meta(doc("Restarts before giving up (ON_FAILURE only).", "10 for ON_FAILURE")),
      })
      .prefault({})
      .meta(doc("What Railway does when the process exits.")),
    cron: formatted(checkCron)
      .optional()
      .meta(doc('Run as a cron job on this 5-field UTC schedule, e.g. "0 3 * * *" (one replica).')),
    sleep: z
      .boolean()
      .default(false)
      .meta(doc("Let Railway sleep the service when it gets no traffic.")),
    domains: z
      .strictObject({
        railway: z
          .boolean()
          .default(false)
          .meta(doc("Generate a public `*.up.railway.app` domain.")),
        custom: z
          .array(formatted(checkCustomDomain))
          .default([])
          .meta(doc('Custom host names, e.g. ["api.acme-agents.com"].')),
      })
      .prefault({})
      .meta(
        doc(
          "Public domains; a service with none is private (reachable on `<name>.railway.internal`).",
        ),
      ),
    variables: z.record(z.string(), Variable).default({}).meta(doc("Service variables by name.")),
    links: z
      .array(z.string())
      .default([])
      .meta(
        doc(
          "Data services to connect: `postgres`, `redis`, `nats`, or a named instance `postgres.<name>`; their URLs arrive as reference variables (at most one instance of a kind per service: their variables would clash).",
        ),
      ),
    skipDeploysOnVariableChange: z
      .boolean()
      .default(false)
      .meta(
        doc(
          "Apply a change of variables only (added, changed or removed) without redeploying: the running deployment keeps the old values until the next deployment, and `pulumi up` does not wait.",
        ),
      ),
    gate: z
      .strictObject({
        enabled: z
          .boolean()
          .optional()
          .meta(
            doc(
              "Poll the health and readiness paths on the public domain after the deployment serves, and fail the update if they do not answer 2xx in time.",
              "per tier, public services only",
            ),
          ),
        deployment: z
          .boolean()
          .optional()
          .meta(
            doc(
              "Follow the deployment each change starts through Railway's statuses and fail the update with its status, dashboard URL and last log lines unless it serves (`SUCCESS`, or `SLEEPING` for a sleeping service). `false` only commits the change.",
              "true; false for a cron service",
            ),
          ),
        timeoutSeconds: z
          .number()
          .int()
          .min(10)
          .max(3600)
          .optional()
          .meta(doc("Give up after this many seconds.", "per tier")),
        intervalSeconds: z
          .number()
          .int()
          .min(1)
          .max(300)
          .optional()
          .meta(doc("Seconds between polls.", "per tier")),
      })
      .optional()
      .meta(
        doc(
          "Post-deploy verification: follow Railway's deployment (`deployment`), then poll the healthcheck and readiness paths on the public domain (`enabled`).",
          "per tier",
        ),
      ),
  })
  .superRefine(checkService, { when: () => true })
  .meta(doc("An app service (the key is its Railway service name)."));

// ---------------------------------------------------------------------------------------------
// The stack object

const StackSettings = z
  .strictObject({
    tier: z
      .enum(TIERS)
      .meta(doc("Stack tier; selects the defaults: local, dev, preview or production.")),
    project: Project,
    app: App.optional(),
    postgres: instances("postgres", Postgres, resolvePostgres),
    redis: instances("redis", Redis, resolveRedis),
    nats: instances("nats", Nats, resolveNats),
    // `.prefault`, not `.default`: the JSON Schema (io "input") shows no default of a transformed schema.
    services: z.record(z.string(), Service).prefault({}).meta(doc("App services by name.")),
    sharedVariables: z
      .record(z.string(), Variable)
      .superRefine(checkSharedVariables, { when: () => true })
      .default({})
      .meta(
        doc(
          "Shared variables of the stack's environment by name (Railway's `sharedVariables`), in the same forms as service variables. A service receives one only through a variable of its own written `{ ref: shared.<KEY> }` (Railway's `${{shared.<KEY>}}`). Keys the environment has in Railway but this file does not declare are kept.",
        ),
      ),
    budget: Budget.optional(),
  })
  .superRefine(checkCrossField, { when: () => true })
  .meta(doc("The object under `railway-stacks:app` in `Pulumi.<stack>.yaml`."));

/**
 * The stack object: validated, then resolved into the values components take (./types.ts names
 * them). Values of one field are converted by that field's schema above (sizes to MB, limits,
 * streams, build); what needs the tier, the project or several fields is resolved here, after the
 * cross-field checks (which read the services, variables and data services as written). The
 * stack name is added by `parseStackConfig` (./parse.ts).
 */
export const StackConfigSchema = StackSettings.transform((data) => {
  const { tier, project } = data;
  const { app: tierApp, gate } = TIER_DEFAULTS[tier];
  return {
    tier,
    project: { ...project, region: project.region as Region },
    /** Behaviour the app receives as variables (see `appVariables`). */
    app: {
      rateLimit: {
        enabled: data.app?.rateLimit?.enabled ?? tierApp.rateLimit.enabled,
        rpm: data.app?.rateLimit?.rpm ?? tierApp.rateLimit.rpm,
      },
      securityMiddleware: data.app?.securityMiddleware ?? tierApp.securityMiddleware,
      logFormat: data.app?.logFormat ?? tierApp.logFormat,
      debug: data.app?.debug ?? tierApp.debug,
      corsOrigins: data.app?.corsOrigins ?? [...tierApp.corsOrigins],
    },
    /**
     * The data services deployed: every enabled instance, Postgres then Redis then NATS, named
     * instances in the order of the stack file.
     */
    dataServices: dataServices(data, gate),
    /** Keyed by service name, in the order of the stack file. */
    services: Object.fromEntries(
      Object.entries(data.services).map(([name, service]) => [
        name,
        resolveService(name, service, project.protectedBranch, gate),
      ]),
    ),
    /**
     * The environment's shared variables (`sharedVariables`), in the order of the stack file; a
     * service reads one through a reference variable `{ service: "shared", variable: <KEY> }`.
     */
    sharedVariables: resolveVariables(data.sharedVariables),
    /** The stack's monthly cost budget, when it sets one. */
    ...(data.budget ? { budget: data.budget } : {}),
  };
});

export type StackConfigInput = z.input<typeof StackConfigSchema>;
/** The stack object as `StackConfigSchema` resolves it (./types.ts derives the named types). */
export type ResolvedStack = z.output<typeof StackConfigSchema>;

/** The gate settings of a service with the tier's defaults filled in (see ./tiers.ts). */
export type GateConfig = Required<NonNullable<z.output<typeof Service>["gate"]>>;
type AppOutput = NonNullable<z.output<typeof App>>;
/** Behaviour the app receives as variables, every field set (the tier's default or the file's). */
export type AppSettings = Required<Omit<AppOutput, "rateLimit">> & {
  rateLimit: Required<NonNullable<AppOutput["rateLimit"]>>;
};

// ---------------------------------------------------------------------------------------------
// Resolution of what needs more than one field (runs on valid input only)

function resolveVariable(value: z.output<typeof Variable>) {
  if (typeof value !== "object") return { kind: "plain" as const, value: String(value) };
  if (value.secret !== undefined)
    /** A secret stack config key, as parsed: not yet read. */
    return { kind: "secret" as const, configKey: value.secret, optional: value.optional === true };
  if (value.notSecret !== undefined)
    /** Written `{ notSecret: <value> }`: declared not a secret, so no secret check judges it. */
    return { kind: "plain" as const, value: String(value.notSecret), notSecret: true };
  if (value.ref !== undefined) {
    const dot = value.ref.indexOf(".");
    /**
     * A Railway reference variable `${{<service>.<variable>}}`: `service` is an app service key,
     * a data service's (`postgres`, `postgres-analytics`, …), or `shared` for the environment's
     * shared variables (`${{shared.<KEY>}}`).
     */
    return {
      kind: "reference" as const,
      service: value.ref.slice(0, dot),
      variable: value.ref.slice(dot + 1),
    };
  }
  /** A random secret the stack generates (a Pulumi secret end to end). */
  return { kind: "generated" as const, length: value.generate?.length ?? 32 };
}

const resolveVariables = (variables: Record<string, z.output<typeof Variable>>) =>
  Object.fromEntries(
    Object.entries(variables).map(([key, value]) => [key, resolveVariable(value)]),
  );

/** `{ [key]: value }`, or `{}` when the value is undefined. */
const optional = <K extends string, T>(key: K, value: T | undefined): { [P in K]?: T } =>
  (value === undefined ? {} : { [key]: value }) as { [P in K]?: T };

function resolveService(
  name: string,
  service: z.output<typeof Service>,
  protectedBranch: string,
  gateDefaults: GateConfig,
) {
  const { source, domains, restartPolicy } = service;
  const regions = service.regions as Partial<Record<Region, number>> | undefined;
  const restartType = restartPolicy.type;
  const deploy: Record<string, unknown> = {};
  for (const key of Object.keys(RailwayDeploySettings.shape)) {
    const value = (service as Record<string, unknown>)[key];
    if (value !== undefined) deploy[key] = value;
  }
  return {
    /** The key under `services`; also the Railway service name. */
    name,
    source:
      source.image !== undefined
        ? { kind: "image" as const, image: source.image }
        : {
            kind: "repo" as const,
            repo: source.repo ?? "",
            branch: source.branch ?? protectedBranch,
            ...optional("rootDirectory", source.rootDirectory),
          },
    /** How Railway builds the service; absent for image services. */
    ...optional(
      "build",
      source.image === undefined ? (service.build ?? Build.parse({})) : undefined,
    ),
    ...optional("startCommand", service.startCommand),
    /** Empty: no pre-deploy command. */
    preDeployCommand: service.preDeployCommand,
    /** The port the service listens on (`PORT`); 8080 when the stack file names none. */
    port: service.port ?? DEFAULT_APP_PORT,
    ...optional("tcpProxy", service.tcpProxy),
    /** A persistent volume mounted in the service (then it runs one replica). */
    ...optional("volume", service.volume),
    ...optional("healthcheck", service.healthcheck && { ...service.healthcheck }),
    ...optional("readinessPath", service.readinessPath),
    /** Total replicas: the replica count in `project.region`, or the sum over `regions`. */
    replicas: regions
      ? Object.values(regions).reduce((sum, n) => sum + (n ?? 0), 0)
      : (service.replicas ?? 1),
    /** Replicas per region; when set the service is multi-region and `replicas` is their sum. */
    ...optional("regions", regions && { ...regions }),
    ...optional("limits", service.limits),
    expectedUtilization: service.expectedUtilization,
    /** `maxRetries` only for `ON_FAILURE`. */
    restartPolicy:
      restartType === "ON_FAILURE"
        ? {
            type: restartType,
            maxRetries: restartPolicy.maxRetries ?? DEFAULT_RESTART_MAX_RETRIES,
          }
        : { type: restartType },
    ...optional("cron", service.cron),
    sleep: service.sleep,
    /** Settings Railway takes as they are (`deploy.<key>`), see `RailwayDeploySettings`. */
    deploy: deploy as RailwayDeploySettings,
    domains: { railway: domains.railway, custom: domains.custom },
    /** True when the service has a Railway domain or a custom domain. */
    public: domains.railway || domains.custom.length > 0,
    variables: resolveVariables(service.variables),
    /** Railway service names of the data services linked: `postgres.<name>` → `postgres-<name>`. */
    links: service.links.map((link) => link.replace(".", "-")),
    skipDeploysOnVariableChange: service.skipDeploysOnVariableChange,
    gate: {
      enabled: service.gate?.enabled ?? false,
      deployment: service.gate?.deployment ?? false,
      timeoutSeconds: service.gate?.timeoutSeconds ?? gateDefaults.timeoutSeconds,
      intervalSeconds: service.gate?.intervalSeconds ?? gateDefaults.intervalSeconds,
    },
  };
}

/** The enabled instances of one data-service key, each with where it sits in the stack. */
function enabledInstances<T extends { enabled: boolean }>(
  kind: DataServiceName,
  value: T | Record<string, T>,
) {
  const entries: [string | undefined, T][] = isNamedForm(kind, value)
    ? Object.entries(value as Record<string, T>)
    : [[undefined, value as T]];
  return entries
    .filter(([, settings]) => settings.enabled)
    .map(([instance, { enabled: _enabled, ...settings }]) => ({
      settings,
      at: {
        /** The instance's name (`postgres: { <name>: ... }`); absent for the one-instance form. */
        ...optional("instance", instance),
        /** Railway service name: `<kind>`, or `<kind>-<instance>` for a named instance. */
        serviceName: dataServiceName(kind, instance),
        /** Path of its settings under `railway-stacks:app`: `[kind]` or `[kind, instance]`. */
        path: instance === undefined ? [kind] : [kind, instance],
      },
    }));
}

/** One entry per enabled instance, in kind order then file order (./data-services.ts). */
function dataServices(data: z.output<typeof StackSettings>, gate: GateConfig) {
  /** Every data service's deployment is followed with the tier's gate timing. */
  const deployWait = { timeoutSeconds: gate.timeoutSeconds, intervalSeconds: gate.intervalSeconds };
  return [
    ...enabledInstances("postgres", data.postgres).map(({ settings, at }) => ({
      kind: "postgres" as const,
      ...at,
      deployWait,
      ...settings,
    })),
    ...enabledInstances("redis", data.redis).map(({ settings, at }) => ({
      kind: "redis" as const,
      ...at,
      deployWait,
      ...settings,
    })),
    ...enabledInstances("nats", data.nats).map(({ settings, at }) => ({
      kind: "nats" as const,
      ...at,
      deployWait,
      ...settings,
    })),
  ];
}
