/** EnvironmentConfig patches: merge semantics, validation, etag, deployments, history, staging. */
import { ALL_OPERATIONS as OPS } from "../../infra/railway/operations";
import { applyEnvironmentPatch, mergeConfig, mergePatches } from "../../emulator/config-merge";
import { DOCS, Harness, startHarness } from "./helpers";

describe("config-merge (pure)", () => {
  test("objects merge recursively, null deletes, arrays and scalars replace", () => {
    const base = { a: { b: 1, c: [1, 2], d: { e: "x" } }, keep: true };
    expect(mergeConfig(base, { a: { b: 2, c: [3], d: null }, n: { x: null, y: 1 } })).toEqual({
      a: { b: 2, c: [3] },
      keep: true,
      n: { y: 1 },
    });
    expect(base.a.b).toBe(1); // inputs untouched
  });

  test("instances: null or isDeleted removes, a new entry is created with isCreated, volume removal drops its mounts", () => {
    const config = {
      services: {
        s1: { isCreated: true, volumeMounts: { v1: { mountPath: "/d" } } },
        s2: { isCreated: true },
      },
      volumes: { v1: { sizeMB: 1 } },
    };
    const r = applyEnvironmentPatch(config, {
      services: { s2: { isDeleted: true }, s3: { isCreated: true, deploy: { numReplicas: 1 } } },
      volumes: { v1: null },
    });
    expect(r.config).toEqual({
      services: {
        s1: { isCreated: true, volumeMounts: {} },
        s3: { isCreated: true, deploy: { numReplicas: 1 } },
      },
      volumes: {},
    });
    expect(r.created).toEqual({ services: ["s3"], volumes: [] });
    expect(r.deleted).toEqual({ services: ["s2"], volumes: ["v1"] });
  });

  test("mergePatches keeps nulls (they are instructions still to apply)", () => {
    expect(mergePatches({ a: { b: 1, c: 2 } }, { a: { c: null, d: 3 } })).toEqual({
      a: { b: 1, c: null, d: 3 },
    });
  });
});

