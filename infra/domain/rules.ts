/**
 * The domain rules: what a valid Railway value is (regions, sizes, durations, cron schedules,
 * images, repositories, host names, ports, names). The one copy of each rule: the config schema
 * (infra/config/schema.ts), the providers' `check` (infra/providers/*.ts) and the policy pack
 * (policies/rules/*.ts) all call these functions, so a value one of them accepts the others accept.
 *
 * A leaf module: it imports nothing, and knows nothing of zod or Pulumi. Each check returns
 * `undefined` when the value is fine, or a {@link Problem}: what is wrong and how to fix it.
 */

/**
 * Every rule whose fix names a concrete value. tests/unit/config-suggestions.test.ts applies each
 * suggestion and validates again: a suggested value must pass the check that suggested it.
 */
export const SUGGESTION_RULES = [
  // Built-in type and range issues (this file)
  "size-with-unit",
  "unquote-number",
  "unquote-boolean",
  "quote-text",
  "wrap-in-list",
  "closest-value",
  "rename-key",
  "minimum",
  "maximum",
  // Field formats (./formats.ts)
  "closest-region",
  "repo-from-url",
  "host-from-url",
  "path-with-slash",
  // Checks across fields (./checks.ts)
  "single-replica",
  "gate-interval",
  "redis-max-memory",
  "nats-max-storage",
  "reference-target",
  "closest-link",
  "plain-reference",
  "secret-variable",
  // Checks that need the stack name (./parse.ts)
  "stack-tier",
] as const;

/** Rules that judge one field alone: their suggestion must pass that field's own schema. */
export const FIELD_SUGGESTION_RULES: readonly SuggestionRule[] = [
  "size-with-unit",
  "unquote-number",
  "unquote-boolean",
  "quote-text",
  "wrap-in-list",
  "closest-value",
  "minimum",
  "maximum",
  "closest-region",
  "repo-from-url",
  "host-from-url",
  "path-with-slash",
];
export type SuggestionRule = (typeof SUGGESTION_RULES)[number];

/**
 * The concrete change a fix suggests, carried as data (not parsed from the prose): write `value`
 * at the issue's key, or rename the key to `renameTo`.
 */
export type Suggestion =
  { rule: SuggestionRule; value: unknown } | { rule: SuggestionRule; renameTo: string };

/** One thing wrong with one value, and what the author should change. */
export interface Problem {
  problem: string;
  fix: string;
  /** The value the fix names, when it names one (it passes this same check). */
  suggest?: Suggestion;
}

const problem = (what: string, fix: string, suggest?: Suggestion): Problem =>
  suggest === undefined ? { problem: what, fix } : { problem: what, fix, suggest };

/** A suggestion of `value`, kept only when `check` accepts it. */
function checked(
  rule: SuggestionRule,
  value: string,
  check: (value: string) => Problem | undefined,
): Suggestion | undefined {
  return check(value) === undefined ? { rule, value } : undefined;
}

/** Quotes a value for a message the way a YAML author would write it. */
export function quote(value: unknown): string {
  return typeof value === "string" ? JSON.stringify(value) : String(value);
}

// ---------------------------------------------------------------------------------------------
// Regions

/** Railway regions a service or project may run in (`regions` query ids). */
export const RAILWAY_REGIONS = [
  "us-west2",
  "us-east4-eqdc4a",
  "europe-west4-drams3a",
  "asia-southeast1-eqsg3a",
] as const;
export type Region = (typeof RAILWAY_REGIONS)[number];

export function isRegion(value: string): value is Region {
  return (RAILWAY_REGIONS as readonly string[]).includes(value);
}

export function checkRegion(value: string): Problem | undefined {
  if (isRegion(value)) return undefined;
  const guess = closest(value, RAILWAY_REGIONS);
  return problem(
    `${quote(value)} is not a Railway region`,
    oneOf(value, RAILWAY_REGIONS),
    guess === undefined ? undefined : { rule: "closest-region", value: guess },
  );
}

// ---------------------------------------------------------------------------------------------
// Suggestions

function levenshtein(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length]!;
}

