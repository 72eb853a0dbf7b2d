/**
 * Every "Fix:" that names a concrete value must be a valid fix: apply the suggestion (carried as
 * data on the issue, `issue.suggestion`) to the config and validate again.
 *
 * - A field rule's value must pass that field's own schema (type, format, range), and the issue
 *   it fixed must be gone.
 * - A cross-field rule's value must leave no issue at all at (or under) that key.
 * - A renamed key must no longer be unknown.
 *
 * The configs come from two sources: a sweep that writes awkward values (0, -5, 1.5, "0", "3",
 * "TRUE", "x", 5, ...) into every leaf of a rich valid config, and targeted mutations for the
 * checks across fields. The last test checks that every rule in SUGGESTION_RULES was exercised.
 */
import {
  FIELD_SUGGESTION_RULES,
  SUGGESTION_RULES,
  type ConfigIssue,
  type SuggestionRule,
} from "../../infra/config/issues";
import { formatIssue, parseStackConfig, StackConfigSchema } from "../../infra/config";
import { schemaAt } from "../../infra/config/walk";
import { type RawConfig, baseConfig } from "../fixtures/config";
import { z } from "zod";

type Segment = string | number;

/** A valid production config that sets (nearly) every field, so the sweep reaches them all. */
function richConfig(): RawConfig {
  const raw = baseConfig();
  raw.project = {
    name: "shop-production",
    region: "us-west2",
    protectedBranch: "main",
    workspaceId: "3f1c2a9e-7b4d-4e0a-9c1f-2d8e6b5a4c3b",
  };
  raw.app = {
    rateLimit: { enabled: true, rpm: 60 },
    securityMiddleware: true,
    logFormat: "json",
    debug: false,
    corsOrigins: ["https://shop.acme.dev"],
  };
  raw.postgres = {
    volumeSize: "2GB",
    backups: ["DAILY"],
    database: "shop",
    user: "shop",
    limits: { cpu: 1, memory: "1GB" },
  };
  raw.redis = {
    maxMemory: "256MB",
    evictionPolicy: "allkeys-lru",
    appendOnly: true,
    volumeSize: "1GB",
    limits: { memory: "512MB" },
  };
  raw.nats.volumeSize = "2GB";
  raw.nats.jetStream.maxStorage = "1GB";
  Object.assign(raw.services.api, {
    replicas: 2,
    startCommand: "node server.js",
    preDeployCommand: ["npm", "run", "migrate"],
    readinessPath: "/ready",
    limits: { cpu: 1, memory: "512MB" },
    restartPolicy: { type: "ON_FAILURE", maxRetries: 5 },
    gate: { enabled: true, timeoutSeconds: 600, intervalSeconds: 10 },
    build: { builder: "DOCKERFILE", dockerfilePath: "Dockerfile", watchPatterns: ["/api/**"] },
  });
  raw.services.api.domains.custom = ["api.acme.dev"];
  raw.services.api.healthcheck.timeoutSeconds = 60;
  raw.services.api.source.branch = "main";
  raw.services.nightly = {
    source: { image: "ghcr.io/acme/jobs:2.0.1" },
    cron: "0 3 * * *",
    regions: undefined,
    sleep: false,
  };
  delete raw.services.nightly.regions;
  raw.services.eu = {
    source: { image: "ghcr.io/acme/eu:1.0.0" },
    regions: { "europe-west4-drams3a": 1 },
  };
  return raw;
}

/** Every leaf (scalars and list items) of a config, as path segments. */
function leaves(value: unknown, path: Segment[] = []): Segment[][] {
  if (Array.isArray(value)) return value.flatMap((item, i) => leaves(item, [...path, i]));
  if (value !== null && typeof value === "object")
    return Object.entries(value).flatMap(([key, item]) => leaves(item, [...path, key]));
  return [path];
}

function setAt(raw: RawConfig, path: readonly Segment[], value: unknown): void {
  let node: any = raw;
  for (const segment of path.slice(0, -1)) {
    node[segment] ??= {};
    node = node[segment];
  }
  node[path[path.length - 1]!] = value;
}

function renameAt(raw: RawConfig, path: readonly Segment[], to: string): void {
  let node: any = raw;
  for (const segment of path.slice(0, -1)) node = node[segment];
  const from = path[path.length - 1]!;
  node[to] = node[from];
  delete node[from];
}

const clone = (raw: RawConfig): RawConfig => structuredClone(raw);

