/**
 * Stack config validation: one table of invalid configs, each with the exact message lines it
 * must produce, then the valid side (shipped stack files, tier defaults, overrides).
 */
import { one } from "../helpers/data-services";
import { formatIssue, parseStackConfig, type ParsedStackConfig } from "../../infra/config";
import { type RawConfig, SHIPPED_STACKS, baseConfig, readStackFile } from "../fixtures/config";

function problems(raw: unknown, stack = "production"): string[] {
  const result = parseStackConfig(raw, stack);
  return result.ok ? [] : result.issues.map(formatIssue);
}

function parsed(raw: unknown, stack = "production"): ParsedStackConfig {
  const result = parseStackConfig(raw, stack);
  if (!result.ok)
    throw new Error(`expected a valid config, got:\n${result.issues.map(formatIssue).join("\n")}`);
  return result.config;
}

interface InvalidCase {
  name: string;
  mutate: (raw: RawConfig) => void;
  stack?: string;
  lines: string[];
}

const P = "railway-stacks:app";

const invalid: InvalidCase[] = [
  // --- top level and project ---
  {
    name: "tier missing",
    mutate: (r) => delete r.tier,
    lines: [`${P}.tier: is missing. Fix: add "tier" with one of local, dev, preview, production`],
  },
  {
    name: "tier misspelled",
    mutate: (r) => (r.tier = "prod"),
    lines: [
      `${P}.tier: "prod" is not one of local, dev, preview, production. Fix: use "production"`,
    ],
  },
  {
    name: "tier does not match the stack name",
    mutate: (r) => (r.tier = "dev"),
    lines: [
      `${P}.tier: is "dev" but stack "production" must be tier production. Fix: set tier: production, or check that this is Pulumi.production.yaml`,
    ],
  },
  {
    name: "PR stack that is not preview",
    stack: "pr-7",
    mutate: () => undefined,
    lines: [
      `${P}.tier: is "production" but stack "pr-7" must be tier preview. Fix: set tier: preview, or check that this is Pulumi.pr-7.yaml`,
    ],
  },
  {
    name: "unknown top-level key",
    mutate: (r) => (r.service = {}),
    lines: [`${P}.service: is not a known key. Fix: rename it to "services"`],
  },
  {
    name: "invalid project region",
    mutate: (r) => (r.project.region = "europe-west4"),
    lines: [
      `${P}.project.region: "europe-west4" is not a Railway region. Fix: use "europe-west4-drams3a"`,
    ],
  },
  {
    name: "project name missing",
    mutate: (r) => delete r.project.name,
    lines: [`${P}.project.name: is missing. Fix: add "name" (text; see docs/config-reference.md)`],
  },
  {
    name: "workspace id not a UUID",
    mutate: (r) => (r.project.workspaceId = "my-team"),
    lines: [
      `${P}.project.workspaceId: "my-team" is not a Railway workspace id. Fix: copy the workspace id (a UUID) from the Railway dashboard URL`,
    ],
  },
  {
    name: "project layout not an option",
    mutate: (r) => (r.project.layout = "separate"),
    lines: [
      `${P}.project.layout: "separate" is not one of shared, isolated. Fix: use one of shared, isolated`,
    ],
  },
  {
    name: "environment name with a space",
    mutate: (r) => (r.project.environment = "bad name"),
    lines: [
      `${P}.project.environment: "bad name" is not a valid environment name. Fix: use letters, digits, "-" and "_", starting with a letter or digit, at most 64 characters, e.g. "staging"`,
    ],
  },
  // --- app settings ---
  {
    name: "log format not an option",
    mutate: (r) => (r.app = { logFormat: "text" }),
    lines: [`${P}.app.logFormat: "text" is not one of json, pretty. Fix: use one of json, pretty`],
  },
  {
    name: "rate limit rpm 0",
    mutate: (r) => (r.app = { rateLimit: { rpm: 0 } }),
    lines: [`${P}.app.rateLimit.rpm: (0) must be at least 1. Fix: use a value of 1 or more`],
  },
  {
    name: "debug written as a quoted boolean",
    mutate: (r) => (r.app = { debug: "true" }),
    lines: [
      `${P}.app.debug: must be true or false, not the text "true". Fix: write true without quotes`,
    ],
  },
  {
    name: "CORS origin with a path",
    mutate: (r) => (r.app = { corsOrigins: ["https://shop.acme.com/"] }),
    lines: [
      `${P}.app.corsOrigins[0]: "https://shop.acme.com/" is not an origin. Fix: write scheme://host[:port] with no path, e.g. "https://app.acme-agents.com" or "http://localhost:3000"`,
    ],
  },
  // --- data services ---
  {
    name: "image without a tag",
    mutate: (r) => (r.postgres.image = "pgvector/pgvector"),
    lines: [
      `${P}.postgres.image: "pgvector/pgvector" has no tag; images must be pinned to a version tag or a digest. Fix: pin a version, e.g. "pgvector/pgvector:<version>", or a digest "pgvector/pgvector@sha256:<digest>"`,
    ],
  },
  {
    name: "image on latest",
    mutate: (r) => (r.redis.image = "redis:latest"),
    lines: [
      `${P}.redis.image: "redis:latest" uses the floating tag "latest"; images must be pinned to a version tag or a digest. Fix: pin a version, e.g. "redis:<version>", or a digest "redis@sha256:<digest>"`,
    ],
  },
  {
    name: "size without a valid unit",
    mutate: (r) => (r.postgres.volumeSize = "10 gigs"),
    lines: [
      `${P}.postgres.volumeSize: "10 gigs" is not a size. Fix: write a whole number of megabytes or gigabytes with its unit, e.g. "512MB" or "10GB"`,
    ],
  },
  {
    name: "size as a bare number",
    mutate: (r) => (r.postgres.volumeSize = 1024),
    lines: [
      `${P}.postgres.volumeSize: must be a size with its unit, not the number 1024. Fix: write "1024MB" or "1GB"`,
    ],
  },
  {
    name: "backup schedule not an option",
    mutate: (r) => (r.postgres.backups = ["HOURLY"]),
    lines: [
      `${P}.postgres.backups[0]: "HOURLY" is not one of DAILY, WEEKLY, MONTHLY. Fix: use one of DAILY, WEEKLY, MONTHLY`,
    ],
  },
  {
    name: "eviction policy with a typo",
    mutate: (r) => (r.redis.evictionPolicy = "allkeys_lru"),
    lines: [
      `${P}.redis.evictionPolicy: "allkeys_lru" is not one of noeviction, allkeys-lru, allkeys-lfu, allkeys-random, volatile-lru, volatile-lfu, volatile-random, volatile-ttl. Fix: use "allkeys-lru"`,
    ],
  },
  {
    name: "redis maxmemory fills the container",
    mutate: (r) => (r.redis = { maxMemory: "1GB", limits: { memory: "1GB" } }),
    lines: [
      `${P}.redis.maxMemory: (1GB) leaves no headroom in "limits.memory" (1GB). Fix: lower "maxMemory" to at most 768MB, or raise "limits.memory"`,
    ],
  },
  {
    name: "invalid duration",
    mutate: (r) => (r.nats.jetStream.streams[0].maxAge = "1 week"),
    lines: [
      `${P}.nats.jetStream.streams[0].maxAge: "1 week" is not a duration. Fix: write a whole number with one unit s, m, h or d, e.g. "30m", "12h" or "7d"`,
    ],
  },
  {
    name: "invalid NATS subject",
    mutate: (r) => (r.nats.jetStream.streams[0].subjects = ["events.>.x"]),
    lines: [
      `${P}.nats.jetStream.streams[0].subjects[0]: "events.>.x" is not a NATS subject. Fix: write dot-separated tokens with * for one token and > for the rest, e.g. "agents.>"`,
    ],
  },
  {
    name: "JetStream storage larger than the volume",
    mutate: (r) => (r.nats.jetStream.maxStorage = "2GB"),
    lines: [
      `${P}.nats.jetStream.maxStorage: (2GB) is larger than "nats.volumeSize" (1GB). Fix: lower "jetStream.maxStorage" to at most 1GB, or raise "nats.volumeSize" to at least 2GB`,
    ],
  },
  {
    name: "duplicate and overlapping streams",
    mutate: (r) =>
      r.nats.jetStream.streams.push({
        name: "EVENTS",
        subjects: ["events.orders"],
        maxAge: "1d",
      }),
    lines: [
      `${P}.nats.jetStream.streams[1].name: "EVENTS" is already the name of streams[0]. Fix: give each stream its own name`,
      `${P}.nats.jetStream.streams[1].subjects[0]: "events.orders" overlaps "events.>" of streams[0], and JetStream rejects overlapping streams. Fix: make the subjects of the two streams disjoint`,
    ],
  },
  // --- service names ---
  {
    name: "invalid service name",
    mutate: (r) => (r.services.api_v2 = structuredClone(r.services.worker)),
    lines: [
      `${P}.services.api_v2: is not a valid service name. Fix: use letters, digits and "-", start with a letter and end with a letter or digit, at most 63 characters, e.g. "backend"`,
    ],
  },
  {
    name: "service name with a dot is quoted in the path",
    mutate: (r) => (r.services["api.v2"] = structuredClone(r.services.worker)),
    lines: [
      `${P}.services["api.v2"]: is not a valid service name. Fix: use letters, digits and "-", start with a letter and end with a letter or digit, at most 63 characters, e.g. "backend"`,
    ],
  },
  {
    name: "service names differing only in case",
    mutate: (r) => (r.services.API = structuredClone(r.services.worker)),
    lines: [
      `${P}.services.API: has the same name as service "api" (service names are case-insensitive). Fix: rename one of them`,
    ],
  },
  {
    name: "service named like a data service",
    mutate: (r) => (r.services.Redis = structuredClone(r.services.worker)),
    lines: [
      `${P}.services.Redis: clashes with the redis data service (postgres, redis and nats are taken). Fix: rename the service, e.g. "redis-app"`,
    ],
  },
  // --- source and build ---
  {
    name: "both repo and image",
    mutate: (r) => (r.services.api.source.image = "nginx:1.27"),
    lines: [
      `${P}.services.api.source: sets both "repo" and "image". Fix: keep "repo" to build from the repository, or keep "image" (and remove "repo", "branch" and "rootDirectory") to run a prebuilt image`,
    ],
  },
  {
    name: "neither repo nor image",
    mutate: (r) => (r.services.worker.source = {}),
    lines: [
      `${P}.services.worker.source: names neither "repo" nor "image". Fix: add repo: owner/name (with rootDirectory in a monorepo) or image: name:tag`,
    ],
  },
  {
    name: "repo written as a URL",
    mutate: (r) => (r.services.api.source.repo = "https://github.com/acme/shop"),
    lines: [
      `${P}.services.api.source.repo: "https://github.com/acme/shop" is not a GitHub repository "owner/name". Fix: write "acme/shop"`,
    ],
  },
  {
    name: "root directory escaping the repository",
    mutate: (r) => (r.services.api.source.rootDirectory = "../api"),
    lines: [
      `${P}.services.api.source.rootDirectory: "../api" is not a directory inside the repository. Fix: write the path from the repository root without ".." or spaces, e.g. "services/backend"`,
    ],
  },
  {
    name: "invalid branch",
    mutate: (r) => (r.services.api.source.branch = "feature..x"),
    lines: [
      `${P}.services.api.source.branch: "feature..x" is not a valid git branch name. Fix: use the branch name as git shows it, e.g. "main"`,
    ],
  },
  {
    name: "root directory on an image service",
    mutate: (r) => (r.services.worker.source.rootDirectory = "services/worker"),
    lines: [
      `${P}.services.worker.source.rootDirectory: only applies to "repo" sources, this service runs image "ghcr.io/acme/worker:1.2.3". Fix: remove "rootDirectory"`,
    ],
  },
  {
    name: "build settings on an image service",
    mutate: (r) => (r.services.worker.build = { builder: "DOCKERFILE" }),
    lines: [
      `${P}.services.worker.build: only applies to services built from "repo", this service runs image "ghcr.io/acme/worker:1.2.3". Fix: remove "build"`,
    ],
  },
  {
    name: "Dockerfile path with another builder",
    mutate: (r) =>
      (r.services.api.build = {
        builder: "RAILPACK",
        dockerfilePath: "Dockerfile",
      }),
    lines: [
      `${P}.services.api.build.dockerfilePath: needs builder DOCKERFILE but "build.builder" is RAILPACK. Fix: set "build.builder" to DOCKERFILE, or remove "dockerfilePath"`,
    ],
  },
  {
    name: "pre-deploy command as one string",
    mutate: (r) => (r.services.api.preDeployCommand = "npm run migrate"),
    lines: [
      `${P}.services.api.preDeployCommand: must be a list, not the text "npm run migrate". Fix: write a list: ["npm run migrate"]`,
    ],
  },
  // --- ports, healthchecks, scaling ---
  {
    name: "port quoted",
    mutate: (r) => (r.services.api.port = "8080"),
    lines: [
      `${P}.services.api.port: must be a number, not the text "8080". Fix: write 8080 without quotes`,
    ],
  },
  {
    name: "port out of range",
    mutate: (r) => (r.services.api.port = 70000),
    lines: [
      `${P}.services.api.port: (70000) must be at most 65535. Fix: use a value of 65535 or less`,
    ],
  },
  {
    name: "public service without a port",
    mutate: (r) => delete r.services.api.port,
    lines: [
      `${P}.services.api.port: is required because the service has a public domain. Fix: set "port" to the port the service listens on, e.g. 8080`,
    ],
  },
  {
    name: "healthcheck path without a leading slash",
    mutate: (r) => (r.services.api.healthcheck.path = "health"),
    lines: [
      `${P}.services.api.healthcheck.path: "health" does not start with "/". Fix: write it as "/health"`,
    ],
  },
  {
    name: "replicas and regions together",
    mutate: (r) =>
      Object.assign(r.services.api, {
        replicas: 2,
        regions: { "us-west2": 2 },
      }),
    lines: [
      `${P}.services.api.replicas: cannot be set together with "regions". Fix: remove "replicas" and give each region its replica count under "regions", or remove "regions"`,
    ],
  },
  {
    name: "unknown region in regions",
    mutate: (r) => (r.services.api.regions = { "us-west2": 1, "asia-southeast1": 1 }),
    lines: [
      `${P}.services.api.regions.asia-southeast1: "asia-southeast1" is not a Railway region. Fix: use "asia-southeast1-eqsg3a"`,
    ],
  },
  {
    name: "empty regions",
    mutate: (r) => (r.services.api.regions = {}),
    lines: [
      `${P}.services.api.regions: lists no region. Fix: add at least one region with its replica count, e.g. us-west2: 2, or remove "regions"`,
    ],
  },
  {
    name: "fractional replicas",
    mutate: (r) => (r.services.api.replicas = 1.5),
    lines: [
      `${P}.services.api.replicas: must be a whole number, not 1.5. Fix: write a whole number`,
    ],
  },
  {
    name: "misspelled service key",
    mutate: (r) => (r.services.api.replica = 2),
    lines: [`${P}.services.api.replica: is not a known key. Fix: rename it to "replicas"`],
  },
  {
    name: "cpu limit of zero",
    mutate: (r) => (r.services.api.limits = { cpu: 0 }),
    lines: [`${P}.services.api.limits.cpu: (0) must be greater than 0. Fix: use a value above 0`],
  },
  {
    name: "sleep written as yes",
    mutate: (r) => (r.services.api.sleep = "yes"),
    lines: [
      `${P}.services.api.sleep: must be true or false, not the text "yes". Fix: write true or false`,
    ],
  },
  // --- cron and restart policy ---
  {
    name: "cron with four fields",
    mutate: (r) => (r.services.worker.cron = "0 3 * *"),
    lines: [
      `${P}.services.worker.cron: "0 3 * *" has 4 fields, a cron schedule has 5. Fix: write five fields "minute hour day-of-month month day-of-week", e.g. "0 3 * * *" for 03:00 UTC daily`,
    ],
  },
  {
    name: "cron minute out of range",
    mutate: (r) => (r.services.worker.cron = "61 * * * *"),
    lines: [
      `${P}.services.worker.cron: "61 * * * *" has an invalid minute field "61". Fix: use *, a number 0-59, a range a-b, a list a,b or a step */n`,
    ],
  },
  {
    name: "cron with more than one replica",
    mutate: (r) => Object.assign(r.services.worker, { cron: "0 3 * * *", replicas: 2 }),
    lines: [
      `${P}.services.worker.replicas: is 2 but a cron service runs exactly one replica. Fix: remove "replicas" or set it to 1, or remove "cron"`,
    ],
  },
  {
    name: "cron with regions",
    mutate: (r) =>
      Object.assign(r.services.worker, {
        cron: "0 3 * * *",
        regions: { "us-west2": 1 },
      }),
    lines: [
      `${P}.services.worker.regions: cannot be used by a cron service, which runs one replica. Fix: remove "regions", or remove "cron"`,
    ],
  },
  {
    name: "max retries with restart policy ALWAYS",
    mutate: (r) => (r.services.worker.restartPolicy = { type: "ALWAYS", maxRetries: 3 }),
    lines: [
      `${P}.services.worker.restartPolicy.maxRetries: only applies to restart policy ON_FAILURE, not ALWAYS. Fix: remove "maxRetries", or set "restartPolicy.type" to ON_FAILURE`,
    ],
  },
  // --- gate ---
  {
    name: "gate on a private service",
    mutate: (r) => (r.services.worker.gate = { enabled: true }),
    lines: [
      `${P}.services.worker.gate.enabled: needs a public domain to poll, this service is private. Fix: set "domains.railway" to true or add a custom domain, or set "gate.enabled" to false`,
    ],
  },
  {
    name: "gate without a path to poll",
    mutate: (r) => {
      delete r.services.api.healthcheck;
      r.services.api.gate = { enabled: true };
    },
    lines: [
      `${P}.services.api.gate.enabled: has nothing to poll: the service sets neither "healthcheck.path" nor "readinessPath". Fix: add "healthcheck.path" (e.g. "/health") or "readinessPath", or set "gate.enabled" to false`,
    ],
  },
  {
    name: "gate interval not shorter than its timeout",
    mutate: (r) => (r.services.api.gate = { timeoutSeconds: 30, intervalSeconds: 30 }),
    lines: [
      `${P}.services.api.gate.intervalSeconds: (30) is not shorter than "gate.timeoutSeconds" (30). Fix: poll more often than the timeout, e.g. intervalSeconds: 3`,
    ],
  },
  // --- links and references ---
  {
    name: "link to an unknown data service",
    mutate: (r) => (r.services.api.links = ["postgress", "redis"]),
    lines: [`${P}.services.api.links[0]: "postgress" is not a data service. Fix: use "postgres"`],
  },
  {
    name: "link to a disabled data service",
    mutate: (r) => (r.redis.enabled = false),
    lines: [
      `${P}.services.api.links[1]: links to redis, which is disabled. Fix: remove "redis" from links, or set railway-stacks:app.redis.enabled to true`,
    ],
  },
  {
    name: "link listed twice",
    mutate: (r) => (r.services.api.links = ["postgres", "redis", "postgres"]),
    lines: [`${P}.services.api.links[2]: lists postgres twice. Fix: remove the duplicate`],
  },
  {
    name: "links written as one string",
    mutate: (r) => (r.services.worker.links = "nats"),
    lines: [
      `${P}.services.worker.links: must be a list, not the text "nats". Fix: write a list: ["nats"]`,
    ],
  },
  {
    name: "reference to an unknown service",
    mutate: (r) => (r.services.worker.variables.API_HOST = { ref: "apii.PORT" }),
    lines: [
      `${P}.services.worker.variables.API_HOST.ref: refers to unknown service "apii". Fix: write "api.PORT"`,
    ],
  },
  {
    name: "reference to a disabled data service",
    mutate: (r) => {
      r.nats.enabled = false;
      r.services.worker.links = [];
      r.services.worker.variables.BUS = { ref: "nats.NATS_URL" };
    },
    lines: [
      `${P}.services.worker.variables.BUS.ref: refers to nats, which is disabled. Fix: set railway-stacks:app.nats.enabled to true, or remove the variable`,
    ],
  },
  {
    name: "reference without a variable",
    mutate: (r) => (r.services.worker.variables.API_HOST = { ref: "api" }),
    lines: [
      `${P}.services.worker.variables.API_HOST.ref: "api" is not <service>.<VARIABLE>. Fix: write the service and variable, e.g. "postgres.DATABASE_URL" or "backend.RAILWAY_PUBLIC_DOMAIN"`,
    ],
  },
  // --- variables ---
  {
    name: "secret-looking key with a plain value",
    mutate: (r) => (r.services.api.variables.STRIPE_API_KEY = "sk_live_123"),
    lines: [
      `${P}.services.api.variables.STRIPE_API_KEY: looks like a secret but is a plain value in the stack file. Fix: replace it with { secret: stripeApiKey } and run pulumi config set --secret stripeApiKey <value> -s production, or use { generate: { length: 32 } } for a random secret`,
    ],
  },
  {
    name: "URL with a password",
    mutate: (r) =>
      (r.services.api.variables.ANALYTICS_URL = "https://user:hunter2@analytics.acme.com/ingest"),
    lines: [
      `${P}.services.api.variables.ANALYTICS_URL: is a URL with a password in plain text. Fix: replace it with { secret: analyticsUrl } and run pulumi config set --secret analyticsUrl '<url>' -s production`,
    ],
  },
  {
    name: "Railway reference written as a plain value",
    mutate: (r) => (r.services.worker.variables.API_PORT = "${{api.PORT}}"),
    lines: [
      `${P}.services.worker.variables.API_PORT: is a Railway reference written as a plain value. Fix: write it as { ref: api.PORT } so the stack can check the service exists`,
    ],
  },
  {
    name: "invalid variable name",
    mutate: (r) => (r.services.api.variables["my-var"] = "x"),
    lines: [
      `${P}.services.api.variables.my-var: is not a valid variable name. Fix: use letters, digits and "_", not starting with a digit, e.g. "API_BASE_URL"`,
    ],
  },
  {
    name: "RAILWAY_ prefix",
    mutate: (r) => (r.services.api.variables.RAILWAY_DOCKERFILE_PATH = "Dockerfile.prod"),
    lines: [
      `${P}.services.api.variables.RAILWAY_DOCKERFILE_PATH: uses the RAILWAY_ prefix Railway keeps for its own variables and settings. Fix: rename the variable, or use the matching key of this file (e.g. "build.dockerfilePath" for RAILWAY_DOCKERFILE_PATH)`,
    ],
  },
  {
    name: "variable the stack sets from app settings",
    mutate: (r) => (r.services.api.variables.LOG_FORMAT = "text"),
    lines: [
      `${P}.services.api.variables.LOG_FORMAT: is set by the stack from "app.logFormat". Fix: remove it, and change railway-stacks:app.app.logFormat instead`,
    ],
  },
  {
    name: "PORT as a variable",
    mutate: (r) => (r.services.api.variables.PORT = "8080"),
    lines: [
      `${P}.services.api.variables.PORT: is set by the stack from the service's "port". Fix: remove it, and set "port" instead`,
    ],
  },
  {
    name: "variable a link sets",
    mutate: (r) =>
      (r.services.api.variables.DATABASE_URL = {
        ref: "postgres.DATABASE_URL",
      }),
    lines: [
      `${P}.services.api.variables.DATABASE_URL: is set by the link to postgres. Fix: remove it, or remove "postgres" from "links" to set it yourself`,
    ],
  },
  {
    name: "variable with both secret and ref",
    mutate: (r) =>
      (r.services.api.variables.TOKEN = {
        secret: "apiToken",
        ref: "api.PORT",
      }),
    lines: [
      `${P}.services.api.variables.TOKEN: sets "secret" and "ref". Fix: keep exactly one of them`,
    ],
  },
  {
    name: "optional on a reference",
    mutate: (r) =>
      (r.services.worker.variables.API_HOST = {
        ref: "api.RAILWAY_PRIVATE_DOMAIN",
        optional: true,
      }),
    lines: [
      `${P}.services.worker.variables.API_HOST.optional: only applies to { secret: ... } variables. Fix: remove "optional"`,
    ],
  },
  {
    name: "generated secret too short",
    mutate: (r) => (r.services.api.variables.SESSION_SECRET = { generate: { length: 16 } }),
    lines: [
      `${P}.services.api.variables.SESSION_SECRET.generate.length: (16) must be at least 32. Fix: use a value of 32 or more`,
    ],
  },
  {
    name: "empty variable",
    mutate: (r) => (r.services.api.variables.LOG_LEVEL = null),
    lines: [
      `${P}.services.api.variables.LOG_LEVEL: must be text, a number, true/false or a { secret }, { ref }, { generate } or { notSecret } mapping, not empty. Fix: write e.g. "value", { secret: openaiApiKey }, { ref: postgres.DATABASE_URL } or { generate: { length: 32 } }`,
    ],
  },
  {
    name: "misspelled secret",
    mutate: (r) => (r.services.api.variables.STRIPE_KEY = { secrt: "stripeKey" }),
    lines: [
      `${P}.services.api.variables.STRIPE_KEY.secrt: is not a known key. Fix: rename it to "secret"`,
    ],
  },
  {
    name: "secret config key with a space",
    mutate: (r) => (r.services.api.variables.STRIPE_KEY = { secret: "stripe key" }),
    lines: [
      `${P}.services.api.variables.STRIPE_KEY.secret: "stripe key" is not a stack config key. Fix: use letters, digits, "_" and "-", e.g. "openaiApiKey"`,
    ],
  },
  // --- domains ---
  {
    name: "custom domain not a host name",
    mutate: (r) => (r.services.api.domains.custom = ["shop_acme.com"]),
    lines: [
      `${P}.services.api.domains.custom[0]: "shop_acme.com" is not a valid host name. Fix: write a lower-case host name such as "api.acme-agents.com" (a leading "*." is allowed)`,
    ],
  },
  {
    name: "custom domain written as a URL",
    mutate: (r) => (r.services.api.domains.custom = ["https://shop.acme.com"]),
    lines: [
      `${P}.services.api.domains.custom[0]: "https://shop.acme.com" is not a valid host name. Fix: write the host name only: "shop.acme.com"`,
    ],
  },
  {
    name: "custom domain on two services",
    mutate: (r) => {
      r.services.api.domains.custom = ["shop.acme.com"];
      Object.assign(r.services.worker, {
        port: 8000,
        domains: { custom: ["shop.acme.com"] },
      });
    },
    lines: [
      `${P}.services.worker.domains.custom[0]: "shop.acme.com" is already used by service "api". Fix: keep each custom domain on one service`,
    ],
  },
];

