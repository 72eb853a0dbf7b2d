/**
 * The ServiceInstance provider and deployments: it follows the deployment a change starts
 * (`deployWait`), fails with the status, id, dashboard URL and log excerpt when it does not
 * succeed (recording what was applied), applies a variable-only change with skipDeploys without
 * waiting, and refuses to overwrite a change made in Railway since the state was written.
 */
import { PartialCreateError } from "../../infra/providers/diff";
import { serviceInstanceProvider } from "../../infra/providers/service-instance";
import { RailwayApi } from "../../infra/railway/api";
import {
  dashboardUrl,
  DeploymentFailedError,
  isServing,
  waitForDeployment,
} from "../../infra/railway/deployments";
import type { ServiceInstanceInputs, ServiceInstanceOutputs } from "../../infra/domain/types";
import { engineInputs, useEmulator } from "../helpers/emulator";
import { instanceInputs } from "./inputs";

const emu = useEmulator({ deployments: { phaseMs: 50 } });

let project: { projectId: string; environmentId: string };
let count = 0;
beforeAll(async () => {
  project = await emu.freshProject("deploy-wait");
});
afterEach(() => emu.emu.setDeployments({ failures: {} }));

const WAIT = { timeoutSeconds: 30, intervalSeconds: 0.05 };

async function created(overrides: Partial<ServiceInstanceInputs> = {}) {
  const serviceName = `web-${++count}`;
  const serviceId = await emu.freshService(project.projectId, serviceName);
  const inputs = instanceInputs(
    { ...project, serviceId, serviceName },
    { deployWait: WAIT, ...overrides },
  );
  const result = await serviceInstanceProvider.create(inputs);
  return { inputs, id: result.id, outs: result.outs as ServiceInstanceOutputs };
}

const section = (serviceId: string): any =>
  (emu.data.environments[project.environmentId]!.config.services as any)[serviceId];

/** Captures what the provider writes to stderr while `run` runs. */
async function stderrOf<T>(
  run: () => Promise<T>,
): Promise<{ value?: T; error?: unknown; text: string }> {
  const original = process.stderr.write.bind(process.stderr);
  let text = "";
  process.stderr.write = ((chunk: string) => {
    text += chunk;
    return true;
  }) as typeof process.stderr.write;
  try {
    return { value: await run(), text };
  } catch (error) {
    return { error, text };
  } finally {
    process.stderr.write = original;
  }
}

test("create waits for the deployment it started and records it", async () => {
  const { inputs, outs } = await created();
  const [deployment] = Object.values(emu.data.deployments).filter(
    (d) => d.serviceId === inputs.serviceId,
  );
  expect(deployment!.status).toBe("SUCCESS");
  expect(outs.lastDeployment).toEqual({ id: deployment!.id, status: "SUCCESS" });
});

test("a crash loop fails the update with status, id, dashboard URL and the deploy log; the applied config is recorded", async () => {
  const { id, inputs, outs } = await created();
  emu.emu.setDeployments({ failures: { [inputs.serviceName]: "crash" } });
  const news = { ...inputs, variables: { ...inputs.variables, RELEASE: "2" } };
  const { error, text } = await stderrOf(() =>
    serviceInstanceProvider.update!(id, engineInputs(outs), news),
  );
  const crashed = Object.values(emu.data.deployments)
    .filter((d) => d.serviceId === inputs.serviceId)
    .at(-1)!;
  expect(crashed.status).toBe("CRASHED");
  expect(error).toBeInstanceOf(PartialCreateError);
  const failure = error as PartialCreateError;
  expect(failure.message).toBe(
    [
      `deployment of ${inputs.serviceName} failed: deployment ${crashed.id} ended CRASHED.`,
      `  Dashboard: https://railway.com/project/${project.projectId}/service/${inputs.serviceId}?environmentId=${project.environmentId}&id=${crashed.id}`,
      // The last 12 lines: "Starting Container" before them is cut.
      "  Last deploy log lines:",
      "    Error: Cannot find module '/app/dist/server.js'",
      "    the image's entrypoint exited with code 1",
      "    Restarting container (1/3)",
      "    Error: Cannot find module '/app/dist/server.js'",
      "    the image's entrypoint exited with code 1",
      "    Restarting container (2/3)",
      "    Error: Cannot find module '/app/dist/server.js'",
      "    the image's entrypoint exited with code 1",
      "    Restarting container (3/3)",
      "    Error: Cannot find module '/app/dist/server.js'",
      "    the image's entrypoint exited with code 1",
      "    Deployment crashed: the container exited 4 times",
      "  The previous deployment keeps serving. Fix the service's settings (or code) and run pulumi up again.",
    ].join("\n"),
  );
  expect(failure.properties.lastDeployment).toEqual({ id: crashed.id, status: "CRASHED" });
  expect((failure.properties.variables as Record<string, string>).RELEASE).toBe("2");
  expect(text).toContain(
    `railway-stacks: ${inputs.serviceName} deployment ${crashed.id}: QUEUED (`,
  );
  expect(text).toContain(
    `railway-stacks: ${inputs.serviceName} deployment ${crashed.id}: CRASHED (`,
  );
  expect(section(inputs.serviceId).variables.RELEASE.value).toBe("2");

  // The engine retries a failed resource with no change: the same failed deployment is reported.
  const retried = await stderrOf(() =>
    serviceInstanceProvider.update!(
      id,
      engineInputs(failure.properties as unknown as ServiceInstanceOutputs),
      news,
    ),
  );
  expect((retried.error as Error).message).toContain(`deployment ${crashed.id} ended CRASHED.`);
});

