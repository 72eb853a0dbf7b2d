/**
 * PR preview stacks with Pulumi's Automation API (docs/decisions.md §1): stack `pr-<n>` holds a copy
 * of the preview stack's `railway-stacks:app` plus `railway-stacks:prBranch`; the program
 * (`loadStackConfig`) derives the PR overrides itself. The config is written by `up` into
 * `Pulumi.pr-<n>.yaml` next to `Pulumi.yaml` (git-ignored: `/Pulumi.pr-*.yaml`).
 */
import { existsSync, rmSync } from "node:fs";
import { join } from "node:path";
import {
  CommandError,
  ConcurrentUpdateError,
  LocalWorkspace,
  StackNotFoundError,
  type ConfigMap,
  type OutputMap,
  type Stack,
  type StackSettings,
} from "@pulumi/pulumi/automation";

import {
  APP_CONFIG_KEY,
  PR_BRANCH_CONFIG_KEY,
  PR_SOURCE_STACK,
  PROJECT_NAME,
} from "../../infra/config/constants";
import { formatIssues } from "../../infra/config/issues";
import { parseStackConfig } from "../../infra/config/parse";
import { formatPrAdjustment, prAdjustments, prStackName } from "../../infra/config/pr";
import { type CostRange, cents, perDay } from "../../infra/cost";
import { DISCARD_ENVIRONMENT_VARIABLE } from "../../infra/providers/discard";
import type { PrDownArgs, PrUpArgs } from "./pr-args";
import type { PrDownSummary, PrUpSummary } from "./pr-output";
import {
  type StackFileConfig,
  readStackConfig,
  splitConfig,
  stackFileSizeIssue,
} from "./stack-file";

/** The stack PR stacks are derived from. */
export const SOURCE_STACK = PR_SOURCE_STACK;
/** Secrets provider of PR stacks (`pulumi stack init --secrets-provider`). */
export const PR_SECRETS_PROVIDER = "passphrase";

const APP_KEY = `${PROJECT_NAME}:${APP_CONFIG_KEY}`;
const BRANCH_KEY = `${PROJECT_NAME}:${PR_BRANCH_CONFIG_KEY}`;

/** A failure `npm run pr` reports as `error: <message>` and exit code 1 (no stack trace). */
export class PrError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PrError";
  }
}

export interface PrIo {
  /** Pulumi's progress output, as it streams. */
  progress(text: string): void;
  /** One line of the script's own commentary. */
  info(line: string): void;
}

/** The file `up` writes a PR stack's config to. */
export const prConfigFile = (projectDir: string, stack: string): string =>
  join(projectDir, `Pulumi.${stack}.yaml`);

function requireProject(projectDir: string): void {
  if (!existsSync(join(projectDir, "Pulumi.yaml"))) {
    throw new PrError(
      `${projectDir} is not a Pulumi project (it has no Pulumi.yaml); pass --project-dir <dir>`,
    );
  }
}

/**
 * What a failed CLI call said on stderr (the Automation API keeps it on the error, after a line
 * "Command failed with exit code N: <command>"), else the error's message.
 */
export function commandFailure(err: unknown): string {
  const result = (err as { commandResult?: { stderr?: string } }).commandResult;
  const stderr = (result?.stderr ?? "")
    .split("\n")
    .filter((line) => !line.startsWith("Command failed with exit code "))
    .join("\n")
    .trim();
  return stderr ? stderr : String((err as Error)?.message ?? err);
}

async function cli<T>(what: string, stack: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof ConcurrentUpdateError) {
      throw new PrError(
        `${what} of stack ${stack}: another update of this stack is running; wait for it, or run \`pulumi cancel -s ${stack}\` if it died`,
      );
    }
    if (err instanceof CommandError)
      throw new PrError(`${what} of stack ${stack} failed:\n${commandFailure(err)}`);
    throw err;
  }
}

function outputValue<T>(outputs: OutputMap, key: string): T | undefined {
  return outputs[key]?.value as T | undefined;
}

/**
 * The preview stack's config, checked to make a valid PR stack before anything is created, and
 * what the PR stack drops or lowers of it (one line per key).
 */