describe("parseStackConfig rejects invalid configs with exact messages", () => {
  it("has a table of at least 30 cases", () => {
    expect(invalid.length).toBeGreaterThanOrEqual(30);
  });

  it.each(invalid.map((c) => [c.name, c] as const))("%s", (_name, c) => {
    const raw = baseConfig();
    c.mutate(raw);
    expect(problems(raw, c.stack)).toEqual(c.lines);
  });

  it("reports every problem of a config at once, in file order", () => {
    const raw = baseConfig();
    raw.tier = "production";
    raw.project.region = "europe-west4";
    raw.redis.image = "redis";
    raw.services.api.replicas = 2;
    raw.services.api.regions = { "us-west2": 1 };
    raw.services.api.variables.DB_PASSWORD = "hunter2";
    raw.services.worker.cron = "*/5 * * * *";
    raw.services.worker.replicas = 3;
    raw.services.worker.links = ["nats", "kafka"];
    expect(problems(raw)).toEqual([
      `${P}.project.region: "europe-west4" is not a Railway region. Fix: use "europe-west4-drams3a"`,
      `${P}.redis.image: "redis" has no tag; images must be pinned to a version tag or a digest. Fix: pin a version, e.g. "redis:<version>", or a digest "redis@sha256:<digest>"`,
      `${P}.services.api.replicas: cannot be set together with "regions". Fix: remove "replicas" and give each region its replica count under "regions", or remove "regions"`,
      `${P}.services.api.variables.DB_PASSWORD: looks like a secret but is a plain value in the stack file. Fix: replace it with { secret: dbPassword } and run pulumi config set --secret dbPassword <value> -s production, or use { generate: { length: 32 } } for a random secret`,
      `${P}.services.worker.replicas: is 3 but a cron service runs exactly one replica. Fix: remove "replicas" or set it to 1, or remove "cron"`,
      `${P}.services.worker.links[1]: "kafka" is not a data service. Fix: use one of postgres, redis, nats`,
    ]);
  });

  it("rejects a config that is not a mapping", () => {
    expect(problems("tier: production")).toEqual([
      `${P}: must be a mapping, not the text "tier: production". Fix: write a mapping of keys to values (see docs/config-reference.md)`,
    ]);
  });
});

