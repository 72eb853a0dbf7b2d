/**
 * railway:ServiceInstance provider against the emulator, called as the engine calls it: one
 * environment-config patch per apply, read back from the config, exact patches asserted from the
 * emulator's patch history and request log.
 */
import {
  serviceInstanceProvider,
  checkServiceInstance,
} from "../../infra/providers/service-instance";
import { PartialCreateError, UNKNOWN } from "../../infra/providers/diff";
import type { ServiceInstanceInputs, ServiceInstanceOutputs } from "../../infra/domain/types";
import {
  engineInputs,
  fastRetries,
  PROVIDER_KEY,
  scriptFaults,
  useEmulator,
} from "../helpers/emulator";
import { instanceInputs, NO_OLDS, withoutEngineKey } from "./inputs";

const emu = useEmulator();

let project: { projectId: string; environmentId: string };
let serviceCount = 0;
beforeAll(async () => {
  project = await emu.freshProject("instance-tests");
});

/** A new service in the project (with its empty instance) and the ids an instance needs. */
async function ids(name = `api-${++serviceCount}`) {
  const serviceId = await emu.freshService(project.projectId, name);
  return {
    projectId: project.projectId,
    environmentId: project.environmentId,
    serviceId,
    serviceName: name,
  };
}

async function created(overrides: Partial<ServiceInstanceInputs> = {}) {
  const inputs = instanceInputs(await ids(), overrides);
  const result = await serviceInstanceProvider.create(inputs);
  return { inputs, id: result.id, outs: result.outs as ServiceInstanceOutputs };
}

const state = (outs: ServiceInstanceOutputs): ServiceInstanceOutputs => engineInputs(outs);
const section = (serviceId: string): any =>
  (emu.data.environments[project.environmentId]!.config.services as any)[serviceId];
const serviceDomainsOf = (serviceId: string) =>
  Object.values(emu.data.serviceDomains).filter((d) => d.serviceId === serviceId);
const customDomainsOf = (serviceId: string) =>
  Object.values(emu.data.customDomains).filter((d) => d.serviceId === serviceId);
const proxiesOf = (serviceId: string) =>
  Object.values(emu.data.tcpProxies).filter((p) => p.serviceId === serviceId);

/** Public networking with a Railway domain and a custom domain (unique across the emulator). */
let domainCount = 0;
const web = () => ({
  railwayDomainPort: 8080,
  customDomains: { [`api-${++domainCount}.example.com`]: 8080 },
  tcpProxyPorts: [],
});

/** The domain rules' messages (infra/domain/rules.ts), as the provider's failures carry them. */
const unpinned = (image: string, problem: string): string => {
  const repository = image.replace(/:[^/:]*$/, "");
  return `"${image}" ${problem}; images must be pinned to a version tag or a digest. Fix: pin a version, e.g. "${repository}:<version>", or a digest "${repository}@sha256:<digest>"`;
};
const badVariable = (name: string): string =>
  `"${name}" is not a valid variable name. Fix: use letters, digits and "_", not starting with a digit, e.g. "API_URL"`;
const badPort = (port: number): string =>
  `${port} is not a port. Fix: use a whole number between 1 and 65535, e.g. 8080`;
const badHost = (host: string): string =>
  `"${host}" is not a valid host name. Fix: write a lower-case host name such as "api.acme-agents.com" (a leading "*." is allowed)`;

