/**
 * The policy pack through the real Pulumi CLI: `pulumi preview -s production --policy-pack
 * policies --policy-pack-config policies/config/stacks.json` passes the shipped production config,
 * and blocks an insecure copy naming every rule it breaks. Insecure values the config schema
 * already rejects (`redis:latest`, a plain `API_TOKEN`) stop the program before the pack sees any
 * resource. `npm run policy:check` tabulates the same results.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type Document, parseDocument } from "yaml";

import { REPO_ROOT } from "../helpers/program";
import {
  type CommandResult,
  type Workspace,
  createWorkspace,
  describeE2E,
  emulatorCounts,
  expectSuccess,
  run,
  initStacks,
} from "../helpers/pulumi-cli";

jest.setTimeout(600_000);

const PACK = join(REPO_ROOT, "policies");
const PACK_CONFIG = join(PACK, "config", "stacks.json");
const POLICY_ARGS = ["--policy-pack", PACK, "--policy-pack-config", PACK_CONFIG];
const APP = ["config", "railway-stacks:app"];

/**
 * Production made insecure in every way the config schema lets through; the pack must block each.
 * (Rules that no stack file can break — data-service auth, volumes, generated password lengths,
 * stack isolation, PR domains — are covered by tests/policies.)
 */
function makeInsecure(doc: Document): Document {
  doc.setIn(
    [...APP, "app"],
    doc.createNode({
      debug: true,
      rateLimit: { rpm: 1000 },
      corsOrigins: ["*"],
      securityMiddleware: false,
      logFormat: "pretty",
    }),
  );
  doc.setIn([...APP, "postgres", "publicProxy"], true);
  doc.setIn([...APP, "postgres", "backups"], doc.createNode(["WEEKLY"]));
  // No floating image here: the config schema rejects every floating tag (infra/domain/rules.ts),
  // so the pinned-image policy guards only programs that use the library directly.
  doc.setIn([...APP, "services", "backend", "replicas"], 1);
  doc.setIn([...APP, "services", "backend", "sleep"], true);
  doc.setIn([...APP, "services", "backend", "source", "branch"], "develop");
  doc.setIn([...APP, "services", "backend", "restartPolicy"], doc.createNode({ type: "NEVER" }));
  doc.deleteIn([...APP, "services", "ml", "limits"]);
  doc.deleteIn([...APP, "services", "frontend", "healthcheck"]);
  return doc;
}

/** Insecure values the config schema itself rejects, before any resource is declared. */
function makeSchemaInvalid(doc: Document): Document {
  makeInsecure(doc);
  doc.setIn([...APP, "redis", "image"], "redis:latest");
  doc.setIn([...APP, "services", "backend", "variables", "API_TOKEN"], "hunter2");
  return doc;
}

/** Violations per rule the insecure config must produce (all mandatory: it is production). */
const INSECURE_VIOLATIONS: Record<string, number> = {
  "railway-app-disallow-debug-mode": 4,
  "railway-app-disallow-wildcard-cors": 4,
  "railway-app-enable-security-middleware": 4,
  "railway-app-require-json-logs": 4,
  "railway-app-require-rate-limit": 4,
  "railway-datastore-disallow-public-networking": 1,
  "railway-postgres-require-volume-backups": 1,
  "railway-service-configure-restart-policy": 1,
  "railway-service-disallow-sleep": 1,
  "railway-service-require-healthcheck": 1,
  "railway-service-require-protected-branch": 1,
  "railway-service-require-replicas": 1,
  "railway-service-require-resource-limits": 2,
  // ml without limits is priced at the plan's ceiling: 2 × (32 × $20 + 32 × $10), over $1,000.
  "railway-stack-disallow-over-budget": 1,
};
const INSECURE_RULES = Object.keys(INSECURE_VIOLATIONS).sort();
/** Rules that do not apply to a production stack. */
const NOT_APPLICABLE = [
  "railway-service-disallow-pr-custom-domains",
  "railway-stack-disallow-production-targets",
];