describe("parseStackConfig accepts the shipped stack files", () => {
  const configs = Object.fromEntries(
    SHIPPED_STACKS.map((stack) => [stack, parsed(readStackFile(stack), stack)]),
  );

  it.each(SHIPPED_STACKS)("Pulumi.%s.yaml is valid and has its own tier", (stack) => {
    expect(problems(readStackFile(stack), stack)).toEqual([]);
    expect(configs[stack]!.tier).toBe(stack);
    expect(configs[stack]!.stack).toBe(stack);
  });

  it("puts every stack in one shared project, each in an environment of its own", () => {
    expect(
      Object.fromEntries(
        Object.entries(configs).map(([stack, config]) => [
          stack,
          {
            name: config.project.name,
            layout: config.project.layout,
            environment: config.project.environment,
            forkOf: config.project.forkOf,
          },
        ]),
      ),
    ).toEqual({
      dev: { name: "agent-platform", layout: "shared", environment: "dev", forkOf: undefined },
      preview: {
        name: "agent-platform",
        layout: "shared",
        environment: "preview",
        forkOf: undefined,
      },
      production: {
        name: "agent-platform",
        layout: "shared",
        environment: "production",
        forkOf: undefined,
      },
    });
  });

  it("declares the same app in every stack", () => {
    for (const config of Object.values(configs)) {
      expect(Object.keys(config.services)).toEqual(["broker", "backend", "ml", "frontend"]);
      expect(one(config, "postgres").image).toBe("pgvector/pgvector:0.8.0-pg16");
      expect(one(config, "redis")).toMatchObject({
        image: "redis:7.4-alpine",
        maxMemoryMB: 512,
        evictionPolicy: "allkeys-lru",
        appendOnly: false,
      });
      expect(one(config, "nats")).toMatchObject({
        image: "nats:2.10-alpine",
        volumeSizeMB: 1024,
        jetStream: {
          streams: [
            {
              name: "AGENT_EVENTS",
              subjects: ["agents.>"],
              maxAge: "7d",
              maxAgeSeconds: 604800,
            },
          ],
        },
      });
      expect(config.services.broker).toMatchObject({
        source: {
          kind: "repo",
          repo: "acme/agent-platform",
          rootDirectory: "services/broker",
        },
        build: { builder: "DOCKERFILE", dockerfilePath: "Dockerfile" },
        port: 8080,
        healthcheck: { path: "/health", timeoutSeconds: 300 },
        readinessPath: "/health/ready",
      });
      expect(config.services.backend).toMatchObject({
        source: { rootDirectory: "services/backend" },
        healthcheck: { path: "/api/health", timeoutSeconds: 300 },
      });
      expect(config.services.ml).toMatchObject({
        source: { rootDirectory: "services/ml" },
        startCommand: "uvicorn ml_server:app --host 0.0.0.0 --port $PORT",
        public: false,
      });
      expect(config.services.frontend!.source).toMatchObject({
        rootDirectory: "services/frontend",
      });
    }
  });

  it("differs per environment the way the team runs them", () => {
    const { dev, preview, production } = configs as Record<string, ParsedStackConfig>;
    const branches = (c: ParsedStackConfig) =>
      Object.values(c.services).map((s) =>
        s.source.kind === "repo" ? s.source.branch : undefined,
      );
    expect(branches(dev!)).toEqual(["develop", "develop", "develop", "develop"]);
    expect(branches(preview!)).toEqual(["main", "main", "main", "main"]);
    expect(branches(production!)).toEqual(["main", "main", "main", "main"]);

    expect([dev, preview, production].map((c) => c!.app)).toEqual([
      {
        rateLimit: { enabled: true, rpm: 1000 },
        securityMiddleware: false,
        logFormat: "json",
        debug: true,
        corsOrigins: ["http://localhost:3000"],
      },
      {
        rateLimit: { enabled: true, rpm: 100 },
        securityMiddleware: true,
        logFormat: "json",
        debug: false,
        corsOrigins: [],
      },
      {
        rateLimit: { enabled: true, rpm: 60 },
        securityMiddleware: true,
        logFormat: "json",
        debug: false,
        corsOrigins: ["https://app.acme-agents.com"],
      },
    ]);

    const replicas = (c: ParsedStackConfig) =>
      Object.fromEntries(Object.values(c.services).map((s) => [s.name, s.replicas]));
    expect(replicas(dev!)).toEqual({
      broker: 1,
      backend: 1,
      ml: 1,
      frontend: 1,
    });
    expect(replicas(preview!)).toEqual({
      broker: 1,
      backend: 1,
      ml: 1,
      frontend: 1,
    });
    expect(replicas(production!)).toEqual({
      broker: 3,
      backend: 3,
      ml: 2,
      frontend: 2,
    });
    expect(production!.services.broker!.regions).toEqual({
      "us-west2": 2,
      "europe-west4-drams3a": 1,
    });

    const custom = (c: ParsedStackConfig) =>
      Object.values(c.services).flatMap((s) => s.domains.custom);
    expect(custom(dev!)).toEqual([]);
    expect(custom(preview!)).toEqual([]);
    expect(custom(production!)).toEqual([
      "broker.acme-agents.com",
      "api.acme-agents.com",
      "app.acme-agents.com",
    ]);

    expect(one(production!, "postgres")).toMatchObject({
      publicProxy: false,
      backups: ["DAILY", "WEEKLY"],
      volumeSizeMB: 20480,
    });
    expect(one(dev!, "postgres").publicProxy).toBe(true);
  });

  it("commits no secret: app secrets are generated or named config keys", () => {
    for (const [stack, config] of Object.entries(configs)) {
      const backend = config.services.backend!.variables;
      expect(backend.SECRET_KEY).toEqual({ kind: "generated", length: 64 });
      expect(backend.OPENAI_API_KEY).toEqual({
        kind: "secret",
        configKey: "openaiApiKey",
        optional: stack !== "production",
      });
      expect(config.services.ml!.variables.OPENAI_API_KEY).toEqual(backend.OPENAI_API_KEY);
    }
  });
});

