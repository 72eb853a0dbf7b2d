/**
 * Convergence under faults: the whole create → update → read → delete cycle of a project with
 * three services (one with a volume; variables, secrets, a Railway domain and a custom domain)
 * while 30% of the API requests fail (429, 500, 502, 503, dropped before and after processing).
 * Whatever failed, the emulator must end with exactly the declared objects, once each, and then
 * with nothing.
 *
 * Deterministic: each run's fault sequence is seeded, requests are sent one at a time so the
 * emulator rolls its dice in the same order every run, and the retry waits are recorded, not slept.
 * The cycle runs under several seeds (about 50 requests each), so that together they hit every
 * fault kind, creates dropped after processing included.
 */
import { projectProvider } from "../../infra/providers/project";
import { serviceProvider } from "../../infra/providers/service";
import { volumeProvider } from "../../infra/providers/volume";
import { serviceInstanceProvider } from "../../infra/providers/service-instance";
import type {
  ProjectOutputs,
  ServiceInstanceInputs,
  ServiceInstanceOutputs,
  ServiceOutputs,
  VolumeOutputs,
} from "../../infra/domain/types";
import { FAULT_KINDS } from "../../emulator/faults";
import {
  engineInputs,
  fastRetries,
  serializeFetch,
  useEmulator,
  type EmulatorFixture,
} from "../helpers/emulator";
import {
  instanceInputs,
  projectInputs,
  serviceInputs,
  volumeInputs,
  withoutEngineKey,
} from "./inputs";

const SEEDS = [1, 2, 3, 4, 5, 6];
const CREATES = ["ProjectCreate", "ServiceCreate", "VolumeCreate", "ServiceDomainCreate"];

const PG_PASSWORD = "pg-password-under-faults-0001";
const SECRET_KEY = "secret-key-under-faults-0123456789abcdef";

/** What all the seeds' runs saw, for the last test. */
const seen = {
  requests: 0,
  faults: {} as Record<string, number>,
  waits: 0,
  createsDroppedAfter: [] as string[],
};