describe("check", () => {
  const base = instanceInputs({
    projectId: "p",
    environmentId: "e",
    serviceId: "s",
    serviceName: "api",
  });
  const check = (overrides: Partial<ServiceInstanceInputs>) =>
    checkServiceInstance({ ...base, ...overrides });

  test("valid inputs pass unchanged, through the provider's check too", async () => {
    expect(await serviceInstanceProvider.check!(NO_OLDS, base)).toEqual({
      inputs: base,
      failures: [],
    });
    expect(check({ source: { image: `postgres@sha256:${"0123abcd".repeat(8)}` } })).toEqual([]);
    expect(
      check({ networking: { customDomains: { "*.acme.com": 8080 }, tcpProxyPorts: [] } }),
    ).toEqual([]);
    expect(
      check({ source: { repo: "acme/api", branch: "main", rootDirectory: "services/api" } }),
    ).toEqual([]);
    expect(
      check({ deploy: { multiRegion: { "us-west2": 2, "europe-west4-drams3a": 1 } } }),
    ).toEqual([]);
    expect(check({ deploy: { cronSchedule: "*/5 * * * *", numReplicas: 1 } })).toEqual([]);
    expect(
      check({
        source: { image: UNKNOWN },
        networking: {
          railwayDomainPort: UNKNOWN as unknown as number,
          customDomains: {},
          tcpProxyPorts: [],
        },
      }),
    ).toEqual([]);
  });

  test.each<[string, Partial<ServiceInstanceInputs>, { property: string; reason: string }[]]>([
    [
      "no source",
      { source: {} },
      [{ property: "source", reason: "set exactly one of image or repo" }],
    ],
    [
      "image and repo",
      { source: { image: "nginx:1.27", repo: "acme/api", branch: "main" } },
      [{ property: "source", reason: "set exactly one of image or repo" }],
    ],
    [
      "image without a tag",
      { source: { image: "nginx" } },
      [{ property: "source.image", reason: unpinned("nginx", "has no tag") }],
    ],
    [
      "image :latest",
      { source: { image: "nginx:latest" } },
      [
        {
          property: "source.image",
          reason: unpinned("nginx:latest", 'uses the floating tag "latest"'),
        },
      ],
    ],
    [
      "registry port, no tag",
      { source: { image: "localhost:5000/nginx" } },
      [{ property: "source.image", reason: unpinned("localhost:5000/nginx", "has no tag") }],
    ],
    [
      "image on a channel tag",
      { source: { image: "nginx:alpine" } },
      [
        {
          property: "source.image",
          reason: unpinned("nginx:alpine", 'uses the floating tag "alpine"'),
        },
      ],
    ],
    [
      "repo not owner/name",
      { source: { repo: "acme", branch: "main" } },
      [
        {
          property: "source.repo",
          reason:
            '"acme" is not a GitHub repository "owner/name". Fix: write the repository as owner/name, e.g. "acme/agent-platform"',
        },
      ],
    ],
    [
      "repo without branch",
      { source: { repo: "acme/api" } },
      [{ property: "source.branch", reason: "is required with a repo source" }],
    ],
    [
      "zero replicas",
      { deploy: { numReplicas: 0 } },
      [{ property: "deploy.numReplicas", reason: "must be a whole number of at least 1" }],
    ],
    [
      "fractional replicas",
      { deploy: { numReplicas: 1.5 } },
      [{ property: "deploy.numReplicas", reason: "must be a whole number of at least 1" }],
    ],
    [
      "multiRegion with numReplicas",
      { deploy: { multiRegion: { "us-west2": 2 }, numReplicas: 2 } },
      [{ property: "deploy.multiRegion", reason: "cannot be combined with numReplicas or region" }],
    ],
    [
      "multiRegion with region",
      { deploy: { multiRegion: { "us-west2": 1 }, region: "us-west2" } },
      [{ property: "deploy.multiRegion", reason: "cannot be combined with numReplicas or region" }],
    ],
    [
      "cron with 2 replicas",
      { deploy: { cronSchedule: "0 * * * *", numReplicas: 2 } },
      [
        {
          property: "deploy.cronSchedule",
          reason: "a cron service runs one replica; remove the extra replicas",
        },
      ],
    ],
    [
      "cron over two regions",
      {
        deploy: {
          cronSchedule: "0 * * * *",
          multiRegion: { "us-west2": 1, "europe-west4-drams3a": 1 },
        },
      },
      [
        {
          property: "deploy.cronSchedule",
          reason: "a cron service runs one replica; remove the extra replicas",
        },
      ],
    ],
    [
      "relative healthcheck path",
      { deploy: { healthcheckPath: "health" } },
      [
        {
          property: "deploy.healthcheckPath",
          reason: '"health" does not start with "/". Fix: write it as "/health"',
        },
      ],
    ],
    [
      "healthcheck timeout 0",
      { deploy: { healthcheckTimeout: 0 } },
      [{ property: "deploy.healthcheckTimeout", reason: "must be between 1 and 3600 seconds" }],
    ],
    [
      "healthcheck timeout 3601",
      { deploy: { healthcheckTimeout: 3601 } },
      [{ property: "deploy.healthcheckTimeout", reason: "must be between 1 and 3600 seconds" }],
    ],
    [
      "no CPU",
      { deploy: { cpu: 0 } },
      [{ property: "deploy.cpu", reason: "must be more than 0 vCPU" }],
    ],
    [
      "too little memory",
      { deploy: { memoryBytes: 32 * 1024 * 1024 } },
      [{ property: "deploy.memoryBytes", reason: "must be at least 64 MiB" }],
    ],
    [
      "bad variable name",
      { variables: { "1BAD": "x" } },
      [{ property: "variables.1BAD", reason: badVariable("1BAD") }],
    ],
    [
      "bad secret variable name",
      { secretVariables: { "api-key": "x" } },
      [{ property: "variables.api-key", reason: badVariable("api-key") }],
    ],
    [
      "secret that is also plain",
      { variables: { TOKEN: "a" }, secretVariables: { TOKEN: "b" } },
      [{ property: "secretVariables.TOKEN", reason: "is also a plain variable; keep one" }],
    ],
    [
      "Railway domain port 0",
      { networking: { railwayDomainPort: 0, customDomains: {}, tcpProxyPorts: [] } },
      [{ property: "networking.railwayDomainPort", reason: badPort(0) }],
    ],
    [
      "Railway domain port 70000",
      { networking: { railwayDomainPort: 70000, customDomains: {}, tcpProxyPorts: [] } },
      [{ property: "networking.railwayDomainPort", reason: badPort(70000) }],
    ],
    [
      "uppercase custom domain",
      { networking: { customDomains: { "API.example.com": 8080 }, tcpProxyPorts: [] } },
      [
        {
          property: "networking.customDomains.API.example.com",
          reason: badHost("API.example.com"),
        },
      ],
    ],
    [
      "single-label custom domain",
      { networking: { customDomains: { localhost: 80 }, tcpProxyPorts: [] } },
      [{ property: "networking.customDomains.localhost", reason: badHost("localhost") }],
    ],
    [
      "custom domain to port 0",
      { networking: { customDomains: { "api.example.com": 0 }, tcpProxyPorts: [] } },
      [
        {
          property: "networking.customDomains.api.example.com",
          reason: badPort(0),
        },
      ],
    ],
    [
      "TCP proxy port 0 and 65536",
      { networking: { customDomains: {}, tcpProxyPorts: [0, 65536] } },
      [
        { property: "networking.tcpProxyPorts", reason: badPort(0) },
        { property: "networking.tcpProxyPorts", reason: badPort(65536) },
      ],
    ],
  ])("%s", async (_label, overrides, failures) => {
    const before = emu.checkpoint();
    expect(check(overrides)).toEqual(failures);
    expect(
      (await serviceInstanceProvider.check!(NO_OLDS, { ...base, ...overrides })).failures,
    ).toEqual(failures);
    expect(before.counters().requests).toBe(0);
  });

  test("failure reasons never hold a secret value", () => {
    const failures = check({
      variables: { DB_PASSWORD: "a" },
      secretVariables: { DB_PASSWORD: "hunter2-secret" },
    });
    expect(failures).toEqual([
      { property: "secretVariables.DB_PASSWORD", reason: "is also a plain variable; keep one" },
    ]);
    expect(JSON.stringify(failures)).not.toContain("hunter2-secret");
  });
});