describe("tier defaults", () => {
  const TIER_CASES = [
    {
      tier: "local",
      app: {
        rateLimit: { enabled: false, rpm: 1000 },
        securityMiddleware: false,
        logFormat: "pretty",
        debug: true,
        corsOrigins: [],
      },
      apiReplicas: 1,
      apiGate: { enabled: false, deployment: true, timeoutSeconds: 120, intervalSeconds: 5 },
    },
    {
      tier: "dev",
      app: {
        rateLimit: { enabled: true, rpm: 1000 },
        securityMiddleware: false,
        logFormat: "json",
        debug: false,
        corsOrigins: [],
      },
      apiReplicas: 1,
      apiGate: { enabled: true, deployment: true, timeoutSeconds: 300, intervalSeconds: 10 },
    },
    {
      tier: "preview",
      app: {
        rateLimit: { enabled: true, rpm: 100 },
        securityMiddleware: true,
        logFormat: "json",
        debug: false,
        corsOrigins: [],
      },
      apiReplicas: 1,
      apiGate: { enabled: true, deployment: true, timeoutSeconds: 600, intervalSeconds: 10 },
    },
    {
      tier: "production",
      app: {
        rateLimit: { enabled: true, rpm: 60 },
        securityMiddleware: true,
        logFormat: "json",
        debug: false,
        corsOrigins: [],
      },
      apiReplicas: 2,
      apiGate: { enabled: true, deployment: true, timeoutSeconds: 900, intervalSeconds: 15 },
    },
  ] as const;

  it.each(TIER_CASES.map((c) => [c.tier, c] as const))("%s", (tier, c) => {
    const raw = baseConfig();
    raw.tier = tier;
    const config = parsed(raw, tier);
    expect(config.app).toEqual(c.app);
    expect(config.services.api!.replicas).toBe(c.apiReplicas);
    expect(config.services.api!.gate).toEqual(c.apiGate);
    // Private services: one replica and no gate in every tier.
    expect(config.services.worker!.replicas).toBe(1);
    expect(config.services.worker!.gate.enabled).toBe(false);
  });

  it("resolves the base production config to exact plain values", () => {
    expect(parsed(baseConfig())).toEqual({
      stack: "production",
      tier: "production",
      project: {
        name: "shop-production",
        region: "us-west2",
        protectedBranch: "main",
        adopt: false,
        layout: "shared",
        environment: "production",
        removeUndeclared: false,
      },
      app: {
        rateLimit: { enabled: true, rpm: 60 },
        securityMiddleware: true,
        logFormat: "json",
        debug: false,
        corsOrigins: [],
      },
      dataServices: [
        {
          kind: "postgres",
          serviceName: "postgres",
          path: ["postgres"],
          image: "pgvector/pgvector:0.8.0-pg16",
          deployWait: { timeoutSeconds: 900, intervalSeconds: 15 },
          database: "app",
          user: "app",
          volumeSizeMB: 1024,
          publicProxy: false,
          expectedUtilization: 0.25,
          backups: ["DAILY"],
        },
        {
          kind: "redis",
          serviceName: "redis",
          path: ["redis"],
          image: "redis:7.4-alpine",
          deployWait: { timeoutSeconds: 900, intervalSeconds: 15 },
          maxMemoryMB: 512,
          evictionPolicy: "allkeys-lru",
          appendOnly: false,
          volumeSizeMB: 1024,
          publicProxy: false,
          expectedUtilization: 0.25,
        },
        {
          kind: "nats",
          serviceName: "nats",
          path: ["nats"],
          image: "nats:2.10-alpine",
          deployWait: { timeoutSeconds: 900, intervalSeconds: 15 },
          jetStream: {
            maxStorageMB: 1024,
            streams: [
              {
                name: "EVENTS",
                subjects: ["events.>"],
                maxAge: "7d",
                maxAgeSeconds: 604800,
              },
            ],
          },
          volumeSizeMB: 1024,
          publicProxy: false,
          expectedUtilization: 0.25,
        },
      ],
      services: {
        api: {
          name: "api",
          source: {
            kind: "repo",
            repo: "acme/shop",
            branch: "main",
            rootDirectory: "services/api",
          },
          build: { builder: "RAILPACK", watchPatterns: [] },
          preDeployCommand: [],
          port: 8080,
          healthcheck: { path: "/health", timeoutSeconds: 300 },
          replicas: 2,
          expectedUtilization: 0.25,
          restartPolicy: { type: "ON_FAILURE", maxRetries: 10 },
          skipDeploysOnVariableChange: false,
          sleep: false,
          deploy: {},
          domains: { railway: true, custom: [] },
          public: true,
          variables: {
            LOG_LEVEL: { kind: "plain", value: "info" },
            SESSION_SECRET: { kind: "generated", length: 32 },
          },
          links: ["postgres", "redis"],
          gate: { enabled: true, deployment: true, timeoutSeconds: 900, intervalSeconds: 15 },
        },
        worker: {
          name: "worker",
          source: { kind: "image", image: "ghcr.io/acme/worker:1.2.3" },
          preDeployCommand: [],
          port: 8080,
          replicas: 1,
          expectedUtilization: 0.25,
          restartPolicy: { type: "ON_FAILURE", maxRetries: 10 },
          skipDeploysOnVariableChange: false,
          sleep: false,
          deploy: {},
          domains: { railway: false, custom: [] },
          public: false,
          variables: {
            API_HOST: {
              kind: "reference",
              service: "api",
              variable: "RAILWAY_PRIVATE_DOMAIN",
            },
          },
          links: ["nats"],
          gate: { enabled: false, deployment: true, timeoutSeconds: 900, intervalSeconds: 15 },
        },
      },
      sharedVariables: {},
    });
  });

  it("lets the stack file override every tier default", () => {
    const raw = baseConfig();
    raw.app = {
      rateLimit: { rpm: 500 },
      logFormat: "pretty",
      debug: true,
      securityMiddleware: false,
      corsOrigins: ["https://shop.acme.com"],
    };
    raw.services.api.replicas = 1;
    raw.services.api.gate = { enabled: false, intervalSeconds: 5 };
    const config = parsed(raw);
    expect(config.app).toEqual({
      rateLimit: { enabled: true, rpm: 500 },
      securityMiddleware: false,
      logFormat: "pretty",
      debug: true,
      corsOrigins: ["https://shop.acme.com"],
    });
    expect(config.services.api!.replicas).toBe(1);
    expect(config.services.api!.gate).toEqual({
      enabled: false,
      deployment: true,
      timeoutSeconds: 900,
      intervalSeconds: 5,
    });
  });

  it("gives cron and multi-region services no default replicas", () => {
    const raw = baseConfig();
    raw.services.worker.cron = "0 3 * * *";
    raw.services.api.regions = { "us-west2": 2, "europe-west4-drams3a": 1 };
    const config = parsed(raw);
    expect(config.services.worker).toMatchObject({
      cron: "0 3 * * *",
      replicas: 1,
    });
    expect(config.services.api).toMatchObject({
      replicas: 3,
      regions: { "us-west2": 2, "europe-west4-drams3a": 1 },
    });
  });

  it("follows every service's deployment but a cron job's, which runs on its schedule", () => {
    const raw = baseConfig();
    raw.services.worker.cron = "0 3 * * *";
    const config = parsed(raw);
    expect(config.services.worker!.gate).toEqual({
      enabled: false,
      deployment: false,
      timeoutSeconds: 900,
      intervalSeconds: 15,
    });
    expect(config.services.api!.gate.deployment).toBe(true);
    raw.services.worker.gate = { deployment: true };
    raw.services.api.gate = { deployment: false };
    const overridden = parsed(raw);
    expect(overridden.services.worker!.gate.deployment).toBe(true);
    expect(overridden.services.api!.gate.deployment).toBe(false);
    expect(overridden.dataServices.map((d) => [d.serviceName, d.deployWait])).toEqual([
      ["postgres", { timeoutSeconds: 900, intervalSeconds: 15 }],
      ["redis", { timeoutSeconds: 900, intervalSeconds: 15 }],
      ["nats", { timeoutSeconds: 900, intervalSeconds: 15 }],
    ]);
  });

  it("resolves sizes, limits, builders and variables to the units resources take", () => {
    const raw = baseConfig();
    raw.services.api.limits = { cpu: 1.5, memory: "1.5GB" };
    raw.services.api.build = {
      dockerfilePath: "docker/api.Dockerfile",
      buildCommand: "npm run build",
    };
    raw.services.api.restartPolicy = { type: "NEVER" };
    raw.services.api.variables.WORKERS = 4;
    raw.services.api.variables.FEATURE_SEARCH = true;
    raw.services.api.variables.OPENAI_API_KEY = {
      secret: "openaiApiKey",
      optional: true,
    };
    raw.nats.image = `nats@sha256:${"a".repeat(64)}`;
    const config = parsed(raw);
    expect(config.services.api).toMatchObject({
      limits: { cpu: 1.5, memoryMB: 1536, memoryBytes: 1536 * 1024 * 1024 },
      build: {
        builder: "DOCKERFILE",
        dockerfilePath: "docker/api.Dockerfile",
        buildCommand: "npm run build",
        watchPatterns: [],
      },
      restartPolicy: { type: "NEVER" },
    });
    expect(config.services.api!.restartPolicy).not.toHaveProperty("maxRetries");
    expect(config.services.api!.variables).toMatchObject({
      WORKERS: { kind: "plain", value: "4" },
      FEATURE_SEARCH: { kind: "plain", value: "true" },
      OPENAI_API_KEY: {
        kind: "secret",
        configKey: "openaiApiKey",
        optional: true,
      },
    });
    expect(one(config, "nats").image).toBe(`nats@sha256:${"a".repeat(64)}`);
  });
});