function issuesOf(raw: unknown, stack: string): ConfigIssue[] {
  const result = parseStackConfig(raw, stack);
  return result.ok ? [] : result.issues;
}

const under = (issue: ConfigIssue, path: readonly Segment[]): boolean =>
  issue.segments !== undefined &&
  path.every((segment, i) => issue.segments![i] === segment) &&
  issue.segments.length >= path.length;

interface Checked {
  rule: SuggestionRule;
  line: string;
  failure?: string;
}

/** Applies the suggestion of `issue` to `raw` and validates again; undefined when it holds. */
function recheck(raw: RawConfig, stack: string, issue: ConfigIssue): Checked {
  const suggestion = issue.suggestion!;
  const line = formatIssue(issue);
  const path = issue.segments!;
  const fixed = clone(raw);
  if ("renameTo" in suggestion) {
    renameAt(fixed, path, suggestion.renameTo);
    const renamed = [...path.slice(0, -1), suggestion.renameTo];
    const left = issuesOf(fixed, stack).filter(
      (other) =>
        under(other, path) || (under(other, renamed) && other.problem === "is not a known key"),
    );
    return {
      rule: suggestion.rule,
      line,
      failure: left.length ? left.map(formatIssue).join("\n") : undefined,
    };
  }
  setAt(fixed, path, suggestion.value);
  const after = issuesOf(fixed, stack);
  let failure: string | undefined;
  if (FIELD_SUGGESTION_RULES.includes(suggestion.rule)) {
    const schema = schemaAt(StackConfigSchema, path);
    if (schema === undefined) failure = `no schema at ${issue.path}`;
    else if (!z.safeParse(schema, suggestion.value).success)
      failure = `the field's schema rejects ${JSON.stringify(suggestion.value)}`;
    else if (after.some((other) => formatIssue(other) === line)) failure = "the issue remains";
  } else {
    const left = after.filter((other) => under(other, path));
    if (left.length) failure = left.map(formatIssue).join("\n");
  }
  // The prose names the same value the data carries.
  const shown = typeof suggestion.value === "object" ? undefined : String(suggestion.value);
  if (failure === undefined && shown !== undefined && !issue.fix.includes(shown))
    failure = `the fix text does not show ${shown}`;
  return { rule: suggestion.rule, line, failure };
}

const AWKWARD_VALUES: unknown[] = [
  0,
  -5,
  1.5,
  2048,
  100000,
  "0",
  "-5",
  "3",
  "TRUE",
  "false",
  "x",
  "prod",
  "abc def",
  "https://github.com/acme/shop.git",
  "https://API.acme.dev/x",
  "health check",
  "health",
  5,
  true,
  ["x"],
  {},
];

/** Mutations aimed at the checks across fields and the name-based rules. */
const TARGETED: { name: string; stack?: string; mutate: (raw: RawConfig) => void }[] = [
  { name: "misspelled key", mutate: (r) => (r.services.api.replcas = 2) },
  { name: "misspelled top-level key", mutate: (r) => (r.service = {}) },
  {
    name: "misspelled region key",
    mutate: (r) => (r.services.eu.regions = { "europe-west4": 1 }),
  },
  { name: "cron with replicas", mutate: (r) => (r.services.nightly.replicas = 3) },
  {
    name: "gate interval not shorter",
    mutate: (r) =>
      (r.services.api.gate = { enabled: true, timeoutSeconds: 10, intervalSeconds: 60 }),
  },
  {
    name: "redis without headroom",
    mutate: (r) => (r.redis = { maxMemory: "1GB", limits: { memory: "512MB" } }),
  },
  {
    name: "redis with a 1MB limit",
    mutate: (r) => (r.redis = { maxMemory: "4MB", limits: { memory: "1MB" } }),
  },
  {
    name: "nats storage above the volume",
    mutate: (r) => (r.nats = { volumeSize: "1GB", jetStream: { maxStorage: "3GB" } }),
  },
  {
    name: "reference to a misspelled service",
    mutate: (r) => (r.services.worker.variables.API_HOST = { ref: "apl.RAILWAY_PRIVATE_DOMAIN" }),
  },
  { name: "misspelled link", mutate: (r) => (r.services.api.links = ["postgress"]) },
  {
    name: "reference written as text",
    mutate: (r) => (r.services.api.variables.DB = "${{postgres.DATABASE_URL}}"),
  },
  {
    name: "URL with a password",
    mutate: (r) => (r.services.api.variables.CACHE = "redis://u:hunter2@cache:6379"),
  },
  {
    name: "secret by value",
    mutate: (r) => (r.services.api.variables.HOOK = `xoxb-${"12345".repeat(3)}-${"ab".repeat(6)}`),
  },
  { name: "secret by name", mutate: (r) => (r.services.api.variables.DB_PASSWORD = "hunter2") },
  { name: "tier of another stack", mutate: (r) => (r.tier = "dev") },
  { name: "PR stack not preview", stack: "pr-3", mutate: () => undefined },
  { name: "misspelled enum", mutate: (r) => (r.redis.evictionPolicy = "allkeys-lr") },
  {
    name: "repo as a URL",
    mutate: (r) => (r.services.api.source.repo = "https://github.com/acme/shop"),
  },
  {
    name: "domain as a URL",
    mutate: (r) => (r.services.api.domains.custom = ["https://api.acme.dev/"]),
  },
  { name: "path without slash", mutate: (r) => (r.services.api.healthcheck.path = "health") },
  { name: "one origin, not a list", mutate: (r) => (r.app.corsOrigins = "https://shop.acme.dev") },
  { name: "one link, not a list", mutate: (r) => (r.services.api.links = "postgres") },
  { name: "one backup, not a list", mutate: (r) => (r.postgres.backups = "DAILY") },
  { name: "size as a number", mutate: (r) => (r.postgres.volumeSize = 10) },
  { name: "size 0", mutate: (r) => (r.services.api.limits.memory = 0) },
  { name: "negative size", mutate: (r) => (r.postgres.volumeSize = -5) },
];

