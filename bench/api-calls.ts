/**
 * API calls per provider operation, measured on a fresh emulator with its counters: for each
 * resource, `create`, a no-op (`diff` only), an update of one field, a read (refresh) and `delete`.
 *
 * The providers are called directly, exactly as the Pulumi engine calls them (inputs carry
 * `__provider`). What each operation does:
 * - Project: create; update = new description; delete.
 * - Service: create; update = rename; delete.
 * - Volume: 1000 MB at /data, no backups (a new volume already has the plan's 5000 MB, so no patch);
 *   update = grow to 10000 MB.
 * - ServiceInstance: image, healthcheck, 1 replica, 2 variables, 1 secret, a Railway domain on
 *   port 8080, no custom domain or TCP proxy; update = replicas 1 → 2.
 * - no-op: the engine calls `check` and `diff` only, both local: 0 calls expected.
 *
 * Run: `node -r ts-node/register/transpile-only bench/api-calls.ts` (prints a table and JSON).
 */
import { startEmulator } from "../emulator/server";
import type { Counters } from "../emulator/request-log";
import { projectProvider } from "../infra/providers/project";
import { serviceProvider } from "../infra/providers/service";
import { volumeProvider } from "../infra/providers/volume";
import { serviceInstanceProvider } from "../infra/providers/service-instance";
import type {
  ProjectInputs,
  ProjectOutputs,
  ServiceInputs,
  ServiceInstanceInputs,
  ServiceInstanceOutputs,
  ServiceOutputs,
  VolumeInputs,
  VolumeOutputs,
} from "../infra/domain/types";

export interface CallCount {
  reads: number;
  writes: number;
  byOperation: Record<string, number>;
}

export const RESOURCES = ["Project", "Service", "Volume", "ServiceInstance"] as const;
export const OPERATIONS = ["create", "noop", "update", "read", "delete"] as const;

const ENV_KEYS = [
  "RAILWAY_GRAPHQL_ENDPOINT",
  "RAILWAY_API_TOKEN",
  "RAILWAY_TOKEN",
  "RAILWAY_MAX_ATTEMPTS",
] as const;
const PROVIDER = "bench-serialized-provider";

/** The engine's `__provider` key, as the dynamic-provider host sends it. */
const engine = <T extends object>(value: T): T => ({ ...value, __provider: PROVIDER }) as T;

function delta(before: Counters, after: Counters): CallCount {
  const byOperation: Record<string, number> = {};
  for (const [name, n] of Object.entries(after.byOperation)) {
    const d = n - (before.byOperation[name] ?? 0);
    if (d > 0) byOperation[name] = d;
  }
  return {
    reads: after.reads - before.reads,
    writes: after.writes - before.writes,
    byOperation: Object.fromEntries(
      Object.entries(byOperation).sort(([a], [b]) => a.localeCompare(b)),
    ),
  };
}

/**
 * Measures API calls per resource and operation against a fresh emulator. Keys are
 * `<Resource>.<operation>`, e.g. `ServiceInstance.update`.
 */
