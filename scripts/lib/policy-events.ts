/**
 * Reading policy results from `pulumi preview --json`.
 *
 * Pulumi 3.259's `preview --json` digest (`config`, `steps`, `diagnostics`, `changeSummary`) leaves
 * policy events out (pkg/backend/display/json.go: "we don't handle policy events in JSON
 * serialization"), so a failed policy run shows only `"error: preview failed"` there. With
 * `PULUMI_ENABLE_STREAMING_JSON_PREVIEW=true` (named in `pulumi preview --help`) the same command
 * prints the engine events instead, one JSON object per line (apitype.EngineEvent), and those do
 * carry them:
 *
 * - `policyEvent` per violation: policyName, enforcementLevel, resourceUrn, message (the policy's
 *   description, a newline, then the violation message), severity;
 * - `policyAnalyzeSummaryEvent` per resource and `policyAnalyzeStackSummaryEvent` once: the names of
 *   the policies that `passed` / `failed` (not-applicable ones are in neither list);
 * - `diagnosticEvent` (severity debug/info/warning/error), `summaryEvent` (result, resourceChanges).
 */

export interface PolicyViolation {
  rule: string;
  /** "mandatory" or "advisory" (the level the violation was reported at). */
  level: string;
  severity?: string;
  urn?: string;
  /** Logical name of the resource (last URN segment); undefined for stack-level violations. */
  resource?: string;
  /** Resource type token, e.g. `pulumi-nodejs:dynamic/railway:ServiceInstance`. */
  type?: string;
  /** The message as the engine reports it (description line first). */
  message: string;
}

export interface PreviewAnalysis {
  /** True when the output contained engine events at all (streaming JSON). */
  streamed: boolean;
  /** True when the policy pack was loaded (a `policyLoadEvent`). */
  policiesLoaded: boolean;
  violations: PolicyViolation[];
  /** Policies that judged at least one resource (or the stack) without a violation. */
  passed: Set<string>;
  /** Policies with at least one violation. */
  failed: Set<string>;
  /** Error diagnostics (the program's own failures), without the engine's bare "preview failed". */
  errors: string[];
  warnings: string[];
  /** `summaryEvent.result`: "succeeded" or "failed" (undefined if the CLI stopped before). */
  result?: string;
  resourceChanges: Record<string, number>;
}

/** The engine's generic line after a failed preview; it says nothing on its own. */
const GENERIC_FAILURE = /^(error: )?preview failed\s*$/;

/** `urn:pulumi:<stack>::<project>::<type path>::<name>` → its type (last of the path) and name. */
export function splitUrn(urn: string): { type?: string; name?: string } {
  const parts = urn.split("::");
  if (parts.length < 4) return {};
  const typePath = parts[2]!.split("$");
  return { type: typePath[typePath.length - 1], name: parts.slice(3).join("::") };
}

/** Older engines and the comment in apitype call the advisory level "warning". */
export function normalizeLevel(level: unknown): string {
  const text = typeof level === "string" ? level : "";
  return text === "warning" ? "advisory" : text || "advisory";
}

type Json = Record<string, unknown>;
const obj = (value: unknown): Json =>
  typeof value === "object" && value !== null ? (value as Json) : {};
const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];

function emptyAnalysis(): PreviewAnalysis {
  return {
    streamed: false,
    policiesLoaded: false,
    violations: [],
    passed: new Set(),
    failed: new Set(),
    errors: [],
    warnings: [],
    resourceChanges: {},
  };
}

function diagnostic(analysis: PreviewAnalysis, severity: unknown, message: unknown): void {
  const text = String(message ?? "").replace(/\s+$/, "");
  if (text === "" || GENERIC_FAILURE.test(text)) return;
  if (severity === "error") analysis.errors.push(text.replace(/^error: /, ""));
  else if (severity === "warning") analysis.warnings.push(text.replace(/^warning: /, ""));
}

function applyEvent(analysis: PreviewAnalysis, event: Json): void {
  if (event["policyLoadEvent"] !== undefined) analysis.policiesLoaded = true;
  const violation = obj(event["policyEvent"]);
  if (typeof violation["policyName"] === "string") {
    analysis.policiesLoaded = true;
    const urn = typeof violation["resourceUrn"] === "string" ? violation["resourceUrn"] : undefined;
    const { type, name } = urn ? splitUrn(urn) : {};
    analysis.violations.push({
      rule: violation["policyName"],
      level: normalizeLevel(violation["enforcementLevel"]),
      severity: typeof violation["severity"] === "string" ? violation["severity"] : undefined,
      urn,
      resource: name,
      type,
      message: String(violation["message"] ?? "").replace(/\s+$/, ""),
    });
  }
  for (const key of ["policyAnalyzeSummaryEvent", "policyAnalyzeStackSummaryEvent"]) {
    const summary = obj(event[key]);
    for (const name of strings(summary["passed"])) analysis.passed.add(name);
    for (const name of strings(summary["failed"])) analysis.failed.add(name);
  }
  const diag = obj(event["diagnosticEvent"]);
  if (diag["message"] !== undefined) diagnostic(analysis, diag["severity"], diag["message"]);
  const summary = obj(event["summaryEvent"]);
  if (typeof summary["result"] === "string") analysis.result = summary["result"];
  const changes = obj(summary["resourceChanges"]);
  for (const [op, count] of Object.entries(changes)) {
    if (typeof count === "number") analysis.resourceChanges[op] = count;
  }
}

/**
 * Parses the stdout of `pulumi preview --json`: engine events one per line (streaming), or the
 * non-streaming digest (then only its diagnostics and change summary are known).
 */
export function parsePreviewOutput(stdout: string): PreviewAnalysis {
  const analysis = emptyAnalysis();
  const trimmed = stdout.trim();
  if (trimmed === "") return analysis;

  const lines = trimmed.split("\n");
  const events: Json[] = [];
  for (const line of lines) {
    const text = line.trim();
    if (!text.startsWith("{")) continue;
    try {
      const event = obj(JSON.parse(text));
      if (typeof event["sequence"] === "number") events.push(event);
    } catch {
      // Not one event per line: the digest below.
    }
  }
  if (events.length > 0) {
    analysis.streamed = true;
    for (const event of events.sort((a, b) => Number(a["sequence"]) - Number(b["sequence"]))) {
      applyEvent(analysis, event);
    }
    return analysis;
  }

  let digest: Json;
  try {
    digest = obj(JSON.parse(trimmed));
  } catch {
    return analysis;
  }
  for (const item of Array.isArray(digest["diagnostics"]) ? digest["diagnostics"] : []) {
    const d = obj(item);
    diagnostic(analysis, d["severity"], d["message"]);
  }
  for (const [op, count] of Object.entries(obj(digest["changeSummary"]))) {
    if (typeof count === "number") analysis.resourceChanges[op] = count;
  }
  return analysis;
}
