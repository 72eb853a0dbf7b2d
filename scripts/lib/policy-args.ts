/** Command line of `npm run policy:check -- <stack> [--config <file>]`. */
import { join } from "node:path";

import { UsageError, resolveUserPath, splitArgv, stringOption } from "./argv";

export const POLICY_CHECK_USAGE = `Usage:
  npm run policy:check -- <stack> [--config <file>] [--policy-pack <dir>]
                          [--policy-pack-config <file>] [--project-dir <dir>] [--json]

Runs the policy pack over a stack's config with the real Pulumi CLI (pulumi preview --policy-pack)
in a scratch copy of the project with a throwaway backend, against a local Railway emulator unless
RAILWAY_API_TOKEN is set, and prints a table of the rules. Exit codes: 0 no mandatory violation,
1 mandatory violations, 2 bad command line, 3 the preview failed before the policies could judge
the stack (e.g. the config itself is invalid).

Options:
  --config <file>              stack config to check (default: <project-dir>/Pulumi.<stack>.yaml)
  --policy-pack <dir>          the policy pack (default: <project-dir>/policies)
  --policy-pack-config <file>  its config (default: <policy-pack>/config/stacks.json)
  --project-dir <dir>          the Pulumi project (default: the repository root)
  --json                       print the result as JSON instead of the table
  -h, --help                   show this help`;

export interface PolicyCheckArgs {
  command: "check";
  stack: string;
  configFile: string;
  projectDir: string;
  policyPack: string;
  policyPackConfig: string;
  json: boolean;
}

const OPTIONS = {
  config: "string",
  "policy-pack": "string",
  "policy-pack-config": "string",
  "project-dir": "string",
  json: "boolean",
  help: "boolean",
} as const;

/** Stack names the file backend accepts (and that make a `Pulumi.<stack>.yaml` file name). */
const STACK_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/;

/**
 * Parses the arguments after `npm run policy:check --`.
 * @param defaultProjectDir the repository root
 * @throws UsageError with the exact problem
 */
export function parsePolicyCheckArgs(
  argv: readonly string[],
  defaultProjectDir: string,
  env: NodeJS.ProcessEnv = process.env,
): PolicyCheckArgs | { command: "help" } {
  const parsed = splitArgv(argv, OPTIONS);
  if (parsed.options.help === true) return { command: "help" };
  const [stack, ...extra] = parsed.positionals;
  if (stack === undefined) throw new UsageError(`missing the stack to check, e.g. production`);
  if (!STACK_NAME.test(stack)) {
    throw new UsageError(
      `"${stack}" is not a stack name: use letters, digits, "-", "_" and ".", e.g. production`,
    );
  }
  if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);

  const path = (name: string): string | undefined => {
    const value = stringOption(parsed, name);
    return value === undefined ? undefined : resolveUserPath(value, env);
  };
  const projectDir = path("project-dir") ?? defaultProjectDir;
  const policyPack = path("policy-pack") ?? join(projectDir, "policies");
  return {
    command: "check",
    stack,
    configFile: path("config") ?? join(projectDir, `Pulumi.${stack}.yaml`),
    projectDir,
    policyPack,
    policyPackConfig: path("policy-pack-config") ?? join(policyPack, "config", "stacks.json"),
    json: parsed.options.json === true,
  };
}
