/** Format checks and helpers behind the stack config schema. */
import { subjectsOverlap } from "../../infra/config/checks";
import {
  checkCron,
  checkImage,
  closest,
  configKeyFor,
  isHostname,
  parseDurationSeconds,
  parseSizeMB,
} from "../../infra/domain/rules";
import { yamlPath } from "../../infra/config/issues";
import { applyTierDefaults } from "../../infra/config/tiers";
import { appVariables } from "../../infra/config/variables";
import { baseConfig } from "../fixtures/config";

describe("sizes and durations", () => {
  it.each([
    ["512MB", 512],
    ["1GB", 1024],
    ["1.5GB", 1536],
    ["10gb", 10240],
    ["2 GB", 2048],
  ])("parses %s as %i MB", (text, mb) => expect(parseSizeMB(text)).toBe(mb));

  it.each(["", "1", "1TB", "0MB", "1.3MB", "-1GB", "GB", "1 GiB"])("rejects size %j", (text) =>
    expect(parseSizeMB(text)).toBeUndefined(),
  );

  it.each([
    ["30s", 30],
    ["30m", 1800],
    ["12h", 43200],
    ["7d", 604800],
  ])("parses duration %s as %i s", (text, seconds) =>
    expect(parseDurationSeconds(text)).toBe(seconds),
  );

  it.each(["0d", "7", "7days", "1.5h", "7D", " 7d"])("rejects duration %j", (text) =>
    expect(parseDurationSeconds(text)).toBeUndefined(),
  );
});

describe("cron", () => {
  it.each([
    "0 3 * * *",
    "*/5 * * * *",
    "0 0 1 JAN *",
    "30 2 * * MON-FRI",
    "0 9-17/2 * * 1,3,5",
    "0 0 * * 7",
  ])("accepts %j", (schedule) => expect(checkCron(schedule)).toBeUndefined());

  it.each([
    ["* * * *", "has 4 fields"],
    ["0 24 * * *", 'invalid hour field "24"'],
    ["0 0 0 * *", 'invalid day of month field "0"'],
    ["0 0 * 13 *", 'invalid month field "13"'],
    ["0 0 * * 8", 'invalid day of week field "8"'],
    ["*/0 * * * *", 'invalid minute field "*/0"'],
    ["5-1 * * * *", 'invalid minute field "5-1"'],
  ])("rejects %j", (schedule, fragment) =>
    expect(checkCron(schedule)?.problem).toContain(fragment),
  );
});

describe("images", () => {
  it.each([
    "redis:7.4-alpine",
    "pgvector/pgvector:0.8.0-pg16",
    "ghcr.io/acme/broker:1.4.2",
    "localhost:5000/acme/app:dev-1",
    `nats@sha256:${"0".repeat(64)}`,
    `ghcr.io/acme/app:1.0@sha256:${"f".repeat(64)}`,
  ])("accepts %s", (image) => expect(checkImage(image)).toBeUndefined());

  it.each([
    ["redis", "has no tag"],
    ["redis:latest", 'floating tag "latest"'],
    ["redis:alpine", 'floating tag "alpine"'],
    ["ghcr.io/acme/app", "has no tag"],
    ["Redis:7", "is not an image reference"],
    ["nats@sha256:abc", 'has a malformed digest "sha256:abc"'],
    ["redis:7 ", "is not an image reference"],
  ])("rejects %s", (image, fragment) => expect(checkImage(image)?.problem).toContain(fragment));
});

describe("host names, URLs, subjects", () => {
  it.each([
    ["api.acme-agents.com", true],
    ["*.acme-agents.com", true],
    ["acme", false],
    ["API.acme.com", false],
    ["-api.acme.com", false],
    ["api.acme.123", false],
  ])("isHostname(%s) = %s", (host, ok) => expect(isHostname(host)).toBe(ok));

  it.each([
    ["agents.>", "agents.created", true],
    ["agents.*", "agents.created", true],
    ["agents.*", "agents.a.b", false],
    ["agents.>", "agents", false],
    ["a.b", "a.c", false],
    [">", "x.y", true],
  ])("subjectsOverlap(%s, %s) = %s", (a, b, overlap) => {
    expect(subjectsOverlap(a, b)).toBe(overlap);
    expect(subjectsOverlap(b, a)).toBe(overlap);
  });
});

describe("paths and suggestions", () => {
  it("renders Pulumi --path syntax, quoting keys that need it", () => {
    expect(yamlPath(["services", "ml", "replicas"])).toBe(
      "railway-stacks:app.services.ml.replicas",
    );
    expect(yamlPath(["services", "api", "domains", "custom", 0])).toBe(
      "railway-stacks:app.services.api.domains.custom[0]",
    );
    expect(yamlPath(["services", "api.v2"])).toBe('railway-stacks:app.services["api.v2"]');
    expect(yamlPath(["services", 'a"b'])).toBe('railway-stacks:app.services["a\\"b"]');
    expect(yamlPath(["regions", "us-west2"])).toBe("railway-stacks:app.regions.us-west2");
    expect(yamlPath([])).toBe("railway-stacks:app");
  });

  it("suggests the nearest known value", () => {
    expect(closest("replica", ["replicas", "regions"])).toBe("replicas");
    expect(closest("RAILPACK", ["railpack"])).toBe("railpack");
    expect(closest("zzz", ["postgres", "redis"])).toBeUndefined();
  });

  it("suggests config keys for secret variables", () => {
    expect(configKeyFor("OPENAI_API_KEY")).toBe("openaiApiKey");
    expect(configKeyFor("DB_PASSWORD")).toBe("dbPassword");
  });
});

describe("tier defaults merge", () => {
  it("does not mutate the raw object and leaves unknown tiers alone", () => {
    const raw = baseConfig();
    const copy = structuredClone(raw);
    applyTierDefaults(raw);
    expect(raw).toEqual(copy);
    const unknown = { ...baseConfig(), tier: "staging" };
    expect(applyTierDefaults(unknown)).toBe(unknown);
    expect(applyTierDefaults("text")).toBe("text");
  });
});

describe("appVariables", () => {
  it("renders the app settings as the variables every service receives", () => {
    expect(
      appVariables("production", {
        rateLimit: { enabled: true, rpm: 60 },
        securityMiddleware: true,
        logFormat: "json",
        debug: false,
        corsOrigins: ["https://app.acme-agents.com", "https://admin.acme-agents.com"],
      }),
    ).toEqual({
      APP_ENV: "production",
      LOG_FORMAT: "json",
      RATE_LIMIT_ENABLED: "true",
      RATE_LIMIT_RPM: "60",
      SECURITY_MIDDLEWARE: "true",
      DEBUG: "false",
      CORS_ORIGINS: "https://app.acme-agents.com,https://admin.acme-agents.com",
    });
  });
});
