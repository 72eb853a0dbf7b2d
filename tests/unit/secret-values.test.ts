/**
 * The value-based secret detector (infra/config/secret-values.ts): per rule, values it must catch
 * and look-alikes it must let pass. Fake tokens are assembled from parts, so no secret scanner
 * mistakes this file for a leak.
 */
import {
  SECRET_RULES,
  type SecretRuleId,
  findSecretInValue,
  literalUrlPassword,
} from "../../infra/config/secret-values";

const x = (text: string, times: number): string => text.repeat(times);

interface RuleCases {
  caught: string[];
  passes: string[];
}

/** Every rule with examples; the table in README.md ("Secrets found by their value") mirrors it. */
const CASES: Record<SecretRuleId, RuleCases> = {
  "url-password": {
    caught: [
      "postgresql://app:hunter2@db.internal:5432/app",
      "redis://:secret@redis.railway.internal:6379",
      "see redis://u:p%40ss@host:6379 for details",
    ],
    passes: [
      "https://user@host/path",
      "https://host/path?x=a:b@c",
      "redis://default:${{redis.REDIS_PASSWORD}}@${{redis.RAILWAY_PRIVATE_DOMAIN}}:6379",
      "mailto:ops@acme.dev",
    ],
  },
  "url-user-token": {
    caught: [
      `https://${"ghx" + x("a1", 12)}@github.com/acme/app.git`,
      `nats://${x("k9", 12)}@nats.acme.dev:4222`,
    ],
    passes: [
      "https://deploy-bot@git.acme.dev/acme/app.git",
      "nats://${{nats.NATS_AUTH_TOKEN}}@nats.railway.internal:4222",
      "https://averyveryverylongusername@acme.dev",
    ],
  },
  "url-query-credential": {
    caught: [
      "https://api.acme.dev/v1?api_key=4f9c2b7e1d",
      "https://bucket.s3.amazonaws.com/f.zip?X-Amz-Signature=ab12cd34ef56",
      "https://acct.blob.core.windows.net/c?sv=2022-11-02&sig=Zm9vYmFyYmF6cXV4",
      "wss://stream.acme.dev/socket?access_token=abc123def456",
    ],
    passes: [
      "https://api.acme.dev/search?q=token&page=2",
      "https://acme.dev/reset?token=${{auth.RESET_TOKEN}}",
      "https://acme.dev/?key=id",
      "https://cdn.acme.dev/app.js?v=1.4.2",
    ],
  },
  "pem-private-key": {
    caught: [
      "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBg\n-----END PRIVATE KEY-----",
      "-----BEGIN RSA PRIVATE KEY-----\\nMIIEow",
      "-----BEGIN OPENSSH PRIVATE KEY-----",
      '{"type":"service_account","private_key":"-----BEGIN PRIVATE KEY-----\\nMIIE"}',
    ],
    passes: [
      "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqh\n-----END PUBLIC KEY-----",
      "-----BEGIN CERTIFICATE-----\nMIIDdzCCAl+gAwIBAgIE\n-----END CERTIFICATE-----",
    ],
  },
  jwt: {
    caught: [
      `eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NSJ9.${x("Sf", 20)}`,
      "eyJhbGciOiJub25lIn0.eyJyb2xlIjoiYWRtaW4ifQ.",
    ],
    passes: ["eyJhbGciOiJIUzI1NiJ9", "version.eyJ.notatoken"],
  },
  "authorization-header": {
    caught: [`Bearer ${x("aZ9", 8)}`, "Basic YWRtaW46aHVudGVyMg=="],
    passes: ["Bearer token auth", "Token based login", "Basic plan"],
  },
  "railway-token-header": {
    caught: ["project-access-token: 3f1c2a9e-7b4d-4e0a-9c1f-2d8e6b5a4c3b"],
    passes: ["3f1c2a9e-7b4d-4e0a-9c1f-2d8e6b5a4c3b", "project-access-token"],
  },
  "anthropic-key": {
    caught: [`sk-ant-api03-${x("Ab3_", 10)}`, `sk-ant-admin01-${x("Zz9-", 8)}`],
    passes: ["sk-ant-", "task-ant-api03"],
  },
  "openai-key": {
    caught: [`sk-proj-${x("Ab3_", 10)}`, `sk-${x("T3BlbkFJ", 6)}`, `sk-svcacct-${x("q1W", 9)}`],
    passes: ["sk-learn-compatible-version", "risk-level-high", `disk-${x("a1", 20)}`],
  },
  "stripe-key": {
    caught: [`sk_live_${x("4eC3", 6)}`, `rk_test_${x("51Hx", 6)}`, `whsec_${x("MfKQ", 8)}`],
    passes: [`pk_live_${x("4eC3", 6)}`, "sk_live_", "price_1NqL0k2eZvKYlo2C"],
  },
  "github-token": {
    caught: [`ghp_${x("a1B2", 9)}`, `ghs_${x("Zz09", 9)}`, `github_pat_11ABC${x("d_4", 14)}`],
    passes: ["ghp_short", "github_pat_", "acme/ghp_repo"],
  },
  "slack-token": {
    caught: [
      `xoxb-${x("12345", 3)}-${x("ab", 6)}`,
      `https://hooks.slack.com/services/T0ABCDEF1/B0ABCDEF2/${x("aB3", 8)}`,
    ],
    passes: ["https://hooks.slack.com/", "xox-", "#alerts-channel"],
  },
  "aws-access-key": {
    caught: [`AKIA${x("QZ2X", 4)}`, `aws_key=ASIA${x("WXYZ", 4)}`],
    passes: ["AKIAshort", "arn:aws:iam::123456789012:role/deploy", "us-east-1"],
  },
  "google-key": {
    caught: [`AIza${x("Sy9_a", 7)}`, `GOCSPX-${x("aB3-", 7)}`],
    passes: [
      "AIza",
      "projects/acme-prod/locations/us-central1",
      "123-abc.apps.googleusercontent.com",
    ],
  },
  "secret-assignment": {
    caught: [
      "node server.js --env API_TOKEN=9f8e7d6c5b",
      "RAILWAY_TOKEN=3f1c2a9e-7b4d-4e0a-9c1f-2d8e6b5a4c3b",
    ],
    passes: ["TOKEN_TTL=3600", "API_TOKEN=${{auth.API_TOKEN}}", "LOG_LEVEL=debug-verbose"],
  },
};