/** `- [mandatory] [severity: high]  <rule>  (<type>: <name>)` lines of `pulumi preview`'s Policies section. */
function violationLines(output: string): { level: string; rule: string }[] {
  return [...output.matchAll(/^\s+- \[(\w+)\] (?:\[severity: \w+\]\s+)?(\S+)\s+\(/gm)].map((m) => ({
    level: m[1]!,
    rule: m[2]!,
  }));
}

/** The rows of policy:check's table: rule → [level, result]. */
function tableRows(stdout: string): Record<string, [string, string]> {
  const lines = stdout.split("\n");
  const start = lines.findIndex((line) => line.startsWith("RULE "));
  expect(start).toBeGreaterThanOrEqual(0);
  const rows: Record<string, [string, string]> = {};
  for (const line of lines.slice(start + 2)) {
    if (line.trim() === "") break;
    const [rule, level, ...result] = line.trim().split(/\s+/);
    rows[rule!] = [level!, result.join(" ")];
  }
  return rows;
}

describeE2E("policy pack over production (real Pulumi CLI, emulator)", () => {
  let workspace: Workspace;
  let shippedFile: string;

  const preview = () => workspace.pulumi(["preview", "-s", "production", ...POLICY_ARGS]);
  const rewrite = (change: (doc: Document) => Document) => {
    // Changes the workspace's stack file, keeping its encryption salt and secret.
    workspace.stackFile("production", String(change(parseDocument(shippedFile))));
  };
  const policyCheck = (args: string[], env: NodeJS.ProcessEnv): Promise<CommandResult> =>
    run(
      "node",
      [
        "-r",
        "ts-node/register/transpile-only",
        join(REPO_ROOT, "scripts", "policy-check.ts"),
        ...args,
      ],
      {
        cwd: REPO_ROOT,
        env,
      },
    );

  beforeAll(async () => {
    workspace = await createWorkspace();
    await initStacks(workspace, ["production"]);
    shippedFile = readFileSync(join(workspace.dir, "Pulumi.production.yaml"), "utf8");
  });
  afterAll(() => workspace?.close());

  it("passes the shipped production config", async () => {
    const result = expectSuccess(await preview());
    expect(result.output).toContain("✅ railway-stacks@v0.1.0");
    expect(violationLines(result.output)).toEqual([]);
  });

  it("blocks an insecure copy, naming every rule it breaks, before anything reaches Railway", async () => {
    rewrite(makeInsecure);
    const result = await preview();
    expect(result.code).not.toBe(0);
    expect(result.output).toContain("❌ railway-stacks@v0.1.0");
    const lines = violationLines(result.output);
    expect([...new Set(lines.map((line) => line.rule))].sort()).toEqual(INSECURE_RULES);
    expect(lines.length).toBe(Object.values(INSECURE_VIOLATIONS).reduce((a, b) => a + b, 0));
    expect(lines.every((line) => line.level === "mandatory")).toBe(true);
    expect(emulatorCounts(workspace.emulator).projects).toBe(0);
  });

  it("leaves to the config schema what it rejects itself: the pack never sees those resources", async () => {
    rewrite(makeSchemaInvalid);
    const result = await preview();
    expect(result.code).not.toBe(0);
    expect(result.output).toContain(
      'error: railway-stacks:app.redis.image: "redis:latest" uses the floating tag "latest"; images must be pinned to a version tag or a digest. Fix: pin a version, e.g. "redis:<version>", or a digest "redis@sha256:<digest>"',
    );
    expect(result.output).toContain(
      "railway-stacks:app.services.backend.variables.API_TOKEN: looks like a secret but is a plain value in the stack file. Fix: replace it with { secret: apiToken }",
    );
    expect(violationLines(result.output)).toEqual([]);
    expect(result.output).not.toContain("❌");
  });

  it("policy:check tabulates a pass for the shipped config (in-process emulator, dummy secret)", async () => {
    const env = { ...workspace.env };
    delete env.RAILWAY_API_TOKEN;
    delete env.RAILWAY_GRAPHQL_ENDPOINT;
    const result = await policyCheck(["production"], env);
    expect(result.code).toBe(0);
    const rows = tableRows(result.stdout);
    const byResult = (wanted: string) =>
      Object.keys(rows)
        .filter((rule) => rows[rule]![1] === wanted)
        .sort();
    expect(byResult("n/a")).toEqual(NOT_APPLICABLE);
    expect(Object.keys(rows).length).toBe(23);
    for (const rule of byResult("pass")) expect(rows[rule]).toEqual(["mandatory", "pass"]);
    expect(byResult("pass").length + NOT_APPLICABLE.length).toBe(Object.keys(rows).length);
    expect(result.stdout).toContain(
      "  Railway API:  a Railway emulator started in-process (RAILWAY_API_TOKEN is not set); 0 API calls\n",
    );
    expect(result.stdout).toContain(
      "  Secrets:      railway-stacks:openaiApiKey (needed by services.backend.variables.OPENAI_API_KEY, services.ml.variables.OPENAI_API_KEY) is not set: a dummy secret stands in for it\n",
    );
    expect(result.stdout.trimEnd().split("\n").pop()).toBe(
      "PASSED: no mandatory violations in stack production.",
    );
  });

  it("policy:check blocks the insecure copy with every violated rule in its table", async () => {
    const file = join(workspace.dir, "insecure-production.yaml");
    writeFileSync(
      file,
      String(
        makeInsecure(
          parseDocument(readFileSync(join(REPO_ROOT, "Pulumi.production.yaml"), "utf8")),
        ),
      ),
    );
    const result = await policyCheck(["production", "--config", file], workspace.env);
    expect(result.code).toBe(1);
    const rows = tableRows(result.stdout);
    const violated = Object.fromEntries(
      Object.entries(rows).filter(([, [, outcome]]) => outcome.includes("violation")),
    );
    expect(violated).toEqual(
      Object.fromEntries(
        Object.entries(INSECURE_VIOLATIONS).map(([rule, n]) => [
          rule,
          ["mandatory", `${n} violation${n === 1 ? "" : "s"}`],
        ]),
      ),
    );
    expect(result.stdout).toContain(
      '  - railway-backend-instance: Production service "backend" must not sleep when idle (sleepApplication is true). Fix: set `railway-stacks:app.services.backend.sleep` to false in Pulumi.production.yaml.\n',
    );
    expect(result.stdout).toContain(
      "  Railway API:  " + workspace.emulator.url + " (RAILWAY_API_TOKEN is set)\n",
    );
    expect(result.stdout.trimEnd().split("\n").pop()).toBe(
      "BLOCKED: 30 mandatory violations of 14 rules in stack production.",
    );
    expect(emulatorCounts(workspace.emulator).projects).toBe(0);
  });
});
