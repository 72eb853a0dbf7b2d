/**
 * The example systems under examples/, for the suites that parse or deploy them.
 *
 * Each example is a directory with a README.md and one `Pulumi.<stack>.yaml` per stack. To deploy
 * one, copy the file next to Pulumi.yaml, set the secret config keys listed in `secrets[stack]`
 * (`pulumi config set --secret <key> <value> -s <stack>`) and run `pulumi up -s <stack>`.
 */
import * as path from "path";

export interface Example {
  /** Directory name under examples/. */
  name: string;
  /** Absolute path of the example's directory. */
  dir: string;
  /** Stack names, one `Pulumi.<stack>.yaml` each. */
  stacks: string[];
  /** Secret stack config keys each stack needs before `pulumi up` (empty: nothing to set). */
  secrets: Record<string, string[]>;
}

const example = (name: string, secrets: Record<string, string[]>): Example => ({
  name,
  dir: path.join(__dirname, name),
  stacks: Object.keys(secrets),
  secrets,
});

export const EXAMPLES: Example[] = [
  example("fastapi-graph", {
    dev: ["openaiApiKey"],
    production: ["openaiApiKey"],
  }),
  example("backend-postgres-redis", {
    dev: ["openaiApiKey"],
    production: ["openaiApiKey"],
  }),
  example("agent-broker", {
    dev: [],
    production: [],
  }),
  example("ai-engine", {
    dev: ["openaiApiKey"],
    preview: ["openaiApiKey"],
    production: ["openaiApiKey"],
  }),
  example("monorepo", {
    dev: ["openaiApiKey"],
    production: ["openaiApiKey"],
  }),
];

/** The path of one stack file of an example. */
export function stackFile(example: Example, stack: string): string {
  return path.join(example.dir, `Pulumi.${stack}.yaml`);
}