export async function measureProviderCalls(): Promise<Record<string, CallCount>> {
  const emulator = await startEmulator({ port: 0, seed: 1, documentLogFile: undefined });
  const saved = Object.fromEntries(ENV_KEYS.map((key) => [key, process.env[key]]));
  for (const key of ENV_KEYS) delete process.env[key];
  process.env.RAILWAY_GRAPHQL_ENDPOINT = emulator.url;
  process.env.RAILWAY_API_TOKEN = emulator.token;

  const results: Record<string, CallCount> = {};
  const measure = async <T>(key: string, run: () => Promise<T>): Promise<T> => {
    const before = emulator.counters();
    const value = await run();
    results[key] = delta(before, emulator.counters());
    return value;
  };

  try {
    // --- create, dependencies first ------------------------------------------------------------
    const projectIn: ProjectInputs = engine({
      name: "bench",
      defaultEnvironmentName: "production",
      prDeploys: false,
      stack: "bench",
      tier: "production",
    });
    const project = await measure("Project.create", () => projectProvider.create(projectIn));
    const { projectId, environmentId } = project.outs as ProjectOutputs;

    const serviceIn: ServiceInputs = engine({ projectId, name: "api", role: "app" });
    const service = await measure("Service.create", () => serviceProvider.create(serviceIn));
    const serviceId = service.id;

    const volumeIn: VolumeInputs = engine({
      projectId,
      environmentId,
      serviceId,
      name: "api-data",
      mountPath: "/data",
      sizeMB: 1000,
      backupSchedules: [],
    });
    const volume = await measure("Volume.create", () => volumeProvider.create(volumeIn));

    const instanceIn: ServiceInstanceInputs = engine({
      projectId,
      environmentId,
      serviceId,
      serviceName: "api",
      role: "app",
      tier: "production",
      source: { image: "ghcr.io/acme/api:1.4.2" },
      build: {},
      deploy: { numReplicas: 1, healthcheckPath: "/health" },
      variables: { LOG_FORMAT: "json", RATE_LIMIT_RPM: "60" },
      secretVariables: { SECRET_KEY: "bench-secret-key-0123456789abcdef0123" },
      networking: { railwayDomainPort: 8080, customDomains: {}, tcpProxyPorts: [] },
    });
    const instance = await measure("ServiceInstance.create", () =>
      serviceInstanceProvider.create(instanceIn),
    );

    // --- no-op: check + diff, as a no-op `up` does ----------------------------------------------
    const projectOuts = engine(project.outs as ProjectOutputs);
    const serviceOuts = engine(service.outs as ServiceOutputs);
    const volumeOuts = engine(volume.outs as VolumeOutputs);
    const instanceOuts = engine(instance.outs as ServiceInstanceOutputs);
    const noop = async (key: string, run: () => Promise<{ changes?: boolean }>) => {
      const diff = await measure(key, run);
      if (diff.changes !== false) throw new Error(`${key}: a no-op diff reported changes`);
    };
    await noop("Project.noop", async () => {
      await projectProvider.check!(projectOuts, projectIn);
      return projectProvider.diff!(project.id, projectOuts, projectIn);
    });
    await noop("Service.noop", async () => {
      await serviceProvider.check!(serviceOuts, serviceIn);
      return serviceProvider.diff!(service.id, serviceOuts, serviceIn);
    });
    await noop("Volume.noop", async () => {
      await volumeProvider.check!(volumeOuts, volumeIn);
      return volumeProvider.diff!(volume.id, volumeOuts, volumeIn);
    });
    await noop("ServiceInstance.noop", async () => {
      await serviceInstanceProvider.check!(instanceOuts, instanceIn);
      return serviceInstanceProvider.diff!(instance.id, instanceOuts, instanceIn);
    });

    // --- update one field -------------------------------------------------------------------------
    const projectUpd = await measure("Project.update", () =>
      projectProvider.update!(project.id, projectOuts, {
        ...projectIn,
        description: "Benchmark project",
      }),
    );
    const serviceUpd = await measure("Service.update", () =>
      serviceProvider.update!(service.id, serviceOuts, { ...serviceIn, name: "api-v2" }),
    );
    const volumeUpd = await measure("Volume.update", () =>
      volumeProvider.update!(volume.id, volumeOuts, { ...volumeIn, sizeMB: 10000 }),
    );
    const instanceUpd = await measure("ServiceInstance.update", () =>
      serviceInstanceProvider.update!(instance.id, instanceOuts, {
        ...instanceIn,
        deploy: { ...instanceIn.deploy, numReplicas: 2 },
      }),
    );

    // --- read (refresh) ---------------------------------------------------------------------------
    await measure("Project.read", () =>
      projectProvider.read(project.id, engine(projectUpd.outs as ProjectOutputs)),
    );
    await measure("Service.read", () =>
      serviceProvider.read(service.id, engine(serviceUpd.outs as ServiceOutputs)),
    );
    await measure("Volume.read", () =>
      volumeProvider.read(volume.id, engine(volumeUpd.outs as VolumeOutputs)),
    );
    await measure("ServiceInstance.read", () =>
      serviceInstanceProvider.read(instance.id, engine(instanceUpd.outs as ServiceInstanceOutputs)),
    );

    // --- delete, dependents first -----------------------------------------------------------------
    await measure("ServiceInstance.delete", () =>
      serviceInstanceProvider.delete!(
        instance.id,
        engine(instanceUpd.outs as ServiceInstanceOutputs),
      ),
    );
    await measure("Volume.delete", () =>
      volumeProvider.delete!(volume.id, engine(volumeUpd.outs as VolumeOutputs)),
    );
    await measure("Service.delete", () =>
      serviceProvider.delete!(service.id, engine(serviceUpd.outs as ServiceOutputs)),
    );
    await measure("Project.delete", () =>
      projectProvider.delete!(project.id, engine(projectUpd.outs as ProjectOutputs)),
    );

    if (Object.keys(emulator.state.data.projects).length !== 0)
      throw new Error("bench: the project was not deleted");
  } finally {
    for (const key of ENV_KEYS) {
      if (saved[key] === undefined) delete process.env[key];
      else process.env[key] = saved[key];
    }
    await emulator.close();
  }

  // Resource by resource, in operation order.
  return Object.fromEntries(
    RESOURCES.flatMap((resource) => OPERATIONS.map((op) => `${resource}.${op}`)).map((key) => [
      key,
      results[key] ?? { reads: 0, writes: 0, byOperation: {} },
    ]),
  );
}

/** A Markdown table: reads/writes per resource per operation. */
export function formatTable(results: Record<string, CallCount>): string {
  const cell = (count: CallCount) => `${count.reads} / ${count.writes}`;
  const lines = [
    `| resource (reads / writes) | ${OPERATIONS.join(" | ")} |`,
    `|---|${OPERATIONS.map(() => "---").join("|")}|`,
    ...RESOURCES.map(
      (resource) =>
        `| ${resource} | ${OPERATIONS.map((op) => cell(results[`${resource}.${op}`] ?? { reads: 0, writes: 0, byOperation: {} })).join(" | ")} |`,
    ),
  ];
  return lines.join("\n");
}

if (require.main === module) {
  measureProviderCalls().then(
    (results) => {
      process.stdout.write(`${formatTable(results)}\n\n${JSON.stringify(results, null, 2)}\n`);
    },
    (error: Error) => {
      process.stderr.write(`${error.stack ?? error.message}\n`);
      process.exit(1);
    },
  );
}