describe("create, read, diff", () => {
  test("create: one read, ONE patch with everything, the Railway domain, the proxies; one deployment", async () => {
    const instanceIds = await ids("web");
    const inputs = instanceInputs(instanceIds, {
      deploy: {
        numReplicas: 2,
        healthcheckPath: "/health",
        startCommand: "node server.js",
        cpu: 1,
        memoryBytes: 512 * 1024 * 1024,
      },
      variables: { LOG_FORMAT: "json", DATABASE_URL: "${{Postgres.DATABASE_URL}}" },
      secretVariables: { SECRET_KEY: "k3y-create-0123456789abcdef0123456789" },
      networking: {
        railwayDomainPort: 8080,
        customDomains: { "web.example.com": 8080 },
        tcpProxyPorts: [9000],
      },
    });
    const before = emu.checkpoint();
    const { id, outs } = await serviceInstanceProvider.create(inputs);
    const { serviceId, environmentId } = instanceIds;
    expect(before.operations()).toEqual([
      "EnvironmentConfigGet",
      "EnvironmentPatchCommit",
      "ServiceDomainCreate",
      "TcpProxiesGet",
      "CustomDomainDnsGet",
    ]);

    const commits = before.patches().filter((p) => p.source === "environmentPatchCommit");
    expect(commits.map((p) => [p.message, p.patch])).toEqual([
      [
        "railway-stacks: web (dev)",
        {
          services: {
            [serviceId]: {
              // Sections that are empty both in the new instance and in the inputs (build) are left out.
              source: { image: "ghcr.io/acme/api:1.4.2" },
              deploy: {
                startCommand: "node server.js",
                healthcheckPath: "/health",
                numReplicas: 2,
                limitOverride: { containers: { cpu: 1, memoryBytes: 512 * 1024 * 1024 } },
              },
              variables: {
                LOG_FORMAT: { value: "json" },
                DATABASE_URL: { value: "${{Postgres.DATABASE_URL}}" },
                SECRET_KEY: { value: "k3y-create-0123456789abcdef0123456789" },
              },
              networking: {
                customDomains: { "web.example.com": { port: 8080 } },
                tcpProxies: { "9000": {} },
              },
            },
          },
        },
      ],
    ]);
    expect(before.deployments().map((d) => d.serviceId)).toEqual([serviceId]);

    const [domain] = serviceDomainsOf(serviceId);
    const [proxy] = proxiesOf(serviceId);
    expect(domain!.domain).toMatch(/^web-production-[0-9a-f]{4}\.up\.railway\.app$/);
    expect(id).toBe(`${environmentId}:${serviceId}`);
    expect(outs).toEqual({
      ...withoutEngineKey(inputs),
      railwayDomain: domain!.domain,
      privateDomain: "web.railway.internal",
      tcpProxies: [{ domain: proxy!.domain, proxyPort: proxy!.proxyPort, applicationPort: 9000 }],
      // What the custom domain needs at the DNS provider: Railway's CNAME and verification TXT.
      dnsRecords: [
        {
          domain: "web.example.com",
          type: "CNAME",
          name: "web.example.com",
          value: expect.stringMatching(/^[0-9a-z]{8}\.up\.railway\.app$/),
        },
        {
          domain: "web.example.com",
          type: "TXT",
          name: "_railway-verify.web.example.com",
          value: customDomainsOf(serviceId)[0]!.verificationToken,
        },
      ],
      lastCommitId: commits[0]!.id,
    });
    expect(section(serviceId).networking.serviceDomains).toEqual({
      [domain!.domain]: { port: 8080 },
    });
    expect(customDomainsOf(serviceId).map((d) => d.domain)).toEqual(["web.example.com"]);
    expect(JSON.stringify(before.requests())).not.toContain(PROVIDER_KEY);
    expect(JSON.stringify(emu.data)).not.toContain(PROVIDER_KEY);
  });

  test("create without public networking: one read and one patch", async () => {
    const instanceIds = await ids();
    const before = emu.checkpoint();
    await serviceInstanceProvider.create(instanceInputs(instanceIds));
    expect(before.operations()).toEqual(["EnvironmentConfigGet", "EnvironmentPatchCommit"]);
    expect(section(instanceIds.serviceId)).toEqual({
      isCreated: true,
      source: { image: "ghcr.io/acme/api:1.4.2" },
      deploy: { numReplicas: 1, healthcheckPath: "/health", restartPolicyType: "ON_FAILURE" },
      variables: { LOG_FORMAT: { value: "json" }, RATE_LIMIT_RPM: { value: "1000" } },
    });
  });

  /** Settings and a variable set in the dashboard before the stack adopts the service. */
  async function setByHand(serviceId: string): Promise<void> {
    await emu.op("EnvironmentPatchCommit", {
      environmentId: project.environmentId,
      patch: {
        services: {
          [serviceId]: {
            deploy: { sleepApplication: true },
            variables: { OLD: { value: "1" } },
          },
        },
      },
    });
  }

  test("create keeps what the instance already had and the inputs do not declare, and says so", async () => {
    const instanceIds = await ids();
    await setByHand(instanceIds.serviceId);
    const before = emu.checkpoint();
    const written: string[] = [];
    const write = jest.spyOn(process.stderr, "write").mockImplementation((chunk) => {
      written.push(String(chunk));
      return true;
    });
    try {
      await serviceInstanceProvider.create(instanceInputs(instanceIds));
    } finally {
      write.mockRestore();
    }
    const patch = before.patches()[0]!.patch;
    expect(JSON.stringify(patch)).not.toContain("sleepApplication");
    expect(JSON.stringify(patch)).not.toContain("OLD");
    expect(section(instanceIds.serviceId).deploy).toEqual({
      numReplicas: 1,
      healthcheckPath: "/health",
      restartPolicyType: "ON_FAILURE",
      sleepApplication: true,
    });
    expect(section(instanceIds.serviceId).variables).toEqual({
      LOG_FORMAT: { value: "json" },
      OLD: { value: "1" },
      RATE_LIMIT_RPM: { value: "1000" },
    });
    expect(written).toEqual([
      "railway-stacks: api-2: kept, not declared by the stack (project.removeUndeclared: true removes them): deploy.sleepApplication, variables.OLD\n",
    ]);
  });

  test("create with removeUndeclared takes ownership: what the inputs do not declare is removed", async () => {
    const instanceIds = await ids();
    await setByHand(instanceIds.serviceId);
    const before = emu.checkpoint();
    await serviceInstanceProvider.create(instanceInputs(instanceIds, { removeUndeclared: true }));
    expect(before.patches()[0]!.patch).toMatchObject({
      services: {
        [instanceIds.serviceId]: { deploy: { sleepApplication: null }, variables: { OLD: null } },
      },
    });
    expect(section(instanceIds.serviceId).deploy).toEqual({
      numReplicas: 1,
      healthcheckPath: "/health",
      restartPolicyType: "ON_FAILURE",
    });
    expect(Object.keys(section(instanceIds.serviceId).variables)).toEqual([
      "LOG_FORMAT",
      "RATE_LIMIT_RPM",
    ]);
  });

  test("read right after create: identical props, the inputs (no outputs in them), no drift", async () => {
    const { id, inputs, outs } = await created({
      secretVariables: { API_SECRET: "read-secret-value-42" },
      networking: {
        railwayDomainPort: 8080,
        customDomains: { "read.example.com": 8080 },
        tcpProxyPorts: [5432],
      },
    });
    const before = emu.checkpoint();
    const read = await serviceInstanceProvider.read(id, state(outs));
    expect(read).toEqual({ id, props: outs, inputs: withoutEngineKey(inputs) });
    expect(before.operations()).toEqual([
      "EnvironmentConfigGet",
      "TcpProxiesGet",
      "CustomDomainDnsGet",
    ]);
    expect(await serviceInstanceProvider.diff!(id, state(read.props!), inputs)).toMatchObject({
      changes: false,
    });
  });

  test("diff: none against the outputs; a settings change updates; a parent id change replaces", async () => {
    const { id, inputs, outs } = await created();
    const before = emu.checkpoint();
    expect(await serviceInstanceProvider.diff!(id, state(outs), inputs)).toEqual({
      changes: false,
      replaces: [],
      stables: ["projectId", "environmentId", "serviceId"],
      deleteBeforeReplace: false,
    });
    expect(
      await serviceInstanceProvider.diff!(id, state(outs), {
        ...inputs,
        deploy: { ...inputs.deploy, numReplicas: 2 },
      }),
    ).toEqual({
      changes: true,
      replaces: [],
      stables: ["projectId", "environmentId", "serviceId"],
      deleteBeforeReplace: false,
    });
    expect(
      (await serviceInstanceProvider.diff!(id, state(outs), { ...inputs, serviceId: "other" }))
        .replaces,
    ).toEqual(["serviceId"]);
    expect(
      (await serviceInstanceProvider.diff!(id, state(outs), { ...inputs, environmentId: "other" }))
        .replaces,
    ).toEqual(["environmentId"]);
    expect(
      (await serviceInstanceProvider.diff!(id, state(outs), { ...inputs, projectId: "other" }))
        .replaces,
    ).toEqual(["projectId"]);
    expect(before.counters().requests).toBe(0);
  });
});

