/**
 * `budget.railwayUsageLimit`: Railway's own usage limit of the workspace. Exact messages for the
 * cross-field checks (hard ≥ soft, the workspace it needs), the resolved value, and PR stacks,
 * which drop it (closing a PR must not remove the workspace's limit).
 */
import {
  derivePrStackConfig,
  formatIssue,
  formatPrAdjustment,
  parseStackConfig,
  prAdjustments,
  type ParsedStackConfig,
} from "../../infra/config";
import { baseConfig, readStackFile, type RawConfig } from "../fixtures/config";

const P = "railway-stacks:app";
const WORKSPACE = "0b6f3f8e-4c1a-4d2b-9e5f-7a8b9c0d1e2f";

function withLimit(limit: unknown, workspaceId: string | null = WORKSPACE): RawConfig {
  const raw = baseConfig();
  if (workspaceId !== null) raw.project.workspaceId = workspaceId;
  raw.budget = { monthlyUsd: 1000, railwayUsageLimit: limit };
  return raw;
}

function problems(raw: unknown, stack = "production"): string[] {
  const result = parseStackConfig(raw, stack);
  return result.ok ? [] : result.issues.map(formatIssue);
}

function parsed(raw: unknown, stack = "production"): ParsedStackConfig {
  const result = parseStackConfig(raw, stack);
  if (!result.ok) throw new Error(result.issues.map(formatIssue).join("\n"));
  return result.config;
}

const NEEDS_WORKSPACE = `${P}.budget.railwayUsageLimit: needs project.workspaceId: a usage limit belongs to a Railway workspace. Fix: add project.workspaceId (the workspace id from the Railway dashboard URL), or remove budget.railwayUsageLimit`;

describe("budget.railwayUsageLimit is resolved", () => {
  it("with a hard limit", () => {
    expect(parsed(withLimit({ softUsd: 800, hardUsd: 1200 })).budget).toEqual({
      monthlyUsd: 1000,
      railwayUsageLimit: { softUsd: 800, hardUsd: 1200 },
    });
  });

  it("without a hard limit, and with a hard limit equal to the soft one", () => {
    expect(parsed(withLimit({ softUsd: 800 })).budget).toEqual({
      monthlyUsd: 1000,
      railwayUsageLimit: { softUsd: 800 },
    });
    expect(parsed(withLimit({ softUsd: 800, hardUsd: 800 })).budget?.railwayUsageLimit).toEqual({
      softUsd: 800,
      hardUsd: 800,
    });
  });

  it("absent when not set", () => {
    const raw = baseConfig();
    raw.budget = { monthlyUsd: 1000 };
    expect(parsed(raw).budget).toEqual({ monthlyUsd: 1000 });
  });

  it("in a non-production stack too (the limit is workspace-wide)", () => {
    const raw = readStackFile("dev");
    raw.project.workspaceId = WORKSPACE;
    raw.budget = { monthlyUsd: 100, railwayUsageLimit: { softUsd: 50 } };
    expect(parsed(raw, "dev").budget?.railwayUsageLimit).toEqual({ softUsd: 50 });
  });
});

describe("budget.railwayUsageLimit is rejected with exact messages", () => {
  it.each<[string, RawConfig, string[]]>([
    [
      "a hard limit below the soft one",
      withLimit({ softUsd: 500, hardUsd: 400 }),
      [
        `${P}.budget.railwayUsageLimit.hardUsd: (400) is below softUsd (500): Railway would stop the services before it warns. Fix: set hardUsd to at least 500, or lower softUsd`,
      ],
    ],
    ["no project.workspaceId", withLimit({ softUsd: 500 }, null), [NEEDS_WORKSPACE]],
    [
      "both at once",
      withLimit({ softUsd: 500, hardUsd: 400 }, null),
      [
        `${P}.budget.railwayUsageLimit.hardUsd: (400) is below softUsd (500): Railway would stop the services before it warns. Fix: set hardUsd to at least 500, or lower softUsd`,
        NEEDS_WORKSPACE,
      ],
    ],
    [
      "a soft limit of 0",
      withLimit({ softUsd: 0 }),
      [
        `${P}.budget.railwayUsageLimit.softUsd: (0) must be at least 1. Fix: use a value of 1 or more`,
      ],
    ],
    [
      "cents",
      withLimit({ softUsd: 10.5 }),
      [
        `${P}.budget.railwayUsageLimit.softUsd: must be a whole number, not 10.5. Fix: write a whole number`,
      ],
    ],
    [
      "no soft limit",
      withLimit({ hardUsd: 10 }),
      [
        `${P}.budget.railwayUsageLimit.softUsd: is missing. Fix: add "softUsd" (a number; see docs/config-reference.md)`,
      ],
    ],
    [
      "a misspelled key",
      withLimit({ softUsd: 10, hard: 20 }),
      [`${P}.budget.railwayUsageLimit.hard: is not a known key. Fix: rename it to "hardUsd"`],
    ],
  ])("%s", (_name, raw, lines) => {
    expect(problems(raw)).toEqual(lines);
  });
});

describe("PR stacks", () => {
  const raw = readStackFile("preview");
  raw.project.workspaceId = WORKSPACE;
  raw.budget = { monthlyUsd: 300, railwayUsageLimit: { softUsd: 200, hardUsd: 400 } };
  const preview = parsed(raw, "preview");

  it("drop the usage limit and keep the budget", () => {
    const pr = derivePrStackConfig(preview, { prNumber: 7, branch: "feature/x" });
    expect(pr.budget).toEqual({ monthlyUsd: 300 });
    expect(preview.budget?.railwayUsageLimit).toEqual({ softUsd: 200, hardUsd: 400 });
  });

  it("say so", () => {
    expect(prAdjustments(preview).map(formatPrAdjustment)).toContain(
      `${P}.budget.railwayUsageLimit: is dropped: the usage limit is the workspace's, and closing the PR must not remove it`,
    );
  });
});
