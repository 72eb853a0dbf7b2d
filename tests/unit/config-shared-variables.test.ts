/**
 * `sharedVariables:` — the environment's shared variables: the forms and checks of service
 * variables, `{ ref: shared.<KEY> }` from services, secret keys required and loaded, PR stacks.
 */
import * as pulumi from "@pulumi/pulumi";

import {
  type StackConfigSource,
  derivePrStackConfig,
  formatIssue,
  loadStackConfig,
  missingSecretIssues,
  parseStackConfig,
  secretReferences,
} from "../../infra/config";
import { type RawConfig, baseConfig } from "../fixtures/config";

const P = "railway-stacks:app";

function problems(raw: unknown, stack = "production"): string[] {
  const result = parseStackConfig(raw, stack);
  return result.ok ? [] : result.issues.map(formatIssue);
}

function parsed(raw: unknown, stack = "production") {
  const result = parseStackConfig(raw, stack);
  if (!result.ok) throw new Error(result.issues.map(formatIssue).join("\n"));
  return result.config;
}

const withShared = (shared: Record<string, unknown>, mutate?: (raw: RawConfig) => void) => {
  const raw = baseConfig();
  raw.sharedVariables = shared;
  mutate?.(raw);
  return raw;
};

/** A `pulumi.Config` stand-in over plain values. */
class FakeConfig implements StackConfigSource {
  readonly read: string[] = [];
  constructor(private readonly values: Record<string, string>) {}
  requireObject<T>(key: string): T {
    return JSON.parse(this.values[key]!) as T;
  }
  get(key: string): string | undefined {
    return this.values[key];
  }
  requireSecret(key: string): pulumi.Output<string> {
    this.read.push(key);
    return pulumi.secret(this.values[key]!);
  }
}

const valueOf = <T>(output: pulumi.Output<T>): Promise<T> =>
  new Promise((resolve) =>
    output.apply((value) => {
      resolve(value);
      return value;
    }),
  );

describe("sharedVariables: resolution", () => {
  it("is an empty map when the stack file has none", () => {
    expect(parsed(baseConfig()).sharedVariables).toEqual({});
  });

  it("takes every form of a service variable, in file order", () => {
    const config = parsed(
      withShared({
        LOG_LEVEL: "info",
        MAX_UPLOAD: 10,
        FEATURE_X: true,
        STRIPE_KEY: { secret: "stripeKey" },
        SENTRY_DSN: { secret: "sentryDsn", optional: true },
        DATABASE_URL: { ref: "postgres.DATABASE_URL" },
        SIGNING_KEY: { generate: { length: 48 } },
        TOKEN_TTL_SECONDS: { notSecret: 3600 },
        ALIAS: { ref: "shared.LOG_LEVEL" },
      }),
    );
    expect(config.sharedVariables).toEqual({
      LOG_LEVEL: { kind: "plain", value: "info" },
      MAX_UPLOAD: { kind: "plain", value: "10" },
      FEATURE_X: { kind: "plain", value: "true" },
      STRIPE_KEY: { kind: "secret", configKey: "stripeKey", optional: false },
      SENTRY_DSN: { kind: "secret", configKey: "sentryDsn", optional: true },
      DATABASE_URL: { kind: "reference", service: "postgres", variable: "DATABASE_URL" },
      SIGNING_KEY: { kind: "generated", length: 48 },
      TOKEN_TTL_SECONDS: { kind: "plain", value: "3600", notSecret: true },
      ALIAS: { kind: "reference", service: "shared", variable: "LOG_LEVEL" },
    });
    expect(Object.keys(config.sharedVariables)).toEqual([
      "LOG_LEVEL",
      "MAX_UPLOAD",
      "FEATURE_X",
      "STRIPE_KEY",
      "SENTRY_DSN",
      "DATABASE_URL",
      "SIGNING_KEY",
      "TOKEN_TTL_SECONDS",
      "ALIAS",
    ]);
  });

  it("lets a service reference a declared shared variable as { ref: shared.<KEY> }", () => {
    const config = parsed(
      withShared({ LOG_LEVEL: "info" }, (raw) => {
        raw.services.api.variables.LOG_LEVEL = { ref: "shared.LOG_LEVEL" };
      }),
    );
    expect(config.services.api!.variables.LOG_LEVEL).toEqual({
      kind: "reference",
      service: "shared",
      variable: "LOG_LEVEL",
    });
  });

  it("allows names the stack sets on services (shared variables reach no service by themselves)", () => {
    expect(problems(withShared({ LOG_FORMAT: "json", PORT: "8080", APP_ENV: "x" }))).toEqual([]);
  });
});

