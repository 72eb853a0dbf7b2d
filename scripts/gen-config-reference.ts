/**
 * Generates docs/config-reference.md from the JSON Schema of the zod schema in
 * infra/config/schema.ts (`z.toJSONSchema`, read through infra/config/json-schema.ts: field
 * descriptions, types, bounds, defaults and the `.meta()` keys) and the tier defaults in
 * infra/config/tiers.ts.
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
import {
  type JsonSchema,
  type SchemaDocument,
  asSchema,
  docOfNode,
  schemaDocument,
} from "../infra/config/json-schema";
import { RAILWAY_REGIONS } from "../infra/domain/rules";
import { PR_LIMIT_CAPS } from "../infra/config/pr";
import { StackConfigSchema } from "../infra/config/schema";
import { TIERS, TIER_DEFAULTS } from "../infra/config/tiers";
import { processStreams, type Streams } from "./lib/streams";

export const REFERENCE_PATH = path.join(__dirname, "..", "docs", "config-reference.md");
const GENERATE_COMMAND = "node -r ts-node/register/transpile-only scripts/gen-config-reference.ts";

/** Title of the root object's section. */
const ROOT = `${PROJECT_NAME}:app`;

/** A table of keys: an object schema's definition (see `SchemaDocument.definition`). */
interface Section {
  title: string;
  node: JsonSchema;
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

/** The schema of a list's items (not of a tuple's). */
const itemsOf = (node: JsonSchema): JsonSchema | undefined =>
  Array.isArray(node.items) ? undefined : asSchema(node.items);

function anchor(title: string): string {
  return title
    .toLowerCase()
    .replace(/[^a-z0-9 _-]/g, "")
    .replace(/ /g, "-");
}

/** Renders the schema's JSON Schema; one instance per document. */
class Reference {
  /** Section title of each object definition, for links to it. */
  private readonly links = new Map<JsonSchema, string>();
  private readonly sections: Section[] = [];

  constructor(private readonly doc: SchemaDocument) {
    this.visit(doc.root, ROOT);
  }

  /** An object with named keys (a zod object); a record has only `additionalProperties`. */
  private isMapping(node: JsonSchema): boolean {
    const merged = this.doc.merged(node);
    return merged.type === "object" && merged.properties !== undefined;
  }

  /** The schema of a record's values (a mapping of names the schema does not list). */
  private recordValues(field: JsonSchema): JsonSchema | undefined {
    const node = this.doc.merged(field);
    return node.type === "object" && node.properties === undefined
      ? asSchema(node.additionalProperties)
      : undefined;
  }

  /** The object definition a field leads to (directly, or as list items), if any. */
  private nestedObject(field: JsonSchema): { node: JsonSchema; suffix: string } | undefined {
    const node = this.doc.merged(field);
    if (this.isMapping(node)) return { node: this.doc.definition(field), suffix: "" };
    // A data-service key: one instance's settings, or named instances with the same settings.
    if (node.anyOf && docOfNode(node).dataService !== undefined) {
      const settings = node.anyOf.find((option) => this.isMapping(option));
      if (settings) return { node: this.doc.definition(settings), suffix: "" };
    }
    const items = node.type === "array" ? itemsOf(node) : undefined;
    if (items && this.isMapping(items)) return { node: this.doc.definition(items), suffix: "[]" };
    return undefined;
  }

  /** Collects the object sections in document order, naming each by its YAML path. */
  private visit(node: JsonSchema, title: string): void {
    if (this.links.has(node)) return;
    this.links.set(node, title);
    this.sections.push({ title, node });
    for (const [key, property] of Object.entries(node.properties ?? {})) {
      const field = asSchema(property);
      if (!field) continue;
      const child = this.nestedObject(field);
      const base = title === ROOT ? key : `${title}.${key}`;
      if (child) this.visit(child.node, key === "limits" ? "limits" : `${base}${child.suffix}`);
      const values = this.recordValues(field);
      if (values) {
        // A record: its values' object, or the object options of a union of values.
        const placeholder = key === "services" ? "<name>" : "<NAME>";
        const options = [values, ...(this.doc.merged(values).anyOf ?? [])];
        for (const option of options.filter((o) => this.isMapping(o)))
          this.visit(this.doc.definition(option), `${base}.${placeholder}`);
      }
    }
  }