describe("update", () => {
  test("replicas 1 → 2: ONE read (compare before commit), ONE patch with only deploy.numReplicas, one deployment of that service only", async () => {
    const other = await created();
    const { id, inputs, outs } = await created();
    const before = emu.checkpoint();
    const result = await serviceInstanceProvider.update!(id, state(outs), {
      ...inputs,
      deploy: { ...inputs.deploy, numReplicas: 2 },
    });

    expect(before.counters()).toEqual({
      requests: 2,
      reads: 1,
      writes: 1,
      byOperation: { EnvironmentConfigGet: 1, EnvironmentPatchCommit: 1 },
      faults: {},
    });
    const patches = before.patches();
    expect(patches.map((p) => p.patch)).toEqual([
      { services: { [inputs.serviceId]: { deploy: { numReplicas: 2 } } } },
    ]);
    expect(before.requests().map((r) => r.variables)).toEqual([
      { id: project.environmentId },
      {
        environmentId: project.environmentId,
        patch: { services: { [inputs.serviceId]: { deploy: { numReplicas: 2 } } } },
        commitMessage: `railway-stacks: ${inputs.serviceName} (dev)`,
      },
    ]);
    expect(before.deployments().map((d) => d.serviceId)).toEqual([inputs.serviceId]);
    expect(before.deployments().filter((d) => d.serviceId === other.inputs.serviceId)).toEqual([]);
    expect(section(inputs.serviceId).deploy.numReplicas).toBe(2);
    expect(result.outs).toEqual({
      ...outs,
      deploy: { ...outs.deploy, numReplicas: 2 },
      lastCommitId: patches[0]!.id,
    });
  });

  test("unchanged inputs: no call and the same outputs", async () => {
    const WEB = web();
    const { id, inputs, outs } = await created({ networking: { ...WEB, tcpProxyPorts: [5432] } });
    const before = emu.checkpoint();
    expect((await serviceInstanceProvider.update!(id, state(outs), inputs)).outs).toEqual(outs);
    expect(before.counters().requests).toBe(0);
  });

  test("removing a variable sends null for it (and a changed one its new value)", async () => {
    const { id, inputs, outs } = await created();
    const before = emu.checkpoint();
    await serviceInstanceProvider.update!(id, state(outs), {
      ...inputs,
      variables: { LOG_FORMAT: "pretty" },
    });
    const patch = {
      services: {
        [inputs.serviceId]: {
          variables: { LOG_FORMAT: { value: "pretty" }, RATE_LIMIT_RPM: null },
        },
      },
    };
    expect(before.patches().map((p) => p.patch)).toEqual([patch]);
    // The request log keeps the null (a deletion) and redacts the value.
    expect(before.requests()[1]!.variables).toMatchObject({
      patch: {
        services: {
          [inputs.serviceId]: { variables: { LOG_FORMAT: "[redacted]", RATE_LIMIT_RPM: null } },
        },
      },
    });
    expect(section(inputs.serviceId).variables).toEqual({ LOG_FORMAT: { value: "pretty" } });
  });

  test("moving the Railway domain to another port: one patch of that domain's port; the domain keeps its name and id", async () => {
    const WEB = web();
    const { id, inputs, outs } = await created({ networking: WEB });
    const [domainBefore] = serviceDomainsOf(inputs.serviceId);
    const before = emu.checkpoint();
    const result = await serviceInstanceProvider.update!(id, state(outs), {
      ...inputs,
      networking: { ...WEB, railwayDomainPort: 3000 },
    });
    expect(before.operations()).toEqual(["EnvironmentConfigGet", "EnvironmentPatchCommit"]);
    expect(before.patches().map((p) => p.patch)).toEqual([
      {
        services: {
          [inputs.serviceId]: {
            networking: { serviceDomains: { [outs.railwayDomain!]: { port: 3000 } } },
          },
        },
      },
    ]);
    expect(serviceDomainsOf(inputs.serviceId)).toEqual([
      expect.objectContaining({ id: domainBefore!.id, domain: outs.railwayDomain }),
    ]);
    expect(result.outs).toMatchObject({
      railwayDomain: outs.railwayDomain,
      networking: { railwayDomainPort: 3000 },
    });
  });

  test("removing the Railway domain: one patch deleting it", async () => {
    const WEB = web();
    const { id, inputs, outs } = await created({ networking: WEB });
    const before = emu.checkpoint();
    const news = { ...inputs, networking: { customDomains: WEB.customDomains, tcpProxyPorts: [] } };
    const result = await serviceInstanceProvider.update!(id, state(outs), news);
    expect(before.operations()).toEqual(["EnvironmentConfigGet", "EnvironmentPatchCommit"]);
    expect(before.patches().map((p) => p.patch)).toEqual([
      {
        services: {
          [inputs.serviceId]: { networking: { serviceDomains: { [outs.railwayDomain!]: null } } },
        },
      },
    ]);
    expect(serviceDomainsOf(inputs.serviceId)).toEqual([]);
    expect(result.outs!.railwayDomain).toBeUndefined();
    expect("railwayDomain" in result.outs!).toBe(false);
  });

  test("adding a Railway domain: only ServiceDomainCreate", async () => {
    const { id, inputs, outs } = await created();
    const before = emu.checkpoint();
    const result = await serviceInstanceProvider.update!(id, state(outs), {
      ...inputs,
      networking: { ...inputs.networking, railwayDomainPort: 8080 },
    });
    expect(before.operations()).toEqual(["ServiceDomainCreate"]);
    const [domain] = serviceDomainsOf(inputs.serviceId);
    expect(result.outs!.railwayDomain).toBe(domain!.domain);
    expect(before.deployments()).toEqual([]);
  });

  test("adding then removing a custom domain and a TCP proxy: one patch each, exact keys", async () => {
    const { id, inputs, outs } = await created();
    const withBoth = {
      ...inputs,
      networking: { customDomains: { "www.example.com": 8080 }, tcpProxyPorts: [5432] },
    };
    let before = emu.checkpoint();
    const added = await serviceInstanceProvider.update!(id, state(outs), withBoth);
    expect(before.operations()).toEqual([
      "EnvironmentConfigGet",
      "EnvironmentPatchCommit",
      "TcpProxiesGet",
      "CustomDomainDnsGet",
    ]);
    expect(before.patches().map((p) => p.patch)).toEqual([
      {
        services: {
          [inputs.serviceId]: {
            networking: {
              customDomains: { "www.example.com": { port: 8080 } },
              tcpProxies: { "5432": {} },
            },
          },
        },
      },
    ]);
    const [proxy] = proxiesOf(inputs.serviceId);
    expect(added.outs!.tcpProxies).toEqual([
      { domain: proxy!.domain, proxyPort: proxy!.proxyPort, applicationPort: 5432 },
    ]);
    expect(customDomainsOf(inputs.serviceId).map((d) => d.domain)).toEqual(["www.example.com"]);

    before = emu.checkpoint();
    const removed = await serviceInstanceProvider.update!(
      id,
      state(added.outs as ServiceInstanceOutputs),
      inputs,
    );
    expect(before.operations()).toEqual(["EnvironmentConfigGet", "EnvironmentPatchCommit"]);
    expect(before.patches().map((p) => p.patch)).toEqual([
      {
        services: {
          [inputs.serviceId]: {
            networking: {
              customDomains: { "www.example.com": null },
              tcpProxies: { "5432": null },
            },
          },
        },
      },
    ]);
    expect(customDomainsOf(inputs.serviceId)).toEqual([]);
    expect(proxiesOf(inputs.serviceId)).toEqual([]);
    expect(removed.outs!.tcpProxies).toEqual([]);
    expect(added.outs!.dnsRecords!.map((r) => [r.type, r.name])).toEqual([
      ["CNAME", "www.example.com"],
      ["TXT", "_railway-verify.www.example.com"],
    ]);
    expect(removed.outs!.dnsRecords).toEqual([]);
  });

  test("switching from replicas to regions: numReplicas removed, multiRegionConfig set, in one patch", async () => {
    const { id, inputs, outs } = await created();
    const before = emu.checkpoint();
    await serviceInstanceProvider.update!(id, state(outs), {
      ...inputs,
      deploy: {
        healthcheckPath: "/health",
        restartPolicyType: "ON_FAILURE",
        multiRegion: { "us-west2": 2, "europe-west4-drams3a": 1 },
      },
    });
    expect(before.patches().map((p) => p.patch)).toEqual([
      {
        services: {
          [inputs.serviceId]: {
            deploy: {
              numReplicas: null,
              multiRegionConfig: {
                "us-west2": { numReplicas: 2 },
                "europe-west4-drams3a": { numReplicas: 1 },
              },
            },
          },
        },
      },
    ]);
  });
});

