/** Command line of `npm run pr`: `up <n> --branch <branch>` and `down <n>`. */
import { checkBranch } from "../../infra/domain/rules";
import { UsageError, resolveUserPath, splitArgv, stringOption } from "./argv";

export const PR_USAGE = `Usage:
  npm run pr -- up <number> --branch <branch> [--project-dir <dir>] [--json]
  npm run pr -- down <number> [--project-dir <dir>] [--json]

  up     creates or updates PR stack pr-<number>: the preview stack's config
         (Pulumi.preview.yaml) deployed from <branch> in a Railway project of its own,
         then prints the services' URLs. Running it again converges (no changes).
  down   destroys PR stack pr-<number> and removes the stack; a missing stack is fine.

Options:
  --branch <branch>    the pull request's head branch (up only)
  --project-dir <dir>  the Pulumi project (default: the repository root)
  --json               print the result as JSON on stdout; progress goes to stderr
  -h, --help           show this help`;

export interface PrUpArgs {
  command: "up";
  prNumber: number;
  branch: string;
  projectDir: string;
  json: boolean;
}

export interface PrDownArgs {
  command: "down";
  prNumber: number;
  projectDir: string;
  json: boolean;
}

export type PrArgs = { command: "help" } | PrUpArgs | PrDownArgs;

const OPTIONS = {
  branch: "string",
  "project-dir": "string",
  json: "boolean",
  help: "boolean",
} as const;

/** A pull request number as GitHub shows it: a positive whole number, no sign, no leading zero. */
export function parsePrNumber(text: string): number {
  const value = Number(text);
  if (!/^[1-9]\d*$/.test(text) || !Number.isSafeInteger(value)) {
    throw new UsageError(
      `"${text}" is not a pull request number: use a positive whole number, e.g. 42`,
    );
  }
  return value;
}

/**
 * Parses the arguments after `npm run pr --`.
 * @param defaultProjectDir the repository root
 * @throws UsageError with the exact problem
 */
export function parsePrArgs(
  argv: readonly string[],
  defaultProjectDir: string,
  env: NodeJS.ProcessEnv = process.env,
): PrArgs {
  const parsed = splitArgv(argv, OPTIONS);
  if (parsed.options.help === true) return { command: "help" };

  const [command, number, ...extra] = parsed.positionals;
  if (command === undefined) throw new UsageError(`missing command: "up" or "down"`);
  if (command !== "up" && command !== "down") {
    throw new UsageError(`unknown command "${command}": use "up" or "down"`);
  }
  if (number === undefined) {
    throw new UsageError(
      command === "up"
        ? `"pr up" needs the pull request number, e.g. up 42 --branch feature/search`
        : `"pr down" needs the pull request number, e.g. down 42`,
    );
  }
  const prNumber = parsePrNumber(number);
  if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);

  const projectDirOption = stringOption(parsed, "project-dir");
  const projectDir =
    projectDirOption === undefined ? defaultProjectDir : resolveUserPath(projectDirOption, env);
  const json = parsed.options.json === true;
  const branch = stringOption(parsed, "branch");

  if (command === "down") {
    if (branch !== undefined) throw new UsageError(`--branch only applies to "pr up"`);
    return { command, prNumber, projectDir, json };
  }
  if (branch === undefined) {
    throw new UsageError(
      `"pr up" needs --branch <branch>: the pull request's head branch, e.g. --branch feature/search`,
    );
  }
  const bad = checkBranch(branch);
  if (bad) throw new UsageError(`--branch ${bad.problem}. Fix: ${bad.fix}`);
  return { command, prNumber, branch, projectDir, json };
}