/** Values every rule must let pass: public URLs, host names and ids that are not secrets. */
const ORDINARY_VALUES = [
  "https://api.acme-agents.com/v1",
  "https://app.acme-agents.com,https://admin.acme-agents.com",
  "api.acme-agents.com",
  "backend.railway.internal",
  "3f1c2a9e-7b4d-4e0a-9c1f-2d8e6b5a4c3b",
  "ghcr.io/acme/broker@sha256:" + x("a", 64),
  "pgvector/pgvector:0.8.0-pg16",
  "${{postgres.DATABASE_URL}}",
  "postgresql://${{postgres.PGUSER}}:${{postgres.PGPASSWORD}}@${{postgres.RAILWAY_PRIVATE_DOMAIN}}:5432/app",
  "G-ABC123XYZ",
  "UA-12345678-1",
  "pk_test_" + x("4eC3", 6),
  "price_1NqL0k2eZvKYlo2C",
  "acct_1032D82eZvKYlo2C",
  "cus_NffrFeUfNV2Hib",
  "gpt-4o-mini",
  "claude-sonnet-4-5",
  "text-embedding-3-small",
  "0 3 * * *",
  "true",
  "8080",
  "",
];

describe("findSecretInValue", () => {
  it("has examples for every rule", () => {
    expect(Object.keys(CASES).sort()).toEqual(SECRET_RULES.map((rule) => rule.id).sort());
    for (const cases of Object.values(CASES)) {
      expect(cases.caught.length).toBeGreaterThanOrEqual(1);
      expect(cases.passes.length).toBeGreaterThanOrEqual(2);
    }
  });

  describe.each(Object.entries(CASES))("rule %s", (rule, cases) => {
    it.each(cases.caught)("catches %j", (value) => {
      expect(findSecretInValue(value)?.rule).toBe(rule);
    });
    it.each(cases.passes)("passes %j", (value) => {
      expect(findSecretInValue(value)).toBeUndefined();
    });
  });

  it.each(ORDINARY_VALUES)("passes the ordinary value %j", (value) => {
    expect(findSecretInValue(value)).toBeUndefined();
  });

  it("names what it found", () => {
    expect(findSecretInValue(`token: sk_live_${x("4eC3", 6)}`)).toEqual({
      rule: "stripe-key",
      what: "a Stripe secret key",
    });
  });
});

describe("literalUrlPassword", () => {
  it.each([
    ["postgresql://app:hunter2@db:5432/app", "hunter2"],
    ["see redis://u:p%40ss@host:6379 for details", "p%40ss"],
    ["postgresql://u:${{pg.PGPASSWORD}}${{pg.SUFFIX}}@host/db", undefined],
    ["postgresql://u:x${{pg.PGPASSWORD}}@host/db", "x\u0001"],
    ["https://user@host", undefined],
    ["https://user:@host", undefined],
    ["not a url: user:pass@host", undefined],
  ])("literalUrlPassword(%j) is %j", (value, expected) => {
    expect(literalUrlPassword(value)).toBe(expected);
  });
});