  private numberType(node: JsonSchema): string {
    const integer = node.type === "integer";
    // `int()` bounds a number to the safe integers; only a field's own bounds are documented.
    const own = (bound: unknown): bound is number =>
      typeof bound === "number" && !(integer && Math.abs(bound) === Number.MAX_SAFE_INTEGER);
    const bounds: string[] = [];
    if (own(node.exclusiveMinimum)) bounds.push(`> ${node.exclusiveMinimum}`);
    else if (own(node.minimum)) bounds.push(`≥ ${node.minimum}`);
    if (own(node.exclusiveMaximum)) bounds.push(`< ${node.exclusiveMaximum}`);
    else if (own(node.maximum)) bounds.push(`≤ ${node.maximum}`);
    const name = integer ? "integer" : "number";
    return bounds.length > 0 ? `${name} ${bounds.join(", ")}` : name;
  }

  private typeName(field: JsonSchema): string {
    const node = this.doc.merged(field);
    if (node.anyOf) {
      const settings = this.nestedObject(field);
      if (docOfNode(node).dataService !== undefined && settings) {
        const one = this.typeName(settings.node);
        return `${one} | map: name → ${one}`;
      }
      return node.anyOf.map((option) => this.typeName(option)).join(" | ");
    }
    if (node.enum) return node.enum.map(String).join(" | ");
    if (node.const !== undefined) return String(node.const);
    // A union of plain types comes as one node with a list of types.
    if (Array.isArray(node.type)) return node.type.join(" | ");
    switch (node.type) {
      case "string":
      case "boolean":
        return node.type;
      case "number":
      case "integer":
        return this.numberType(node);
      case "array": {
        const items = itemsOf(node);
        return `list of ${items ? this.typeName(items) : "values"}`;
      }
      case "object": {
        const values = this.recordValues(field);
        if (values) return `map: name → ${this.typeName(values)}`;
        const title = this.links.get(this.doc.definition(field));
        return title ? `mapping ([${code(title)}](#${anchor(title)}))` : "mapping";
      }
      default:
        return node.type ?? "any";
    }
  }

  private defaultCell(field: JsonSchema, required: boolean): string {
    const node = this.doc.merged(field);
    const doc = docOfNode(node);
    if (doc.defaultText !== undefined) return doc.defaultText;
    if ("default" in node) {
      const value = node.default;
      if (Array.isArray(value)) return value.length === 0 ? "`[]`" : code(`[${value.join(", ")}]`);
      if (typeof value === "object" && value !== null)
        return Object.keys(value).length === 0 ? "(defaults below)" : code(JSON.stringify(value));
      return code(String(value));
    }
    return required ? "**required**" : "—";
  }

  private renderSection(section: Section): string[] {
    const lines = [`### ${code(section.title)}`, ""];
    // The object's own description: a key's description is in its parent's table.
    const description = docOfNode(section.node).description;
    if (description) lines.push(description, "");
    const required = new Set(section.node.required ?? []);
    const rows = Object.entries(section.node.properties ?? {}).flatMap(([key, property]) => {
      const field = asSchema(property);
      if (!field) return [];
      return [
        [
          code(key),
          cell(this.typeName(field)),
          cell(this.defaultCell(field, required.has(key))),
          cell(docOfNode(this.doc.merged(field)).description ?? ""),
        ],
      ];
    });
    lines.push(...table(["Key", "Type", "Default", "Description"], rows), "");
    return lines;
  }

  /** The "Keys" part: one section per object, in document order. */
  render(): string[] {
    return this.sections.flatMap((section) => this.renderSection(section));
  }
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
    ...new Reference(schemaDocument(StackConfigSchema)).render(),
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

/**
 * Writes the reference to `file`, or with `--check` only compares: 1 (and a line on stderr) when
 * the file differs from what the schema gives.
 */
export function main(
  argv: readonly string[],
  file: string = REFERENCE_PATH,
  streams: Streams = processStreams,
): number {
  const rendered = renderConfigReference();
  const relative = path.relative(process.cwd(), file);
  if (argv.includes("--check")) {
    const current = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "";
    if (current === rendered) return 0;
    streams.stderr(
      `${relative} is stale: the config schema changed. Fix: run ${GENERATE_COMMAND}\n`,
    );
    return 1;
  }
  fs.writeFileSync(file, rendered);
  streams.stdout(`wrote ${relative}\n`);
  return 0;
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2));
}
