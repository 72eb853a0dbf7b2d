/**
 * `npm run policy:check` without Pulumi: the command line, reading `pulumi preview --json` engine
 * events (shapes as Pulumi 3.259 prints them), the table, the violation list, the verdict, and
 * which secrets get dummies. Exact strings throughout.
 */
import { UsageError } from "../../scripts/lib/argv";
import { POLICY_CHECK_USAGE, parsePolicyCheckArgs } from "../../scripts/lib/policy-args";
import { normalizeLevel, parsePreviewOutput, splitUrn } from "../../scripts/lib/policy-events";
import {
  configuredLevel,
  formatTable,
  formatViolations,
  ruleRows,
  verdict,
  type PackPolicy,
} from "../../scripts/lib/policy-report";
import { isSecureValue, qualifyKey, splitConfig } from "../../scripts/lib/stack-file";
import {
  PASS_LEVEL_NOTE,
  formatReport,
  main,
  planSecrets,
  type CheckReport,
} from "../../scripts/policy-check";

const ROOT = "/repo";

describe("policy:check command line", () => {
  const parse = (...argv: string[]) => parsePolicyCheckArgs(argv, ROOT, { INIT_CWD: "/home/me" });

  it("defaults the config, pack and pack config from the project", () => {
    expect(parse("production")).toEqual({
      command: "check",
      stack: "production",
      configFile: "/repo/Pulumi.production.yaml",
      projectDir: "/repo",
      policyPack: "/repo/policies",
      policyPackConfig: "/repo/policies/config/stacks.json",
      json: false,
    });
    expect(parse("production", "--config", "bad.yaml", "--policy-pack=/p", "--json")).toEqual({
      command: "check",
      stack: "production",
      configFile: "/home/me/bad.yaml",
      projectDir: "/repo",
      policyPack: "/p",
      policyPackConfig: "/p/config/stacks.json",
      json: true,
    });
    expect(parse("-h")).toEqual({ command: "help" });
  });

  it.each([
    [[], "missing the stack to check, e.g. production"],
    [
      ["prod uction"],
      `"prod uction" is not a stack name: use letters, digits, "-", "_" and ".", e.g. production`,
    ],
    [
      ["../x"],
      `"../x" is not a stack name: use letters, digits, "-", "_" and ".", e.g. production`,
    ],
    [["production", "dev"], `unexpected argument "dev"`],
    [["production", "--config"], "--config needs a value"],
    [["production", "--stack", "dev"], `unknown option "--stack"`],
  ])("rejects %j: %s", (argv, message) => {
    expect(() => parse(...(argv as string[]))).toThrow(new UsageError(message));
  });

  it("exits 2 with the problem and the usage", async () => {
    let stderr = "";
    const code = await main(
      ["--bogus"],
      {},
      { stdout: () => undefined, stderr: (t) => (stderr += t) },
    );
    expect(code).toBe(2);
    expect(stderr).toBe(`policy:check: error: unknown option "--bogus"\n\n${POLICY_CHECK_USAGE}\n`);
  });

  it("exits 3 before running anything when the config file is missing", async () => {
    let stderr = "";
    const code = await main(
      ["production", "--config", "/nonexistent/Pulumi.production.yaml"],
      {},
      {
        stdout: () => undefined,
        stderr: (t) => (stderr += t),
      },
    );
    expect(code).toBe(3);
    expect(stderr.startsWith("policy:check: error: ")).toBe(true);
    expect(stderr.replace("policy:check: error: ", "").split("\n")).toContain(
      "/nonexistent/Pulumi.production.yaml does not exist",
    );
  });
});

// --- Engine events as `PULUMI_ENABLE_STREAMING_JSON_PREVIEW=true pulumi preview --json` prints them.
const URN = (type: string, name: string) =>
  `urn:pulumi:production::railway-stacks::railway-stacks:index:RailwayEnvironment$railway-stacks:app:AppService$${type}::${name}`;
