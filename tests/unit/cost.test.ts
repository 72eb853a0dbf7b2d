/**
 * The cost estimate: Railway's rates as data, one service recomputed by hand from the shipped
 * production config, whole stacks, PR previews per day, and the config keys it reads.
 */
import { one } from "../helpers/data-services";
import { formatIssue, parseStackConfig, type ParsedStackConfig } from "../../infra/config";
import { derivePrStackConfig } from "../../infra/config/pr";
import {
  PLAN_REPLICA_CEILING,
  RAILWAY_RATES,
  cents,
  computeMonthlyCost,
  estimateStackCost,
  perDay,
  volumeMonthlyCost,
} from "../../infra/cost";
import { type RawConfig, baseConfig, readStackFile } from "../fixtures/config";

function parsed(raw: unknown, stack = "production"): ParsedStackConfig {
  const result = parseStackConfig(raw, stack);
  if (!result.ok) throw new Error(result.issues.map(formatIssue).join("\n"));
  return result.config;
}

function problems(raw: unknown, stack = "production"): string[] {
  const result = parseStackConfig(raw, stack);
  return result.ok ? [] : result.issues.map(formatIssue);
}

describe("Railway's rates", () => {
  it("are Railway's published rates, with their source and date", () => {
    expect(RAILWAY_RATES).toEqual({
      source: "https://docs.railway.com/reference/pricing/plans (Resource Usage Pricing)",
      retrieved: "2026-12-03",
      cpu: { perMonthUsd: 20, perMinuteUsd: 0.000463 },
      memory: { perMonthUsd: 10, perMinuteUsd: 0.000231 },
      volume: { perMonthUsd: 0.15, perMinuteUsd: 0.000003472222222 },
      egressPerGbUsd: 0.05,
      daysPerMonth: 30,
    });
    expect(PLAN_REPLICA_CEILING).toMatchObject({ cpu: 32, memoryGB: 32 });
  });

  it("per minute agree with per month over a 30-day month (Railway rounds the per-minute rates)", () => {
    const minutes = RAILWAY_RATES.daysPerMonth * 24 * 60;
    // 0.000463 × 43,200 = $20.0016; 0.000231 × 43,200 = $9.9792; volumes agree to the cent.
    expect(RAILWAY_RATES.cpu.perMinuteUsd * minutes).toBeCloseTo(20.0016, 10);
    expect(RAILWAY_RATES.memory.perMinuteUsd * minutes).toBeCloseTo(9.9792, 10);
    expect(RAILWAY_RATES.volume.perMinuteUsd * minutes).toBeCloseTo(0.15, 8);
  });
});

describe("estimateStackCost on the shipped production config", () => {
  const production = parsed(readStackFile("production"));
  const estimate = estimateStackCost(production);
  const byName = Object.fromEntries(estimate.lines.map((line) => [line.name, line]));

  it("recomputes backend by hand: 3 replicas × (2 vCPU × $20 + 2 GB × $10)", () => {
    // Upper: 3 × (40 + 20) = $180. Lower: 25% (the default expectedUtilization) of that = $45.
    expect(byName.backend).toEqual({
      name: "backend",
      kind: "app",
      replicas: 3,
      cpu: 2,
      memoryGB: 2,
      unlimited: false,
      utilization: 0.25,
      volumeGB: 0,
      compute: { lower: 45, upper: 180 },
      volume: 0,
      lower: 45,
      upper: 180,
    });
  });

  it("recomputes postgres by hand: compute plus its 20 GB volume at $0.15/GB", () => {
    // Compute 1 × (2 × 20 + 4 × 10) = $80; volume 20 × 0.15 = $3; lower 0.25 × 80 + 3 = $23.
    expect(byName.postgres).toMatchObject({
      replicas: 1,
      cpu: 2,
      memoryGB: 4,
      volumeGB: 20,
      volume: 3,
      compute: { lower: 20, upper: 80 },
      lower: 23,
      upper: 83,
    });
  });

  it("counts broker's replicas over its regions (2 + 1)", () => {
    expect(byName.broker).toMatchObject({ replicas: 3, upper: 180, lower: 45 });
  });

  it("adds up every service", () => {
    expect(estimate.lines.map((line) => [line.name, cents(line.lower), cents(line.upper)])).toEqual(
      [
        ["postgres", 23, 83],
        ["redis", 7.65, 30.15],
        ["nats", 7.65, 30.15],
        ["broker", 45, 180],
        ["backend", 45, 180],
        ["ml", 80, 320],
        ["frontend", 15, 60],
      ],
    );
    expect({ lower: cents(estimate.monthly.lower), upper: cents(estimate.monthly.upper) }).toEqual({
      lower: 223.3,
      upper: 883.3,
    });
    expect(estimate.budgetMonthlyUsd).toBe(1000);
  });

  it("moves by $60 upper and $15 lower when backend gets a fourth replica", () => {
    const raw = readStackFile("production");
    raw.services.backend.replicas = 4;
    const changed = estimateStackCost(parsed(raw));
    expect(cents(changed.monthly.upper - estimate.monthly.upper)).toBe(60);
    expect(cents(changed.monthly.lower - estimate.monthly.lower)).toBe(15);
  });
});

