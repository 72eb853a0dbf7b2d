/**
 * Generates docs/config-reference.md from the zod schema in infra/config/schema.ts (field
 * descriptions, types and defaults) and the tier defaults in infra/config/tiers.ts.
 *
 *   node -r ts-node/register/transpile-only scripts/gen-config-reference.ts          # write
 *   node -r ts-node/register/transpile-only scripts/gen-config-reference.ts --check  # exit 1 if stale
 *
 * The output is already in the shape prettier gives Markdown (aligned tables), so
 * `prettier --check` leaves it alone.
 */
import * as fs from "fs";
import * as path from "path";

import { APP_SETTING_VARIABLES, LINK_VARIABLES, PROJECT_NAME } from "../infra/config/constants";
import { RAILWAY_REGIONS } from "../infra/domain/rules";
import { PR_LIMIT_CAPS } from "../infra/config/pr";
import { StackConfigSchema } from "../infra/config/schema";
import { TIERS, TIER_DEFAULTS } from "../infra/config/tiers";
import { type AnySchema, defOf, defaultOf, docOf, isOptional, unwrap } from "../infra/config/walk";

export const REFERENCE_PATH = path.join(__dirname, "..", "docs", "config-reference.md");
const GENERATE_COMMAND = "node -r ts-node/register/transpile-only scripts/gen-config-reference.ts";

/** Title of the root object's section. */
const ROOT = `${PROJECT_NAME}:app`;

interface Section {
  title: string;
  schema: AnySchema;
}

const cell = (text: string): string => text.replace(/\|/g, "\\|").replace(/\n/g, " ");
const code = (text: string): string => `\`${text}\``;

/** A Markdown table with aligned columns, as prettier writes it. Cells must be escaped already. */
function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) =>
    Math.max(3, h.length, ...rows.map((row) => (row[i] ?? "").length)),
  );
  const line = (cells: string[]): string =>
    `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(" | ")} |`;
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)];
}

/** The object schema a field leads to (directly, or as list items / map values), if any. */
function nestedObject(schema: AnySchema): { schema: AnySchema; suffix: string } | undefined {
  const inner = unwrap(schema);
  const def = defOf(inner);
  if (def.type === "object") return { schema: inner, suffix: "" };
  // A data-service key: one instance's settings, or named instances with the same settings.
  if (def.type === "union" && docOf(schema).dataService !== undefined) {
    const settings = (def.options ?? []).map(unwrap).find((o) => defOf(o).type === "object");
    if (settings) return { schema: settings, suffix: "" };
  }
  if (def.type === "array" && def.element && defOf(unwrap(def.element)).type === "object") {
    return { schema: unwrap(def.element), suffix: "[]" };
  }
  return undefined;
}

function numberType(schema: AnySchema): string {
  const checks =
    (
      schema._zod.def as {
        checks?: { _zod: { def: Record<string, unknown> } }[];
      }
    ).checks ?? [];
  let name = "number";
  const bounds: string[] = [];
  for (const check of checks) {
    const def = check._zod.def;
    if (def["check"] === "number_format") name = "integer";
    if (def["check"] === "greater_than")
      bounds.push(`${def["inclusive"] ? "≥" : ">"} ${String(def["value"])}`);
    if (def["check"] === "less_than")
      bounds.push(`${def["inclusive"] ? "≤" : "<"} ${String(def["value"])}`);
  }
  return bounds.length > 0 ? `${name} ${bounds.join(", ")}` : name;
}

function typeName(schema: AnySchema, links: Map<AnySchema, string>): string {
  const inner = unwrap(schema);
  const def = defOf(inner);
  switch (def.type) {
    case "string":
      return "string";
    case "number":
      return numberType(inner);
    case "boolean":
      return "boolean";
    case "enum":
      return Object.values(def.entries ?? {}).join(" | ");
    case "literal":
      return (def.values ?? []).map(String).join(" | ");
    case "array":
      return `list of ${def.element ? typeName(def.element, links) : "values"}`;
    case "record":
      return `map: name → ${def.valueType ? typeName(def.valueType, links) : "value"}`;
    case "union": {
      const kind = docOf(schema).dataService;
      const settings = nestedObject(schema);
      if (kind !== undefined && settings) {
        const one = typeName(settings.schema, links);
        return `${one} | map: name → ${one}`;
      }
      return (def.options ?? []).map((option) => typeName(option, links)).join(" | ");
    }
    case "object": {
      const title = links.get(inner);
      return title ? `mapping ([${code(title)}](#${anchor(title)}))` : "mapping";
    }
    default:
      return def.type;
  }
}

function anchor(title: string): string {
  return title
    .toLowerCase()
    .replace(/[^a-z0-9 _-]/g, "")
    .replace(/ /g, "-");
}