describe("project.layout and project.environment", () => {
  function project(
    stack: string,
    tier: string,
    change: (raw: RawConfig) => void = () => undefined,
  ) {
    const raw = baseConfig();
    raw.tier = tier;
    change(raw);
    return parsed(raw, stack).project;
  }

  it("defaults to the shared layout: production owns production, other stacks their own name", () => {
    expect(project("production", "production")).toMatchObject({
      layout: "shared",
      environment: "production",
    });
    expect(project("dev", "dev")).toMatchObject({ layout: "shared", environment: "dev" });
    expect(project("preview", "preview")).toMatchObject({
      layout: "shared",
      environment: "preview",
    });
    expect(project("staging", "preview")).toMatchObject({
      layout: "shared",
      environment: "staging",
    });
    expect(project("production", "production").forkOf).toBeUndefined();
  });

  it("names the environment after the tier in the isolated layout", () => {
    const isolated = (raw: RawConfig) => (raw.project.layout = "isolated");
    expect(project("production", "production", isolated)).toMatchObject({
      layout: "isolated",
      environment: "production",
    });
    expect(project("staging", "preview", isolated)).toMatchObject({
      layout: "isolated",
      environment: "preview",
    });
    expect(project("dev", "dev", isolated)).toMatchObject({
      layout: "isolated",
      environment: "dev",
    });
  });

  it("takes project.environment as written, in either layout", () => {
    expect(
      project("production", "production", (raw) => (raw.project.environment = "live")),
    ).toMatchObject({ layout: "shared", environment: "live" });
    expect(
      project("dev", "dev", (raw) => {
        raw.project.layout = "isolated";
        raw.project.environment = "Staging";
      }),
    ).toMatchObject({ layout: "isolated", environment: "Staging" });
  });

  it("keeps undeclared variables unless removeUndeclared is set", () => {
    expect(project("dev", "dev").removeUndeclared).toBe(false);
    expect(
      project("dev", "dev", (raw) => (raw.project.removeUndeclared = true)).removeUndeclared,
    ).toBe(true);
  });
});