function readPreviewConfig(
  previewFile: string,
  stackName: string,
): { preview: StackFileConfig; adjustments: string[] } {
  let preview: StackFileConfig;
  try {
    preview = splitConfig(readStackConfig(previewFile));
  } catch (err) {
    throw new PrError(`cannot read the ${SOURCE_STACK} stack's config: ${(err as Error).message}`);
  }
  const app = preview.plain[APP_KEY];
  if (app === undefined) {
    throw new PrError(
      `${previewFile} has no ${APP_KEY}: PR stacks copy the ${SOURCE_STACK} stack's app config`,
    );
  }
  const parsed = parseStackConfig(app, stackName);
  if (!parsed.ok) {
    throw new PrError(
      `the ${SOURCE_STACK} stack's config cannot make PR stack ${stackName} (fix ${previewFile}):\n${formatIssues(parsed.issues)}`,
    );
  }
  return { preview, adjustments: prAdjustments(parsed.config).map(formatPrAdjustment) };
}

async function stackSettings(stack: Stack): Promise<StackSettings> {
  // No Pulumi.pr-<n>.yaml yet: `stack init` writes one only for secrets providers with settings.
  if (!existsSync(prConfigFile(stack.workspace.workDir, stack.name))) return {};
  return stack.workspace.stackSettings(stack.name);
}

const isSecure = (value: unknown): boolean =>
  typeof value === "object" && value !== null && "secure" in value;

/**
 * Writes the PR stack's config: the preview stack's plain config and the PR branch; the preview
 * stack's secrets re-encrypted for the PR stack when the preview stack can be read in this
 * backend (else a warning); secrets set on the PR stack by hand are kept.
 */
async function writePrConfig(
  stack: Stack,
  preview: StackFileConfig,
  branch: string,
  io: PrIo,
): Promise<string[]> {
  const workspace = stack.workspace;
  const current = await stackSettings(stack);
  const currentConfig: Record<string, unknown> = current.config ?? {};
  const config: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(currentConfig)) {
    if (isSecure(value) && !preview.secureKeys.includes(key)) config[key] = value;
  }
  Object.assign(config, preview.plain, { [BRANCH_KEY]: branch });

  const secrets: ConfigMap = {};
  const warnings: string[] = [];
  for (const key of preview.secureKeys) {
    try {
      secrets[key] = { value: (await workspace.getConfig(SOURCE_STACK, key)).value, secret: true };
    } catch (err) {
      if (currentConfig[key] !== undefined) {
        config[key] = currentConfig[key]; // copied by an earlier run
        continue;
      }
      const why =
        err instanceof StackNotFoundError
          ? `there is no ${SOURCE_STACK} stack in this backend to read it from`
          : commandFailure(err).split("\n").pop();
      warnings.push(
        `secret ${key} of the ${SOURCE_STACK} stack was not copied (${why}); ` +
          `set it with: pulumi config set --secret ${key} <value> -s ${stack.name}`,
      );
    }
  }

  await workspace.saveStackSettings(stack.name, { ...current, config });
  if (Object.keys(secrets).length > 0) {
    await workspace.setAllConfig(stack.name, secrets);
    io.info(`Copied secrets from the ${SOURCE_STACK} stack: ${Object.keys(secrets).join(", ")}`);
  }
  return warnings;
}

