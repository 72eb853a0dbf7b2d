/**
 * The config check finds secrets by value (the detector of infra/config/secret-values.ts, shared
 * with the policy pack), and `{ notSecret: <value> }` declares a value not secret.
 */
import { formatIssue, parseStackConfig } from "../../infra/config";
import { baseConfig } from "../fixtures/config";

const P = "railway-stacks:app";

function problems(raw: unknown, stack = "production"): string[] {
  const result = parseStackConfig(raw, stack);
  return result.ok ? [] : result.issues.map(formatIssue);
}

describe("secrets found by value in the stack file", () => {
  it.each([
    [
      "WEBHOOK",
      `https://hooks.slack.com/services/T0ABCDEF1/B0ABCDEF2/${"aB3".repeat(8)}`,
      "webhook",
      "a Slack token or webhook URL",
      "slack-token",
    ],
    [
      "UPSTREAM",
      `https://api.acme.dev/v1?api_key=4f9c2b7e1d`,
      "upstream",
      "a URL with a credential in its query",
      "url-query-credential",
    ],
    [
      "MODEL",
      `sk-ant-api03-${"Ab3_".repeat(10)}`,
      "model",
      "an Anthropic API key",
      "anthropic-key",
    ],
    [
      "AUTH_HEADER",
      `Bearer ${"aZ9".repeat(8)}`,
      "authHeader",
      "an Authorization header value",
      "authorization-header",
    ],
  ])("rejects %s holding a credential under a harmless name", (name, value, key, what, rule) => {
    const raw = baseConfig();
    raw.services.api.variables[name] = value;
    expect(problems(raw)).toEqual([
      `${P}.services.api.variables.${name}: holds ${what} in plain text (rule ${rule}). Fix: replace it with { secret: ${key} } and run pulumi config set --secret ${key} '<value>' -s production; if it is not a secret, write it as { notSecret: <value> }`,
    ]);
  });

  it("rejects them in every tier, e.g. dev", () => {
    const raw = baseConfig();
    raw.tier = "dev";
    raw.services.api.variables.GH = `ghp_${"a1B2".repeat(9)}`;
    expect(problems(raw, "dev")).toEqual([
      `${P}.services.api.variables.GH: holds a GitHub token in plain text (rule github-token). Fix: replace it with { secret: gh } and run pulumi config set --secret gh '<value>' -s dev; if it is not a secret, write it as { notSecret: <value> }`,
    ]);
  });

  it("lets public URLs, host names and ids pass", () => {
    const raw = baseConfig();
    Object.assign(raw.services.api.variables, {
      PUBLIC_URL: "https://api.acme-agents.com/v1?page=2",
      HOST: "backend.railway.internal",
      WORKSPACE: "3f1c2a9e-7b4d-4e0a-9c1f-2d8e6b5a4c3b",
      STRIPE_PUBLISHABLE: `pk_live_${"4eC3".repeat(6)}`,
      MODEL_NAME: "gpt-4o-mini",
    });
    expect(problems(raw)).toEqual([]);
  });

  it("accepts { notSecret: <value> } for a value or a name that only looks secret, and keeps it plain", () => {
    const raw = baseConfig();
    raw.services.api.variables.TOKEN_TTL_SECONDS = { notSecret: 3600 };
    raw.services.api.variables.PUBLIC_FORM = {
      notSecret: "https://forms.acme.dev/f?key=public-form-7",
    };
    const result = parseStackConfig(raw, "production");
    if (!result.ok) throw new Error(result.issues.map(formatIssue).join("\n"));
    expect(result.config.services.api!.variables.TOKEN_TTL_SECONDS).toEqual({
      kind: "plain",
      value: "3600",
      notSecret: true,
    });
    expect(result.config.services.api!.variables.PUBLIC_FORM).toEqual({
      kind: "plain",
      value: "https://forms.acme.dev/f?key=public-form-7",
      notSecret: true,
    });
  });

  it("rejects notSecret together with another kind", () => {
    const raw = baseConfig();
    raw.services.api.variables.X = { notSecret: "a", secret: "b" };
    expect(problems(raw)).toEqual([
      `${P}.services.api.variables.X: sets "secret" and "notSecret". Fix: keep exactly one of them`,
    ]);
  });
});

describe("a production stack without app services", () => {
  const line = `${P}.services: lists no app service, so production stack "production" would deploy only its data services. Fix: add the app services under "services" (see docs/config-reference.md), or check that this is the right Pulumi.production.yaml`;

  it.each([
    ["services: {}", (raw: Record<string, any>) => (raw.services = {})],
    ["no services key", (raw: Record<string, any>) => delete raw.services],
  ])("is an error (%s)", (_, mutate) => {
    const raw = baseConfig();
    mutate(raw);
    expect(problems(raw)).toEqual([line]);
  });

  it("is fine in dev and preview, which may start empty", () => {
    for (const tier of ["dev", "preview"]) {
      const raw = baseConfig();
      raw.tier = tier;
      raw.services = {};
      expect(problems(raw, tier)).toEqual([]);
    }
  });
});
