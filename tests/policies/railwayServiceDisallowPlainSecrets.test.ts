import { railwayServiceDisallowPlainSecrets as policy } from "../../policies/rules/railwayServiceDisallowPlainSecrets";
import { TYPE_TOKENS } from "../../policies/lib/contract";
import { app, nats, postgres, redis, SI } from "./fixtures";
import { messages, runResource, UNKNOWN_OBJECT, UNKNOWN_STRING } from "./helpers";

const fix = (key: string) =>
  `Fix: set \`railway-stacks:app.services.api.variables.${key}\` to { secret: <configKey> } (pulumi config set --secret <configKey> <value>) or { ref: <service>.<VARIABLE> }`;

describe(policy.name, () => {
  it.each([
    ["app", app()],
    ["postgres", postgres()],
    ["redis", redis()],
    ["nats", nats()],
    ["preview app", app("preview")],
  ])("passes compliant %s (secrets in secretVariables, links as references)", async (_, props) => {
    expect(await runResource(policy, SI, props, { stack: props.tier })).toEqual({ violations: [] });
  });

  it.each([
    "SECRET_KEY",
    "OPENAI_API_KEY",
    "STRIPE_APIKEY",
    "DB_PASSWORD",
    "GITHUB_TOKEN",
    "JWT_PRIVATE_KEY",
    "SENTRY_DSN",
    "GOOGLE_CREDENTIALS",
    "session_secret",
  ])("fails a plain %s, in every stack, as mandatory", async (key) => {
    const result = await runResource(
      policy,
      SI,
      app("preview", (p) => (p.variables[key] = "s3cr3t-value")),
      { stack: "pr-7" },
    );
    expect(result.violations).toEqual([
      {
        level: "mandatory",
        message: `Variable ${key} of service "api" looks like a secret but is a plain value; credentials must be secret variables or Railway references. ${fix(key)} in Pulumi.pr-7.yaml.`,
      },
    ]);
  });

  it("fails a URL with a plain password under any name", async () => {
    const result = await runResource(
      policy,
      SI,
      app(
        "production",
        (p) => (p.variables.DATABASE_URL = "postgresql://app:hunter2@db.internal:5432/app"),
      ),
    );
    expect(result.violations).toEqual([
      {
        level: "mandatory",
        message: `Variable DATABASE_URL of service "api" is a URL with a plain password; credentials must be secret variables or Railway references. ${fix("DATABASE_URL")} in Pulumi.production.yaml.`,
      },
    ]);
  });

  it("names the component for data services, whose variables no config key sets", async () => {
    const result = await runResource(
      policy,
      SI,
      redis("production", (p) => (p.variables.REDIS_PASSWORD = "hunter2")),
    );
    expect(messages(result)).toEqual([
      'Variable REDIS_PASSWORD of service "redis" looks like a secret but is a plain value; credentials must be secret variables or Railway references. Fix: move REDIS_PASSWORD to secretVariables or make it a Railway reference in the redis component.',
    ]);
  });

  it("quotes variable names that are not bare config keys", async () => {
    const result = await runResource(
      policy,
      SI,
      app("production", (p) => (p.variables["app.secret"] = "x")),
    );
    expect(messages(result)[0]).toContain(
      'Fix: set `railway-stacks:app.services.api.variables["app.secret"]` to',
    );
  });

  it.each([
    ["a reference", "SECRET_KEY", "${{shared.SECRET_KEY}}"],
    ["a spaced reference", "API_TOKEN", "${{ auth.API_TOKEN }}"],
    ["an empty value", "SENTRY_DSN", ""],
    [
      "a URL whose password is a reference",
      "CACHE_URL",
      "redis://default:${{redis.REDIS_PASSWORD}}@${{redis.RAILWAY_PRIVATE_DOMAIN}}:6379",
    ],
    [
      "a URL with a user and no password",
      "BROKER_URL",
      "nats://${{nats.NATS_AUTH_TOKEN}}@nats.railway.internal:4222",
    ],
    ["a URL without credentials", "PUBLIC_URL", "https://api.acme.dev/path?x=1"],
  ])("passes %s", async (_, key, value) => {
    expect(
      await runResource(
        policy,
        SI,
        app("production", (p) => (p.variables[key] = value)),
      ),
    ).toEqual({ violations: [] });
  });

  it("passes names listed in allowedKeys", async () => {
    const props = app("production", (p) => (p.variables.TOKEN_TTL_SECONDS = "3600"));
    expect((await runResource(policy, SI, props)).violations).toHaveLength(1);
    expect(
      await runResource(policy, SI, props, { config: { allowedKeys: ["TOKEN_TTL_SECONDS"] } }),
    ).toEqual({
      violations: [],
    });
  });

  it("only looks at the keys of secretVariables, whose values are secrets or unknown", async () => {
    const props = app(
      "production",
      (p) =>
        (p.secretVariables = { SECRET_KEY: UNKNOWN_STRING, DATABASE_URL: "postgresql://a:b@c/d" }),
    );
    expect(await runResource(policy, SI, props)).toEqual({ violations: [] });
  });

  it("skips unknown variables and unknown maps", async () => {
    expect(
      await runResource(
        policy,
        SI,
        app("production", (p) => (p.variables.SECRET_KEY = UNKNOWN_STRING)),
      ),
    ).toEqual({ violations: [] });
    expect(
      await runResource(
        policy,
        SI,
        app("production", (p) => (p.variables = UNKNOWN_OBJECT)),
      ),
    ).toEqual({ violations: [] });
  });

  it("passes a service without variables", async () => {
    expect(
      await runResource(
        policy,
        SI,
        app("production", (p) => delete (p as Partial<typeof p>).variables),
      ),
    ).toEqual({ violations: [] });
  });

  it("is not applicable to other types", async () => {
    expect(
      (await runResource(policy, "random:index/randomPassword:RandomPassword", { length: 32 }))
        .notApplicable,
    ).toBeDefined();
  });

  it.each([
    [
      "NOTES",
      "call with Bearer " + "aZ9".repeat(8),
      "an Authorization header value",
      "authorization-header",
    ],
    [
      "CALLBACK",
      "https://hooks.slack.com/services/T0ABCDEF1/B0ABCDEF2/" + "aB3".repeat(8),
      "a Slack token or webhook URL",
      "slack-token",
    ],
    ["MODEL_CONFIG", "sk-proj-" + "Ab3_".repeat(10), "an OpenAI API key", "openai-key"],
    ["SIGNING", "-----BEGIN PRIVATE KEY-----\nMIIE", "a PEM private key", "pem-private-key"],
  ])(
    "fails %s holding a credential under a harmless name, in production",
    async (key, value, what, rule) => {
      const result = await runResource(
        policy,
        SI,
        app("production", (p) => (p.variables[key] = value)),
      );
      expect(result.violations).toEqual([
        {
          level: "mandatory",
          message: `Variable ${key} of service "api" holds ${what} in a plain value (rule ${rule}); credentials must be secret variables or Railway references. ${fix(key)} in Pulumi.production.yaml.`,
        },
      ]);
    },
  );

  it("judges data services' variables by value too", async () => {
    const result = await runResource(
      policy,
      SI,
      postgres(
        "production",
        (p) => (p.variables.BACKUP_TARGET = "backups with AKIA" + "QZ2X".repeat(4)),
      ),
    );
    expect(messages(result)).toEqual([
      'Variable BACKUP_TARGET of service "postgres" holds an AWS access key id in a plain value (rule aws-access-key); credentials must be secret variables or Railway references. Fix: move BACKUP_TARGET to secretVariables or make it a Railway reference in the postgres component.',
    ]);
  });

  it("passes variables the stack file declares not secret ({ notSecret: <value> })", async () => {
    const props = app("production", (p) => {
      p.variables.TOKEN_TTL_SECONDS = "3600";
      p.variables.PUBLIC_WEBHOOK = "https://acme.dev/hook?key=public-id-123";
    });
    expect(messages(await runResource(policy, SI, props))).toHaveLength(2);
    props.notSecretVariables = ["TOKEN_TTL_SECONDS", "PUBLIC_WEBHOOK"];
    expect(await runResource(policy, SI, props)).toEqual({ violations: [] });
  });

  describe("the environment's shared variables (SharedVariables)", () => {
    const SV = TYPE_TOKENS.sharedVariables;
    const shared = (variables: Record<string, string>, notSecretVariables?: string[]) => ({
      projectId: "p-1",
      environmentId: "e-1",
      variables,
      secretVariables: { STRIPE_KEY: "[secret]", SIGNING_KEY: UNKNOWN_STRING },
      ...(notSecretVariables ? { notSecretVariables } : {}),
      tier: "production",
    });

    it("passes plain values, references, secrets and values declared not secret", async () => {
      const props = shared(
        {
          LOG_LEVEL: "info",
          DATABASE_URL: "${{postgres.DATABASE_URL}}",
          API_TOKEN: "${{shared.UPSTREAM_TOKEN}}",
          TOKEN_TTL_SECONDS: "3600",
        },
        ["TOKEN_TTL_SECONDS"],
      );
      expect(await runResource(policy, SV, props, { name: "prod-shared-variables" })).toEqual({
        violations: [],
      });
    });

    it("fails a plain secret with the sharedVariables key to change, as mandatory", async () => {
      const props = shared({
        LOG_LEVEL: "info",
        UPSTREAM_TOKEN: "t0k3n-value",
        ANALYTICS_URL: "https://user:hunter2@analytics.acme.com/ingest",
      });
      expect(
        (await runResource(policy, SV, props, { name: "prod-shared-variables" })).violations,
      ).toEqual([
        {
          level: "mandatory",
          message:
            "Shared variable UPSTREAM_TOKEN looks like a secret but is a plain value; credentials must be secret variables or Railway references. Fix: set `railway-stacks:app.sharedVariables.UPSTREAM_TOKEN` to { secret: <configKey> } (pulumi config set --secret <configKey> <value>) or { ref: <service>.<VARIABLE> } in Pulumi.production.yaml.",
        },
        {
          level: "mandatory",
          message:
            "Shared variable ANALYTICS_URL is a URL with a plain password; credentials must be secret variables or Railway references. Fix: set `railway-stacks:app.sharedVariables.ANALYTICS_URL` to { secret: <configKey> } (pulumi config set --secret <configKey> <value>) or { ref: <service>.<VARIABLE> } in Pulumi.production.yaml.",
        },
      ]);
    });
  });
});