describe("sharedVariables: errors name the YAML path and the fix", () => {
  it.each([
    {
      name: "invalid variable name",
      shared: { "my-var": "x" },
      lines: [
        `${P}.sharedVariables.my-var: is not a valid variable name. Fix: use letters, digits and "_", not starting with a digit, e.g. "API_BASE_URL"`,
      ],
    },
    {
      name: "RAILWAY_ prefix",
      shared: { RAILWAY_DEPLOY_REGION: "eu" },
      lines: [
        `${P}.sharedVariables.RAILWAY_DEPLOY_REGION: uses the RAILWAY_ prefix Railway keeps for its own variables and settings. Fix: rename the variable, or use the matching key of this file (e.g. "build.dockerfilePath" for RAILWAY_DOCKERFILE_PATH)`,
      ],
    },
    {
      name: "secret-looking name with a plain value",
      shared: { STRIPE_API_KEY: "abc" },
      lines: [
        `${P}.sharedVariables.STRIPE_API_KEY: looks like a secret but is a plain value in the stack file. Fix: replace it with { secret: stripeApiKey } and run pulumi config set --secret stripeApiKey <value> -s production, or use { generate: { length: 32 } } for a random secret`,
      ],
    },
    {
      name: "URL with a password",
      shared: { ANALYTICS_URL: "https://user:hunter2@analytics.acme.com/ingest" },
      lines: [
        `${P}.sharedVariables.ANALYTICS_URL: is a URL with a password in plain text. Fix: replace it with { secret: analyticsUrl } and run pulumi config set --secret analyticsUrl '<url>' -s production`,
      ],
    },
    {
      name: "a credential under a harmless name",
      shared: { MODEL: `sk-ant-api03-${"Ab3_".repeat(10)}` },
      lines: [
        `${P}.sharedVariables.MODEL: holds an Anthropic API key in plain text (rule anthropic-key). Fix: replace it with { secret: model } and run pulumi config set --secret model '<value>' -s production; if it is not a secret, write it as { notSecret: <value> }`,
      ],
    },
    {
      name: "shared reference written as a plain value",
      shared: { LOG_LEVEL: "info", LEVEL: "${{shared.LOG_LEVEL}}" },
      lines: [
        `${P}.sharedVariables.LEVEL: is a Railway reference written as a plain value. Fix: write it as { ref: shared.LOG_LEVEL } so the stack can check the shared variable is declared`,
      ],
    },
    {
      name: "service reference written as a plain value",
      shared: { API_PORT: "${{api.PORT}}" },
      lines: [
        `${P}.sharedVariables.API_PORT: is a Railway reference written as a plain value. Fix: write it as { ref: api.PORT } so the stack can check the service exists`,
      ],
    },
    {
      name: "reference to an unknown service",
      shared: { API_HOST: { ref: "apii.PORT" } },
      lines: [
        `${P}.sharedVariables.API_HOST.ref: refers to unknown service "apii". Fix: write "api.PORT"`,
      ],
    },
    {
      name: "reference to an undeclared shared variable",
      shared: { LOG_LEVEL: "info", LEVEL: { ref: "shared.LOG_LEVL" } },
      lines: [
        `${P}.sharedVariables.LEVEL.ref: refers to shared variable "LOG_LEVL", which "sharedVariables" does not declare. Fix: write "shared.LOG_LEVEL", or declare LOG_LEVL under railway-stacks:app.sharedVariables`,
      ],
    },
    {
      name: "more than one kind",
      shared: { X: { secret: "x", notSecret: "y" } },
      lines: [
        `${P}.sharedVariables.X: sets "secret" and "notSecret". Fix: keep exactly one of them`,
      ],
    },
    {
      name: "a list",
      shared: { X: ["a"] },
      lines: [
        `${P}.sharedVariables.X: must be text, a number, true/false or a { secret }, { ref }, { generate } or { notSecret } mapping, not a list. Fix: write e.g. "value", { secret: openaiApiKey }, { ref: postgres.DATABASE_URL } or { generate: { length: 32 } }`,
      ],
    },
    {
      name: "plain value declared not secret",
      shared: { TOKEN_TTL_SECONDS: { notSecret: 3600 } },
      lines: [],
    },
  ])("$name", ({ shared, lines }) => {
    expect(problems(withShared(shared))).toEqual(lines);
  });

  it("a service reference to an undeclared shared variable names the key and the closest one", () => {
    const raw = withShared({ LOG_LEVEL: "info" }, (r) => {
      r.services.api.variables.LEVEL = { ref: "shared.LOG_LEVL" };
    });
    expect(problems(raw)).toEqual([
      `${P}.services.api.variables.LEVEL.ref: refers to shared variable "LOG_LEVL", which "sharedVariables" does not declare. Fix: write "shared.LOG_LEVEL", or declare LOG_LEVL under railway-stacks:app.sharedVariables`,
    ]);
    const result = parseStackConfig(raw, "production");
    expect(result.ok ? undefined : result.issues[0]!.suggestion).toEqual({
      rule: "reference-target",
      value: "shared.LOG_LEVEL",
    });
  });

  it("without a close name the fix is to declare the key", () => {
    const raw = baseConfig();
    raw.services.api.variables.LEVEL = { ref: "shared.LOG_LEVEL" };
    expect(problems(raw)).toEqual([
      `${P}.services.api.variables.LEVEL.ref: refers to shared variable "LOG_LEVEL", which "sharedVariables" does not declare. Fix: declare LOG_LEVEL under railway-stacks:app.sharedVariables`,
    ]);
  });

  it("a plain ${{shared.KEY}} in a service suggests { ref: shared.KEY }", () => {
    const raw = withShared({ LOG_LEVEL: "info" }, (r) => {
      r.services.worker.variables.LEVEL = "${{shared.LOG_LEVEL}}";
    });
    const result = parseStackConfig(raw, "production");
    expect(result.ok ? [] : result.issues.map(formatIssue)).toEqual([
      `${P}.services.worker.variables.LEVEL: is a Railway reference written as a plain value. Fix: write it as { ref: shared.LOG_LEVEL } so the stack can check the shared variable is declared`,
    ]);
    expect(result.ok ? undefined : result.issues[0]!.suggestion).toEqual({
      rule: "plain-reference",
      value: { ref: "shared.LOG_LEVEL" },
    });
  });

  it("a misspelled `shared` is guessed once the stack has shared variables", () => {
    const raw = withShared({ LOG_LEVEL: "info" }, (r) => {
      r.services.api.variables.LEVEL = { ref: "shraed.LOG_LEVEL" };
    });
    expect(problems(raw)).toEqual([
      `${P}.services.api.variables.LEVEL.ref: refers to unknown service "shraed". Fix: write "shared.LOG_LEVEL"`,
    ]);
  });

  it("a service may not be named shared", () => {
    const raw = baseConfig();
    raw.services.shared = { source: { image: "ghcr.io/acme/shared:1.0.0" } };
    expect(problems(raw)).toEqual([
      `${P}.services.shared: is the name Railway keeps for shared variables (\${{shared.<KEY>}}), so no reference could reach the service. Fix: rename the service, e.g. "shared-app"`,
    ]);
  });
});

