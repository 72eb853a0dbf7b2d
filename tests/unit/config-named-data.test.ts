/**
 * Several data services of a kind, named by the user (`postgres: { main: ..., analytics: ... }`):
 * how the two forms resolve, link and reference, the exact problems reported, PR derivation and
 * the cost estimate. The one-instance form is pinned by config.test.ts.
 */
import {
  derivePrStackConfig,
  formatIssue,
  parseStackConfig,
  prAdjustments,
} from "../../infra/config";
import { estimateStackCost } from "../../infra/cost";
import { type RawConfig, baseConfig } from "../fixtures/config";

const P = "railway-stacks:app";

function problems(mutate: (raw: RawConfig) => void, stack = "production"): string[] {
  const raw = baseConfig();
  mutate(raw);
  const result = parseStackConfig(raw, stack);
  return result.ok ? [] : result.issues.map(formatIssue);
}

function parsed(mutate: (raw: RawConfig) => void, raw = baseConfig(), stack = "production") {
  mutate(raw);
  const result = parseStackConfig(raw, stack);
  if (!result.ok) throw new Error(result.issues.map(formatIssue).join("\n"));
  return result.config;
}

/** Two Postgres instances, api linked to main and worker to analytics. */
const twoPostgres = (r: RawConfig): void => {
  r.postgres = { main: {}, analytics: { database: "analytics", volumeSize: "5GB" } };
  r.services.api.links = ["postgres.main", "redis"];
  r.services.worker.links = ["nats", "postgres.analytics"];
};

