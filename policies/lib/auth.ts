/** Shared by the Redis and NATS auth rules: where a start command takes its credential from. */
import { keysOf, UNKNOWN } from "./values";

/** The argument that follows `flag` in a start command (`--flag value` or `--flag=value`). */
export function flagArgument(command: string, flag: string): string | undefined {
  const escaped = flag.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const match = new RegExp(`(?:^|\\s)${escaped}(?:\\s+|=)(\\S+)`).exec(command);
  return match ? match[1] : undefined;
}

/** True when `argument` is an expansion of the variable `name`: `$NAME`, `${NAME}`, `${{NAME}}`, optionally quoted. */
export function expandsVariable(argument: string, name: string): boolean {
  const unquoted = argument.replace(/^(["'])(.*)\1$/, "$2");
  return [`$${name}`, `\${${name}}`, `\${{${name}}}`].includes(unquoted);
}

/** True when the command expands the variable `name` anywhere (`$NAME`, `${NAME}`, `${{NAME}}`). */
export function mentionsVariable(command: string, name: string): boolean {
  return new RegExp(
    `\\$(?:${name}(?![A-Za-z0-9_])|\\{${name}\\}|\\{\\{\\s*${name}\\s*\\}\\})`,
  ).test(command);
}

/** True, false, or UNKNOWN when the service's secret variables can't be listed yet. */
export function hasSecretVariable(
  read: () => object | undefined,
  name: string,
): boolean | typeof UNKNOWN {
  const keys = keysOf(read);
  return keys === UNKNOWN ? UNKNOWN : keys.includes(name);
}