const SI = "pulumi-nodejs:dynamic/railway:ServiceInstance";
let sequence = 0;
const event = (body: Record<string, unknown>) =>
  JSON.stringify({ sequence: sequence++, timestamp: 1795464720, ...body });
const policyEvent = (
  policyName: string,
  name: string,
  message: string,
  enforcementLevel = "mandatory",
) =>
  event({
    policyEvent: {
      resourceUrn: URN(SI, name),
      message,
      color: "never",
      policyName,
      policyPackName: "railway-stacks",
      policyPackVersion: "0.1.0",
      policyPackVersionTag: "0.1.0",
      enforcementLevel,
      severity: "high",
    },
  });

const DEBUG_DESC = "Checks that no production app service runs with DEBUG turned on.";
const SLEEP_DESC = "Checks that no production service sleeps when idle (sleepApplication).";
const PACK: PackPolicy[] = [
  {
    name: "railway-app-disallow-debug-mode",
    enforcementLevel: "mandatory",
    description: DEBUG_DESC,
  },
  {
    name: "railway-service-disallow-sleep",
    enforcementLevel: "mandatory",
    description: SLEEP_DESC,
  },
  { name: "railway-service-require-healthcheck", enforcementLevel: "mandatory" },
  { name: "railway-service-disallow-pr-custom-domains", enforcementLevel: "mandatory" },
];

const FAILED_PREVIEW = [
  event({ policyLoadEvent: {} }),
  event({
    diagnosticEvent: {
      prefix: "debug: ",
      message: "Registering resource\n",
      color: "never",
      severity: "debug",
    },
  }),
  event({
    policyAnalyzeSummaryEvent: {
      resourceUrn: URN(SI, "railway-backend-instance"),
      policyPackName: "railway-stacks",
      passed: ["railway-service-require-healthcheck"],
      failed: ["railway-app-disallow-debug-mode", "railway-service-disallow-sleep"],
    },
  }),
  policyEvent(
    "railway-service-disallow-sleep",
    "railway-backend-instance",
    `${SLEEP_DESC}\nProduction service "backend" must not sleep when idle (sleepApplication is true). Fix: set \`railway-stacks:app.services.backend.sleep\` to false in Pulumi.production.yaml.\n`,
  ),
  policyEvent(
    "railway-app-disallow-debug-mode",
    "railway-ml-instance",
    `${DEBUG_DESC}\nProduction service "ml" must not run in debug mode (DEBUG is "true"). Fix: set \`railway-stacks:app.app.debug\` to false in Pulumi.production.yaml.\n`,
  ),
  policyEvent(
    "railway-app-disallow-debug-mode",
    "railway-backend-instance",
    `${DEBUG_DESC}\nProduction service "backend" must not run in debug mode (DEBUG is "true"). Fix: set \`railway-stacks:app.app.debug\` to false in Pulumi.production.yaml.\n`,
  ),
  event({
    policyAnalyzeStackSummaryEvent: {
      policyPackName: "railway-stacks",
      passed: ["railway-datastore-require-volume"],
    },
  }),
  event({
    summaryEvent: {
      maybeCorrupt: false,
      durationSeconds: 7,
      resourceChanges: { create: 35 },
      isPreview: true,
      result: "failed",
    },
  }),
  event({ cancelEvent: {} }),
  event({
    diagnosticEvent: {
      prefix: "error: ",
      message: "preview failed\n",
      color: "never",
      severity: "error",
    },
  }),
].join("\n");

