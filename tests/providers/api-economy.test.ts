/**
 * The API calls each provider operation makes (bench/api-calls.ts), exactly: these are the numbers
 * we report. A new call in a provider method fails this test; if it is needed, update the numbers
 * here and in the report together.
 *
 * Inputs measured (see bench/api-calls.ts): a project; a service; a 1000 MB volume without backups
 * (a new volume already has the plan's 5000 MB: no patch); a service instance with an image,
 * variables, a secret and a Railway domain. Updates change one field each: the project's
 * description, the service's name, the volume's size, the instance's replicas.
 * A no-op `up` runs `check` and `diff` only: both are local, 0 calls.
 */
import { formatTable, measureProviderCalls, type CallCount } from "../../bench/api-calls";

const count = (
  reads: number,
  writes: number,
  byOperation: Record<string, number> = {},
): CallCount => ({
  reads,
  writes,
  byOperation,
});

let results: Record<string, CallCount>;
beforeAll(async () => {
  results = await measureProviderCalls();
});

test("Project: create 1 read + 1 write, no-op 0, update 1 write, read 1 read, delete 1 write", () => {
  // The read looks for a leftover of an interrupted run (project names are not unique).
  expect(results["Project.create"]).toEqual(count(1, 1, { ProjectsList: 1, ProjectCreate: 1 }));
  expect(results["Project.noop"]).toEqual(count(0, 0));
  expect(results["Project.update"]).toEqual(count(0, 1, { ProjectUpdate: 1 }));
  expect(results["Project.read"]).toEqual(count(1, 0, { ProjectGet: 1 }));
  expect(results["Project.delete"]).toEqual(count(0, 1, { ProjectDelete: 1 }));
});

test("Service: create 1 write, no-op 0, update 1 write, read 1 read, delete 1 write", () => {
  expect(results["Service.create"]).toEqual(count(0, 1, { ServiceCreate: 1 }));
  expect(results["Service.noop"]).toEqual(count(0, 0));
  expect(results["Service.update"]).toEqual(count(0, 1, { ServiceUpdate: 1 }));
  expect(results["Service.read"]).toEqual(count(1, 0, { ServiceGet: 1 }));
  expect(results["Service.delete"]).toEqual(count(0, 1, { ServiceDelete: 1 }));
});

test("Volume: create 2 writes (create, name), no-op 0, grow 1 patch, read 2 reads, delete 1 write", () => {
  expect(results["Volume.create"]).toEqual(count(0, 2, { VolumeCreate: 1, VolumeUpdate: 1 }));
  expect(results["Volume.noop"]).toEqual(count(0, 0));
  expect(results["Volume.update"]).toEqual(count(0, 1, { EnvironmentPatchCommit: 1 }));
  expect(results["Volume.read"]).toEqual(
    count(2, 0, { EnvironmentConfigGet: 1, EnvironmentVolumeInstances: 1 }),
  );
  expect(results["Volume.delete"]).toEqual(count(0, 1, { VolumeDelete: 1 }));
});

test("ServiceInstance: create 1 read + 1 patch + 1 domain, no-op 0, update 1 read + 1 patch, read 1 read, delete 1 patch", () => {
  expect(results["ServiceInstance.create"]).toEqual(
    count(1, 2, { EnvironmentConfigGet: 1, EnvironmentPatchCommit: 1, ServiceDomainCreate: 1 }),
  );
  expect(results["ServiceInstance.noop"]).toEqual(count(0, 0));
  // One read before the patch: compare before commit (a change made in Railway is not overwritten).
  expect(results["ServiceInstance.update"]).toEqual(
    count(1, 1, { EnvironmentConfigGet: 1, EnvironmentPatchCommit: 1 }),
  );
  expect(results["ServiceInstance.read"]).toEqual(count(1, 0, { EnvironmentConfigGet: 1 }));
  expect(results["ServiceInstance.delete"]).toEqual(count(0, 1, { EnvironmentPatchCommit: 1 }));
});

test("the whole table, as reported", () => {
  expect(formatTable(results)).toBe(
    [
      "| resource (reads / writes) | create | noop | update | read | delete |",
      "|---|---|---|---|---|---|",
      "| Project | 1 / 1 | 0 / 0 | 0 / 1 | 1 / 0 | 0 / 1 |",
      "| Service | 0 / 1 | 0 / 0 | 0 / 1 | 1 / 0 | 0 / 1 |",
      "| Volume | 0 / 2 | 0 / 0 | 0 / 1 | 2 / 0 | 0 / 1 |",
      "| ServiceInstance | 1 / 2 | 0 / 0 | 1 / 1 | 1 / 0 | 0 / 1 |",
    ].join("\n"),
  );
});
