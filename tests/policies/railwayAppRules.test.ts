/** The production app-tier rules: rate limit, security middleware, debug, JSON logs, CORS. */
import { railwayAppDisallowDebugMode } from "../../policies/rules/railwayAppDisallowDebugMode";
import { railwayAppDisallowWildcardCors } from "../../policies/rules/railwayAppDisallowWildcardCors";
import { railwayAppEnableSecurityMiddleware } from "../../policies/rules/railwayAppEnableSecurityMiddleware";
import { railwayAppRequireJsonLogs } from "../../policies/rules/railwayAppRequireJsonLogs";
import { railwayAppRequireRateLimit } from "../../policies/rules/railwayAppRequireRateLimit";
import { app, postgres, SI, worker } from "./fixtures";
import { messages, runResource, UNKNOWN_OBJECT, UNKNOWN_STRING } from "./helpers";

const APP_RULES = [
  railwayAppRequireRateLimit,
  railwayAppEnableSecurityMiddleware,
  railwayAppDisallowDebugMode,
  railwayAppRequireJsonLogs,
  railwayAppDisallowWildcardCors,
];

type Vars = Record<string, string>;
const withVars = (change: (v: Vars) => void) => app("production", (p) => change(p.variables));

describe.each(APP_RULES.map((p) => [p.name, p]))("%s", (_, policy) => {
  it("passes a compliant production API and worker", async () => {
    expect(await runResource(policy, SI, app())).toEqual({ violations: [] });
    expect(await runResource(policy, SI, worker())).toEqual({ violations: [] });
  });

  it.each(["dev", "preview", "pr-12"])(
    "is not applicable in stack %s, whatever the values",
    async (stack) => {
      const tier = stack === "dev" ? "dev" : "preview";
      const loose = app(tier, (p) =>
        Object.assign(p.variables, {
          RATE_LIMIT_ENABLED: "false",
          DEBUG: "true",
          LOG_FORMAT: "pretty",
          SECURITY_MIDDLEWARE: "false",
          CORS_ORIGINS: "*",
        }),
      );
      expect(await runResource(policy, SI, loose, { stack })).toEqual({
        violations: [],
        notApplicable: `Only judged in production; stack "${stack}" is not production.`,
      });
    },
  );

  it("judges a non-production stack tagged railway:tier=production", async () => {
    const result = await runResource(policy, SI, app("preview"), {
      stack: "staging",
      tags: { "railway:tier": "production" },
    });
    expect(result.notApplicable).toBeUndefined();
  });

  it("is not applicable to data services or other types", async () => {
    expect((await runResource(policy, SI, postgres())).notApplicable).toBe(
      "Only judges app services.",
    );
    expect(
      (await runResource(policy, "pulumi-nodejs:dynamic/railway:Volume", {})).notApplicable,
    ).toBe("Only judges pulumi-nodejs:dynamic/railway:ServiceInstance.");
  });

  it("skips variables unknown during preview", async () => {
    expect(
      await runResource(
        policy,
        SI,
        app("production", (p) => (p.variables = UNKNOWN_OBJECT)),
      ),
    ).toEqual({ violations: [] });
  });
});

describe(railwayAppRequireRateLimit.name, () => {
  const policy = railwayAppRequireRateLimit;
  const ENABLED = (shown: string) =>
    `Production service "api" must have rate limiting on (RATE_LIMIT_ENABLED is ${shown}). Fix: set \`railway-stacks:app.app.rateLimit.enabled\` to true in Pulumi.production.yaml.`;
  const RPM = (max: number, shown: string) =>
    `Production service "api" must limit each client to at most ${max} requests per minute (RATE_LIMIT_RPM is ${shown}). Fix: set \`railway-stacks:app.app.rateLimit.rpm\` to a whole number from 1 to ${max} in Pulumi.production.yaml.`;

  it.each([
    [
      "RATE_LIMIT_ENABLED false",
      (v: Vars) => (v.RATE_LIMIT_ENABLED = "false"),
      [ENABLED('"false"')],
    ],
    ["RATE_LIMIT_ENABLED missing", (v: Vars) => delete v.RATE_LIMIT_ENABLED, [ENABLED("not set")]],
    ["RATE_LIMIT_RPM looser than 60", (v: Vars) => (v.RATE_LIMIT_RPM = "100"), [RPM(60, '"100"')]],
    ["RATE_LIMIT_RPM missing", (v: Vars) => delete v.RATE_LIMIT_RPM, [RPM(60, "not set")]],
    ["RATE_LIMIT_RPM zero", (v: Vars) => (v.RATE_LIMIT_RPM = "0"), [RPM(60, '"0"')]],
    [
      "RATE_LIMIT_RPM not a number",
      (v: Vars) => (v.RATE_LIMIT_RPM = "sixty"),
      [RPM(60, '"sixty"')],
    ],
    [
      "both",
      (v: Vars) => Object.assign(v, { RATE_LIMIT_ENABLED: "0", RATE_LIMIT_RPM: "1000" }),
      [ENABLED('"0"'), RPM(60, '"1000"')],
    ],
  ])("fails %s", async (_, change, expected) => {
    const result = await runResource(policy, SI, withVars(change));
    expect(result.violations).toEqual(expected.map((message) => ({ message, level: "mandatory" })));
  });

  it("passes a stricter limit", async () => {
    expect(
      await runResource(
        policy,
        SI,
        withVars((v) => (v.RATE_LIMIT_RPM = "30")),
      ),
    ).toEqual({ violations: [] });
  });

  it("takes maxRpm from the policy config", async () => {
    const props = withVars((v) => (v.RATE_LIMIT_RPM = "100"));
    expect(await runResource(policy, SI, props, { config: { maxRpm: 120 } })).toEqual({
      violations: [],
    });
    expect(
      messages(
        await runResource(
          policy,
          SI,
          withVars((v) => (v.RATE_LIMIT_RPM = "60")),
          { config: { maxRpm: 30 } },
        ),
      ),
    ).toEqual([RPM(30, '"60"')]);
  });

  it("skips unknown values", async () => {
    const props = withVars((v) =>
      Object.assign(v, { RATE_LIMIT_ENABLED: UNKNOWN_STRING, RATE_LIMIT_RPM: UNKNOWN_STRING }),
    );
    expect(await runResource(policy, SI, props)).toEqual({ violations: [] });
  });
});

