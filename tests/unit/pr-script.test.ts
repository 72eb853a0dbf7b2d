/**
 * `npm run pr` without Pulumi: the command line (exact messages), the end-of-run blocks, and the
 * exit codes of bad command lines (main() in-process; usage errors never reach the Automation API).
 */
import { join } from "node:path";

import { UsageError, splitArgv } from "../../scripts/lib/argv";
import { PR_USAGE, parsePrArgs, parsePrNumber } from "../../scripts/lib/pr-args";
import { formatChanges, formatDownSummary, formatUpSummary } from "../../scripts/lib/pr-output";
import { REPO_ROOT, main } from "../../scripts/pr";

const ROOT = "/repo";
const parse = (...argv: string[]) => parsePrArgs(argv, ROOT, { INIT_CWD: "/home/me/work" });
const usageError = (...argv: string[]): string => {
  try {
    parse(...argv);
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return (err as Error).message;
  }
  throw new Error(`no error for ${argv.join(" ")}`);
};

describe("pr command line", () => {
  it("parses up and down", () => {
    expect(parse("up", "7", "--branch", "feature/search")).toEqual({
      command: "up",
      prNumber: 7,
      branch: "feature/search",
      projectDir: ROOT,
      json: false,
    });
    expect(parse("up", "--branch=fix/x", "12", "--json", "--project-dir", "scratch")).toEqual({
      command: "up",
      prNumber: 12,
      branch: "fix/x",
      projectDir: "/home/me/work/scratch",
      json: true,
    });
    expect(parse("down", "7", "--project-dir=/tmp/p")).toEqual({
      command: "down",
      prNumber: 7,
      projectDir: "/tmp/p",
      json: false,
    });
    expect(parse("--help")).toEqual({ command: "help" });
    expect(parse("up", "-h")).toEqual({ command: "help" });
  });

  it.each([
    [[], `missing command: "up" or "down"`],
    [["deploy", "7"], `unknown command "deploy": use "up" or "down"`],
    [["up"], `"pr up" needs the pull request number, e.g. up 42 --branch feature/search`],
    [["down"], `"pr down" needs the pull request number, e.g. down 42`],
    [
      ["up", "0", "--branch", "b"],
      `"0" is not a pull request number: use a positive whole number, e.g. 42`,
    ],
    [
      ["up", "-3", "--branch", "b"],
      `"-3" is not a pull request number: use a positive whole number, e.g. 42`,
    ],
    [["down", "7.5"], `"7.5" is not a pull request number: use a positive whole number, e.g. 42`],
    [["down", "007"], `"007" is not a pull request number: use a positive whole number, e.g. 42`],
    [
      ["down", "seven"],
      `"seven" is not a pull request number: use a positive whole number, e.g. 42`,
    ],
    [["down", "7", "8"], `unexpected argument "8"`],
    [
      ["up", "7"],
      `"pr up" needs --branch <branch>: the pull request's head branch, e.g. --branch feature/search`,
    ],
    [["up", "7", "--branch"], `--branch needs a value`],
    [["up", "7", "--branch", "--json"], `--branch needs a value`],
    [["up", "7", "--branch="], `--branch needs a value`],
    [
      ["up", "7", "--branch", "my branch"],
      `--branch "my branch" is not a valid git branch name. Fix: use the branch name as git shows it, e.g. "main"`,
    ],
    [["down", "7", "--branch", "x"], `--branch only applies to "pr up"`],
    [["up", "7", "--branch", "a", "--branch", "b"], `--branch is given more than once`],
    [["down", "7", "--force"], `unknown option "--force"`],
    [["down", "7", "--json=yes"], `--json takes no value`],
    [["down", "7", "-f"], `unknown option "-f"`],
  ])("rejects %j: %s", (argv, message) => {
    expect(usageError(...(argv as string[]))).toBe(message);
  });

  it("reads numbers as GitHub shows them", () => {
    expect(parsePrNumber("1")).toBe(1);
    expect(parsePrNumber("4242")).toBe(4242);
    expect(() => parsePrNumber("99999999999999999999")).toThrow(UsageError);
    expect(() => parsePrNumber("")).toThrow(UsageError);
  });

  it("treats everything after -- as arguments", () => {
    expect(splitArgv(["up", "--", "--json"], { json: "boolean" })).toEqual({
      positionals: ["up", "--json"],
      options: {},
    });
  });
});

