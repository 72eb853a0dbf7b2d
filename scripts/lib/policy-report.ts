/**
 * The policy-check report: one row per rule of the pack (level, result), the violation messages,
 * and the verdict. Pure functions over {@link PreviewAnalysis}; `scripts/policy-check.ts` prints
 * them.
 */
import type { PolicyViolation, PreviewAnalysis } from "./policy-events";

/** A policy of the pack as declared (`policies/rules`). */
export interface PackPolicy {
  name: string;
  enforcementLevel: string;
  description?: string;
}

/** `--policy-pack-config` contents: `{ all?: level | {enforcementLevel}, <rule>?: level | {...} }`. */
export type PackConfig = Record<string, unknown>;

export type RuleStatus = "pass" | "violations" | "not-applicable" | "disabled";

export interface RuleRow {
  rule: string;
  /**
   * Level of the rule's violations (mandatory if any is); without violations, its configured level
   * ("-" when it did not apply to the stack).
   */
  level: string;
  status: RuleStatus;
  violations: PolicyViolation[];
}

export interface Verdict {
  /** 0 no mandatory violation, 1 mandatory violations, 3 the preview failed without any. */
  exitCode: 0 | 1 | 3;
  line: string;
}

function levelIn(entry: unknown): string | undefined {
  if (typeof entry === "string") return entry;
  if (typeof entry === "object" && entry !== null) {
    const level = (entry as Record<string, unknown>)["enforcementLevel"];
    if (typeof level === "string") return level;
  }
  return undefined;
}

/** The level a rule runs at: its entry in the pack config, else `all`, else its declared level. */
export function configuredLevel(
  rule: string,
  declared: string | undefined,
  config: PackConfig,
): string {
  return levelIn(config[rule]) ?? levelIn(config["all"]) ?? declared ?? "mandatory";
}

const plural = (count: number, word: string): string => `${count} ${word}${count === 1 ? "" : "s"}`;

/**
 * One row per rule, sorted by name: every policy of the pack, plus any rule the CLI reported that
 * the pack listing missed.
 */
export function ruleRows(
  pack: readonly PackPolicy[],
  analysis: PreviewAnalysis,
  config: PackConfig = {},
): RuleRow[] {
  const declared = new Map(pack.map((policy) => [policy.name, policy.enforcementLevel]));
  const names = new Set<string>([
    ...declared.keys(),
    ...analysis.passed,
    ...analysis.failed,
    ...analysis.violations.map((violation) => violation.rule),
  ]);
  return [...names].sort().map((rule): RuleRow => {
    const violations = analysis.violations
      .filter((violation) => violation.rule === rule)
      .sort(
        (a, b) =>
          (a.resource ?? "").localeCompare(b.resource ?? "") || a.message.localeCompare(b.message),
      );
    const level = configuredLevel(rule, declared.get(rule), config);
    if (violations.length > 0) {
      const mandatory = violations.some((violation) => violation.level === "mandatory");
      return {
        rule,
        level: mandatory ? "mandatory" : violations[0]!.level,
        status: "violations",
        violations,
      };
    }
    if (level === "disabled") return { rule, level, status: "disabled", violations };
    if (!analysis.passed.has(rule))
      return { rule, level: "-", status: "not-applicable", violations };
    return { rule, level, status: "pass", violations };
  });
}

export function resultText(row: RuleRow): string {
  switch (row.status) {
    case "violations":
      return plural(row.violations.length, "violation");
    case "pass":
      return "pass";
    case "disabled":
      return "disabled";
    case "not-applicable":
      return "n/a";
  }
}

/** The table: RULE, LEVEL, RESULT columns, a dashed rule under the header, one line per rule. */
export function formatTable(rows: readonly RuleRow[]): string {
  const cells = rows.map((row) => [row.rule, row.level, resultText(row)]);
  const header = ["RULE", "LEVEL", "RESULT"];
  const widths = header.map((title, i) =>
    Math.max(title.length, ...cells.map((cell) => cell[i]!.length)),
  );
  const line = (cell: string[]) =>
    cell
      .map((text, i) => (i === cell.length - 1 ? text : text.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd();
  return (
    [line(header), line(widths.map((width) => "-".repeat(width))), ...cells.map(line)].join("\n") +
    "\n"
  );
}

/** A violation's own message: the engine prefixes it with the policy's description line. */
export function violationMessage(violation: PolicyViolation, description?: string): string {
  const message = violation.message;
  if (description && message.startsWith(`${description}\n`))
    return message.slice(description.length + 1);
  const newline = message.indexOf("\n");
  return description === undefined && newline >= 0 ? message.slice(newline + 1) : message;
}

/** The violation messages, grouped by rule in table order. */
export function formatViolations(
  rows: readonly RuleRow[],
  pack: readonly PackPolicy[] = [],
): string {
  const descriptions = new Map(pack.map((policy) => [policy.name, policy.description]));
  const out: string[] = [];
  for (const row of rows) {
    if (row.violations.length === 0) continue;
    out.push(`${row.rule} (${row.level}, ${plural(row.violations.length, "violation")}):`);
    for (const violation of row.violations) {
      const where = violation.resource ?? "stack";
      const level = violation.level === row.level ? "" : ` [${violation.level}]`;
      const text = violationMessage(violation, descriptions.get(row.rule)).split("\n");
      out.push(`  - ${where}${level}: ${text[0]}`, ...text.slice(1).map((more) => `    ${more}`));
    }
  }
  return out.length === 0 ? "" : out.join("\n") + "\n";
}

/** The verdict line and exit code. */
export function verdict(
  stack: string,
  rows: readonly RuleRow[],
  analysis: PreviewAnalysis,
): Verdict {
  const all = rows.flatMap((row) => row.violations);
  const mandatory = all.filter((violation) => violation.level === "mandatory");
  const advisory = all.length - mandatory.length;
  if (mandatory.length > 0) {
    const rules = new Set(mandatory.map((violation) => violation.rule)).size;
    const extra = advisory > 0 ? ` (and ${plural(advisory, "advisory violation")})` : "";
    return {
      exitCode: 1,
      line: `BLOCKED: ${plural(mandatory.length, "mandatory violation")} of ${plural(rules, "rule")} in stack ${stack}${extra}.`,
    };
  }
  if (analysis.result !== "succeeded") {
    return {
      exitCode: 3,
      line: `ERROR: the preview of stack ${stack} failed before the policies could judge it (see the errors above).`,
    };
  }
  const extra = advisory > 0 ? ` (${plural(advisory, "advisory violation")})` : "";
  return { exitCode: 0, line: `PASSED: no mandatory violations in stack ${stack}${extra}.` };
}
