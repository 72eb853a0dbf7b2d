/**
 * The providers in the `shared` layout against the emulator: a project shared by several stacks'
 * environments, an Environment per stack (adopted or created, a PR's forked), services adopted by
 * name and deleted only by the last environment using them, volumes removed per environment, and
 * the discard of a whole environment.
 */
import { environmentProvider } from "../../infra/providers/environment";
import { projectProvider } from "../../infra/providers/project";
import { serviceProvider } from "../../infra/providers/service";
import { serviceInstanceProvider } from "../../infra/providers/service-instance";
import { volumeProvider } from "../../infra/providers/volume";
import { DISCARD_ENVIRONMENT_VARIABLE } from "../../infra/providers/discard";
import type {
  EnvironmentInputs,
  EnvironmentOutputs,
  ProjectOutputs,
  ServiceOutputs,
  ServiceInstanceOutputs,
  VolumeInputs,
  VolumeOutputs,
} from "../../infra/domain/types";
import { engineInputs, useEmulator } from "../helpers/emulator";
import { instanceInputs, NO_OLDS, projectInputs, serviceInputs, volumeInputs } from "./inputs";

const emu = useEmulator();

let counter = 0;
const unique = (base: string) => `${base}-${++counter}`;

async function sharedProject(): Promise<ProjectOutputs> {
  const name = unique("shared");
  return (
    await projectProvider.create(
      projectInputs({ name, shared: true, defaultEnvironmentName: "production", stack: "dev" }),
    )
  ).outs as ProjectOutputs;
}

const environmentInputs = (
  projectId: string,
  overrides: Partial<EnvironmentInputs> = {},
): EnvironmentInputs => ({
  projectId,
  name: "dev",
  ephemeral: false,
  stack: "dev",
  tier: "dev",
  ...overrides,
});

async function environment(projectId: string, overrides: Partial<EnvironmentInputs> = {}) {
  const inputs = environmentInputs(projectId, overrides);
  const result = await environmentProvider.create(inputs);
  return result.outs as EnvironmentOutputs;
}

const environments = () => Object.values(emu.data.environments);
const configOf = (environmentId: string): any => emu.data.environments[environmentId]!.config;

describe("Project (shared)", () => {
  test("the first stack creates it (default environment production); the next finds it by name", async () => {
    const before = emu.checkpoint();
    const first = await sharedProject();
    // One look for the name, then the create (no second look for a leftover).
    expect(before.operations()).toEqual(["ProjectsList", "ProjectCreate"]);
    const found = emu.checkpoint();
    const second = await projectProvider.create(
      projectInputs({ name: first.name, shared: true, stack: "production", tier: "production" }),
    );
    expect(second.id).toBe(first.projectId);
    // The listing brings the environments: one read, no ProjectGet.
    expect(found.operations()).toEqual(["ProjectsList"]);
    expect(second.outs!.environmentId).toBe(first.environmentId);
    expect(
      environments()
        .filter((env) => env.projectId === first.projectId)
        .map((env) => env.name),
    ).toEqual(["production"]);
  });

  test("several projects of the name: a clear error, nothing created", async () => {
    const name = unique("twice");
    for (let i = 0; i < 2; i++) {
      await emu.op("ProjectCreate", { input: { name, defaultEnvironmentName: "production" } });
    }
    const before = emu.checkpoint();
    await expect(projectProvider.create(projectInputs({ name, shared: true }))).rejects.toThrow(
      `cannot use Railway project "${name}": 2 projects have that name, and the stacks of a shared layout find their project by name. Fix: rename or delete the extra projects in Railway, or set project.name to a unique name.`,
    );
    expect(before.operations()).toEqual(["ProjectsList"]);
  });

  test("destroy never deletes a shared project", async () => {
    const project = await sharedProject();
    const before = emu.checkpoint();
    await projectProvider.delete!(project.projectId, engineInputs(project));
    expect(before.operations()).toEqual([]);
    expect(emu.data.projects[project.projectId]).toBeDefined();
  });
});

