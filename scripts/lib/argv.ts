/**
 * A small, strict command-line tokenizer shared by `scripts/pr.ts` and `scripts/policy-check.ts`:
 * `--name value`, `--name=value`, boolean flags, `-h`, and `--` to end the options. Every mistake
 * is a {@link UsageError} with a message meant for a person (the scripts print it above the usage).
 */
import { isAbsolute, resolve } from "node:path";

/** A mistake in the command line: the scripts print it with their usage and exit 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

export type OptionKind = "string" | "boolean";

export interface ParsedArgv {
  positionals: string[];
  /** Options by long name (without `--`): strings for "string" options, `true` for flags. */
  options: Record<string, string | true>;
}

/** Short aliases every script understands. */
const ALIASES: Record<string, string> = { "-h": "help" };

/**
 * Splits `argv` into positionals and the options of `spec` (long names without `--`).
 * @throws UsageError on an unknown option, a missing or unexpected value, or a repeated option.
 */
export function splitArgv(
  argv: readonly string[],
  spec: Readonly<Record<string, OptionKind>>,
): ParsedArgv {
  const positionals: string[] = [];
  const options: Record<string, string | true> = {};
  let onlyPositionals = false;
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i]!;
    // "-3" is a (bad) number for the caller to judge, not an option.
    if (onlyPositionals || token === "-" || !token.startsWith("-") || /^-\d/.test(token)) {
      positionals.push(token);
      continue;
    }
    if (token === "--") {
      onlyPositionals = true;
      continue;
    }
    const aliased = ALIASES[token];
    const eq = token.indexOf("=");
    const name =
      aliased ?? (token.startsWith("--") ? token.slice(2, eq >= 0 ? eq : undefined) : undefined);
    const kind = name === undefined ? undefined : spec[name];
    if (name === undefined || kind === undefined) {
      throw new UsageError(`unknown option "${eq >= 0 ? token.slice(0, eq) : token}"`);
    }
    if (options[name] !== undefined) throw new UsageError(`--${name} is given more than once`);
    if (kind === "boolean") {
      if (eq >= 0 && aliased === undefined) throw new UsageError(`--${name} takes no value`);
      options[name] = true;
      continue;
    }
    let value: string | undefined;
    if (eq >= 0) {
      value = token.slice(eq + 1);
    } else {
      const next = argv[i + 1];
      if (next !== undefined && !next.startsWith("--")) {
        value = next;
        i++;
      }
    }
    if (value === undefined || value === "") throw new UsageError(`--${name} needs a value`);
    options[name] = value;
  }
  return { positionals, options };
}

/** A string option's value, if given. */
export function stringOption(parsed: ParsedArgv, name: string): string | undefined {
  const value = parsed.options[name];
  return typeof value === "string" ? value : undefined;
}

/**
 * A path given on the command line, made absolute. `npm run` changes the working directory to the
 * package root; `INIT_CWD` is where the user typed the command, so relative paths mean what they
 * expect.
 */
export function resolveUserPath(path: string, env: NodeJS.ProcessEnv = process.env): string {
  return isAbsolute(path) ? path : resolve(env.INIT_CWD ?? process.cwd(), path);
}