describe("named data service instances", () => {
  it("resolves each instance with its Railway service name, path and the tier's defaults", () => {
    const config = parsed(twoPostgres);
    expect(
      config.dataServices.map((d) => ({
        kind: d.kind,
        instance: d.instance,
        serviceName: d.serviceName,
        path: d.path,
      })),
    ).toEqual([
      {
        kind: "postgres",
        instance: "main",
        serviceName: "postgres-main",
        path: ["postgres", "main"],
      },
      {
        kind: "postgres",
        instance: "analytics",
        serviceName: "postgres-analytics",
        path: ["postgres", "analytics"],
      },
      { kind: "redis", instance: undefined, serviceName: "redis", path: ["redis"] },
      { kind: "nats", instance: undefined, serviceName: "nats", path: ["nats"] },
    ]);
    const [main, analytics] = config.dataServices;
    // Production's backups apply to each instance that does not set its own.
    expect(main).toMatchObject({ database: "app", volumeSizeMB: 1024, backups: ["DAILY"] });
    expect(analytics).toMatchObject({
      database: "analytics",
      volumeSizeMB: 5120,
      backups: ["DAILY"],
    });
    expect(config.services["api"]!.links).toEqual(["postgres-main", "redis"]);
    expect(config.services["worker"]!.links).toEqual(["nats", "postgres-analytics"]);
  });

  it("leaves out disabled instances and accepts references by Railway service name", () => {
    const config = parsed((r) => {
      twoPostgres(r);
      r.postgres.old = { enabled: false };
      r.services.api.variables.ANALYTICS_URL = { ref: "postgres-analytics.DATABASE_URL" };
    });
    expect(config.dataServices.map((d) => d.serviceName)).toEqual([
      "postgres-main",
      "postgres-analytics",
      "redis",
      "nats",
    ]);
    expect(config.services["api"]!.variables["ANALYTICS_URL"]).toEqual({
      kind: "reference",
      service: "postgres-analytics",
      variable: "DATABASE_URL",
    });
  });

  it.each<[string, (r: RawConfig) => void, string[]]>([
    [
      "a bare link when there are instances",
      (r) => (r.postgres = { main: {}, analytics: {} }),
      [
        `${P}.services.api.links[0]: postgres has instances main, analytics. Fix: write postgres.main (or postgres.analytics)`,
      ],
    ],
    [
      "a misspelled instance",
      (r) => {
        twoPostgres(r);
        r.services.api.links = ["postgres.analytcs", "redis"];
      },
      [
        `${P}.services.api.links[0]: "postgres.analytcs" is not a postgres instance of this stack (it declares postgres.main, postgres.analytics). Fix: use "postgres.analytics"`,
      ],
    ],
    [
      "an instance link to the one-instance form",
      (r) => (r.services.api.links = ["postgres.main", "redis"]),
      [
        `${P}.services.api.links[0]: "postgres.main" names a postgres instance, but the stack declares one postgres without instance names. Fix: write postgres, or declare named instances under postgres (e.g. postgres: { main: {...} })`,
      ],
    ],
    [
      "two instances of a kind on one service",
      (r) => {
        twoPostgres(r);
        r.services.api.links = ["postgres.main", "postgres.analytics"];
      },
      [
        `${P}.services.api.links[1]: links postgres.analytics, but postgres.main is linked too and both would set DATABASE_URL (and the other postgres variables). Fix: link one postgres instance, and reach the other through a variable of another name, e.g. ANALYTICS_DATABASE_URL: { ref: postgres-analytics.DATABASE_URL }`,
      ],
    ],
    [
      "settings mixed with an instance",
      (r) => (r.postgres = { image: "pgvector/pgvector:0.8.0-pg16", main: {} }),
      [
        `${P}.postgres.main: is not a postgres setting, and named postgres instances cannot sit next to postgres settings. Fix: to declare named instances, write only instances under postgres and move the settings into each (e.g. postgres.main.image); else remove "main"`,
      ],
    ],
    [
      "a bad setting inside an instance",
      (r) => {
        twoPostgres(r);
        r.postgres.main.image = "pg";
        r.postgres.analytics.volumeSize = 5;
      },
      [
        `${P}.postgres.main.image: "pg" has no tag; images must be pinned to a version tag or a digest. Fix: pin a version, e.g. "pg:<version>", or a digest "pg@sha256:<digest>"`,
        `${P}.postgres.analytics.volumeSize: must be a size with its unit, not the number 5. Fix: write "5MB"`,
      ],
    ],
    [
      "an instance that is not a mapping",
      (r) => {
        twoPostgres(r);
        r.postgres.analytics = "yes";
      },
      [
        `${P}.postgres.analytics: must be a mapping, not the text "yes". Fix: write a mapping of keys to values (see docs/config-reference.md)`,
      ],
    ],
    [
      "an instance name that makes no service name",
      (r) => {
        r.postgres = { Main_DB: {} };
        r.services.api.links = ["redis"];
      },
      [
        `${P}.postgres.Main_DB: is not a valid postgres instance name (its Railway service would be "postgres-Main_DB"). Fix: use lowercase letters, digits and "-", starting with a letter and ending with a letter or digit, at most 32 characters, e.g. "main-db"`,
      ],
    ],
    [
      "an app service named like an instance's service",
      (r) => {
        twoPostgres(r);
        r.services["postgres-main"] = { source: { image: "ghcr.io/acme/tool:1.0.0" } };
      },
      [
        `${P}.services.postgres-main: clashes with the Railway service of postgres instance "main". Fix: rename the service, e.g. "postgres-main-app", or rename the instance`,
      ],
    ],
    [
      "a reference to the kind instead of the instance's service",
      (r) => {
        twoPostgres(r);
        r.services.worker.variables.DB = { ref: "postgres.DATABASE_URL" };
      },
      [
        `${P}.services.worker.variables.DB.ref: refers to postgres, which has named instances (services postgres-main, postgres-analytics). Fix: write "postgres-main.DATABASE_URL" (or "postgres-analytics.DATABASE_URL")`,
      ],
    ],
    [
      "a link and a reference to a disabled instance",
      (r) => {
        twoPostgres(r);
        r.postgres.analytics.enabled = false;
        r.services.api.variables.DB = { ref: "postgres-analytics.DATABASE_URL" };
      },
      [
        `${P}.services.api.variables.DB.ref: refers to postgres-analytics, which is disabled. Fix: set railway-stacks:app.postgres.analytics.enabled to true, or remove the variable`,
        `${P}.services.worker.links[1]: links to postgres.analytics, which is disabled. Fix: remove "postgres.analytics" from links, or set railway-stacks:app.postgres.analytics.enabled to true`,
      ],
    ],
    [
      "a link variable set by hand",
      (r) => {
        twoPostgres(r);
        r.services.api.variables.DATABASE_URL = "postgresql://db";
      },
      [
        `${P}.services.api.variables.DATABASE_URL: is set by the link to postgres.main. Fix: remove it, or remove "postgres.main" from "links" to set it yourself`,
      ],
    ],
    [
      "a named NATS whose JetStream outgrows its volume",
      (r) => {
        r.nats = { bus: { jetStream: { maxStorage: "2GB" } } };
        r.services.worker.links = ["nats.bus"];
      },
      [
        `${P}.nats.bus.jetStream.maxStorage: (2GB) is larger than "nats.bus.volumeSize" (1GB). Fix: lower "jetStream.maxStorage" to at most 1GB, or raise "nats.bus.volumeSize" to at least 2GB`,
      ],
    ],
  ])("reports %s", (_name, mutate, lines) => {
    expect(problems(mutate)).toEqual(lines);
  });

  it("keeps the one-instance form for an empty mapping and a misspelled setting", () => {
    expect(parsed((r) => (r.postgres = {})).dataServices[0]!.serviceName).toBe("postgres");
    expect(problems((r) => (r.postgres = { imagee: "x:1" }))).toEqual([
      `${P}.postgres.imagee: is not a known key. Fix: rename it to "image"`,
    ]);
  });

  it("derives PR stacks per instance: capped limits, no backups, adjustments by path", () => {
    const preview = parsed(
      (r) => {
        r.tier = "preview";
        twoPostgres(r);
        r.postgres.analytics.limits = { cpu: 4 };
        r.postgres.analytics.backups = ["WEEKLY"];
      },
      baseConfig(),
      "preview",
    );
    const pr = derivePrStackConfig(preview, { prNumber: 7, branch: "feature/x" });
    expect(pr.dataServices.map((d) => [d.serviceName, d.limits?.cpu])).toEqual([
      ["postgres-main", 1],
      ["postgres-analytics", 1],
      ["redis", 1],
      ["nats", 1],
    ]);
    expect(pr.dataServices.filter((d) => d.kind === "postgres").map((d) => d.backups)).toEqual([
      [],
      [],
    ]);
    expect(prAdjustments(preview).map((a) => `${a.path}: ${a.change}`)).toContain(
      `${P}.postgres.analytics.limits.cpu: 4 vCPU is capped to 1 in PR stacks`,
    );
    expect(prAdjustments(preview).map((a) => `${a.path}: ${a.change}`)).toContain(
      `${P}.postgres.analytics.backups: WEEKLY is dropped: PR stacks keep no backups`,
    );
  });

  it("prices every instance as a line of its own", () => {
    const estimate = estimateStackCost(parsed(twoPostgres));
    expect(estimate.lines.map((line) => [line.name, line.kind, line.volumeGB])).toEqual([
      ["postgres-main", "postgres", 1],
      ["postgres-analytics", "postgres", 5],
      ["redis", "redis", 1],
      ["nats", "nats", 1],
      ["api", "app", 0],
      ["worker", "app", 0],
    ]);
    const single = estimateStackCost(parsed(() => undefined));
    const analytics = estimate.lines[1]!;
    expect(estimate.monthly.upper).toBeCloseTo(single.monthly.upper + analytics.upper, 6);
  });
});