async function cycle(emu: EmulatorFixture, seed: number): Promise<void> {
  const retries = fastRetries();
  const serial = serializeFetch();
  emu.emu.setFaults({ rate: 0.3, kinds: [...FAULT_KINDS], retryAfter: 1, seed });
  try {
    // --- create -------------------------------------------------------------------------------
    const projectIn = projectInputs({ name: "faulty-shop" });
    const project = await projectProvider.create(projectIn);
    const { projectId, environmentId } = project.outs as ProjectOutputs;

    const services: Record<string, { id: string; outs: ServiceOutputs }> = {};
    for (const [name, role] of [
      ["postgres", "postgres"],
      ["api", "app"],
      ["worker", "app"],
    ] as const) {
      const created = await serviceProvider.create(serviceInputs(projectId, { name, role }));
      services[name] = { id: created.id, outs: created.outs as ServiceOutputs };
    }
    const ids = (name: string) => ({
      projectId,
      environmentId,
      serviceId: services[name]!.id,
      serviceName: name,
    });

    const volumeIn = volumeInputs(
      { projectId, environmentId, serviceId: services.postgres!.id },
      {
        name: "postgres-data",
        mountPath: "/var/lib/postgresql/data",
        sizeMB: 5000,
        backupSchedules: [],
      },
    );
    const volume = await volumeProvider.create(volumeIn);

    const instanceIn: Record<string, ServiceInstanceInputs> = {
      postgres: instanceInputs(ids("postgres"), {
        role: "postgres",
        source: { image: "pgvector/pgvector:pg16" },
        deploy: { numReplicas: 1 },
        variables: { PGDATA: "/var/lib/postgresql/data/pgdata", POSTGRES_DB: "shop" },
        secretVariables: { POSTGRES_PASSWORD: PG_PASSWORD },
      }),
      api: instanceInputs(ids("api"), {
        variables: { DATABASE_URL: "${{postgres.DATABASE_URL}}", LOG_FORMAT: "json" },
        secretVariables: { SECRET_KEY },
        networking: {
          railwayDomainPort: 8080,
          customDomains: { "shop.example.com": 8080 },
          tcpProxyPorts: [],
        },
      }),
      worker: instanceInputs(ids("worker"), {
        deploy: { startCommand: "node worker.js" },
        variables: { QUEUE: "orders", CONCURRENCY: "4" },
      }),
    };
    const instances: Record<string, { id: string; outs: ServiceInstanceOutputs }> = {};
    for (const name of ["postgres", "api", "worker"]) {
      const created = await serviceInstanceProvider.create(instanceIn[name]!);
      instances[name] = { id: created.id, outs: created.outs as ServiceInstanceOutputs };
    }

    const variablesOf = (name: string) =>
      Object.fromEntries(
        Object.entries(
          (emu.data.environments[environmentId]!.config.services as any)[services[name]!.id]
            .variables,
        ).map(([key, entry]) => [key, (entry as { value: string }).value]),
      );
    const expectConverged = (
      expected: Record<string, ServiceInstanceInputs>,
      volumeSizeMB: number,
      description: string,
    ): void => {
      const data = emu.data;
      expect(Object.values(data.projects).map((p) => [p.name, p.description])).toEqual([
        ["faulty-shop", description],
      ]);
      expect(Object.values(data.environments).map((e) => e.id)).toEqual([environmentId]);
      expect(
        Object.values(data.services)
          .map((s) => s.name)
          .sort(),
      ).toEqual(["api", "postgres", "worker"]);
      expect(Object.values(data.volumes).map((v) => v.name)).toEqual(["postgres-data"]);
      expect(Object.values(data.volumeInstances).map((i) => [i.serviceId, i.mountPath])).toEqual([
        [services.postgres!.id, "/var/lib/postgresql/data"],
      ]);
      expect((data.environments[environmentId]!.config.volumes as any)[volume.id].sizeMB).toBe(
        volumeSizeMB,
      );
      for (const name of ["postgres", "api", "worker"]) {
        expect(variablesOf(name)).toEqual({
          ...expected[name]!.variables,
          ...expected[name]!.secretVariables,
        });
      }
      expect(Object.values(data.serviceDomains).map((d) => [d.serviceId, d.domain])).toEqual([
        [services.api!.id, instances.api!.outs.railwayDomain],
      ]);
      expect(Object.values(data.customDomains).map((d) => [d.serviceId, d.domain])).toEqual([
        [services.api!.id, "shop.example.com"],
      ]);
    };
    expectConverged(instanceIn, 5000, "Managed by railway-stacks (stack dev).");

    // --- update -------------------------------------------------------------------------------
    const projectNews = { ...projectIn, description: "Shop, under faults" };
    await projectProvider.update!(
      project.id,
      engineInputs(project.outs as ProjectOutputs),
      projectNews,
    );
    const volumeNews = { ...volumeIn, sizeMB: 10000 };
    const volumeOuts = (
      await volumeProvider.update!(
        volume.id,
        engineInputs(volume.outs as VolumeOutputs),
        volumeNews,
      )
    ).outs as VolumeOutputs;
    const updated: Record<string, ServiceInstanceInputs> = {
      postgres: instanceIn.postgres!,
      api: {
        ...instanceIn.api!,
        deploy: { ...instanceIn.api!.deploy, numReplicas: 2 },
        variables: { ...instanceIn.api!.variables, LOG_FORMAT: "pretty" },
      },
      worker: { ...instanceIn.worker!, variables: { QUEUE: "orders", RETRIES: "5" } },
    };
    for (const name of ["api", "worker"]) {
      const result = await serviceInstanceProvider.update!(
        instances[name]!.id,
        engineInputs(instances[name]!.outs),
        updated[name]!,
      );
      instances[name] = { id: instances[name]!.id, outs: result.outs as ServiceInstanceOutputs };
    }
    expectConverged(updated, 10000, "Shop, under faults");
    expect(
      (emu.data.environments[environmentId]!.config.services as any)[services.api!.id].deploy
        .numReplicas,
    ).toBe(2);

    // --- read (refresh): no drift anywhere ----------------------------------------------------
    expect(
      (await projectProvider.read(project.id, engineInputs(project.outs as ProjectOutputs))).inputs,
    ).toEqual(withoutEngineKey(projectNews));
    for (const name of ["postgres", "api", "worker"]) {
      expect(
        await serviceProvider.read(services[name]!.id, engineInputs(services[name]!.outs)),
      ).toEqual({
        id: services[name]!.id,
        props: services[name]!.outs,
        inputs: withoutEngineKey(
          serviceInputs(projectId, { name, role: services[name]!.outs.role }),
        ),
      });
      expect(
        await serviceInstanceProvider.read(
          instances[name]!.id,
          engineInputs(instances[name]!.outs),
        ),
      ).toEqual({
        id: instances[name]!.id,
        props: instances[name]!.outs,
        inputs: withoutEngineKey(updated[name]!),
      });
    }
    expect(await volumeProvider.read(volume.id, engineInputs(volumeOuts))).toEqual({
      id: volume.id,
      props: volumeOuts,
      inputs: withoutEngineKey(volumeNews),
    });

    // --- delete, dependents first (as the engine orders it) -----------------------------------
    for (const name of ["worker", "api", "postgres"]) {
      await serviceInstanceProvider.delete!(
        instances[name]!.id,
        engineInputs(instances[name]!.outs),
      );
    }
    await volumeProvider.delete!(volume.id, engineInputs(volumeOuts));
    for (const name of ["worker", "api", "postgres"]) {
      await serviceProvider.delete!(services[name]!.id, engineInputs(services[name]!.outs));
    }
    await projectProvider.delete!(project.id, engineInputs(project.outs as ProjectOutputs));

    const live = await emu.state();
    for (const table of [
      "projects",
      "environments",
      "services",
      "volumes",
      "volumeInstances",
      "serviceDomains",
      "customDomains",
      "tcpProxies",
      "deployments",
      "patches",
    ] as const) {
      expect([table, Object.keys(live[table])]).toEqual([table, []]);
    }

    // The faults really happened and were retried (waits recorded, not slept).
    const counters = emu.counters();
    const faults = Object.values(counters.faults).reduce((sum, n) => sum + n, 0);
    const createsDroppedAfter = emu
      .requests()
      .filter((r) => r.fault === "drop-after" && CREATES.includes(r.operationName ?? ""))
      .map((r) => r.operationName!);
    expect(faults).toBeGreaterThan(5);
    // One wait per fault, except a create dropped after processing: its lookup found it.
    expect(retries.waits).toHaveLength(faults - createsDroppedAfter.length);
    seen.requests += counters.requests;
    seen.waits += retries.waits.length;
    for (const [kind, n] of Object.entries(counters.faults))
      seen.faults[kind] = (seen.faults[kind] ?? 0) + n;
    seen.createsDroppedAfter.push(...createsDroppedAfter);
    // Secrets reached Railway's config but never the request log.
    const log = JSON.stringify(emu.requests());
    expect(log).not.toContain(PG_PASSWORD);
    expect(log).not.toContain(SECRET_KEY);
  } finally {
    emu.emu.setFaults({ rate: 0 });
    serial.restore();
    retries.restore();
  }
}

describe.each(SEEDS)("seed %i", (seed) => {
  const emu = useEmulator({ seed });
  test("create → update → read → delete of 3 services under 30% faults converges to exactly the declared state", () =>
    cycle(emu, seed));
});

// Runs after the seeds above (Jest runs tests in the order they are declared).
describe("across the seeds", () => {
  test("about 30% of the requests failed, with every fault kind, creates dropped after processing included", () => {
    const faults = Object.values(seen.faults).reduce((sum, n) => sum + n, 0);
    expect(Object.keys(seen.faults).sort()).toEqual([...FAULT_KINDS].sort());
    expect(faults / seen.requests).toBeGreaterThan(0.2);
    expect(faults / seen.requests).toBeLessThan(0.4);
    expect(seen.createsDroppedAfter.length).toBeGreaterThan(0);
  });
});
