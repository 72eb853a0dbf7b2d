/**
 * A broken Pulumi.<stack>.yaml stops `pulumi preview` with one clean line per problem, each naming
 * the key and the fix, and nothing reaches Railway.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse, stringify } from "yaml";
import { REPO_ROOT } from "../helpers/program";
import { createWorkspace, describeE2E, type Workspace } from "../helpers/pulumi-cli";

jest.setTimeout(300_000);

describeE2E("invalid stack config through the real CLI", () => {
  let workspace: Workspace;
  beforeAll(async () => {
    workspace = await createWorkspace();
  });
  afterAll(() => workspace?.close());

  it("reports every problem with its key, and sends nothing to Railway", async () => {
    const file = parse(readFileSync(join(REPO_ROOT, "Pulumi.dev.yaml"), "utf8")) as {
      config: Record<string, any>;
    };
    const app = file.config["railway-stacks:app"];
    app.services.ml.cron = "*/5 * * * *";
    app.services.ml.replicas = 2;
    app.services.backend.variables.API_TOKEN = "hunter2";
    app.redis.image = "redis:latest";
    workspace.stackFile("dev", stringify(file));
    await workspace.initStack("dev");

    const result = await workspace.pulumi(["preview", "-s", "dev"]);
    expect(result.code).not.toBe(0);
    const diagnostics = result.output.slice(
      result.output.indexOf("Diagnostics:"),
      result.output.indexOf("Resources:"),
    );
    expect(
      diagnostics
        .split("\n")
        .map((line) => line.trim())
        .filter(Boolean),
    ).toEqual([
      "Diagnostics:",
      "pulumi:pulumi:Stack (railway-stacks-dev):",
      'error: railway-stacks:app.redis.image: "redis:latest" uses the floating tag "latest"; images must be pinned to a version tag or a digest. Fix: pin a version, e.g. "redis:<version>", or a digest "redis@sha256:<digest>"',
      "railway-stacks:app.services.backend.variables.API_TOKEN: looks like a secret but is a plain value in the stack file. Fix: replace it with { secret: apiToken } and run pulumi config set --secret apiToken <value> -s dev, or use { generate: { length: 32 } } for a random secret",
      'railway-stacks:app.services.ml.replicas: is 2 but a cron service runs exactly one replica. Fix: remove "replicas" or set it to 1, or remove "cron"',
    ]);
    expect(result.output).not.toMatch(/\bat (Object|Module|require)\b/);
    expect(workspace.emulator.counters().requests).toBe(0);
  });
});
