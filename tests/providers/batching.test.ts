/**
 * Creates the engine runs together share calls (infra/railway/batch.ts): ServiceInstances created
 * concurrently make one config read and one commit (still one deployment per service); a create on
 * its own makes its own; one failing instance does not fail the others.
 */
import { serviceInstanceProvider } from "../../infra/providers/service-instance";
import { EnvironmentBatches } from "../../infra/railway/batch";
import { RailwayApi } from "../../infra/railway/api";
import type { ServiceInstanceOutputs } from "../../infra/domain/types";
import { useEmulator } from "../helpers/emulator";
import { instanceInputs } from "./inputs";

const emu = useEmulator();

let project: { projectId: string; environmentId: string };
beforeAll(async () => {
  project = await emu.freshProject("batching-tests");
});

let serviceCount = 0;
async function ids(prefix: string) {
  const serviceName = `${prefix}-${++serviceCount}`;
  const serviceId = await emu.freshService(project.projectId, serviceName);
  return { ...project, serviceId, serviceName };
}

test("three instances created together: 1 config read, 1 commit naming all three, 1 deployment each", async () => {
  const all = await Promise.all([ids("web"), ids("web"), ids("web")]);
  const checkpoint = emu.checkpoint();
  const results = await Promise.all(
    all.map((one) => serviceInstanceProvider.create(instanceInputs(one))),
  );

  expect(checkpoint.counters().byOperation).toEqual({
    EnvironmentConfigGet: 1,
    EnvironmentPatchCommit: 1,
  });
  expect(checkpoint.patches()).toHaveLength(1);
  const commit = checkpoint.patches()[0]!;
  expect(commit.message).toBe(
    `railway-stacks: ${all.map((one) => `${one.serviceName} (dev)`).join(", ")}`,
  );
  expect([...commit.changedServiceIds].sort()).toEqual(all.map((one) => one.serviceId).sort());
  expect(
    checkpoint
      .deployments()
      .map((deployment) => deployment.serviceId)
      .sort(),
  ).toEqual(all.map((one) => one.serviceId).sort());
  // Every instance records the shared commit and its own settings.
  for (const [i, result] of results.entries()) {
    const outs = result.outs as ServiceInstanceOutputs;
    expect(result.id).toBe(`${project.environmentId}:${all[i]!.serviceId}`);
    expect(outs.lastCommitId).toBe(commit.id);
    expect(outs.variables).toEqual({ LOG_FORMAT: "json", RATE_LIMIT_RPM: "1000" });
  }
});

test("an instance created on its own reads and commits on its own, with its own message", async () => {
  const one = await ids("solo");
  const checkpoint = emu.checkpoint();
  await serviceInstanceProvider.create(instanceInputs(one));
  expect(checkpoint.counters().byOperation).toEqual({
    EnvironmentConfigGet: 1,
    EnvironmentPatchCommit: 1,
  });
  expect(checkpoint.patches().map((patch) => patch.message)).toEqual([
    `railway-stacks: ${one.serviceName} (dev)`,
  ]);
});

test("an instance whose service is missing fails alone; the others are committed", async () => {
  const good = await ids("ok");
  const missing = { ...project, serviceId: "no-such-service", serviceName: "ghost" };
  const checkpoint = emu.checkpoint();
  const [ok, failed] = await Promise.allSettled([
    serviceInstanceProvider.create(instanceInputs(good)),
    serviceInstanceProvider.create(instanceInputs(missing)),
  ]);
  expect(ok.status).toBe("fulfilled");
  expect(failed).toEqual({
    status: "rejected",
    reason: new Error(
      `Service ghost (no-such-service) has no instance in environment ${project.environmentId}.`,
    ),
  });
  expect(checkpoint.patches().map((patch) => patch.changedServiceIds)).toEqual([[good.serviceId]]);
});

test("a batch waits for quiet: operations arriving while others keep arriving join; later ones form the next batch", async () => {
  const batches = new EnvironmentBatches({ quietMs: 50, maxWaitMs: 5000 });
  const api = RailwayApi.fromEnvironment();
  const checkpoint = emu.checkpoint();
  const patch = (name: string) => ({
    readConfig: false,
    summary: name,
    patch: () => ({ sharedVariables: { [name]: { value: name } } }),
  });
  const first = batches.commitPatch(api, project.environmentId, patch("FIRST"));
  // Within the quiet window of the first: joins it.
  await new Promise((resolve) => setTimeout(resolve, 10));
  const second = batches.commitPatch(api, project.environmentId, patch("SECOND"));
  const [one, two] = await Promise.all([first, second]);
  expect(one.commitId).toBe(two.commitId);
  expect(one.environment).toBeUndefined();
  // After the batch ran: the next batch.
  const third = await batches.commitPatch(api, project.environmentId, patch("THIRD"));
  expect(third.commitId).not.toBe(one.commitId);
  expect(checkpoint.counters().byOperation).toEqual({ EnvironmentPatchCommit: 2 });
  expect(checkpoint.patches().map((p) => [p.message, p.patch])).toEqual([
    [
      "railway-stacks: FIRST, SECOND",
      { sharedVariables: { FIRST: { value: "FIRST" }, SECOND: { value: "SECOND" } } },
    ],
    ["railway-stacks: THIRD", { sharedVariables: { THIRD: { value: "THIRD" } } }],
  ]);
});
