/** loadStackConfig: one RunError with every problem, secrets resolved lazily as Pulumi secrets. */
import * as pulumi from "@pulumi/pulumi";

import {
  StackConfigError,
  type StackConfigSource,
  loadStackConfig,
  missingSecretIssues,
  type VariableValue,
} from "../../infra/config";
import { type RawConfig, baseConfig, readStackFile } from "../fixtures/config";

/** A `pulumi.Config` stand-in over plain values (keys without the project namespace). */
class FakeConfig implements StackConfigSource {
  readonly read: string[] = [];
  constructor(private readonly values: Record<string, string>) {}

  requireObject<T>(key: string): T {
    const value = this.values[key];
    if (value === undefined) throw new Error(`missing ${key}`);
    return JSON.parse(value) as T;
  }

  get(key: string): string | undefined {
    return this.values[key];
  }

  requireSecret(key: string): pulumi.Output<string> {
    this.read.push(key);
    const value = this.values[key];
    if (value === undefined) throw new Error(`missing ${key}`);
    return pulumi.secret(value);
  }
}

const configWith = (app: RawConfig, extra: Record<string, string> = {}) =>
  new FakeConfig({ app: JSON.stringify(app), ...extra });

function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error("expected an error");
}

const valueOf = <T>(output: pulumi.Output<T>): Promise<T> =>
  new Promise((resolve) =>
    output.apply((value) => {
      resolve(value);
      return value;
    }),
  );

function secretOf(variable: VariableValue | undefined): pulumi.Output<string> {
  if (variable?.kind !== "secret")
    throw new Error(`expected a secret variable, got ${JSON.stringify(variable)}`);
  return variable.value;
}

