/**
 * A scratch copy of the Pulumi project with a throwaway file backend, for running the real CLI on
 * a stack config without touching the project's own stacks (policy-check).
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { runCommand, type CommandResult } from "./process";

export type { CommandResult };

/** What the program needs to run: project file, package (main), tsconfig, the program. */
export const PROJECT_FILES = ["Pulumi.yaml", "package.json", "tsconfig.json", "infra"] as const;

/** The throwaway passphrase of scratch stacks (they hold only dummy secrets). */
export const SCRATCH_PASSPHRASE = "railway-stacks-scratch";

export interface ScratchProject {
  dir: string;
  env: NodeJS.ProcessEnv;
  /** Writes `Pulumi.<stack>.yaml` with this config mapping. */
  writeStackConfig(stack: string, config: Record<string, unknown>): void;
  /** Runs `pulumi <args> --non-interactive --color never` in the copy. */
  pulumi(args: readonly string[]): Promise<CommandResult>;
  remove(): void;
}

/**
 * Copies the project at `projectDir` into a new temporary directory (node_modules linked), with a
 * file backend inside it. `env` is the base environment; backend and passphrase are overridden.
 */
export function createScratchProject(projectDir: string, env: NodeJS.ProcessEnv): ScratchProject {
  const dir = mkdtempSync(join(tmpdir(), "railway-stacks-scratch-"));
  try {
    for (const file of PROJECT_FILES)
      cpSync(join(projectDir, file), join(dir, file), { recursive: true });
    symlinkSync(join(projectDir, "node_modules"), join(dir, "node_modules"));
    mkdirSync(join(dir, ".pulumi-state"));
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  const scratchEnv: NodeJS.ProcessEnv = {
    ...env,
    PULUMI_BACKEND_URL: `file://${join(dir, ".pulumi-state")}`,
    PULUMI_CONFIG_PASSPHRASE: SCRATCH_PASSPHRASE,
  };
  delete scratchEnv.PULUMI_CONFIG_PASSPHRASE_FILE;
  delete scratchEnv.PULUMI_ACCESS_TOKEN;
  return {
    dir,
    env: scratchEnv,
    writeStackConfig(stack, config) {
      writeFileSync(join(dir, `Pulumi.${stack}.yaml`), stringify({ config }));
    },
    pulumi(args) {
      return runCommand("pulumi", [...args, "--non-interactive", "--color", "never"], {
        cwd: dir,
        env: scratchEnv,
      });
    },
    remove() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