describe("the cost model", () => {
  it("prices a service without limits at the plan's per-replica ceiling", () => {
    expect(computeMonthlyCost({ replicas: 2, utilization: 0.1 })).toEqual({
      lower: 192,
      upper: 1920,
      cpu: 32,
      memoryGB: 32,
      unlimited: true,
    });
  });

  it("prices 512 MB as half a GB and a volume by its size", () => {
    expect(computeMonthlyCost({ replicas: 1, cpu: 0.5, memoryMB: 512, utilization: 0.5 })).toEqual({
      lower: 7.5,
      upper: 15,
      cpu: 0.5,
      memoryGB: 0.5,
      unlimited: false,
    });
    expect(volumeMonthlyCost(2048)).toBe(0.3);
    expect(perDay(30)).toBe(1);
  });
});

describe("config keys of the estimate", () => {
  it("takes a service's expectedUtilization and the stack's budget", () => {
    const raw: RawConfig = baseConfig();
    raw.services.api.expectedUtilization = 0.5;
    raw.services.api.limits = { cpu: 1, memory: "1GB" };
    raw.postgres.expectedUtilization = 0.1;
    raw.budget = { monthlyUsd: 250 };
    const config = parsed(raw);
    expect(config.services.api!.expectedUtilization).toBe(0.5);
    expect(config.services.worker!.expectedUtilization).toBe(0.25);
    expect(one(config, "postgres").expectedUtilization).toBe(0.1);
    expect(config.budget).toEqual({ monthlyUsd: 250 });
    const api = estimateStackCost(config).lines.find((line) => line.name === "api")!;
    // Production's default: 2 replicas for a public service; 2 × (20 + 10) = $60, half of it $30.
    expect([api.lower, api.upper]).toEqual([30, 60]);
  });

  it("rejects a utilization outside (0, 1] and a budget that is not positive", () => {
    const raw: RawConfig = baseConfig();
    raw.services.api.expectedUtilization = 0;
    raw.redis.expectedUtilization = 1.5;
    raw.budget = { monthlyUsd: -5 };
    expect(problems(raw)).toEqual([
      "railway-stacks:app.redis.expectedUtilization: (1.5) must be at most 1. Fix: use a value of 1 or less",
      "railway-stacks:app.services.api.expectedUtilization: (0) must be greater than 0. Fix: use a value above 0",
      "railway-stacks:app.budget.monthlyUsd: (-5) must be greater than 0. Fix: use a value above 0",
    ]);
  });
});

describe("a PR preview stack", () => {
  it("costs its capped limits per day", () => {
    const preview = parsed(readStackFile("preview"), "preview");
    const pr = estimateStackCost(derivePrStackConfig(preview, { prNumber: 7, branch: "feat/x" }));
    // Every service: 1 replica, at most 1 vCPU and 1 GB: at most $30 a month each.
    for (const line of pr.lines) {
      expect(line.replicas).toBe(1);
      expect(line.cpu).toBeLessThanOrEqual(1);
      expect(line.memoryGB).toBeLessThanOrEqual(1);
    }
    expect(pr.stack).toBe("pr-7");
    // postgres 30 + 2 GB × 0.15, redis and nats 30 + 1 GB × 0.15, broker/backend/ml 30,
    // frontend 0.5 × 20 + 0.5 × 10 = 15: $195.60 a month, $6.52 a day.
    expect(cents(pr.monthly.upper)).toBe(195.6);
    expect(cents(perDay(pr.monthly.upper))).toBe(6.52);
    expect(cents(perDay(pr.monthly.lower))).toBe(1.65);
  });
});

describe("a volume on an app service", () => {
  it("resolves, defaults the service to one replica, and is priced", () => {
    const raw: RawConfig = baseConfig();
    raw.services.api.volume = { mountPath: "/data/uploads", size: "10GB", backups: ["DAILY"] };
    raw.services.api.limits = { cpu: 1, memory: "1GB" };
    const config = parsed(raw);
    expect(config.services.api!.volume).toEqual({
      mountPath: "/data/uploads",
      sizeMB: 10240,
      backups: ["DAILY"],
    });
    // Production would give a public service 2 replicas; a volume attaches to one.
    expect(config.services.api!.replicas).toBe(1);
    const api = estimateStackCost(config).lines.find((line) => line.name === "api")!;
    // 1 × (20 + 10) + 10 GB × 0.15 = $31.50; lower 0.25 × 30 + 1.5 = $9.
    expect([api.volumeGB, api.lower, api.upper]).toEqual([10, 9, 31.5]);
  });

  it("is exclusive with several replicas and with regions", () => {
    const raw: RawConfig = baseConfig();
    raw.services.api.volume = { mountPath: "/data" };
    raw.services.api.replicas = 3;
    raw.services.worker.volume = { mountPath: "data" };
    raw.services.worker.regions = { "us-west2": 1 };
    expect(problems(raw)).toEqual([
      'railway-stacks:app.services.api.volume: is set but the service runs 3 replicas, and Railway attaches a volume to a single replica. Fix: set "replicas" to 1, or remove "volume"',
      'railway-stacks:app.services.worker.volume.mountPath: "data" is not an absolute mount path. Fix: start with "/" and use letters, digits, ".", "_", "-" and "/", e.g. "/data"',
      'railway-stacks:app.services.worker.volume: cannot be used with "regions": Railway attaches a volume to a single replica. Fix: remove "regions" (the service then runs one replica in project.region), or remove "volume"',
    ]);
  });
});