describe("loadStackConfig", () => {
  it("throws one pulumi.RunError listing every problem, one line each", () => {
    const raw = baseConfig();
    raw.services.api.replicas = 0;
    raw.services.worker.links = ["kafka"];
    raw.services.api.variables.STRIPE_KEY = { secret: "stripeKey" };
    const error = thrown(() => loadStackConfig(configWith(raw), "production"));

    expect(error).toBeInstanceOf(pulumi.RunError);
    expect(error).toBeInstanceOf(StackConfigError);
    expect(pulumi.RunError.isInstance(error)).toBe(true);
    expect((error as Error).message).toBe(
      [
        "railway-stacks:app.services.api.replicas: (0) must be at least 1. Fix: use a value of 1 or more",
        'railway-stacks:app.services.worker.links[0]: "kafka" is not a data service. Fix: use one of postgres, redis, nats',
        'railway-stacks:app.services.api.variables.STRIPE_KEY: needs secret config key "stripeKey", which stack "production" does not set. Fix: pulumi config set --secret stripeKey <value> -s production',
      ].join("\n"),
    );
    expect((error as StackConfigError).issues).toHaveLength(3);
  });

  it("names the exact command for every missing secret key before anything is declared", () => {
    const config = configWith(readStackFile("production"));
    const error = thrown(() => loadStackConfig(config, "production"));
    expect((error as Error).message).toBe(
      [
        'railway-stacks:app.services.backend.variables.OPENAI_API_KEY: needs secret config key "openaiApiKey", which stack "production" does not set. Fix: pulumi config set --secret openaiApiKey <value> -s production',
        'railway-stacks:app.services.ml.variables.OPENAI_API_KEY: needs secret config key "openaiApiKey", which stack "production" does not set. Fix: pulumi config set --secret openaiApiKey <value> -s production',
      ].join("\n"),
    );
    expect(config.read).toEqual([]);
  });

  it("resolves secret keys to Pulumi secrets", async () => {
    const config = configWith(readStackFile("production"), {
      openaiApiKey: "sk-test-123",
    });
    const loaded = loadStackConfig(config, "production");
    const key = secretOf(loaded.services.backend!.variables.OPENAI_API_KEY);
    expect(await pulumi.isSecret(key)).toBe(true);
    expect(await valueOf(key)).toBe("sk-test-123");
    expect(loaded.services.ml!.variables.OPENAI_API_KEY).toMatchObject({
      kind: "secret",
      configKey: "openaiApiKey",
    });
    expect(loaded.services.backend!.variables.SECRET_KEY).toEqual({
      kind: "generated",
      length: 64,
    });
    expect(config.read).toEqual(["openaiApiKey", "openaiApiKey"]);
  });

  it("leaves out optional secrets that are not set", () => {
    const loaded = loadStackConfig(configWith(readStackFile("dev")), "dev");
    expect(Object.keys(loaded.services.backend!.variables)).toEqual([
      "NODE_ENV",
      "SECRET_KEY",
      "BROKER_HOST",
      "ML_HOST",
    ]);
    expect(Object.keys(loaded.services.ml!.variables)).toEqual(["EMBEDDING_MODEL"]);
  });

  it("includes optional secrets that are set", () => {
    const loaded = loadStackConfig(
      configWith(readStackFile("dev"), { openaiApiKey: "sk-dev" }),
      "dev",
    );
    expect(loaded.services.ml!.variables.OPENAI_API_KEY).toMatchObject({
      kind: "secret",
      configKey: "openaiApiKey",
    });
  });

  it("derives a PR stack from the preview object and prBranch", () => {
    const loaded = loadStackConfig(
      configWith(readStackFile("preview"), { prBranch: "feature/login" }),
      "pr-42",
    );
    expect(loaded.stack).toBe("pr-42");
    // Layout shared: the preview stack's project, environment pr-42 forked from preview's.
    expect(loaded.project).toMatchObject({
      name: "agent-platform",
      layout: "shared",
      environment: "pr-42",
      forkOf: "preview",
      adopt: false,
    });
    expect(loaded.pullRequest).toEqual({ number: 42, branch: "feature/login" });
    expect(loaded.services.backend!.source).toMatchObject({
      branch: "feature/login",
    });
  });

  it("derives an isolated PR stack into a project of its own", () => {
    const app = readStackFile("preview");
    app.project.layout = "isolated";
    const loaded = loadStackConfig(configWith(app, { prBranch: "feature/login" }), "pr-42");
    expect(loaded.project).toMatchObject({
      name: "agent-platform-pr-42",
      layout: "isolated",
      environment: "preview",
      adopt: false,
    });
    expect(loaded.project).not.toHaveProperty("forkOf");
  });

  it("requires prBranch on PR stacks", () => {
    const error = thrown(() =>
      loadStackConfig(configWith(readStackFile("preview"), { prBranch: "" }), "pr-42"),
    );
    expect(error).toBeInstanceOf(pulumi.RunError);
    expect((error as Error).message).toBe(
      'railway-stacks:prBranch: is not set, and PR stack "pr-42" deploys the pull request\'s branch. Fix: pulumi config set prBranch <branch> -s pr-42',
    );
  });

  it("works with a real pulumi.Config", async () => {
    pulumi.runtime.setAllConfig(
      {
        "railway-stacks:app": JSON.stringify(readStackFile("production")),
        "railway-stacks:openaiApiKey": "sk-real",
      },
      ["railway-stacks:openaiApiKey"],
    );
    try {
      const loaded = loadStackConfig(new pulumi.Config("railway-stacks"), "production");
      expect(loaded.tier).toBe("production");
      const key = secretOf(loaded.services.backend!.variables.OPENAI_API_KEY);
      expect(await pulumi.isSecret(key)).toBe(true);
      expect(await valueOf(key)).toBe("sk-real");
    } finally {
      pulumi.runtime.setAllConfig({});
    }
  });
});

describe("missingSecretIssues", () => {
  it("ignores optional references and keys that are set", () => {
    const raw = baseConfig();
    raw.services.api.variables.A = { secret: "aKey" };
    raw.services.api.variables.B = { secret: "bKey", optional: true };
    raw.services.worker.variables.C = { secret: "cKey" };
    expect(missingSecretIssues(raw, new FakeConfig({ aKey: "x" }), "dev")).toEqual([
      {
        path: "railway-stacks:app.services.worker.variables.C",
        problem: 'needs secret config key "cKey", which stack "dev" does not set',
        fix: "pulumi config set --secret cKey <value> -s dev",
      },
    ]);
  });
});
