/** PR preview stacks derived from the preview stack's config. */
import { one } from "../helpers/data-services";
import * as pulumi from "@pulumi/pulumi";

import {
  PR_LIMIT_CAPS,
  type ParsedStackConfig,
  capLimits,
  derivePrStackConfig,
  formatIssue,
  formatPrAdjustment,
  prAdjustments,
  parseStackConfig,
  prNumberOf,
  prStackName,
} from "../../infra/config";
import { readStackFile } from "../fixtures/config";

function previewConfig(): ParsedStackConfig {
  const result = parseStackConfig(readStackFile("preview"), "preview");
  if (!result.ok) throw new Error(result.issues.map(formatIssue).join("\n"));
  return result.config;
}

const MB = 1024 * 1024;

describe("derivePrStackConfig", () => {
  const preview = previewConfig();
  const snapshot = structuredClone(preview);
  const pr = derivePrStackConfig(preview, {
    prNumber: 42,
    branch: "feature/login",
  });

  it("names the stack and environment after the PR, forked from preview's, and keeps the preview tier", () => {
    expect(pr.stack).toBe("pr-42");
    expect(pr.tier).toBe("preview");
    // Layout shared: the preview stack's project, an ephemeral environment forked from preview.
    expect(pr.project).toEqual({
      name: "agent-platform",
      region: "us-west2",
      protectedBranch: "main",
      adopt: false,
      layout: "shared",
      environment: "pr-42",
      forkOf: "preview",
      removeUndeclared: false,
    });
    expect(pr.pullRequest).toEqual({ number: 42, branch: "feature/login" });
    expect(pr.app).toEqual(preview.app);
  });

  it("forks the environment the preview stack names, and never adopts", () => {
    const named = structuredClone(preview);
    named.project = { ...named.project, environment: "staging", adopt: true };
    expect(derivePrStackConfig(named, { prNumber: 9, branch: "x" }).project).toEqual({
      ...named.project,
      adopt: false,
      environment: "pr-9",
      forkOf: "staging",
    });
  });

  it("keeps a project of its own per PR in the isolated layout", () => {
    const raw = readStackFile("preview");
    raw.project.layout = "isolated";
    raw.project.adopt = true;
    const parsedIsolated = parseStackConfig(raw, "preview");
    if (!parsedIsolated.ok) throw new Error(parsedIsolated.issues.map(formatIssue).join("\n"));
    const derived = derivePrStackConfig(parsedIsolated.config, { prNumber: 42, branch: "x" });
    expect(derived.project).toEqual({
      name: "agent-platform-pr-42",
      region: "us-west2",
      protectedBranch: "main",
      adopt: false,
      layout: "isolated",
      environment: "preview",
      removeUndeclared: false,
    });
    expect(derived.project).not.toHaveProperty("forkOf");
  });

  it("keeps the preview environment's shared variables", () => {
    const withShared = structuredClone(preview);
    withShared.sharedVariables = { REGION: { kind: "plain", value: "us" } };
    const derived = derivePrStackConfig(withShared, { prNumber: 5, branch: "x" });
    expect(derived.sharedVariables).toEqual({ REGION: { kind: "plain", value: "us" } });
    expect(derived.sharedVariables).not.toBe(withShared.sharedVariables);
  });

  it("deploys the PR branch on every repo-sourced service", () => {
    expect(Object.values(pr.services).map((s) => s.source)).toEqual([
      {
        kind: "repo",
        repo: "acme/agent-platform",
        branch: "feature/login",
        rootDirectory: "services/broker",
      },
      {
        kind: "repo",
        repo: "acme/agent-platform",
        branch: "feature/login",
        rootDirectory: "services/backend",
      },
      {
        kind: "repo",
        repo: "acme/agent-platform",
        branch: "feature/login",
        rootDirectory: "services/ml",
      },
      {
        kind: "repo",
        repo: "acme/agent-platform",
        branch: "feature/login",
        rootDirectory: "services/frontend",
      },
    ]);
  });

  it("runs one replica with capped limits per service", () => {
    const shape = Object.fromEntries(
      Object.values(pr.services).map((s) => [
        s.name,
        { replicas: s.replicas, limits: s.limits, regions: s.regions },
      ]),
    );
    expect(shape).toEqual({
      broker: {
        replicas: 1,
        limits: { cpu: 1, memoryMB: 1024, memoryBytes: 1024 * MB },
        regions: undefined,
      },
      backend: {
        replicas: 1,
        limits: { cpu: 1, memoryMB: 1024, memoryBytes: 1024 * MB },
        regions: undefined,
      },
      ml: {
        replicas: 1,
        limits: { cpu: 1, memoryMB: 1024, memoryBytes: 1024 * MB },
        regions: undefined,
      },
      frontend: {
        replicas: 1,
        limits: { cpu: 0.5, memoryMB: 512, memoryBytes: 512 * MB },
        regions: undefined,
      },
    });
  });

  it("caps data services, keeps volumes and drops backups", () => {
    expect(one(pr, "postgres")).toEqual({
      ...one(preview, "postgres"),
      backups: [],
      limits: { cpu: 1, memoryMB: 1024, memoryBytes: 1024 * MB },
    });
    expect(one(pr, "redis")).toEqual({
      ...one(preview, "redis"),
      maxMemoryMB: 512,
      limits: { cpu: 1, memoryMB: 1024, memoryBytes: 1024 * MB },
    });
    expect(one(pr, "nats").limits).toEqual({
      cpu: 1,
      memoryMB: 1024,
      memoryBytes: 1024 * MB,
    });
    expect(one(pr, "nats").volumeSizeMB).toBe(one(preview, "nats").volumeSizeMB);
  });

  it("leaves the input untouched", () => {
    expect(preview).toEqual(snapshot);
  });

  it("removes custom domains and regions from a production-like preview", () => {
    const custom = structuredClone(preview);
    const broker = custom.services.broker!;
    broker.domains = { railway: false, custom: ["broker.acme-agents.com"] };
    broker.regions = { "us-west2": 2, "europe-west4-drams3a": 1 };
    broker.replicas = 3;
    broker.limits = { cpu: 4, memoryMB: 8192, memoryBytes: 8192 * MB };
    const derived = derivePrStackConfig(custom, {
      prNumber: 7,
      branch: "fix/broker",
    }).services.broker!;
    expect(derived.domains).toEqual({ railway: false, custom: [] });
    expect(derived.public).toBe(false);
    expect(derived.gate.enabled).toBe(false);
    expect(derived).not.toHaveProperty("regions");
    expect(derived.replicas).toBe(1);
    expect(derived.limits).toEqual({
      cpu: PR_LIMIT_CAPS.cpu,
      memoryMB: PR_LIMIT_CAPS.memoryMB,
      memoryBytes: 1024 * MB,
    });
  });

  it("keeps image services on their image", () => {
    const withImage = structuredClone(preview);
    withImage.services.ml!.source = {
      kind: "image",
      image: "ghcr.io/acme/ml:2.0.1",
    };
    expect(
      derivePrStackConfig(withImage, { prNumber: 3, branch: "x" }).services.ml!.source,
    ).toEqual({
      kind: "image",
      image: "ghcr.io/acme/ml:2.0.1",
    });
  });

  it.each([
    [{ prNumber: 0, branch: "x" }, "PR number must be a positive whole number, got 0"],
    [{ prNumber: 1.5, branch: "x" }, "PR number must be a positive whole number, got 1.5"],
    [
      { prNumber: 5, branch: "bad branch" },
      'PR branch "bad branch" is not a valid git branch name. Fix: use the branch name as git shows it, e.g. "main"',
    ],
  ])("rejects %j", (args, message) => {
    expect(() => derivePrStackConfig(preview, args)).toThrow(pulumi.RunError);
    expect(() => derivePrStackConfig(preview, args)).toThrow(message);
  });

  it("only derives from a preview-tier config", () => {
    const production = parseStackConfig(readStackFile("production"), "production");
    if (!production.ok) throw new Error("production stack file must be valid");
    expect(() => derivePrStackConfig(production.config, { prNumber: 1, branch: "x" })).toThrow(
      'PR stacks derive from a preview-tier config, got tier "production" (stack "production")',
    );
  });
});