describe("read after changes behind Pulumi's back", () => {
  test("replicas and a new variable committed by hand: a declared setting is drift, an undeclared variable is kept", async () => {
    const { id, inputs, outs } = await created();
    await emu.op("EnvironmentPatchCommit", {
      environmentId: project.environmentId,
      patch: {
        services: {
          [inputs.serviceId]: {
            deploy: { numReplicas: 3 },
            variables: { ADDED_BY_HAND: { value: "yes" } },
          },
        },
      },
      commitMessage: "by hand",
    });
    const read = await serviceInstanceProvider.read(id, state(outs));
    const expected = { ...withoutEngineKey(inputs), deploy: { ...inputs.deploy, numReplicas: 3 } };
    expect(read.inputs).toEqual(expected);
    const before = emu.checkpoint();
    await serviceInstanceProvider.update!(id, state(read.props!), inputs);
    expect(before.patches().map((p) => p.patch)).toEqual([
      { services: { [inputs.serviceId]: { deploy: { numReplicas: 1 } } } },
    ]);
    expect(section(inputs.serviceId).variables.ADDED_BY_HAND).toEqual({ value: "yes" });
  });

  test("with removeUndeclared: live values in props and inputs; update puts them back", async () => {
    const { id, inputs, outs } = await created({ removeUndeclared: true });
    await emu.op("EnvironmentPatchCommit", {
      environmentId: project.environmentId,
      patch: {
        services: {
          [inputs.serviceId]: {
            deploy: { numReplicas: 3 },
            variables: { ADDED_BY_HAND: { value: "yes" } },
          },
        },
      },
      commitMessage: "by hand",
    });
    const read = await serviceInstanceProvider.read(id, state(outs));
    const expected = {
      ...withoutEngineKey(inputs),
      deploy: { ...inputs.deploy, numReplicas: 3 },
      variables: { ...inputs.variables, ADDED_BY_HAND: "yes" },
    };
    expect(read.inputs).toEqual(expected);
    expect(read.props).toEqual({ ...outs, ...expected });

    expect(await serviceInstanceProvider.diff!(id, state(read.props!), inputs)).toMatchObject({
      changes: true,
      replaces: [],
    });
    const before = emu.checkpoint();
    await serviceInstanceProvider.update!(id, state(read.props!), inputs);
    expect(before.patches().map((p) => p.patch)).toEqual([
      {
        services: {
          [inputs.serviceId]: { deploy: { numReplicas: 1 }, variables: { ADDED_BY_HAND: null } },
        },
      },
    ]);
  });

  test("a secret changed by hand stays a secret, with the live value", async () => {
    const { id, inputs, outs } = await created({
      secretVariables: { API_SECRET: "original-secret" },
    });
    await emu.op("EnvironmentPatchCommit", {
      environmentId: project.environmentId,
      patch: {
        services: {
          [inputs.serviceId]: { variables: { API_SECRET: { value: "rotated-by-hand" } } },
        },
      },
    });
    const read = await serviceInstanceProvider.read(id, state(outs));
    expect(read.inputs).toMatchObject({
      variables: inputs.variables,
      secretVariables: { API_SECRET: "rotated-by-hand" },
    });
  });

  test("the Railway domain moved or deleted by hand", async () => {
    const WEB = web();
    const { id, inputs, outs } = await created({ networking: WEB });
    const [domain] = serviceDomainsOf(inputs.serviceId);
    await emu.op("ServiceDomainUpdate", {
      input: {
        serviceDomainId: domain!.id,
        domain: domain!.domain,
        environmentId: project.environmentId,
        serviceId: inputs.serviceId,
        targetPort: 9999,
      },
    });
    let read = await serviceInstanceProvider.read(id, state(outs));
    expect(read.inputs!.networking).toEqual({ ...WEB, railwayDomainPort: 9999 });
    expect(read.props!.railwayDomain).toBe(domain!.domain);

    await emu.op("ServiceDomainDelete", { id: domain!.id });
    read = await serviceInstanceProvider.read(id, state(outs));
    expect(read.inputs!.networking).toEqual({
      customDomains: WEB.customDomains,
      tcpProxyPorts: [],
    });
    expect(read.props!.railwayDomain).toBeUndefined();
  });

  test("the service deleted behind Pulumi's back: read says gone and delete succeeds", async () => {
    const WEB = web();
    const { id, inputs, outs } = await created({ networking: WEB });
    await emu.op("ServiceDelete", { id: inputs.serviceId });
    expect(await serviceInstanceProvider.read(id, state(outs))).toEqual({ id: "" });
    await expect(serviceInstanceProvider.delete!(id, state(outs))).resolves.toBeUndefined();
  });

  test("the whole project deleted behind Pulumi's back: read says gone and delete succeeds", async () => {
    const other = await emu.freshProject("instance-gone");
    const serviceId = await emu.freshService(other.projectId, "api");
    const inputs = instanceInputs({ ...other, serviceId, serviceName: "api" });
    const { id, outs } = await serviceInstanceProvider.create(inputs);
    await emu.op("ProjectDelete", { id: other.projectId });
    expect(await serviceInstanceProvider.read(id, state(outs as ServiceInstanceOutputs))).toEqual({
      id: "",
    });
    await expect(
      serviceInstanceProvider.delete!(id, state(outs as ServiceInstanceOutputs)),
    ).resolves.toBeUndefined();
  });
});