describe("environmentPatchCommit", () => {
  let h: Harness;
  let projectId: string;
  let environmentId: string;
  let api: string;
  let worker: string;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());
  beforeEach(async () => {
    h.emu.reset();
    ({ projectId, environmentId } = await h.project("shop"));
    api = await h.service(projectId, "api");
    worker = await h.service(projectId, "worker");
  });

  test("EnvironmentConfigGet returns the config with its etag (provider document)", async () => {
    const d = await h.op("EnvironmentConfigGet", { id: environmentId });
    expect(d.environment).toMatchObject({ id: environmentId, name: "production", projectId });
    expect(d.environment.configEtag).toMatch(/^[0-9a-f]{32}$/);
    expect(d.environment.config).toEqual({
      services: { [api]: { isCreated: true }, [worker]: { isCreated: true } },
      sharedVariables: {},
      volumes: {},
    });
  });

  test("deep merge: nested keys merge, null deletes, arrays replace", async () => {
    await h.commit(environmentId, {
      services: {
        [api]: {
          source: { image: "nginx:1" },
          build: { watchPatterns: ["a/**", "b/**"] },
          deploy: { startCommand: "go", healthcheckPath: "/h" },
          variables: { A: { value: "1" }, B: { value: "2" } },
        },
      },
    });
    await h.commit(environmentId, {
      services: {
        [api]: {
          build: { watchPatterns: ["c/**"] },
          deploy: { healthcheckPath: null },
          variables: { A: null, C: { value: "3" } },
        },
      },
    });
    expect((await h.config(environmentId)).config.services[api]).toEqual({
      isCreated: true,
      source: { image: "nginx:1" },
      build: { watchPatterns: ["c/**"] },
      deploy: { startCommand: "go" },
      variables: { B: { value: "2" }, C: { value: "3" } },
    });
  });

  test("isDeleted removes a service instance; isCreated adds it back", async () => {
    await h.commit(environmentId, { services: { [worker]: { isDeleted: true } } });
    expect((await h.config(environmentId)).config.services[worker]).toBeUndefined();
    await h.commit(environmentId, {
      services: { [worker]: { isCreated: true, source: { image: "w:1" } } },
    });
    expect((await h.config(environmentId)).config.services[worker]).toEqual({
      isCreated: true,
      source: { image: "w:1" },
    });
    await h.commit(environmentId, { services: { [worker]: null } });
    expect((await h.config(environmentId)).config.services[worker]).toBeUndefined();
  });

  test("unknown service/volume ids (or ids of another project) are rejected and nothing changes", async () => {
    const before = await h.config(environmentId);
    const other = await h.project("other");
    const foreign = await h.service(other.projectId, "foreign");
    expect(
      await h.error(OPS.EnvironmentPatchCommit!, {
        environmentId,
        patch: { services: { nope: { source: { image: "x" } } } },
      }),
    ).toBe('Invalid patch: service "nope" not found in this project');
    expect(
      await h.error(OPS.EnvironmentPatchCommit!, {
        environmentId,
        patch: { services: { [foreign]: {} } },
      }),
    ).toBe(`Invalid patch: service "${foreign}" not found in this project`);
    expect(
      await h.error(OPS.EnvironmentPatchCommit!, {
        environmentId,
        patch: { volumes: { nope: { sizeMB: 1 } } },
      }),
    ).toBe('Invalid patch: volume "nope" not found in this project');
    expect(
      await h.error(OPS.EnvironmentPatchCommit!, {
        environmentId,
        patch: { services: { [api]: { variables: { X: "plain" } } } },
      }),
    ).toBe(
      `Invalid patch: services.${api}.variables.X must be an object like {"value": "..."} or null`,
    );
    expect(await h.error(OPS.EnvironmentPatchCommit!, { environmentId, patch: [1] })).toBe(
      "Invalid patch: expected a JSON object",
    );
    expect(await h.error(OPS.EnvironmentPatchCommit!, { environmentId: "nope", patch: {} })).toBe(
      "Environment not found",
    );
    expect(await h.config(environmentId)).toEqual(before);
  });

  test("configEtag changes when the config changes and only then; every commit gets a new patch id", async () => {
    const etags = [(await h.config(environmentId)).configEtag];
    const ids = [];
    ids.push(
      await h.commit(environmentId, { services: { [api]: { deploy: { startCommand: "a" } } } }),
    );
    etags.push((await h.config(environmentId)).configEtag);
    ids.push(await h.commit(environmentId, {}));
    etags.push((await h.config(environmentId)).configEtag);
    ids.push(
      (await h.data(OPS.EnvironmentPatchCommit!, { environmentId, patch: null }))
        .environmentPatchCommit,
    );
    etags.push((await h.config(environmentId)).configEtag);
    ids.push(
      await h.commit(environmentId, { services: { [api]: { deploy: { startCommand: "a" } } } }),
    );
    etags.push((await h.config(environmentId)).configEtag);
    ids.push(
      await h.commit(environmentId, { services: { [api]: { deploy: { startCommand: "b" } } } }),
    );
    etags.push((await h.config(environmentId)).configEtag);
    // A change, then three commits that change nothing (same etag), then a change again.
    expect(etags[1]).not.toBe(etags[0]);
    expect(etags.slice(2, 5)).toEqual([etags[1], etags[1], etags[1]]);
    expect(etags[5]).not.toBe(etags[1]);
    expect(new Set(etags).size).toBe(3);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f-]{36}$/);
  });

  test("one deployment per service whose config changed, none for an unchanged one", async () => {
    const patchId = await h.commit(environmentId, {
      services: {
        [api]: { source: { image: "api:1" } },
        [worker]: { source: { image: "worker:1" } },
      },
    });
    let deployments = await h.deployments({ environmentId });
    expect(deployments).toHaveLength(2);
    for (const d of deployments) {
      expect(d.status).toBe("SUCCESS");
      expect(d.meta).toMatchObject({
        patchId,
        commitMessage: "test",
        reason: "environmentPatchCommit",
        unresolvedReferences: [],
      });
      expect(new Date(d.createdAt).toString()).not.toBe("Invalid Date");
    }
    // api changes, worker is sent again unchanged: one new deployment, for api.
    await h.commit(environmentId, {
      services: {
        [api]: { source: { image: "api:2" } },
        [worker]: { source: { image: "worker:1" } },
      },
    });
    deployments = await h.deployments({ environmentId });
    expect(deployments).toHaveLength(3);
    expect(deployments[0]).toMatchObject({ serviceId: api, status: "SUCCESS" });
    expect(deployments.filter((d) => d.serviceId === api).map((d) => d.status)).toEqual([
      "SUCCESS",
      "REMOVED",
    ]);
    expect(deployments.filter((d) => d.serviceId === worker).map((d) => d.status)).toEqual([
      "SUCCESS",
    ]);
    // An empty commit deploys nothing.
    await h.commit(environmentId, {});
    expect(await h.deployments({ environmentId })).toHaveLength(3);
  });

  test("DeploymentsList (provider document) filters by service and status, newest first", async () => {
    await h.commit(environmentId, { services: { [api]: { source: { image: "api:1" } } } });
    await h.commit(environmentId, { services: { [api]: { source: { image: "api:2" } } } });
    const all = await h.deployments({ serviceId: api, environmentId });
    expect(all.map((d) => d.meta.serviceManifest.source.image)).toEqual(["api:2", "api:1"]);
    const q = `query($input: DeploymentListInput!) { deployments(input: $input) { edges { node { id status } } } }`;
    const success = (await h.data(q, { input: { serviceId: api, status: { in: ["SUCCESS"] } } }))
      .deployments.edges;
    expect(success).toHaveLength(1);
    const notSuccess = (
      await h.data(q, { input: { serviceId: api, status: { notIn: ["SUCCESS"] } } })
    ).deployments.edges;
    expect(notSuccess.map((e: any) => e.node.status)).toEqual(["REMOVED"]);
    if (OPS.DeploymentsList) {
      const d = await h.op("DeploymentsList", {
        input: { environmentId, serviceId: api },
        first: 1,
      });
      expect(d.deployments.edges).toHaveLength(1);
    }
  });

  test("decryptVariables: false masks every variable value; sealed values are masked even when decrypting", async () => {
    await h.commit(environmentId, {
      sharedVariables: { SHARED: { value: "s" } },
      services: {
        [api]: {
          variables: { PLAIN: { value: "p" }, SEALED: { value: "hidden", isSealed: true } },
        },
      },
    });
    const masked = (await h.config(environmentId, false)).config;
    expect(masked.services[api].variables).toEqual({
      PLAIN: { value: "*****" },
      SEALED: { value: "*****", isSealed: true },
    });
    expect(masked.sharedVariables).toEqual({ SHARED: { value: "*****" } });
    const open = (await h.config(environmentId, true)).config;
    expect(open.services[api].variables).toEqual({
      PLAIN: { value: "p" },
      SEALED: { value: "*****", isSealed: true },
    });
    // Omitting the argument masks too.
    const q = `query($id: String!) { environment(id: $id) { config } }`;
    expect(
      (await h.data(q, { id: environmentId })).environment.config.services[api].variables.PLAIN
        .value,
    ).toBe("*****");
  });

  test("every commit is kept in the environment's patch history", async () => {
    const first = await h.commit(
      environmentId,
      { services: { [api]: { deploy: { startCommand: "one" } } } },
      "first",
    );
    const second = await h.commit(
      environmentId,
      { services: { [api]: { deploy: { startCommand: "two" } } } },
      "second",
    );
    const edges = (await h.data(DOCS.patches, { environmentId })).environmentPatches.edges.map(
      (e: any) => e.node,
    );
    expect(edges.slice(0, 2)).toEqual([
      {
        id: second,
        status: "COMMITTED",
        message: "second",
        patch: { services: { [api]: { deploy: { startCommand: "two" } } } },
      },
      {
        id: first,
        status: "COMMITTED",
        message: "first",
        patch: { services: { [api]: { deploy: { startCommand: "one" } } } },
      },
    ]);
    const q = `query($id: String!) { environmentPatch(id: $id) { id status message environmentId } }`;
    expect((await h.data(q, { id: first })).environmentPatch).toEqual({
      id: first,
      status: "COMMITTED",
      message: "first",
      environmentId,
    });
    expect(await h.error(q, { id: "nope" })).toBe("Environment patch not found");
  });

  test("staged changes: stage, merge, inspect, commit (skipDeploys), then nothing is staged", async () => {
    const a = await h.data(DOCS.stageChanges, {
      environmentId,
      input: { services: { [api]: { deploy: { startCommand: "a", healthcheckPath: "/h" } } } },
    });
    expect(a.environmentStageChanges.status).toBe("STAGED");
    await h.data(DOCS.stageChanges, {
      environmentId,
      input: {
        services: {
          [api]: { deploy: { healthcheckPath: null } },
          [worker]: { source: { image: "w" } },
        },
      },
      merge: true,
    });
    const staged = await h.data(DOCS.stagedChanges, { environmentId });
    expect(staged.environmentStagedChanges.patch).toEqual({
      services: {
        [api]: { deploy: { startCommand: "a", healthcheckPath: null } },
        [worker]: { source: { image: "w" } },
      },
    });
    expect(staged.environment.unmergedChangesCount).toBe(2);
    // Staging does not touch the live config.
    expect((await h.config(environmentId)).config.services[api]).toEqual({ isCreated: true });
    const id = (
      await h.data(DOCS.commitStaged, { environmentId, commitMessage: "staged", skipDeploys: true })
    ).environmentPatchCommitStaged;
    expect(id).toBe(a.environmentStageChanges.id);
    expect((await h.config(environmentId)).config.services[api]).toEqual({
      isCreated: true,
      deploy: { startCommand: "a" },
    });
    expect(await h.deployments({ environmentId })).toEqual([]);
    const after = await h.data(DOCS.stagedChanges, { environmentId });
    expect(after.environmentStagedChanges.patch).toEqual({});
    expect(after.environment.unmergedChangesCount).toBe(0);
    expect(await h.error(DOCS.commitStaged, { environmentId })).toBe("No staged changes to commit");
    expect(
      await h.error(DOCS.stageChanges, { environmentId, input: { services: { nope: {} } } }),
    ).toBe('Invalid patch: service "nope" not found in this project');
  });
});