function sweep(): Checked[] {
  const results: Checked[] = [];
  const seen = new Set<string>();
  const collect = (raw: RawConfig, stack: string): void => {
    for (const issue of issuesOf(raw, stack)) {
      if (issue.suggestion === undefined) continue;
      const key = `${formatIssue(issue)}|${JSON.stringify(issue.suggestion)}`;
      if (seen.has(key)) continue;
      seen.add(key);
      results.push(recheck(raw, stack, issue));
    }
  };
  const rich = richConfig();
  expect(issuesOf(rich, "production").map(formatIssue)).toEqual([]);
  for (const path of leaves(rich)) {
    for (const value of AWKWARD_VALUES) {
      const raw = clone(rich);
      setAt(raw, path, value);
      collect(raw, "production");
    }
  }
  for (const { mutate, stack } of TARGETED) {
    const raw = clone(rich);
    mutate(raw);
    collect(raw, stack ?? "production");
  }
  return results;
}

describe("every suggested fix re-validates", () => {
  const results = sweep();

  it("applies each suggestion and finds the check satisfied", () => {
    const failures = results
      .filter((result) => result.failure !== undefined)
      .map((result) => `${result.rule}: ${result.line}\n  -> ${result.failure}`);
    expect(failures).toEqual([]);
  });

  it("exercises every rule that suggests a value", () => {
    const covered = new Set(results.map((result) => result.rule));
    expect([...SUGGESTION_RULES].filter((rule) => !covered.has(rule))).toEqual([]);
    expect(covered.size).toBe(SUGGESTION_RULES.length);
    expect(SUGGESTION_RULES).toHaveLength(22);
    expect(results.length).toBeGreaterThan(100);
    console.log(
      `re-validated ${results.length} suggestions of ${covered.size} rules: ${[...covered].sort().join(", ")}`,
    );
  });

  it("no longer suggests a size that is not one (0, negative, fractional)", () => {
    const lines = (mutate: (raw: RawConfig) => void): string[] => {
      const raw = richConfig();
      mutate(raw);
      return issuesOf(raw, "production").map(formatIssue);
    };
    const fix = `write a whole number of megabytes or gigabytes with its unit, e.g. "512MB" or "10GB"`;
    expect(lines((r) => (r.services.api.limits.memory = 0))).toEqual([
      `railway-stacks:app.services.api.limits.memory: must be a size with its unit, not the number 0. Fix: ${fix}`,
    ]);
    expect(lines((r) => (r.postgres.volumeSize = -5))).toEqual([
      `railway-stacks:app.postgres.volumeSize: must be a size with its unit, not the number -5. Fix: ${fix}`,
    ]);
    expect(lines((r) => (r.postgres.volumeSize = 10))).toEqual([
      `railway-stacks:app.postgres.volumeSize: must be a size with its unit, not the number 10. Fix: write "10MB"`,
    ]);
  });
});