function defaultCell(schema: AnySchema): string {
  const doc = docOf(schema);
  if (doc.defaultText !== undefined) return doc.defaultText;
  const found = defaultOf(schema);
  if (found) {
    const value = found.value;
    if (Array.isArray(value)) return value.length === 0 ? "`[]`" : code(`[${value.join(", ")}]`);
    if (typeof value === "object" && value !== null)
      return Object.keys(value).length === 0 ? "(defaults below)" : code(JSON.stringify(value));
    return code(String(value));
  }
  return isOptional(schema) ? "—" : "**required**";
}

/** Collects the object sections in document order, naming each by its YAML path. */
function collectSections(): {
  sections: Section[];
  links: Map<AnySchema, string>;
} {
  const sections: Section[] = [];
  const links = new Map<AnySchema, string>();
  const visit = (schema: AnySchema, title: string): void => {
    if (links.has(schema)) return;
    links.set(schema, title);
    sections.push({ title, schema });
    const shape = defOf(schema).shape ?? {};
    for (const [key, field] of Object.entries(shape)) {
      const child = nestedObject(field);
      const base = title === ROOT ? key : `${title}.${key}`;
      if (child) visit(child.schema, key === "limits" ? "limits" : `${base}${child.suffix}`);
      const inner = defOf(unwrap(field));
      if (inner.type === "record" && inner.valueType) {
        const value = unwrap(inner.valueType);
        const valueDef = defOf(value);
        const placeholder = key === "services" ? "<name>" : "<NAME>";
        if (valueDef.type === "object") visit(value, `${base}.${placeholder}`);
        for (const option of valueDef.options ?? []) {
          const unwrapped = unwrap(option);
          if (defOf(unwrapped).type === "object") visit(unwrapped, `${base}.${placeholder}`);
        }
      }
    }
  };
  visit(unwrap(StackConfigSchema), ROOT);
  return { sections, links };
}

function renderSection(section: Section, links: Map<AnySchema, string>): string[] {
  const lines = [`### ${code(section.title)}`, ""];
  const description = docOf(section.schema).description;
  if (description) lines.push(description, "");
  const rows = Object.entries(defOf(section.schema).shape ?? {}).map(([key, field]) => [
    code(key),
    cell(typeName(field, links)),
    cell(defaultCell(field)),
    cell(docOf(field).description ?? ""),
  ]);
  lines.push(...table(["Key", "Type", "Default", "Description"], rows), "");
  return lines;
}

function renderTierDefaults(): string[] {
  const row = (label: string, value: (tier: (typeof TIERS)[number]) => string): string[] => [
    label,
    ...TIERS.map((tier) => cell(value(tier))),
  ];
  const rows = [
    row("`app.securityMiddleware`", (t) => String(TIER_DEFAULTS[t].app.securityMiddleware)),
    row("`app.logFormat`", (t) => TIER_DEFAULTS[t].app.logFormat),
    row("`app.rateLimit.enabled`", (t) => String(TIER_DEFAULTS[t].app.rateLimit.enabled)),
    row("`app.rateLimit.rpm`", (t) => String(TIER_DEFAULTS[t].app.rateLimit.rpm)),
    row("`app.debug`", (t) => String(TIER_DEFAULTS[t].app.debug)),
    row("`app.corsOrigins`", (t) => `[${TIER_DEFAULTS[t].app.corsOrigins.join(", ")}]`),
    row("`replicas` (public service)", (t) => String(TIER_DEFAULTS[t].replicas.public)),
    row("`replicas` (private service)", (t) => String(TIER_DEFAULTS[t].replicas.private)),
    row("`gate.enabled` (public, with a health path)", (t) =>
      String(TIER_DEFAULTS[t].gate.enabled),
    ),
    row("`gate.timeoutSeconds`", (t) => String(TIER_DEFAULTS[t].gate.timeoutSeconds)),
    row("`gate.intervalSeconds`", (t) => String(TIER_DEFAULTS[t].gate.intervalSeconds)),
  ];
  return [
    "## Tier defaults",
    "",
    "Merged into the stack object before validation; anything the stack file sets wins.",
    "",
    ...table(["Setting", ...TIERS], rows),
    "",
  ];
}