describe(railwayAppEnableSecurityMiddleware.name, () => {
  const MESSAGE = (shown: string) =>
    `Production service "api" must run its security middleware (SECURITY_MIDDLEWARE is ${shown}). Fix: set \`railway-stacks:app.app.securityMiddleware\` to true in Pulumi.production.yaml.`;
  it.each([
    ["off", (v: Vars) => (v.SECURITY_MIDDLEWARE = "false"), MESSAGE('"false"')],
    ["missing", (v: Vars) => delete v.SECURITY_MIDDLEWARE, MESSAGE("not set")],
    ["not exactly true", (v: Vars) => (v.SECURITY_MIDDLEWARE = "TRUE "), MESSAGE('"TRUE "')],
  ])("fails when %s", async (_, change, message) => {
    expect(
      (await runResource(railwayAppEnableSecurityMiddleware, SI, withVars(change))).violations,
    ).toEqual([{ message, level: "mandatory" }]);
  });
});

describe(railwayAppDisallowDebugMode.name, () => {
  it.each(["true", "1", "yes", "ON", " True "])("fails DEBUG=%j", async (value) => {
    expect(
      (
        await runResource(
          railwayAppDisallowDebugMode,
          SI,
          withVars((v) => (v.DEBUG = value)),
        )
      ).violations,
    ).toEqual([
      {
        level: "mandatory",
        message: `Production service "api" must not run in debug mode (DEBUG is ${JSON.stringify(value)}). Fix: set \`railway-stacks:app.app.debug\` to false in Pulumi.production.yaml.`,
      },
    ]);
  });

  it.each(["false", "0", ""])("passes DEBUG=%j", async (value) => {
    expect(
      await runResource(
        railwayAppDisallowDebugMode,
        SI,
        withVars((v) => (v.DEBUG = value)),
      ),
    ).toEqual({ violations: [] });
  });

  it("passes DEBUG unset", async () => {
    expect(
      await runResource(
        railwayAppDisallowDebugMode,
        SI,
        withVars((v) => delete v.DEBUG),
      ),
    ).toEqual({ violations: [] });
  });
});

describe(railwayAppRequireJsonLogs.name, () => {
  const MESSAGE = (shown: string) =>
    `Production service "api" must log JSON (LOG_FORMAT is ${shown}). Fix: set \`railway-stacks:app.app.logFormat\` to json in Pulumi.production.yaml.`;
  it.each([
    ["pretty", (v: Vars) => (v.LOG_FORMAT = "pretty"), MESSAGE('"pretty"')],
    ["missing", (v: Vars) => delete v.LOG_FORMAT, MESSAGE("not set")],
  ])("fails %s", async (_, change, message) => {
    expect((await runResource(railwayAppRequireJsonLogs, SI, withVars(change))).violations).toEqual(
      [{ message, level: "mandatory" }],
    );
  });
});

describe(railwayAppDisallowWildcardCors.name, () => {
  it.each(["*", "https://app.acme.dev,*", "https://*.acme.dev"])(
    "fails CORS_ORIGINS=%j",
    async (value) => {
      expect(
        (
          await runResource(
            railwayAppDisallowWildcardCors,
            SI,
            withVars((v) => (v.CORS_ORIGINS = value)),
          )
        ).violations,
      ).toEqual([
        {
          level: "mandatory",
          message: `Production service "api" must not allow wildcard CORS origins (CORS_ORIGINS is ${JSON.stringify(value)}). Fix: set \`railway-stacks:app.app.corsOrigins\` to the exact origins, e.g. ["https://app.example.com"] in Pulumi.production.yaml.`,
        },
      ]);
    },
  );

  it("passes CORS_ORIGINS unset (same-origin only)", async () => {
    expect(
      await runResource(
        railwayAppDisallowWildcardCors,
        SI,
        withVars((v) => delete v.CORS_ORIGINS),
      ),
    ).toEqual({ violations: [] });
  });
});