test("a variable-only change with skipDeploysOnVariableChange starts no deployment and does not wait", async () => {
  const { id, inputs, outs } = await created({ skipDeploysOnVariableChange: true });
  const before = emu.checkpoint();
  const { value, text } = await stderrOf(() =>
    serviceInstanceProvider.update!(id, engineInputs(outs), {
      ...inputs,
      variables: { ...inputs.variables, RELEASE: "2" },
    }),
  );
  expect(before.deployments()).toEqual([]);
  expect(before.operations()).toEqual(["EnvironmentConfigGet", "VariablesUpsertSkipDeploys"]);
  expect(text).toBe(
    `railway-stacks: ${inputs.serviceName}: variables set with skipDeploys; no deployment started, nothing to wait for\n`,
  );
  expect(value!.outs!.lastCommitId).toBe(outs.lastCommitId);
  expect(section(inputs.serviceId).variables.RELEASE.value).toBe("2");
});

test("a variable removal with skipDeploysOnVariableChange replaces the collection without a deployment, keeping undeclared ones", async () => {
  const { id, inputs, outs } = await created({
    skipDeploysOnVariableChange: true,
    variables: { RELEASE: "1", OLD_FLAG: "on" },
  });
  await emu.op("EnvironmentPatchCommit", {
    environmentId: project.environmentId,
    patch: { services: { [inputs.serviceId]: { variables: { BY_HAND: { value: "kept" } } } } },
    commitMessage: "dashboard",
  });
  const before = emu.checkpoint();
  const { variables: _dropped, ...rest } = inputs;
  const { text } = await stderrOf(() =>
    serviceInstanceProvider.update!(id, engineInputs(outs), {
      ...rest,
      variables: { RELEASE: "2" },
    }),
  );
  expect(before.deployments()).toEqual([]);
  expect(before.operations()).toEqual(["EnvironmentConfigGet", "VariablesUpsertSkipDeploys"]);
  expect(before.requests().at(-1)!.variables).toMatchObject({ replace: true });
  expect(text).toBe(
    `railway-stacks: ${inputs.serviceName}: variables set with skipDeploys; no deployment started, nothing to wait for\n`,
  );
  expect(section(inputs.serviceId).variables).toEqual({
    BY_HAND: { value: "kept" },
    RELEASE: { value: "2" },
  });
});

test("a change made in Railway since the state was written is refused before any write", async () => {
  const { id, inputs, outs } = await created();
  await emu.op("EnvironmentPatchCommit", {
    environmentId: project.environmentId,
    patch: {
      services: {
        [inputs.serviceId]: { deploy: { numReplicas: 4 }, variables: { HOTFIX: { value: "1" } } },
      },
    },
    commitMessage: "dashboard",
  });
  const before = emu.checkpoint();
  await expect(
    serviceInstanceProvider.update!(id, engineInputs(outs), {
      ...inputs,
      variables: { ...inputs.variables, RELEASE: "2" },
    }),
  ).rejects.toThrow(
    `${inputs.serviceName} was changed in Railway after this stack last applied or refreshed it, so this update was planned without that change and would overwrite it. Nothing was changed. What differs from the state:\n` +
      // HOTFIX is not the stack's (it never declared it): kept, and no reason to stop.
      `  - deploy.numReplicas: 1 → 4\n` +
      "Fix: run `pulumi refresh`, then `pulumi preview` again",
  );
  expect(before.operations()).toEqual(["EnvironmentConfigGet"]);
  expect(section(inputs.serviceId).deploy.numReplicas).toBe(4);
});