describe("pr output", () => {
  it("describes resource changes", () => {
    expect(formatChanges({ create: 35 })).toBe("35 created");
    expect(formatChanges({ same: 35 })).toBe("none (35 unchanged)");
    expect(formatChanges({ update: 1, same: 34 })).toBe("1 updated, 34 unchanged");
    expect(formatChanges({ delete: 35 })).toBe("35 deleted");
    expect(formatChanges({ create: 0 })).toBe("none");
    expect(formatChanges({})).toBe("none");
  });

  it("ends up with the stack's URLs in one block", () => {
    expect(
      formatUpSummary({
        stack: "pr-7",
        prNumber: 7,
        branch: "feature/search",
        project: "agent-platform-preview-pr-7",
        serviceUrls: {
          frontend: "https://frontend-preview-1.up.railway.app",
          backend: "https://backend-preview-2.up.railway.app",
          broker: "https://broker-preview-3.up.railway.app",
        },
        healthUrls: {},
        changes: { create: 35 },
        adjustments: [],
        warnings: [],
      }),
    ).toBe(
      [
        "=== PR #7 is up: stack pr-7 ===",
        "Project: agent-platform-preview-pr-7",
        "Branch:  feature/search",
        "Changes: 35 created",
        "URLs:",
        "  backend   https://backend-preview-2.up.railway.app",
        "  broker    https://broker-preview-3.up.railway.app",
        "  frontend  https://frontend-preview-1.up.railway.app",
        "",
      ].join("\n"),
    );
  });

  it("names the PR's environment of the shared project", () => {
    expect(
      formatUpSummary({
        stack: "pr-7",
        prNumber: 7,
        branch: "feature/search",
        project: "agent-platform",
        layout: "shared",
        environment: "pr-7",
        serviceUrls: {},
        healthUrls: {},
        changes: { create: 36 },
        adjustments: [],
        warnings: [],
      }),
    ).toBe(
      [
        "=== PR #7 is up: stack pr-7 ===",
        "Project: agent-platform, environment pr-7 (ephemeral, forked from preview)",
        "Branch:  feature/search",
        "Changes: 36 created",
        "URLs:    none (no service has a public Railway domain)",
        "",
      ].join("\n"),
    );
  });

  it("adds the estimated cost per day when the stack exports it", () => {
    expect(
      formatUpSummary({
        stack: "pr-7",
        prNumber: 7,
        branch: "feature/search",
        project: "agent-platform-preview-pr-7",
        serviceUrls: {},
        healthUrls: {},
        changes: { same: 35 },
        costPerDayUsd: { lower: 1.65, upper: 6.52 },
        adjustments: [],
        warnings: [],
      }),
    ).toBe(
      [
        "=== PR #7 is up: stack pr-7 ===",
        "Project: agent-platform-preview-pr-7",
        "Branch:  feature/search",
        "Changes: none (35 unchanged)",
        "Cost:    $1.65–$6.52 per day (estimate)",
        "URLs:    none (no service has a public Railway domain)",
        "",
      ].join("\n"),
    );
  });

  it("says so when there is no public service, and repeats warnings at the end", () => {
    expect(
      formatUpSummary({
        stack: "pr-3",
        prNumber: 3,
        branch: "main",
        project: "app-pr-3",
        serviceUrls: {},
        healthUrls: {},
        changes: { same: 12 },
        adjustments: [
          'railway-stacks:app.services.web.domains.custom: "shop.acme.dev" is dropped: PR stacks have no custom domains',
        ],
        warnings: ["secret railway-stacks:k of the preview stack was not copied"],
      }),
    ).toBe(
      [
        "=== PR #3 is up: stack pr-3 ===",
        "Project: app-pr-3",
        "Branch:  main",
        "Changes: none (12 unchanged)",
        "URLs:    none (no service has a public Railway domain)",
        "Differs from preview:",
        '  railway-stacks:app.services.web.domains.custom: "shop.acme.dev" is dropped: PR stacks have no custom domains',
        "Warning: secret railway-stacks:k of the preview stack was not copied",
        "",
      ].join("\n"),
    );
  });

  it("ends down with what was destroyed, or that there was nothing", () => {
    expect(
      formatDownSummary({ stack: "pr-7", prNumber: 7, existed: true, changes: { delete: 35 } }),
    ).toBe("=== PR #7 is down: stack pr-7 removed ===\nDestroyed: 35 deleted\n");
    expect(formatDownSummary({ stack: "pr-7", prNumber: 7, existed: false, changes: {} })).toBe(
      "PR stack pr-7 does not exist: nothing to destroy.\n",
    );
    expect(
      formatDownSummary({
        stack: "pr-7",
        prNumber: 7,
        existed: false,
        changes: {},
        removedConfigFile: "/repo/Pulumi.pr-7.yaml",
      }),
    ).toBe(
      "PR stack pr-7 does not exist: nothing to destroy. Removed the leftover /repo/Pulumi.pr-7.yaml.\n",
    );
  });
});

describe("pr main", () => {
  async function run(...argv: string[]) {
    let stdout = "";
    let stderr = "";
    const code = await main(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
    return { code, stdout, stderr };
  }

  it("prints the usage for --help", async () => {
    expect(await run("--help")).toEqual({ code: 0, stdout: `${PR_USAGE}\n`, stderr: "" });
  });

  it("exits 2 with the problem and the usage on a bad command line", async () => {
    expect(await run()).toEqual({
      code: 2,
      stdout: "",
      stderr: `pr: error: missing command: "up" or "down"\n\n${PR_USAGE}\n`,
    });
    expect(await run("open", "7")).toEqual({
      code: 2,
      stdout: "",
      stderr: `pr: error: unknown command "open": use "up" or "down"\n\n${PR_USAGE}\n`,
    });
    expect((await run("up", "7")).stderr).toBe(
      `pr: error: "pr up" needs --branch <branch>: the pull request's head branch, e.g. --branch feature/search\n\n${PR_USAGE}\n`,
    );
  });

  it("exits 1 with a one-line reason when the directory is not a Pulumi project", async () => {
    const dir = join(REPO_ROOT, "docs");
    expect(await run("down", "7", "--project-dir", dir)).toEqual({
      code: 1,
      stdout: "",
      stderr: `pr down: error: ${dir} is not a Pulumi project (it has no Pulumi.yaml); pass --project-dir <dir>\n`,
    });
  });

  it("defaults the project to the repository root", () => {
    expect(REPO_ROOT).toBe(join(__dirname, "..", ".."));
  });
});