describe("delete", () => {
  test("delete resets what the instance set, domains and proxies included, in one patch", async () => {
    const WEB = web();
    const { id, inputs, outs } = await created({
      secretVariables: { S: "delete-me-secret" },
      networking: { ...WEB, tcpProxyPorts: [5432] },
    });
    const before = emu.checkpoint();
    await serviceInstanceProvider.delete!(id, state(outs));
    expect(before.operations()).toEqual(["EnvironmentPatchCommit"]);
    expect(before.patches().map((p) => [p.message, p.patch])).toEqual([
      [
        `railway-stacks: remove ${inputs.serviceName}`,
        {
          services: {
            [inputs.serviceId]: {
              source: null,
              build: null,
              deploy: null,
              variables: null,
              networking: {
                customDomains: { [Object.keys(WEB.customDomains)[0]!]: null },
                tcpProxies: { "5432": null },
                serviceDomains: { [outs.railwayDomain!]: null },
              },
            },
          },
        },
      ],
    ]);
    const live = await emu.state();
    expect(
      (live.environments[project.environmentId]!.config.services as any)[inputs.serviceId],
    ).toEqual({
      isCreated: true,
      networking: { customDomains: {}, tcpProxies: {}, serviceDomains: {} },
    });
    expect(
      Object.values(live.serviceDomains).filter((d) => d.serviceId === inputs.serviceId),
    ).toEqual([]);
    expect(
      Object.values(live.customDomains).filter((d) => d.serviceId === inputs.serviceId),
    ).toEqual([]);
    expect(Object.values(live.tcpProxies).filter((p) => p.serviceId === inputs.serviceId)).toEqual(
      [],
    );
  });
});