test("a deployment still in progress when the timeout passes fails with its status and the build log so far", async () => {
  const { inputs } = await created();
  emu.emu.setDeployments({ phaseMs: 600_000 });
  try {
    const commitId = await emu
      .op("EnvironmentPatchCommit", {
        environmentId: project.environmentId,
        patch: { services: { [inputs.serviceId]: { variables: { RELEASE: { value: "slow" } } } } },
        commitMessage: "slow",
      })
      .then((d) => d.environmentPatchCommit as string);
    const lines: string[] = [];
    const target = { ...project, serviceId: inputs.serviceId, serviceName: inputs.serviceName };
    const error = await waitForDeployment(
      RailwayApi.fromEnvironment(),
      target,
      { commitId, committedAt: Date.now() },
      { timeoutMs: 300, intervalMs: 50, log: (line) => lines.push(line) },
    ).catch((e: unknown) => e);
    const queued = Object.values(emu.data.deployments)
      .filter((d) => d.serviceId === inputs.serviceId)
      .at(-1)!;
    expect(queued.status).toBe("QUEUED");
    expect(error).toBeInstanceOf(DeploymentFailedError);
    expect((error as Error).message).toBe(
      [
        `deployment of ${inputs.serviceName} failed: deployment ${queued.id} is still QUEUED after 0.3 s.`,
        `  Dashboard: ${dashboardUrl(target, queued.id)}`,
        "  Last build log lines:",
        "    (no log lines)",
        "  The previous deployment keeps serving. Fix the service's settings (or code) and run pulumi up again.",
      ].join("\n"),
    );
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      new RegExp(
        `^railway-stacks: ${inputs.serviceName} deployment ${queued.id}: QUEUED \\(0\\.\\d s\\)$`,
      ),
    );
  } finally {
    emu.emu.setDeployments({ phaseMs: 50 });
  }
});

test("instances committed together find their deployments with one read of the environment", async () => {
  emu.emu.setDeployments({ phaseMs: 0 });
  try {
    const services = await Promise.all(
      ["a", "b", "c"].map(async (suffix) => {
        const serviceName = `batch-${suffix}-${++count}`;
        return { serviceName, serviceId: await emu.freshService(project.projectId, serviceName) };
      }),
    );
    const before = emu.checkpoint();
    const results = await Promise.all(
      services.map((service) =>
        serviceInstanceProvider.create(
          instanceInputs({ ...project, ...service }, { deployWait: WAIT }),
        ),
      ),
    );
    // One config read and one commit for the three (infra/railway/batch.ts), then one listing
    // of the environment's deployments finds all three: not one read per service.
    expect(before.operations()).toEqual([
      "EnvironmentConfigGet",
      "EnvironmentPatchCommit",
      "DeploymentsOfEnvironment",
    ]);
    const started = before.deployments();
    expect(started).toHaveLength(3);
    expect(results.map((r) => (r.outs as ServiceInstanceOutputs).lastDeployment)).toEqual(
      services.map((service) => {
        const deployment = started.find((d) => d.serviceId === service.serviceId)!;
        return { id: deployment.id, status: "SUCCESS" };
      }),
    );
  } finally {
    emu.emu.setDeployments({ phaseMs: 50 });
  }
});

test("SUCCESS and SLEEPING serve; every other status, final or not, does not", () => {
  expect(isServing("SUCCESS")).toBe(true);
  // A service with `sleep` that succeeded and has no traffic yet serves.
  expect(isServing("SLEEPING")).toBe(true);
  for (const status of ["FAILED", "CRASHED", "REMOVED", "SKIPPED", "NEEDS_APPROVAL", "QUEUED"])
    expect(isServing(status)).toBe(false);
});