describe("Environment", () => {
  test("created when missing (and deleted by its destroy); adopted when it exists (and left)", async () => {
    const project = await sharedProject();
    const dev = await environment(project.projectId);
    expect(dev).toMatchObject({ name: "dev", created: true, ephemeral: false });
    const production = await environment(project.projectId, {
      name: "production",
      stack: "production",
      tier: "production",
    });
    expect(production).toMatchObject({
      name: "production",
      created: false,
      environmentId: project.environmentId,
    });

    const before = emu.checkpoint();
    await environmentProvider.delete!(production.environmentId, engineInputs(production));
    expect(before.operations()).toEqual([]);
    await environmentProvider.delete!(dev.environmentId, engineInputs(dev));
    expect(before.operations()).toEqual(["EnvironmentDelete"]);
    expect(
      environments()
        .filter((env) => env.projectId === project.projectId)
        .map((env) => env.name),
    ).toEqual(["production"]);
  });

  test("a PR environment is an ephemeral fork of the source, holding its services", async () => {
    const project = await sharedProject();
    const preview = await environment(project.projectId, { name: "preview", tier: "preview" });
    const service = await serviceProvider.create(
      serviceInputs(project.projectId, { name: "web", environmentId: preview.environmentId }),
    );
    const pr = await environment(project.projectId, {
      name: "pr-7",
      ephemeral: true,
      sourceEnvironmentName: "preview",
      stack: "pr-7",
      tier: "preview",
    });
    expect(pr).toMatchObject({
      created: true,
      ephemeral: true,
      sourceEnvironmentId: preview.environmentId,
    });
    const record = emu.data.environments[pr.environmentId]!;
    expect([record.isEphemeral, record.sourceEnvironmentId]).toEqual([true, preview.environmentId]);
    expect(Object.keys(configOf(pr.environmentId).services)).toEqual([service.id]);
  });

  test("a fork of a missing environment names the fix", async () => {
    const project = await sharedProject();
    await expect(
      environmentProvider.create(
        environmentInputs(project.projectId, {
          name: "pr-8",
          ephemeral: true,
          sourceEnvironmentName: "preview",
        }),
      ),
    ).rejects.toThrow(
      'cannot fork environment "pr-8" from "preview": the project has no environment of that name. Fix: bring the stack that owns "preview" up first (`pulumi up -s preview`), or correct project.environment in that stack\'s file.',
    );
  });

  test("check: names and forks", async () => {
    expect(
      (
        await environmentProvider.check!(
          NO_OLDS,
          environmentInputs("p", { name: "dev env", sourceEnvironmentName: "dev env" }),
        )
      ).failures,
    ).toEqual([
      {
        property: "name",
        reason:
          '"dev env" is not a valid environment name. Fix: use letters, digits, "-" and "_", starting with a letter or digit, at most 64 characters, e.g. "staging"',
      },
      { property: "sourceEnvironmentName", reason: "cannot be the environment itself" },
    ]);
  });

  test("read: a rename in Railway is drift; a deleted environment is gone", async () => {
    const project = await sharedProject();
    const dev = await environment(project.projectId);
    await emu.op("EnvironmentRename", { id: dev.environmentId, input: { name: "develop" } });
    const read = await environmentProvider.read!(dev.environmentId, engineInputs(dev));
    expect(read.inputs).toEqual({ ...environmentInputs(project.projectId), name: "develop" });
    await emu.op("EnvironmentDelete", { id: dev.environmentId });
    expect(await environmentProvider.read!(dev.environmentId, engineInputs(dev))).toEqual({
      id: "",
    });
  });

  test("read: the whole project deleted in Railway means the environment is gone", async () => {
    const project = await sharedProject();
    const dev = await environment(project.projectId);
    await emu.op("ProjectDelete", { id: project.projectId });
    expect(await environmentProvider.read!(dev.environmentId, engineInputs(dev))).toEqual({
      id: "",
    });
  });
});