/** `pr up`: create or select `pr-<n>`, write its config, `pulumi up`, report its URLs. */
export async function prUp(args: PrUpArgs, io: PrIo): Promise<PrUpSummary> {
  requireProject(args.projectDir);
  const stackName = prStackName(args.prNumber);
  const previewFile = join(args.projectDir, `Pulumi.${SOURCE_STACK}.yaml`);
  const { preview, adjustments } = readPreviewConfig(previewFile, stackName);
  // Before any stack exists: Pulumi could not start the program of a config this big.
  const tooBig = stackFileSizeIssue(preview, stackName, { [BRANCH_KEY]: args.branch });
  if (tooBig !== undefined) {
    throw new PrError(
      `PR stack ${stackName} cannot be made from ${previewFile}:\n${formatIssues([tooBig])}`,
    );
  }
  if (adjustments.length > 0) {
    io.info(`PR stack ${stackName} differs from the ${SOURCE_STACK} stack's config:`);
    for (const line of adjustments) io.info(`  ${line}`);
  }

  const stack = await cli("selecting", stackName, () =>
    LocalWorkspace.createOrSelectStack(
      { stackName, workDir: args.projectDir },
      { secretsProvider: PR_SECRETS_PROVIDER },
    ),
  );
  io.info(`Stack ${stackName}: config of ${previewFile} with branch ${args.branch}`);
  const warnings = await cli("configuring", stackName, () =>
    writePrConfig(stack, preview, args.branch, io),
  );
  for (const warning of warnings) io.info(`Warning: ${warning}`);

  const result = await cli("pulumi up", stackName, () => stack.up({ onOutput: io.progress }));
  const outputs = result.outputs;
  const monthly = outputValue<CostRange>(outputs, "monthlyCostUsd");
  return {
    stack: stackName,
    prNumber: args.prNumber,
    branch: args.branch,
    project: outputValue<string>(outputs, "projectName") ?? "",
    projectId: outputValue<string>(outputs, "projectId"),
    layout: outputValue<"shared" | "isolated">(outputs, "layout"),
    environment: outputValue<string>(outputs, "environmentName"),
    environmentId: outputValue<string>(outputs, "environmentId"),
    serviceUrls: outputValue<Record<string, string>>(outputs, "serviceUrls") ?? {},
    healthUrls: outputValue<Record<string, string>>(outputs, "healthUrls") ?? {},
    changes: { ...result.summary.resourceChanges },
    adjustments,
    ...(monthly
      ? {
          costPerDayUsd: {
            lower: cents(perDay(monthly.lower)),
            upper: cents(perDay(monthly.upper)),
          },
        }
      : {}),
    warnings,
  };
}

/** `pr down`: destroy `pr-<n>` and remove the stack; a missing stack is success. */
export async function prDown(args: PrDownArgs, io: PrIo): Promise<PrDownSummary> {
  requireProject(args.projectDir);
  const stackName = prStackName(args.prNumber);
  let stack: Stack;
  try {
    stack = await LocalWorkspace.selectStack({ stackName, workDir: args.projectDir });
  } catch (err) {
    if (!(err instanceof StackNotFoundError)) {
      throw err instanceof CommandError
        ? new PrError(`selecting stack ${stackName} failed:\n${commandFailure(err)}`)
        : err;
    }
    const file = prConfigFile(args.projectDir, stackName);
    const summary: PrDownSummary = {
      stack: stackName,
      prNumber: args.prNumber,
      existed: false,
      changes: {},
    };
    if (existsSync(file)) {
      rmSync(file);
      summary.removedConfigFile = file;
    }
    return summary;
  }

  // Shared layout: the PR's environment is deleted as a whole, which removes everything in it;
  // the providers then skip removing its contents one by one (infra/providers/discard.ts).
  const outputs = await cli("reading the outputs of", stackName, () => stack.outputs());
  const discarded =
    outputs["layout"]?.value === "shared" && typeof outputs["environmentId"]?.value === "string"
      ? (outputs["environmentId"].value as string)
      : undefined;
  io.info(
    discarded
      ? `Destroying stack ${stackName} and its environment ${String(outputs["environmentName"]?.value)}`
      : `Destroying stack ${stackName}`,
  );
  const previous = process.env[DISCARD_ENVIRONMENT_VARIABLE];
  if (discarded) process.env[DISCARD_ENVIRONMENT_VARIABLE] = discarded;
  let result: Awaited<ReturnType<Stack["destroy"]>>;
  try {
    result = await cli("pulumi destroy", stackName, () => stack.destroy({ onOutput: io.progress }));
  } finally {
    if (previous === undefined) delete process.env[DISCARD_ENVIRONMENT_VARIABLE];
    else process.env[DISCARD_ENVIRONMENT_VARIABLE] = previous;
  }
  await cli("removing", stackName, () => stack.workspace.removeStack(stackName));
  return {
    stack: stackName,
    prNumber: args.prNumber,
    existed: true,
    changes: { ...result.summary.resourceChanges },
  };
}