/** The whole reference document. */
export function renderConfigReference(): string {
  const { sections, links } = collectSections();
  const lines = [
    "# Stack configuration reference",
    "",
    `<!-- Generated from infra/config/schema.ts by scripts/gen-config-reference.ts. Do not edit by hand: run \`${GENERATE_COMMAND}\`. -->`,
    "",
    `Each \`Pulumi.<stack>.yaml\` holds one object under the config key \`${PROJECT_NAME}:app\`. It is merged with`,
    "the defaults of its tier, validated before any resource is declared, and every problem is reported",
    "at once, one line each: `<yaml path>: <problem>. Fix: <what to change>`. The path is the exact key",
    "for `pulumi config set --path`, e.g. `railway-stacks:app.services.ml.replicas`.",
    "",
    "Sizes are written with their unit (`512MB`, `10GB`; 1 GB = 1024 MB). Durations are a whole number",
    "with one unit `s`, `m`, `h` or `d` (`7d`). Images must be pinned (a tag other than `latest`, or",
    `\`@sha256:\` digest). Regions: ${RAILWAY_REGIONS.map(code).join(", ")}.`,
    "",
    ...renderTierDefaults(),
    "## Keys",
    "",
    ...sections.flatMap((section) => renderSection(section, links)),
    "## Variables",
    "",
    "A service variable is one of:",
    "",
    "- a plain value (`LOG_LEVEL: info`); numbers and booleans become strings. Names that look like secrets",
    "  (PASSWORD, SECRET, TOKEN, API_KEY, PRIVATE_KEY, DSN, CREDENTIAL) and URLs with a password are",
    "  rejected as plain values;",
    "- `{ secret: <configKey> }`: a secret stack config key, set with",
    "  `pulumi config set --secret <configKey> <value> -s <stack>`; `optional: true` leaves the variable out",
    "  when the key is not set. Missing required keys are reported before anything is deployed;",
    "- `{ ref: <service>.<VARIABLE> }`: a Railway reference variable (`${{service.VARIABLE}}`), resolved by",
    "  Railway, to an app service or an enabled data service by its Railway service name (`postgres`,",
    "  `redis`, `nats`, or `postgres-<name>` for a named instance);",
    "- `{ generate: { length: 32 } }`: a random secret (32–256 characters) generated once, a Pulumi secret.",
    "",
    `The stack sets these itself, so services may not: ${Object.entries(APP_SETTING_VARIABLES)
      .map(([name, from]) => `${code(name)} (from \`${from}\`)`)
      .join(
        ", ",
      )}, \`PORT\` (from \`port\`), \`RAILWAY_*\`, and the link variables ${Object.entries(
      LINK_VARIABLES,
    )
      .map(([data, name]) => `${code(name)} (${data})`)
      .join(", ")}.`,
    "",
    "## Rules across fields",
    "",
    "- `source` names exactly one of `repo` or `image`; `branch`, `rootDirectory` and `build` only go with `repo`.",
    "- `replicas` and `regions` are exclusive; a `cron` service runs one replica and no `regions`.",
    "- A public service (Railway or custom domain) needs `port`; an enabled `gate` needs a public domain and",
    "  `healthcheck.path` or `readinessPath`.",
    "- `links` name enabled data services: `postgres` for the one-instance form, `postgres.<name>` for a",
    "  named instance, at most one instance of a kind per service (their variables would clash; reach",
    "  another through `{ ref: postgres-<name>.DATABASE_URL }` under another variable name).",
    "- `ref` names a service of the stack; service names are unique (case-insensitive) and not `postgres`,",
    "  `redis`, `nats` or a named instance's `<kind>-<name>`; a custom domain belongs to one service.",
    "- Named instances (`postgres: { main: {...}, analytics: {...} }`) are lowercase DNS labels and not a",
    "  setting's key; settings and instances are not mixed under one key. Tier defaults (production:",
    "  `backups: [DAILY]`) apply to each instance; each has its own service, volume and credentials.",
    "- `redis.maxMemory` stays below `redis.limits.memory`; `nats.jetStream.maxStorage` fits in",
    "  `nats.volumeSize` (per instance); JetStream stream names are unique and their subjects do not",
    "  overlap.",
    "- A stack named `dev`, `preview`, `production` or `local` has that tier; `pr-<n>` stacks are `preview`.",
    "",
    "## PR stacks",
    "",
    "A `pr-<n>` stack holds a copy of the preview stack's object (`pulumi stack init pr-<n> --copy-config-from",
    "preview`) and `railway-stacks:prBranch`. The loader then derives: project `<preview name>-pr-<n>`, every",
    `repo-sourced service on the PR branch, 1 replica and no \`regions\`, limits capped at ${PR_LIMIT_CAPS.cpu} vCPU and`,
    `${PR_LIMIT_CAPS.memoryMB}MB per replica, no custom domains, no Postgres backups; the tier stays \`preview\`.`,
    "",
  ];
  return lines.join("\n");
}

function main(argv: string[]): number {
  const rendered = renderConfigReference();
  const relative = path.relative(process.cwd(), REFERENCE_PATH);
  if (argv.includes("--check")) {
    const current = fs.existsSync(REFERENCE_PATH) ? fs.readFileSync(REFERENCE_PATH, "utf8") : "";
    if (current === rendered) return 0;
    process.stderr.write(
      `${relative} is stale: the config schema changed. Fix: run ${GENERATE_COMMAND}\n`,
    );
    return 1;
  }
  fs.writeFileSync(REFERENCE_PATH, rendered);
  process.stdout.write(`wrote ${relative}\n`);
  return 0;
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2));
}