describe("Service, Volume and ServiceInstance in a shared project", () => {
  /** A volume of `serviceId` in the environment, as a shared-layout stack declares it. */
  async function sharedVolume(
    projectId: string,
    environmentId: string,
    serviceId: string,
    overrides: Partial<VolumeInputs>,
  ): Promise<VolumeOutputs> {
    const inputs = volumeInputs(
      { projectId, environmentId, serviceId },
      { sharedProject: true, ...overrides },
    );
    return (await volumeProvider.create(inputs)).outs as VolumeOutputs;
  }

  /** The instance of `serviceId` in the environment, as a shared-layout stack declares it. */
  async function sharedInstance(
    projectId: string,
    environmentId: string,
    serviceId: string,
    serviceName: string,
  ): Promise<ServiceInstanceOutputs> {
    const inputs = instanceInputs(
      { projectId, environmentId, serviceId, serviceName },
      { sharedProject: true },
    );
    return (await serviceInstanceProvider.create(inputs)).outs as ServiceInstanceOutputs;
  }
  async function twoEnvironments() {
    const project = await sharedProject();
    const dev = await environment(project.projectId);
    const production = await environment(project.projectId, {
      name: "production",
      stack: "production",
      tier: "production",
    });
    return { project, dev, production };
  }

  /** A PR environment: an ephemeral fork of dev, as a PR stack declares it. */
  const prEnvironment = (projectId: string, name: string) =>
    environment(projectId, {
      name,
      ephemeral: true,
      sourceEnvironmentName: "dev",
      stack: name,
      tier: "preview",
    });

  test("a service is created once and adopted by name by the next environment, which gets an instance", async () => {
    const { project, dev, production } = await twoEnvironments();
    const first = await serviceProvider.create(
      serviceInputs(project.projectId, { name: "web", environmentId: dev.environmentId }),
    );
    // Railway's fan-out: the create reached every environment that is not a fork, empty.
    expect(configOf(production.environmentId).services[first.id]).toEqual({ isCreated: true });
    // An environment made after the service has no instance of it.
    const staging = await environment(project.projectId, { name: "staging", tier: "preview" });
    expect(configOf(staging.environmentId).services?.[first.id]).toBeUndefined();
    const before = emu.checkpoint();
    const second = await serviceProvider.create(
      serviceInputs(project.projectId, { name: "web", environmentId: staging.environmentId }),
    );
    expect(second.id).toBe(first.id);
    // The project's services were read once by this process (the first create), and the
    // environment's config came with its create (nothing written since): no read here.
    expect(before.operations()).toEqual(["EnvironmentPatchCommit"]);
    expect(configOf(staging.environmentId).services[first.id]).toEqual({ isCreated: true });

    // Once this process has written anything since an environment's create, its config is read.
    const qa = await environment(project.projectId, { name: "qa", tier: "preview" });
    await serviceProvider.create(
      serviceInputs(project.projectId, { name: "other", environmentId: dev.environmentId }),
    );
    const afterWrite = emu.checkpoint();
    await serviceProvider.create(
      serviceInputs(project.projectId, { name: "web", environmentId: qa.environmentId }),
    );
    expect(afterWrite.operations()).toEqual(["EnvironmentConfigGet", "EnvironmentPatchCommit"]);
    expect(configOf(qa.environmentId).services[first.id]).toEqual({ isCreated: true });
  });

  test("deleting a service still configured in another environment keeps it; the last one deletes it", async () => {
    const { project, dev, production } = await twoEnvironments();
    const made: Record<string, ServiceOutputs> = {};
    for (const env of [dev, production]) {
      const service = await serviceProvider.create(
        serviceInputs(project.projectId, { name: "api", environmentId: env.environmentId }),
      );
      made[env.name] = service.outs as ServiceOutputs;
      await sharedInstance(project.projectId, env.environmentId, service.id, "api");
    }
    const serviceId = made.dev!.serviceId;
    const before = emu.checkpoint();
    await serviceProvider.delete!(serviceId, engineInputs(made.dev!));
    expect(before.operations()).toEqual(["ProjectEnvironmentConfigs"]);
    expect(emu.data.services[serviceId]).toBeDefined();
  });

  test("an instance's delete removes it from its environment only, in one commit", async () => {
    const { project, dev, production } = await twoEnvironments();
    const service = await serviceProvider.create(
      serviceInputs(project.projectId, { name: "worker", environmentId: dev.environmentId }),
    );
    const instances: Record<string, ServiceInstanceOutputs> = {};
    for (const env of [dev, production]) {
      await serviceProvider.create(
        serviceInputs(project.projectId, { name: "worker", environmentId: env.environmentId }),
      );
      instances[env.name] = await sharedInstance(
        project.projectId,
        env.environmentId,
        service.id,
        "worker",
      );
    }
    const production_ = JSON.stringify(emu.data.environments[production.environmentId]);
    const before = emu.checkpoint();
    await serviceInstanceProvider.delete!(
      instances.dev!.environmentId + ":" + service.id,
      engineInputs(instances.dev!),
    );
    expect(before.operations()).toEqual(["EnvironmentConfigGet", "EnvironmentPatchCommit"]);
    expect(configOf(dev.environmentId).services[service.id]).toBeUndefined();
    expect(JSON.stringify(emu.data.environments[production.environmentId])).toBe(production_);
  });

  test("a volume shared with another environment loses only this environment's instance", async () => {
    const { project, dev } = await twoEnvironments();
    const service = await serviceProvider.create(
      serviceInputs(project.projectId, { name: "db", environmentId: dev.environmentId }),
    );
    const volume = await sharedVolume(project.projectId, dev.environmentId, service.id, {
      name: "db-data-dev",
    });
    expect(emu.data.volumes[volume.volumeId]!.name).toBe("db-data-dev");
    const fork = await prEnvironment(project.projectId, "pr-3");
    // The fork's copy is found by its mount and keeps its name.
    const copy = await sharedVolume(project.projectId, fork.environmentId, service.id, {
      name: "db-data-pr-3",
      adoptExisting: true,
    });
    expect(copy.volumeId).toBe(volume.volumeId);
    expect(emu.data.volumes[volume.volumeId]!.name).toBe("db-data-dev");

    const before = emu.checkpoint();
    await volumeProvider.delete!(copy.volumeId, engineInputs(copy));
    expect(before.operations()).toEqual(["ProjectEnvironmentConfigs", "EnvironmentPatchCommit"]);
    expect(configOf(fork.environmentId).volumes?.[volume.volumeId]).toBeUndefined();
    expect(configOf(dev.environmentId).volumes[volume.volumeId]).toBeDefined();
    expect(emu.data.volumes[volume.volumeId]).toBeDefined();
  });

  test("a fork's copies (forkCopy) come with the fork's create: no read, and no write when mounted as declared", async () => {
    const { project, dev } = await twoEnvironments();
    const services = await Promise.all(
      ["pg", "kv"].map((name) =>
        serviceProvider.create(
          serviceInputs(project.projectId, { name, environmentId: dev.environmentId }),
        ),
      ),
    );
    const volumes = await Promise.all(
      services.map((service, i) =>
        sharedVolume(project.projectId, dev.environmentId, service.id, {
          name: `${["pg", "kv"][i]}-data-dev`,
        }),
      ),
    );
    const fork = await prEnvironment(project.projectId, "pr-5");
    const before = emu.checkpoint();
    const copies = await Promise.all(
      services.map((service, i) =>
        sharedVolume(project.projectId, fork.environmentId, service.id, {
          name: `${["pg", "kv"][i]}-data-pr-5`,
          adoptExisting: true,
          forkCopy: true,
        }),
      ),
    );
    // The fork's create answered with its volume instances and its config, where the copies
    // are mounted as declared: nothing to read, nothing to write.
    expect(before.operations()).toEqual([]);
    expect(copies.map((c) => c.volumeId)).toEqual(volumes.map((v) => v.volumeId));
    expect(volumes.map((v) => emu.data.volumes[v.volumeId]!.name)).toEqual([
      "pg-data-dev",
      "kv-data-dev",
    ]);
  });

  test("a fork's copy with backups the PR does not declare: one commit clears them, without a read", async () => {
    const { project, dev } = await twoEnvironments();
    const service = await serviceProvider.create(
      serviceInputs(project.projectId, { name: "db", environmentId: dev.environmentId }),
    );
    const volume = await sharedVolume(project.projectId, dev.environmentId, service.id, {
      name: "db-data-dev",
      backupSchedules: ["DAILY"],
    });
    const fork = await prEnvironment(project.projectId, "pr-6");
    const mountInFork = () =>
      configOf(fork.environmentId).services[service.id].volumeMounts[volume.volumeId];
    expect(mountInFork().backupSchedules).toEqual(["DAILY"]);
    const before = emu.checkpoint();
    await sharedVolume(project.projectId, fork.environmentId, service.id, {
      name: "db-data-pr-6",
      adoptExisting: true,
      forkCopy: true,
      backupSchedules: [],
    });
    expect(before.operations()).toEqual(["EnvironmentPatchCommit"]);
    expect(mountInFork()).toEqual({ mountPath: "/data", backupSchedules: [] });
  });

  test("while its environment is discarded, instance and volume deletes make no call", async () => {
    const { project, dev } = await twoEnvironments();
    const service = await serviceProvider.create(
      serviceInputs(project.projectId, { name: "cache", environmentId: dev.environmentId }),
    );
    const volume = await sharedVolume(project.projectId, dev.environmentId, service.id, {
      name: "cache-data-dev",
    });
    const instance = await sharedInstance(
      project.projectId,
      dev.environmentId,
      service.id,
      "cache",
    );
    process.env[DISCARD_ENVIRONMENT_VARIABLE] = dev.environmentId;
    try {
      const before = emu.checkpoint();
      await serviceInstanceProvider.delete!(
        `${dev.environmentId}:${service.id}`,
        engineInputs(instance),
      );
      await volumeProvider.delete!(volume.volumeId, engineInputs(volume));
      expect(before.operations()).toEqual([]);
    } finally {
      delete process.env[DISCARD_ENVIRONMENT_VARIABLE];
    }
  });
});
