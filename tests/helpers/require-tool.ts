/**
 * Tests that need a real external part (a Redis or NATS binary, the Pulumi CLI, the emulator)
 * never skip silently: under CI=true a missing part is a failure; on a laptop the test is skipped
 * with a loud warning saying what to install.
 */
import { execFileSync } from "node:child_process";

export function findExecutable(name: string): string | undefined {
  try {
    return (
      execFileSync("sh", ["-c", `command -v ${name}`], {
        encoding: "utf8",
        env: { ...process.env, PATH: `${process.env.PATH ?? ""}:/usr/sbin:/sbin` },
      }).trim() || undefined
    );
  } catch {
    return undefined;
  }
}

/** `describe` when every tool is present; otherwise fails under CI and skips loudly elsewhere. */
export function describeWithTools(
  title: string,
  tools: string[],
  body: (paths: Record<string, string>) => void,
): void {
  const paths: Record<string, string> = {};
  const missing = tools.filter((tool) => {
    const found = findExecutable(tool);
    if (found) paths[tool] = found;
    return !found;
  });
  if (missing.length === 0) {
    describe(title, () => body(paths));
    return;
  }
  const why = `${title}: missing ${missing.join(", ")} (install with: bash scripts/services.sh)`;
  if (process.env.CI === "true") {
    describe(title, () => {
      it("has its tools", () => {
        throw new Error(`${why}; required under CI=true`);
      });
    });
  } else {
    console.warn(`SKIPPED ${why}`);
    describe.skip(title, () => body(paths));
  }
}