describe("reading pulumi preview --json", () => {
  it("collects violations, passed/failed policies and the result from the engine events", () => {
    const analysis = parsePreviewOutput(FAILED_PREVIEW);
    expect(analysis.streamed).toBe(true);
    expect(analysis.policiesLoaded).toBe(true);
    expect(analysis.result).toBe("failed");
    expect(analysis.resourceChanges).toEqual({ create: 35 });
    expect([...analysis.passed].sort()).toEqual([
      "railway-datastore-require-volume",
      "railway-service-require-healthcheck",
    ]);
    expect([...analysis.failed].sort()).toEqual([
      "railway-app-disallow-debug-mode",
      "railway-service-disallow-sleep",
    ]);
    expect(analysis.errors).toEqual([]); // the bare "preview failed" says nothing
    expect(analysis.violations.map((v) => [v.rule, v.level, v.resource, v.type])).toEqual([
      ["railway-service-disallow-sleep", "mandatory", "railway-backend-instance", SI],
      ["railway-app-disallow-debug-mode", "mandatory", "railway-ml-instance", SI],
      ["railway-app-disallow-debug-mode", "mandatory", "railway-backend-instance", SI],
    ]);
  });

  it("keeps the program's own errors (config problems) and warnings", () => {
    const analysis = parsePreviewOutput(
      [
        event({
          diagnosticEvent: {
            prefix: "error: ",
            message:
              'railway-stacks:app.redis.image: "redis:latest" uses the moving tag "latest". Fix: pin a version\n',
            severity: "error",
          },
        }),
        event({
          diagnosticEvent: {
            prefix: "warning: ",
            message: "warning: something odd\n",
            severity: "warning",
          },
        }),
        event({ summaryEvent: { resourceChanges: { create: 1 }, result: "failed" } }),
      ].join("\n"),
    );
    expect(analysis.errors).toEqual([
      'railway-stacks:app.redis.image: "redis:latest" uses the moving tag "latest". Fix: pin a version',
    ]);
    expect(analysis.warnings).toEqual(["something odd"]);
    expect(analysis.violations).toEqual([]);
    expect(analysis.policiesLoaded).toBe(false);
  });

  it("falls back to the non-streaming digest (which has no policy events)", () => {
    const analysis = parsePreviewOutput(
      JSON.stringify(
        {
          config: {},
          steps: [],
          diagnostics: [{ message: "error: preview failed\n", severity: "error" }],
          changeSummary: { create: 35 },
        },
        null,
        4,
      ),
    );
    expect(analysis.streamed).toBe(false);
    expect(analysis.errors).toEqual([]);
    expect(analysis.resourceChanges).toEqual({ create: 35 });
    expect(parsePreviewOutput("").violations).toEqual([]);
  });

  it("splits URNs and normalizes levels", () => {
    expect(splitUrn(URN(SI, "railway-ml-instance"))).toEqual({
      type: SI,
      name: "railway-ml-instance",
    });
    expect(
      splitUrn("urn:pulumi:dev::railway-stacks::pulumi:pulumi:Stack::railway-stacks-dev"),
    ).toEqual({
      type: "pulumi:pulumi:Stack",
      name: "railway-stacks-dev",
    });
    expect(splitUrn("nonsense")).toEqual({});
    expect(normalizeLevel("warning")).toBe("advisory");
    expect(normalizeLevel("mandatory")).toBe("mandatory");
  });
});

