/** What policy-check knows about the pack before running it: its policies and its config file. */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

import type { PackConfig, PackPolicy } from "./policy-report";

/**
 * The pack's policies as declared in `<pack>/rules` (the module the pack's `index.ts` hands to
 * `new PolicyPack`, and that the pack's tests import; importing it starts nothing). Empty when
 * the pack has no such module: the report then lists the rules the CLI reported.
 */
export function loadPackPolicies(packDir: string): PackPolicy[] {
  let policies: unknown;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the pack is loaded at run time from its own directory
    policies = (require(join(packDir, "rules")) as { policies?: unknown }).policies;
  } catch {
    return [];
  }
  if (!Array.isArray(policies)) return [];
  return policies
    .filter((policy): policy is Record<string, unknown> => typeof policy?.name === "string")
    .map((policy) => ({
      name: policy.name as string,
      enforcementLevel:
        typeof policy.enforcementLevel === "string" ? policy.enforcementLevel : "advisory",
      description: typeof policy.description === "string" ? policy.description : undefined,
    }));
}

/** Problems that stop the check before it starts, each with its fix. */
export function packProblems(packDir: string, packConfig: string): string[] {
  const problems: string[] = [];
  if (!existsSync(join(packDir, "PulumiPolicy.yaml"))) {
    problems.push(
      `${packDir} is not a policy pack (it has no PulumiPolicy.yaml); pass --policy-pack <dir>`,
    );
  } else if (!existsSync(join(packDir, "node_modules", "@pulumi", "policy"))) {
    problems.push(
      `the policy pack's dependencies are not installed: run npm ci --prefix ${packDir}`,
    );
  }
  if (!existsSync(packConfig))
    problems.push(`${packConfig} does not exist; pass --policy-pack-config <file>`);
  return problems;
}

/** The `--policy-pack-config` file as an object. */
export function readPackConfig(path: string): PackConfig {
  const parsed: unknown = JSON.parse(readFileSync(path, "utf8"));
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new Error(`${path} is not a JSON object of policy settings`);
  }
  return parsed as PackConfig;
}