/** The candidate the author most likely meant, if one is close enough. */
export function closest(value: string, candidates: readonly string[]): string | undefined {
  const lower = value.toLowerCase();
  const sameCase = candidates.find((c) => c.toLowerCase() === lower);
  if (sameCase !== undefined) return sameCase;
  if (lower.length >= 3) {
    const prefixed = candidates.filter((c) => c.toLowerCase().startsWith(lower));
    if (prefixed.length === 1) return prefixed[0];
  }
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const distance = levenshtein(lower, candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  const allowed = Math.max(1, Math.min(3, Math.floor(value.length / 3)));
  return bestDistance <= allowed ? best : undefined;
}

/** The fix for "not one of the allowed values": the likely intended value, else the full list. */
export function oneOf(value: string, candidates: readonly string[]): string {
  const guess = closest(value, candidates);
  return guess !== undefined ? `use ${quote(guess)}` : `use one of ${candidates.join(", ")}`;
}

// ---------------------------------------------------------------------------------------------
// Sizes

const SIZE = /^(\d+(?:\.\d+)?)\s?(MB|GB)$/i;
const MB_PER_GB = 1024;

/**
 * Parses a size written with its unit, `"512MB"` or `"10GB"` (binary units: 1 GB = 1024 MB, the
 * way Railway's `memoryBytes`, Redis' `maxmemory` and NATS' `max_file_store` count). Returns whole
 * megabytes, or `undefined` when the text is not such a size.
 */
export function parseSizeMB(value: string): number | undefined {
  const match = SIZE.exec(value.trim());
  if (!match) return undefined;
  const amount = Number(match[1]);
  const mb = match[2]!.toUpperCase() === "GB" ? amount * MB_PER_GB : amount;
  return Number.isInteger(mb) && mb > 0 ? mb : undefined;
}

export function checkSize(value: string): Problem | undefined {
  if (parseSizeMB(value) !== undefined) return undefined;
  return problem(
    `${quote(value)} is not a size`,
    `write a whole number of megabytes or gigabytes with its unit, e.g. "512MB" or "10GB"`,
  );
}

/** Formats megabytes back the way the stack files write them. */
export function formatSizeMB(mb: number): string {
  return mb % MB_PER_GB === 0 ? `${mb / MB_PER_GB}GB` : `${mb}MB`;
}

export const bytesFromMB = (mb: number): number => mb * 1024 * 1024;

// ---------------------------------------------------------------------------------------------
// Durations

const DURATION = /^([1-9]\d*)(s|m|h|d)$/;
const SECONDS_PER_UNIT: Record<string, number> = {
  s: 1,
  m: 60,
  h: 3600,
  d: 86400,
};

/** Parses `"30s"`, `"30m"`, `"12h"` or `"7d"` into seconds. */
export function parseDurationSeconds(value: string): number | undefined {
  const match = DURATION.exec(value);
  if (!match) return undefined;
  return Number(match[1]) * SECONDS_PER_UNIT[match[2]!]!;
}

export function checkDuration(value: string): Problem | undefined {
  if (parseDurationSeconds(value) !== undefined) return undefined;
  return problem(
    `${quote(value)} is not a duration`,
    `write a whole number with one unit s, m, h or d, e.g. "30m", "12h" or "7d"`,
  );
}

// ---------------------------------------------------------------------------------------------
// Cron schedules (5 fields, as Railway's cron jobs take them)

const MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
const WEEKDAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

interface CronField {
  name: string;
  min: number;
  max: number;
  names?: string[];
  /** Value of names[0]. */
  namesStart?: number;
}

const CRON_FIELDS: CronField[] = [
  { name: "minute", min: 0, max: 59 },
  { name: "hour", min: 0, max: 23 },
  { name: "day of month", min: 1, max: 31 },
  { name: "month", min: 1, max: 12, names: MONTHS, namesStart: 1 },
  { name: "day of week", min: 0, max: 7, names: WEEKDAYS, namesStart: 0 },
];

function cronValue(text: string, field: CronField): number | undefined {
  if (/^\d+$/.test(text)) {
    const n = Number(text);
    return n >= field.min && n <= field.max ? n : undefined;
  }
  const index = field.names?.indexOf(text.toUpperCase()) ?? -1;
  return index >= 0 ? index + (field.namesStart ?? 0) : undefined;
}

function cronFieldValid(text: string, field: CronField): boolean {
  return text.split(",").every((item) => {
    const [range, step, ...rest] = item.split("/");
    if (rest.length > 0 || range === undefined || range === "") return false;
    if (step !== undefined && !(/^\d+$/.test(step) && Number(step) >= 1)) return false;
    if (range === "*") return true;
    const [from, to, ...more] = range.split("-");
    if (more.length > 0 || from === undefined) return false;
    const start = cronValue(from, field);
    if (start === undefined) return false;
    if (to === undefined) return true;
    const end = cronValue(to, field);
    return end !== undefined && end >= start;
  });
}

export function checkCron(value: string): Problem | undefined {
  const fields = value.trim().split(/\s+/);
  const fix = `write five fields "minute hour day-of-month month day-of-week", e.g. "0 3 * * *" for 03:00 UTC daily`;
  if (fields.length !== 5) {
    return problem(`${quote(value)} has ${fields.length} fields, a cron schedule has 5`, fix);
  }
  const bad = CRON_FIELDS.findIndex((field, i) => !cronFieldValid(fields[i]!, field));
  if (bad >= 0) {
    const field = CRON_FIELDS[bad]!;
    return problem(
      `${quote(value)} has an invalid ${field.name} field ${quote(fields[bad])}`,
      `use *, a number ${field.min}-${field.max}, a range a-b, a list a,b or a step */n`,
    );
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Images

const DIGEST = /^sha256:[a-f0-9]{64}$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const IMAGE_NAME = /^[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$/;
const REGISTRY = /^(?:[a-zA-Z0-9-]+(?:\.[a-zA-Z0-9-]+)*(?::\d+)?|localhost(?::\d+)?)$/;

/** An image reference split as Docker reads it: `[registry/]path[:tag][@digest]`. */
export interface ImageRef {
  repository: string;
  tag?: string;
  digest?: string;
}

export function parseImage(image: string): ImageRef {
  const at = image.indexOf("@");
  const digest = at >= 0 ? image.slice(at + 1) : undefined;
  const named = at >= 0 ? image.slice(0, at) : image;
  const slash = named.lastIndexOf("/");
  const colon = named.indexOf(":", slash + 1);
  return colon >= 0
    ? { repository: named.slice(0, colon), tag: named.slice(colon + 1), digest }
    : { repository: named, digest };
}

/**
 * Why an image is not pinned, as a phrase after the image ("has no tag"), or `undefined` when it
 * is: a `@sha256:` digest, or a tag that names a version (holds a digit). `latest` and channel
 * tags such as `alpine` or `stable` move under a redeploy, so they are not pins.
 */
export function imagePinProblem(image: string): string | undefined {
  const ref = parseImage(image.trim());
  if (ref.digest !== undefined) {
    return DIGEST.test(ref.digest) ? undefined : `has a malformed digest ${quote(ref.digest)}`;
  }
  if (ref.tag === undefined || ref.tag === "") return "has no tag";
  if (!/\d/.test(ref.tag)) return `uses the floating tag ${quote(ref.tag)}`;
  return undefined;
}

/**
 * An image must be a well-formed reference and pinned (see {@link imagePinProblem}).
 * Both `registry.example.com:5000/team/app:1.2.3` and `nats@sha256:…` are fine.
 */
export function checkImage(value: string): Problem | undefined {
  const reference = value.trim();
  const { repository, tag } = parseImage(reference);
  const slash = repository.indexOf("/");
  const first = slash >= 0 ? repository.slice(0, slash) : "";
  const hasRegistry =
    slash >= 0 && (first.includes(".") || first.includes(":") || first === "localhost");
  const path = hasRegistry ? repository.slice(slash + 1) : repository;
  if (value !== reference || !IMAGE_NAME.test(path) || (hasRegistry && !REGISTRY.test(first))) {
    return problem(
      `${quote(value)} is not an image reference`,
      `write [registry/]name:tag, e.g. "redis:7.4-alpine" or "ghcr.io/acme/broker:1.4.2"`,
    );
  }
  if (tag !== undefined && tag !== "" && !TAG.test(tag)) {
    return problem(
      `${quote(value)} has an invalid tag ${quote(tag)}`,
      `use letters, digits, ".", "_" and "-" in the tag`,
    );
  }
  const unpinned = imagePinProblem(reference);
  if (unpinned === undefined) return undefined;
  return problem(
    `${quote(value)} ${unpinned}; images must be pinned to a version tag or a digest`,
    unpinned.startsWith("has a malformed digest")
      ? `write the digest as @sha256: followed by 64 lower-case hex digits`
      : `pin a version, e.g. ${quote(`${repository}:<version>`)}, or a digest ${quote(`${repository}@sha256:<digest>`)}`,
  );
}

// ---------------------------------------------------------------------------------------------
// Repositories, branches, paths

const REPO = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})\/[A-Za-z0-9._-]{1,100}$/;

export function checkRepo(value: string): Problem | undefined {
  if (REPO.test(value) && !value.endsWith(".git")) return undefined;
  const fromUrl = /^(?:https?:\/\/|git@)github\.com[/:]([^/\s]+\/[^/\s]+?)(?:\.git)?\/?$/.exec(
    value,
  )?.[1];
  const suggest = fromUrl === undefined ? undefined : checked("repo-from-url", fromUrl, checkRepo);
  return problem(
    `${quote(value)} is not a GitHub repository "owner/name"`,
    suggest
      ? `write ${quote(fromUrl)}`
      : `write the repository as owner/name, e.g. "acme/agent-platform"`,
    suggest,
  );
}

/** Git branch names, as `git check-ref-format --branch` would accept them (simplified). */
export function checkBranch(value: string): Problem | undefined {
  const bad =
    value === "" ||
    value.startsWith("-") ||
    value.startsWith("/") ||
    value.endsWith("/") ||
    value.endsWith(".") ||
    value.endsWith(".lock") ||
    value.includes("..") ||
    value.includes("//") ||
    value.includes("@{") ||
    // Control characters are what git forbids in ref names.
    // eslint-disable-next-line no-control-regex
    /[\s~^:?*[\\\x00-\x1f\x7f]/.test(value);
  if (!bad) return undefined;
  return problem(
    `${quote(value)} is not a valid git branch name`,
    `use the branch name as git shows it, e.g. "main"`,
  );
}

export function checkRootDirectory(value: string): Problem | undefined {
  const segments = value.split("/");
  if (value === "" || value.includes("\\") || segments.includes("..") || /\s/.test(value)) {
    return problem(
      `${quote(value)} is not a directory inside the repository`,
      `write the path from the repository root without ".." or spaces, e.g. "services/backend"`,
    );
  }
  return undefined;
}

/** A path inside the repository for a file (e.g. a Dockerfile). */
export function checkRepoFile(value: string): Problem | undefined {
  if (
    value === "" ||
    value.endsWith("/") ||
    value.split("/").includes("..") ||
    value.includes("\\") ||
    /\s/.test(value)
  ) {
    return problem(
      `${quote(value)} is not a file path inside the repository`,
      `write a path without ".." or spaces, e.g. "Dockerfile"`,
    );
  }
  return undefined;
}

export function checkHttpPath(value: string): Problem | undefined {
  if (!value.startsWith("/")) {
    const suggest = checked("path-with-slash", `/${value}`, checkHttpPath);
    return problem(
      `${quote(value)} does not start with "/"`,
      suggest
        ? `write it as ${quote(`/${value}`)}`
        : `write a path starting with "/" without spaces, query strings or fragments, e.g. "/health"`,
      suggest,
    );
  }
  if (/[\s?#]/.test(value)) {
    return problem(
      `${quote(value)} is not a plain URL path`,
      `remove spaces, query strings and fragments`,
    );
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Ports

export const MIN_PORT = 1;
export const MAX_PORT = 65535;

export const isPort = (value: number): boolean =>
  Number.isInteger(value) && value >= MIN_PORT && value <= MAX_PORT;

export function checkPort(value: number): Problem | undefined {
  if (isPort(value)) return undefined;
  return problem(
    `${quote(value)} is not a port`,
    `use a whole number between ${MIN_PORT} and ${MAX_PORT}, e.g. 8080`,
  );
}

// ---------------------------------------------------------------------------------------------
// Host names, origins, URLs

const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

export function isHostname(value: string): boolean {
  const host = value.startsWith("*.") ? value.slice(2) : value;
  const labels = host.split(".");
  return (
    host.length <= 253 &&
    labels.length >= 2 &&
    labels.every((label) => LABEL.test(label)) &&
    /^[a-z]{2,63}$/.test(labels[labels.length - 1]!)
  );
}

export function checkCustomDomain(value: string): Problem | undefined {
  if (isHostname(value)) return undefined;
  const host = /^[a-z]+:\/\/([^/]+)/i.exec(value)?.[1]?.toLowerCase();
  const suggest =
    host !== undefined && isHostname(host)
      ? { rule: "host-from-url" as const, value: host }
      : undefined;
  return problem(
    `${quote(value)} is not a valid host name`,
    suggest
      ? `write the host name only: ${quote(host)}`
      : `write a lower-case host name such as "api.acme-agents.com" (a leading "*." is allowed)`,
    suggest,
  );
}

export function checkOrigin(value: string): Problem | undefined {
  if (value === "*") return undefined;
  const match = /^(https?):\/\/([^/:]+)(?::(\d{1,5}))?$/.exec(value);
  const port = match?.[3] === undefined ? undefined : Number(match[3]);
  if (
    match &&
    (isHostname(match[2]!) || match[2] === "localhost") &&
    (port === undefined || isPort(port))
  ) {
    return undefined;
  }
  return problem(
    `${quote(value)} is not an origin`,
    `write scheme://host[:port] with no path, e.g. "https://app.acme-agents.com" or "http://localhost:3000"`,
  );
}

// ---------------------------------------------------------------------------------------------
// Names

/**
 * Railway service names: a service is reachable at `<name>.railway.internal`, so the name is one
 * DNS label (at most 63 characters) that starts with a letter.
 */
export const SERVICE_NAME_MAX_LENGTH = 63;
export const SERVICE_NAME = /^[A-Za-z](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

export function checkServiceName(value: string): Problem | undefined {
  if (SERVICE_NAME.test(value)) return undefined;
  return problem(
    `${quote(value)} is not a valid service name`,
    `use letters, digits and "-", start with a letter and end with a letter or digit, at most ${SERVICE_NAME_MAX_LENGTH} characters, e.g. "backend"`,
  );
}

/**
 * Railway environment names as this project writes them: what `railway environment <name>` takes
 * without quoting (a hand-made `Staging` is adopted as it is).
 */
export const ENVIRONMENT_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

/** The environment production stacks own, and that no other stack may target. */
export const PRODUCTION_ENVIRONMENT = "production";

export function checkEnvironmentName(value: string): Problem | undefined {
  if (ENVIRONMENT_NAME.test(value)) return undefined;
  return problem(
    `${quote(value)} is not a valid environment name`,
    `use letters, digits, "-" and "_", starting with a letter or digit, at most 64 characters, e.g. "staging"`,
  );
}

/** PR preview stacks are named `pr-<number>`. */
const PR_STACK = /^pr-([1-9]\d*)$/;

/** The PR number of a PR stack name (`pr-42` → 42), else undefined. */
export function prNumberOf(stackName: string): number | undefined {
  const match = PR_STACK.exec(stackName);
  return match ? Number(match[1]) : undefined;
}

/** Generated secrets (passwords, tokens, `{ generate: … }`) are at least this long. */
export const MIN_GENERATED_SECRET_LENGTH = 32;
export const MAX_GENERATED_SECRET_LENGTH = 256;

export const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
export const CONFIG_KEY = /^[A-Za-z][A-Za-z0-9_-]*$/;
export const SQL_IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;
export const STREAM_NAME = /^[A-Za-z0-9_-]{1,64}$/;
export const WORKSPACE_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function checkVariableName(value: string): Problem | undefined {
  if (VARIABLE_NAME.test(value)) return undefined;
  return problem(
    `${quote(value)} is not a valid variable name`,
    `use letters, digits and "_", not starting with a digit, e.g. "API_URL"`,
  );
}

/** A NATS subject with `*` and `>` wildcards (`>` only as the last token). */
export function checkSubject(value: string): Problem | undefined {
  const tokens = value.split(".");
  const valid = tokens.every(
    (token, i) =>
      (token === ">" && i === tokens.length - 1) || token === "*" || /^[A-Za-z0-9_-]+$/.test(token),
  );
  if (valid) return undefined;
  return problem(
    `${quote(value)} is not a NATS subject`,
    `write dot-separated tokens with * for one token and > for the rest, e.g. "agents.>"`,
  );
}

/** Suggests a camelCase stack config key for a variable name: OPENAI_API_KEY → openaiApiKey. */
export function configKeyFor(variable: string): string {
  const words = variable.toLowerCase().split(/_+/).filter(Boolean);
  const key = words.map((w, i) => (i === 0 ? w : w[0]!.toUpperCase() + w.slice(1))).join("");
  return CONFIG_KEY.test(key) ? key : "secretValue";
}