describe("the report", () => {
  const analysis = parsePreviewOutput(FAILED_PREVIEW);

  it("prints one row per rule: level and result", () => {
    expect(formatTable(ruleRows(PACK, analysis))).toBe(
      [
        "RULE                                        LEVEL      RESULT",
        "------------------------------------------  ---------  ------------",
        "railway-app-disallow-debug-mode             mandatory  2 violations",
        "railway-datastore-require-volume            mandatory  pass",
        "railway-service-disallow-pr-custom-domains  -          n/a",
        "railway-service-disallow-sleep              mandatory  1 violation",
        "railway-service-require-healthcheck         mandatory  pass",
        "",
      ].join("\n"),
    );
  });

  it("honours the pack config and advisory violations", () => {
    const advisory = parsePreviewOutput(
      [
        policyEvent(
          "railway-service-require-healthcheck",
          "railway-web-instance",
          'Desc.\nPublic service "web" must have a healthcheck.',
          "advisory",
        ),
        event({ summaryEvent: { result: "succeeded" } }),
      ].join("\n"),
    );
    const rows = ruleRows(PACK, advisory, { "railway-service-disallow-sleep": "disabled" });
    expect(formatTable(rows)).toBe(
      [
        "RULE                                        LEVEL     RESULT",
        "------------------------------------------  --------  -----------",
        "railway-app-disallow-debug-mode             -         n/a",
        "railway-service-disallow-pr-custom-domains  -         n/a",
        "railway-service-disallow-sleep              disabled  disabled",
        "railway-service-require-healthcheck         advisory  1 violation",
        "",
      ].join("\n"),
    );
    expect(verdict("dev", rows, advisory)).toEqual({
      exitCode: 0,
      line: "PASSED: no mandatory violations in stack dev (1 advisory violation).",
    });
    expect(configuredLevel("r", "mandatory", { all: "advisory" })).toBe("advisory");
    expect(
      configuredLevel("r", "mandatory", { all: "advisory", r: { enforcementLevel: "disabled" } }),
    ).toBe("disabled");
    expect(configuredLevel("r", "mandatory", { r: { productionIds: [] } })).toBe("mandatory");
  });

  it("lists the violation messages without the description line, by resource", () => {
    expect(formatViolations(ruleRows(PACK, analysis), PACK)).toBe(
      [
        "railway-app-disallow-debug-mode (mandatory, 2 violations):",
        '  - railway-backend-instance: Production service "backend" must not run in debug mode (DEBUG is "true"). Fix: set `railway-stacks:app.app.debug` to false in Pulumi.production.yaml.',
        '  - railway-ml-instance: Production service "ml" must not run in debug mode (DEBUG is "true"). Fix: set `railway-stacks:app.app.debug` to false in Pulumi.production.yaml.',
        "railway-service-disallow-sleep (mandatory, 1 violation):",
        '  - railway-backend-instance: Production service "backend" must not sleep when idle (sleepApplication is true). Fix: set `railway-stacks:app.services.backend.sleep` to false in Pulumi.production.yaml.',
        "",
      ].join("\n"),
    );
  });

  it("blocks on mandatory violations, errors when the program failed without any, passes otherwise", () => {
    expect(verdict("production", ruleRows(PACK, analysis), analysis)).toEqual({
      exitCode: 1,
      line: "BLOCKED: 3 mandatory violations of 2 rules in stack production.",
    });
    const failed = parsePreviewOutput(event({ summaryEvent: { result: "failed" } }));
    expect(verdict("production", ruleRows(PACK, failed), failed)).toEqual({
      exitCode: 3,
      line: "ERROR: the preview of stack production failed before the policies could judge it (see the errors above).",
    });
    const passed = parsePreviewOutput(event({ summaryEvent: { result: "succeeded" } }));
    expect(verdict("production", ruleRows(PACK, passed), passed)).toEqual({
      exitCode: 0,
      line: "PASSED: no mandatory violations in stack production.",
    });
  });

  it("formats the whole report", () => {
    const passedAnalysis = parsePreviewOutput(
      [
        event({ policyAnalyzeSummaryEvent: { passed: ["railway-service-require-healthcheck"] } }),
        event({ summaryEvent: { result: "succeeded" } }),
      ].join("\n"),
    );
    const rows = ruleRows(PACK.slice(2, 3), passedAnalysis);
    const report: CheckReport = {
      stack: "dev",
      configFile: "/repo/Pulumi.dev.yaml",
      policyPack: "/repo/policies",
      policyPackConfig: "/repo/policies/config/stacks.json",
      railwayApi: "a Railway emulator started in-process (RAILWAY_API_TOKEN is not set)",
      apiCalls: 0,
      secretNotes: [
        "railway-stacks:a is encrypted in the stack file: a dummy secret stands in for it",
        "second note",
      ],
      prAdjustments: [],
      pack: PACK,
      rows,
      judged: true,
      analysis: passedAnalysis,
      verdict: verdict("dev", rows, passedAnalysis),
    };
    expect(formatReport(report, "/repo")).toBe(
      [
        "Policy check of stack dev",
        "  Config:       Pulumi.dev.yaml",
        "  Policy pack:  policies (config policies/config/stacks.json)",
        "  Railway API:  a Railway emulator started in-process (RAILWAY_API_TOKEN is not set); 0 API calls",
        "  Secrets:      railway-stacks:a is encrypted in the stack file: a dummy secret stands in for it",
        "                second note",
        "",
        "RULE                                 LEVEL      RESULT",
        "-----------------------------------  ---------  ------",
        "railway-service-require-healthcheck  mandatory  pass",
        "",
        PASS_LEVEL_NOTE,
        "",
        "PASSED: no mandatory violations in stack dev.",
        "",
      ].join("\n"),
    );
    expect(
      formatReport(
        {
          ...report,
          judged: false,
          secretNotes: [],
          prAdjustments: [
            'railway-stacks:app.services.web.domains.custom: "shop.acme.dev" is dropped: PR stacks have no custom domains',
          ],
          apiCalls: undefined,
          railwayApi: "X",
          stack: "production",
        },
        "/elsewhere",
      ),
    ).toBe(
      [
        "Policy check of stack production",
        "  Config:       /repo/Pulumi.dev.yaml",
        "  Policy pack:  /repo/policies (config /repo/policies/config/stacks.json)",
        "  Railway API:  X",
        '  PR stack:     railway-stacks:app.services.web.domains.custom: "shop.acme.dev" is dropped: PR stacks have no custom domains',
        "",
        "No policy judged any resource: the program stopped before declaring them.",
        "",
        "PASSED: no mandatory violations in stack dev.",
        "",
      ].join("\n"),
    );
  });
});