describe("sharedVariables: secret config keys", () => {
  const raw = () =>
    withShared({
      STRIPE_KEY: { secret: "stripeKey" },
      SENTRY_DSN: { secret: "sentryDsn", optional: true },
      LOG_LEVEL: "info",
    });

  it("secretReferences lists them after the services' ones", () => {
    const r = raw();
    r.services.api.variables.OPENAI_API_KEY = { secret: "openaiApiKey" };
    expect(secretReferences(r)).toEqual([
      {
        path: ["services", "api", "variables", "OPENAI_API_KEY"],
        configKey: "openaiApiKey",
        optional: false,
      },
      { path: ["sharedVariables", "STRIPE_KEY"], configKey: "stripeKey", optional: false },
      { path: ["sharedVariables", "SENTRY_DSN"], configKey: "sentryDsn", optional: true },
    ]);
  });

  it("a required key that is not set is reported with the exact command", () => {
    expect(missingSecretIssues(raw(), { get: () => undefined }, "production")).toEqual([
      {
        path: `${P}.sharedVariables.STRIPE_KEY`,
        problem: 'needs secret config key "stripeKey", which stack "production" does not set',
        fix: "pulumi config set --secret stripeKey <value> -s production",
      },
    ]);
  });

  it("loadStackConfig reads set keys as Pulumi secrets and leaves out unset optional ones", async () => {
    const config = new FakeConfig({ app: JSON.stringify(raw()), stripeKey: "sk_test_123" });
    const loaded = loadStackConfig(config, "production");
    expect(Object.keys(loaded.sharedVariables)).toEqual(["STRIPE_KEY", "LOG_LEVEL"]);
    const stripe = loaded.sharedVariables.STRIPE_KEY!;
    if (stripe.kind !== "secret") throw new Error(`expected a secret, got ${stripe.kind}`);
    expect(stripe.configKey).toBe("stripeKey");
    expect(await pulumi.isSecret(stripe.value)).toBe(true);
    expect(await valueOf(stripe.value)).toBe("sk_test_123");
    expect(loaded.sharedVariables.LOG_LEVEL).toEqual({ kind: "plain", value: "info" });
    expect(config.read).toEqual(["stripeKey"]);
  });

  it("loadStackConfig fails before anything is declared when a required key is missing", () => {
    const config = new FakeConfig({ app: JSON.stringify(raw()) });
    expect(() => loadStackConfig(config, "production")).toThrow(
      `${P}.sharedVariables.STRIPE_KEY: needs secret config key "stripeKey", which stack "production" does not set. Fix: pulumi config set --secret stripeKey <value> -s production`,
    );
    expect(config.read).toEqual([]);
  });
});

describe("sharedVariables: PR stacks", () => {
  it("keep the preview's shared variables (a copy: the preview config is left untouched)", () => {
    const raw = withShared({ LOG_LEVEL: "debug", SIGNING_KEY: { generate: { length: 32 } } });
    raw.tier = "preview";
    raw.postgres.backups = [];
    const preview = parsed(raw, "preview");
    const pr = derivePrStackConfig(preview, { prNumber: 7, branch: "feature/x" });
    expect(pr.sharedVariables).toEqual({
      LOG_LEVEL: { kind: "plain", value: "debug" },
      SIGNING_KEY: { kind: "generated", length: 32 },
    });
    expect(pr.sharedVariables).not.toBe(preview.sharedVariables);
  });
});
