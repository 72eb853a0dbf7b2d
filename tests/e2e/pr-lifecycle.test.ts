/**
 * In the `isolated` layout (PR environments of the shared layout: tests/e2e/environments.test.ts),
 * a PR preview stack's whole life with `scripts/pr.ts` (Automation API over the real Pulumi CLI)
 * against the emulator: up creates project `<preview project>-pr-7` deploying the PR branch on one
 * replica, a second up changes nothing, down removes the project and the stack, a second down is
 * fine. The script runs as a child process, as `npm run pr` runs it, on a scratch project copy.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";

import {
  type Workspace,
  createWorkspace,
  deploymentsByService,
  describeE2E,
  emulatorCounts,
  expectSuccess,
  prScript,
} from "../helpers/pulumi-cli";
import { isolatedStackFileText } from "../helpers/stack-file";

jest.setTimeout(600_000);

const PROJECT = "agent-platform-preview-pr-7";
const BRANCH = "feature/search";
const APP_SERVICES = ["backend", "broker", "frontend", "ml"];
const ALL_SERVICES = [...APP_SERVICES, "nats", "postgres", "redis"].sort();

/** Replicas of a service's deploy config: over its regions, else `numReplicas` (Railway's default is 1). */
function replicas(deploy: {
  multiRegionConfig?: Record<string, { numReplicas?: number }>;
  numReplicas?: number;
}): number {
  if (deploy.multiRegionConfig) {
    return Object.values(deploy.multiRegionConfig).reduce(
      (sum, region) => sum + (region.numReplicas ?? 1),
      0,
    );
  }
  return deploy.numReplicas ?? 1;
}

describeE2E("PR stack lifecycle with npm run pr (real Pulumi CLI, emulator)", () => {
  let workspace: Workspace;

  const pr = (...args: string[]) => prScript(workspace, ...args);

  const project = () =>
    Object.values(workspace.emulator.state.data.projects).find((p) => p.name === PROJECT);

  /** `pulumi stack ls` of the project, names without any org/project prefix. */
  const stackNames = async (): Promise<string[]> => {
    const listed = JSON.parse(
      expectSuccess(await workspace.pulumi(["stack", "ls", "--json"])).stdout,
    ) as { name: string }[];
    return listed.map((stack) => stack.name.split("/").pop()!);
  };

  beforeAll(async () => {
    workspace = await createWorkspace();
    workspace.stackFile("preview", isolatedStackFileText("preview"));
  });
  afterAll(() => workspace?.close());

  it("up creates the PR project, deploying the branch on one replica, and prints its URLs", async () => {
    const result = expectSuccess(await pr("up", "7", "--branch", BRANCH));

    const created = project();
    expect(created).toBeDefined();
    const data = workspace.emulator.state.data;
    const services = Object.values(data.services).filter(
      (service) => service.projectId === created!.id,
    );
    expect(services.map((service) => service.name).sort()).toEqual(ALL_SERVICES);
    const environment = Object.values(data.environments).find(
      (env) => env.projectId === created!.id,
    )!;
    const config = (environment.config as any).services;
    for (const service of services) {
      const instance = config[service.id];
      expect([service.name, replicas(instance.deploy)]).toEqual([service.name, 1]);
      if (APP_SERVICES.includes(service.name)) {
        expect(instance.deploy.multiRegionConfig).toEqual({ "us-west2": { numReplicas: 1 } });
        expect(instance.source).toMatchObject({ repo: "acme/agent-platform", branch: BRANCH });
      }
    }
    expect(emulatorCounts(workspace.emulator)).toEqual({
      projects: 1,
      services: 7,
      volumes: 3,
      serviceDomains: 3,
    });

    // The config the script wrote: preview's app object plus the branch, next to Pulumi.yaml.
    const written = parse(readFileSync(join(workspace.dir, "Pulumi.pr-7.yaml"), "utf8")).config;
    const preview = parse(isolatedStackFileText("preview")).config;
    expect(written["railway-stacks:app"]).toEqual(preview["railway-stacks:app"]);
    expect(written["railway-stacks:prBranch"]).toBe(BRANCH);
    expect(await stackNames()).toEqual(["pr-7"]);

    // Progress streamed, then the block with the URLs of the public services.
    expect(result.stdout).toContain("Updating (pr-7)");
    const domains = Object.values(data.serviceDomains);
    const url = (name: string) =>
      `https://${domains.find((d) => d.serviceId === services.find((s) => s.name === name)!.id)!.domain}`;
    const block = result.stdout.slice(result.stdout.indexOf("=== PR #7"));
    const width = "frontend".length;
    expect(block).toBe(
      [
        "=== PR #7 is up: stack pr-7 ===",
        `Project: ${PROJECT}`,
        `Branch:  ${BRANCH}`,
        "Changes: 35 created",
        // The PR stack's monthlyCostUsd output / 30: $49.35–$195.60 a month (npm run cost -- pr-7).
        "Cost:    $1.65–$6.52 per day (estimate)",
        "URLs:",
        ...["backend", "broker", "frontend"].map((name) => `  ${name.padEnd(width)}  ${url(name)}`),
        // What npm run pr adjusts in the preview config (issue 15's prAdjustments).
        "Differs from preview:",
        "  railway-stacks:app.postgres.backups: WEEKLY is dropped: PR stacks keep no backups",
        "  railway-stacks:app.services.ml.limits.cpu: 2 vCPU is capped to 1 in PR stacks",
        "  railway-stacks:app.services.ml.limits.memory: 4GB is capped to 1GB in PR stacks",
        "",
      ].join("\n"),
    );
  });

  it("up again is a no-op (and --json prints the outputs)", async () => {
    const counts = emulatorCounts(workspace.emulator);
    const deployments = deploymentsByService(workspace.emulator);
    const result = expectSuccess(await pr("up", "7", "--branch", BRANCH, "--json"));
    const summary = JSON.parse(result.stdout);
    expect(summary).toMatchObject({
      stack: "pr-7",
      prNumber: 7,
      branch: BRANCH,
      project: PROJECT,
      changes: { same: 35 },
      costPerDayUsd: { lower: 1.65, upper: 6.52 },
    });
    expect(Object.keys(summary.changes)).toEqual(["same"]);
    expect(Object.keys(summary.serviceUrls).sort()).toEqual(["backend", "broker", "frontend"]);
    expect(result.stderr).toContain("35 unchanged");
    expect(emulatorCounts(workspace.emulator)).toEqual(counts);
    expect(deploymentsByService(workspace.emulator)).toEqual(deployments);
  });

  it("down destroys the project and removes the stack", async () => {
    const result = expectSuccess(await pr("down", "7"));
    expect(result.stdout).toContain(
      "=== PR #7 is down: stack pr-7 removed ===\nDestroyed: 35 deleted\n",
    );
    expect(project()).toBeUndefined();
    expect(emulatorCounts(workspace.emulator)).toEqual({
      projects: 0,
      services: 0,
      volumes: 0,
      serviceDomains: 0,
    });
    expect(await stackNames()).toEqual([]);
    expect(existsSync(join(workspace.dir, "Pulumi.pr-7.yaml"))).toBe(false);
  });

  it("down again succeeds with nothing to do", async () => {
    const result = expectSuccess(await pr("down", "7"));
    expect(result.stdout).toBe("PR stack pr-7 does not exist: nothing to destroy.\n");
  });
});
