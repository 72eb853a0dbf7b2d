/**
 * `npm run cost` (scripts/cost.ts) in process: the shipped production config as a table and as
 * JSON, every stack with PR previews and the total, the change against a base config, and the
 * command-line and config errors. Amounts are worked out by hand in tests/unit/cost.test.ts.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseDocument } from "yaml";

import { COST_USAGE, REPO_ROOT, main } from "../../scripts/cost";

async function cost(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const code = await main(
    argv,
    { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text) },
    { INIT_CWD: REPO_ROOT },
  );
  return { code, stdout, stderr };
}

const RATES_LINE =
  "Railway rates read 2026-12-03 from https://docs.railway.com/reference/pricing/plans (Resource Usage Pricing): vCPU $20.00/month, memory $10.00/GB-month, volumes $0.15/GB-month. Not included: network egress ($0.05/GB) and the plan's subscription.";

describe("npm run cost", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "railway-cost-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("prints production's table with its budget", async () => {
    const result = await cost("production");
    expect(result).toEqual({
      code: 0,
      stderr: "",
      stdout: [
        "Stack production (tier production): $223.30–$883.30 per month, $7.44–$29.44 per day",
        "service   replicas  vCPU  memory  volume  use  lower/month  upper/month",
        "postgres         1     2    4 GB   20 GB  25%       $23.00       $83.00",
        "redis            1     1    1 GB    1 GB  25%        $7.65       $30.15",
        "nats             1     1    1 GB    1 GB  25%        $7.65       $30.15",
        "broker           3     2    2 GB       -  25%       $45.00      $180.00",
        "backend          3     2    2 GB       -  25%       $45.00      $180.00",
        "ml               2     4    8 GB       -  25%       $80.00      $320.00",
        "frontend         2     1    1 GB       -  25%       $15.00       $60.00",
        "total                                              $223.30      $883.30",
        "Budget $1,000.00 per month: the upper bound is within it ($116.70 left)",
        "",
        RATES_LINE,
        "",
      ].join("\n"),
    });
  });

  it("prints JSON with --json", async () => {
    const result = await cost("production", "--json");
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout);
    expect(json.stacks).toHaveLength(1);
    expect(json.stacks[0]).toMatchObject({
      stack: "production",
      tier: "production",
      monthly: { lower: 223.3, upper: 883.3 },
      perDay: { lower: 7.44, upper: 29.44 },
      budgetMonthlyUsd: 1000,
      overBudget: false,
    });
    expect(json.stacks[0].services[4]).toEqual({
      name: "backend",
      kind: "app",
      replicas: 3,
      cpu: 2,
      memoryGB: 2,
      unlimited: false,
      utilization: 0.25,
      volumeGB: 0,
      monthly: { lower: 45, upper: 180 },
    });
  });

  it("shows the change against a base config: one more backend replica is +$15 / +$60", async () => {
    const base = join(dir, "base.yaml");
    const doc = parseDocument(readFileSync(join(REPO_ROOT, "Pulumi.production.yaml"), "utf8"));
    doc.setIn(["config", "railway-stacks:app", "services", "backend", "replicas"], 2);
    writeFileSync(base, String(doc));
    const result = await cost("production", "--base", base);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      "Change against the base config of production ($208.30–$823.30): lower +$15.00, upper +$60.00 per month\n",
    );
    const json = JSON.parse((await cost("production", "--base", base, "--json")).stdout);
    expect(json.base).toEqual({
      stack: "production",
      monthly: { lower: 208.3, upper: 823.3 },
      delta: { lower: 15, upper: 60 },
    });
  });

  it("prices every stack, each PR preview per day, and their total", async () => {
    const json = JSON.parse((await cost("--json")).stdout);
    expect(json.stacks.map((s: { stack: string }) => s.stack)).toEqual([
      "dev",
      "preview",
      "production",
    ]);
    const sum = (key: "lower" | "upper") =>
      Math.round(
        json.stacks.reduce(
          (total: number, s: { monthly: Record<string, number> }) => total + s.monthly[key]!,
          0,
        ) * 100,
      ) / 100;
    expect(json.total).toEqual({ lower: sum("lower"), upper: sum("upper") });
    expect(json.prPreviewPerDay).toEqual(
      JSON.parse((await cost("pr-1", "--json")).stdout).stacks[0].perDay,
    );
  });

  it("flags a stack over its budget", async () => {
    const file = join(dir, "over.yaml");
    const doc = parseDocument(readFileSync(join(REPO_ROOT, "Pulumi.production.yaml"), "utf8"));
    doc.setIn(["config", "railway-stacks:app", "budget", "monthlyUsd"], 800);
    writeFileSync(file, String(doc));
    const result = await cost("production", "--config", file);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      "Budget $800.00 per month: the upper bound is $83.30 OVER it\n",
    );
  });

  it("reports an invalid config with the loader's lines (exit 1)", async () => {
    const file = join(dir, "bad.yaml");
    const doc = parseDocument(readFileSync(join(REPO_ROOT, "Pulumi.production.yaml"), "utf8"));
    doc.setIn(["config", "railway-stacks:app", "services", "ml", "expectedUtilization"], 2);
    writeFileSync(file, String(doc));
    expect(await cost("production", "--config", file)).toEqual({
      code: 1,
      stdout: "",
      stderr: `cost: error: ${file} is not a valid stack config:\nrailway-stacks:app.services.ml.expectedUtilization: (2) must be at most 1. Fix: use a value of 1 or less\n`,
    });
  });

  it("rejects a bad command line (exit 2)", async () => {
    expect(await cost("production", "dev", "--base", "x.yaml")).toEqual({
      code: 2,
      stdout: "",
      stderr: `cost: error: --base prices one stack: name exactly one, e.g. npm run cost -- production --base <file>\n\n${COST_USAGE}\n`,
    });
    expect((await cost("--nope")).stderr).toBe(
      `cost: error: unknown option "--nope"\n\n${COST_USAGE}\n`,
    );
    expect((await cost("../etc")).code).toBe(2);
  });
});