describe("import: adopting an existing service instance by id", () => {
  // Pulumi's Node dynamic-provider host cannot run `pulumi import` itself (pulumi/pulumi#16175:
  // the host needs `__provider` in state first). Our import path is the documented id
  // `<environmentId>:<serviceId>` + read, with only the metadata Railway does not hold (role,
  // tier) as props: everything else, the service's name included, is read live.
  test("read(id, { role, tier }) of an instance configured directly through the API returns its full live state", async () => {
    const data = await emu.op("ServiceCreate", {
      input: {
        projectId: project.projectId,
        name: "legacy-api",
        source: { image: "nginx:1.27" },
        variables: { PORT: "8080" },
      },
    });
    const serviceId = data.serviceCreate.id as string;
    await emu.op("EnvironmentPatchCommit", {
      environmentId: project.environmentId,
      patch: {
        services: {
          [serviceId]: { deploy: { numReplicas: 2, startCommand: "nginx -g 'daemon off;'" } },
        },
      },
    });
    const domain = await emu.op("ServiceDomainCreate", {
      input: { environmentId: project.environmentId, serviceId, targetPort: 8080 },
    });
    const id = `${project.environmentId}:${serviceId}`;
    const before = emu.checkpoint();
    const read = await serviceInstanceProvider.read(
      id,
      engineInputs({ role: "app", tier: "dev" }) as unknown as ServiceInstanceOutputs,
    );
    const inputs = {
      projectId: project.projectId,
      environmentId: project.environmentId,
      serviceId,
      serviceName: "legacy-api",
      role: "app",
      tier: "dev",
      source: { image: "nginx:1.27" },
      build: {},
      deploy: { numReplicas: 2, startCommand: "nginx -g 'daemon off;'" },
      variables: { PORT: "8080" },
      secretVariables: {},
      networking: { railwayDomainPort: 8080, customDomains: {}, tcpProxyPorts: [] },
    };
    expect(read).toEqual({
      id,
      props: {
        ...inputs,
        railwayDomain: domain.serviceDomainCreate.domain,
        privateDomain: "legacy-api.railway.internal",
        tcpProxies: [],
        dnsRecords: [],
      },
      inputs,
    });
    expect(before.operations()).toEqual(["EnvironmentConfigGet", "ServiceGet"]);
  });
});