describe("PR helpers", () => {
  it("maps stack names and numbers", () => {
    expect(prStackName(12)).toBe("pr-12");
    expect(prNumberOf("pr-12")).toBe(12);
    expect(prNumberOf("pr-012")).toBeUndefined();
    expect(prNumberOf("preview")).toBeUndefined();
  });

  it("caps limits, filling unset ones with the cap", () => {
    expect(capLimits(undefined)).toEqual({
      cpu: 1,
      memoryMB: 1024,
      memoryBytes: 1024 * MB,
    });
    expect(capLimits({ cpu: 0.25 })).toEqual({
      cpu: 0.25,
      memoryMB: 1024,
      memoryBytes: 1024 * MB,
    });
    expect(capLimits({ cpu: 8, memoryMB: 256, memoryBytes: 256 * MB })).toEqual({
      cpu: 1,
      memoryMB: 256,
      memoryBytes: 256 * MB,
    });
  });
});

describe("prAdjustments: what a PR stack drops or lowers, by key", () => {
  function adjusted(change: (raw: Record<string, any>) => void): string[] {
    const raw = readStackFile("preview");
    change(raw);
    const result = parseStackConfig(raw, "preview");
    if (!result.ok) throw new Error(result.issues.map(formatIssue).join("\n"));
    return prAdjustments(result.config).map(formatPrAdjustment);
  }

  it("names each dropped custom domain, replica count, region list and limit above the caps", () => {
    const lines = adjusted((raw) => {
      const backend = raw.services.backend;
      backend.domains = { railway: false, custom: ["api.preview.acme.dev"] };
      backend.gate = { enabled: true };
      backend.replicas = 3;
      backend.limits = { cpu: 2, memory: "2GB" };
      raw.services.frontend.regions = { "us-west2": 1, "europe-west4-drams3a": 1 };
      delete raw.services.frontend.replicas;
      raw.postgres.backups = ["DAILY"];
      raw.redis.limits = { memory: "4GB" };
      raw.redis.maxMemory = "2GB";
      raw.project.adopt = true;
    });
    const P = "railway-stacks:app";
    expect(lines).toEqual([
      `${P}.project.adopt: is ignored: a PR stack always creates an environment of its own`,
      `${P}.postgres.backups: DAILY is dropped: PR stacks keep no backups`,
      `${P}.redis.limits.memory: 4GB is capped to 1GB in PR stacks`,
      `${P}.redis.maxMemory: 2GB is lowered to 768MB to fit the PR stack's capped memory`,
      `${P}.services.backend.replicas: 3 is lowered to 1 in PR stacks`,
      `${P}.services.backend.limits.cpu: 2 vCPU is capped to 1 in PR stacks`,
      `${P}.services.backend.limits.memory: 2GB is capped to 1GB in PR stacks`,
      `${P}.services.backend.domains.custom: "api.preview.acme.dev" is dropped: PR stacks have no custom domains`,
      `${P}.services.backend.gate.enabled: is turned off: without its custom domains the service has no public domain to poll`,
      `${P}.services.ml.limits.cpu: 2 vCPU is capped to 1 in PR stacks`,
      `${P}.services.ml.limits.memory: 4GB is capped to 1GB in PR stacks`,
      `${P}.services.frontend.regions: are dropped: PR stacks run one replica in project.region`,
    ]);
  });

  it("names what the shipped preview config loses in a PR stack", () => {
    expect(adjusted(() => undefined)).toEqual([
      "railway-stacks:app.postgres.backups: WEEKLY is dropped: PR stacks keep no backups",
      "railway-stacks:app.services.ml.limits.cpu: 2 vCPU is capped to 1 in PR stacks",
      "railway-stacks:app.services.ml.limits.memory: 4GB is capped to 1GB in PR stacks",
    ]);
  });

  it("says nothing when the preview config already fits a PR stack", () => {
    expect(
      adjusted((raw) => {
        raw.postgres.backups = [];
        delete raw.services.ml.limits;
      }),
    ).toEqual([]);
  });
});