describe("secrets of the scratch stack", () => {
  const app = {
    tier: "production",
    services: {
      backend: {
        variables: {
          OPENAI_API_KEY: { secret: "openaiApiKey" },
          SENTRY: { secret: "sentryDsn", optional: true },
        },
      },
      ml: {
        variables: { OPENAI_API_KEY: { secret: "openaiApiKey" }, STRIPE: { secret: "stripeKey" } },
      },
    },
  };

  it("splits a stack file's config into plain values and encrypted keys", () => {
    expect(
      splitConfig({
        "railway-stacks:app": app,
        stripeKey: { secure: "v1:abc" },
        "aws:region": "us-west-2",
      }),
    ).toEqual({
      plain: { "railway-stacks:app": app, "aws:region": "us-west-2" },
      secureKeys: ["railway-stacks:stripeKey"],
      ciphertexts: { "railway-stacks:stripeKey": "v1:abc" },
    });
    expect(qualifyKey("openaiApiKey")).toBe("railway-stacks:openaiApiKey");
    expect(qualifyKey("aws:region")).toBe("aws:region");
    expect(isSecureValue({ secure: "x" })).toBe(true);
    expect(isSecureValue({ secure: "x", other: 1 })).toBe(false);
  });

  it("gives dummies to encrypted values and to required keys that are not set, and says why", () => {
    expect(
      planSecrets({
        plain: { "railway-stacks:app": app },
        secureKeys: ["railway-stacks:stripeKey"],
      }),
    ).toEqual({
      dummies: ["railway-stacks:stripeKey", "railway-stacks:openaiApiKey"],
      notes: [
        "railway-stacks:stripeKey is encrypted in the stack file: a dummy secret stands in for it",
        "railway-stacks:openaiApiKey (needed by services.backend.variables.OPENAI_API_KEY, services.ml.variables.OPENAI_API_KEY) is not set: a dummy secret stands in for it",
      ],
    });
    expect(
      planSecrets({
        plain: {
          "railway-stacks:app": app,
          "railway-stacks:openaiApiKey": "plain",
          "railway-stacks:stripeKey": "x",
        },
        secureKeys: [],
      }),
    ).toEqual({
      dummies: [],
      notes: [],
    });
  });
});