describe("secrets", () => {
  const SECRET = "pg-pa55word-never-logged-7f3a";
  const ROTATED = "pg-pa55word-rotated-91c2";

  test("secret values reach Railway's config, never the request log", async () => {
    const { id, inputs, outs } = await created({ secretVariables: { DB_PASSWORD: SECRET } });
    expect(section(inputs.serviceId).variables.DB_PASSWORD).toEqual({ value: SECRET });
    await serviceInstanceProvider.update!(id, state(outs), {
      ...inputs,
      secretVariables: { DB_PASSWORD: ROTATED },
    });
    expect(section(inputs.serviceId).variables.DB_PASSWORD).toEqual({ value: ROTATED });
    const log = JSON.stringify(emu.requests());
    expect(log).not.toContain(SECRET);
    expect(log).not.toContain(ROTATED);
    expect(log).not.toContain(emu.token);
  });

  test("a failed create names the problem, not the secret or the token", async () => {
    const inputs = instanceInputs(await ids(), {
      secretVariables: { DB_PASSWORD: SECRET },
      // Passes check (a valid hostname) but Railway refuses custom domains under railway.app.
      networking: { customDomains: { "mine.railway.app": 8080 }, tcpProxyPorts: [] },
    });
    const error = await serviceInstanceProvider.create(inputs).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(error?.message).toBe(
      'Railway API EnvironmentPatchCommit failed: Invalid custom domain "mine.railway.app"',
    );
    expect(JSON.stringify({ message: error?.message, stack: error?.stack })).not.toContain(SECRET);
    expect(error?.stack).not.toContain(emu.token);
  });

  test("a create that fails after its patch records what was applied (partial create); the next update finishes it", async () => {
    const WEB = web();
    const retries = fastRetries();
    const faults = scriptFaults(emu.emu, [
      { operation: "ServiceDomainCreate", kind: "500", times: 8 },
    ]);
    const inputs = instanceInputs(await ids(), {
      secretVariables: { DB_PASSWORD: SECRET },
      networking: WEB,
    });
    let error: unknown;
    try {
      await serviceInstanceProvider.create(inputs);
    } catch (e) {
      error = e;
    } finally {
      faults.restore();
      retries.restore();
    }
    expect(error).toBeInstanceOf(PartialCreateError);
    const partial = error as PartialCreateError;
    expect(partial.message).toBe("Railway API ServiceDomainCreate: HTTP 500");
    expect(partial.message).not.toContain(SECRET);
    expect(partial.id).toBe(`${inputs.environmentId}:${inputs.serviceId}`);
    expect(retries.waits).toHaveLength(7);
    // Only what is true: no Railway domain; the engine's key kept for later reads.
    expect(partial.properties).toMatchObject({
      __provider: PROVIDER_KEY,
      networking: { customDomains: WEB.customDomains, tcpProxyPorts: [] },
    });
    expect(partial.properties.railwayDomain).toBeUndefined();
    expect(serviceDomainsOf(inputs.serviceId)).toEqual([]);

    const before = emu.checkpoint();
    const finished = await serviceInstanceProvider.update!(
      partial.id,
      partial.properties as unknown as ServiceInstanceOutputs,
      inputs,
    );
    expect(before.operations()).toEqual(["ServiceDomainCreate"]);
    expect(finished.outs!.railwayDomain).toBe(serviceDomainsOf(inputs.serviceId)[0]!.domain);
  });
});
