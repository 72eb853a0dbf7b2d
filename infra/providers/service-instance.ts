/**
 * CRUD for `railway:ServiceInstance`: everything one service has in one environment, applied as
 * ONE environment-config patch per apply (so one deployment per changed service) and read back
 * from the environment's config for refresh.
 *
 * Only the generated Railway domain needs its own mutation (`serviceDomainCreate`): its name is
 * chosen by Railway, so it cannot be written as a patch key before it exists. Changing its port
 * or removing it is again part of the patch (`networking.serviceDomains.<domain>`).
 */
import { RailwayApi } from "../railway/api";
import { environmentBatches } from "../railway/batch";
import {
  DeploymentFailedError,
  isServing,
  waitForDeployment,
  type DeploymentRef,
} from "../railway/deployments";
import { isNotFound } from "../railway/errors";
import {
  deepEqual,
  differences,
  isObject,
  inputsFromLiveView,
  liveServiceInstanceView,
  ownedPart,
  patchBetween,
  railwayDomainOf,
  serviceInstanceView,
  serviceSection,
  undeclaredPaths,
  withSectionsOf,
  type JsonObject,
} from "../railway/environment-config";
import { reportAdoption } from "./adoption";
import { isDiscarded } from "./discard";
import type { DnsRecord, ServiceInstanceInputs, ServiceInstanceOutputs } from "../domain/types";
import {
  checkCron,
  checkCustomDomain,
  checkHttpPath,
  checkImage,
  checkPort,
  checkRegion,
  checkRepo,
  checkServiceName,
  checkVariableName,
  type Problem,
} from "../domain/rules";
import {
  diffFields,
  failure,
  isUnknown,
  defined,
  PartialCreateError,
  ruleFailure,
  withoutProvider,
  type Failure,
  type RailwayResourceProvider,
} from "./diff";

const FIELDS = [
  "projectId",
  "environmentId",
  "serviceId",
  "serviceName",
  "role",
  "tier",
  "source",
  "build",
  "deploy",
  "variables",
  "secretVariables",
  "networking",
  "deployWait",
  "skipDeploysOnVariableChange",
  "removeUndeclared",
  "sharedProject",
  "adopting",
] as const;

/**
 * The fields a change of which updates the instance. `deployWait` is how `pulumi up` waits, not
 * anything Railway holds: a new timeout alone changes nothing there (it applies from the next
 * update that does).
 */
const COMPARED_FIELDS = FIELDS.filter((field) => field !== "deployWait");

/** Input checks the engine shows against each property, before any API call. */
export function checkServiceInstance(news: ServiceInstanceInputs): Failure[] {
  const failures: Failure[] = [];
  /** Applies one domain rule to a value that is known (unknown values are judged at apply). */
  const rule = <T>(
    property: string,
    value: T | undefined,
    check: (v: T) => Problem | undefined,
  ) => {
    if (value === undefined || isUnknown(value)) return;
    const found = check(value);
    if (found) failures.push(ruleFailure(property, found));
  };
  const { source, deploy, networking } = news;
  if (Boolean(source?.image) === Boolean(source?.repo)) {
    failures.push(failure("source", "set exactly one of image or repo"));
  }
  rule("serviceName", news.serviceName, checkServiceName);
  rule("source.image", source?.image, checkImage);
  if (source?.repo) {
    rule("source.repo", source.repo, checkRepo);
    if (!source.branch) failures.push(failure("source.branch", "is required with a repo source"));
  }
  if (
    deploy?.numReplicas !== undefined &&
    (!Number.isInteger(deploy.numReplicas) || deploy.numReplicas < 1)
  ) {
    failures.push(failure("deploy.numReplicas", "must be a whole number of at least 1"));
  }
  if (deploy?.multiRegion && (deploy.numReplicas !== undefined || deploy.region !== undefined)) {
    failures.push(failure("deploy.multiRegion", "cannot be combined with numReplicas or region"));
  }
  rule("deploy.region", deploy?.region, checkRegion);
  for (const region of Object.keys(deploy?.multiRegion ?? {})) {
    rule(`deploy.multiRegion.${region}`, region, checkRegion);
  }
  const replicas = deploy?.multiRegion
    ? Object.values(deploy.multiRegion).reduce((sum, n) => sum + n, 0)
    : (deploy?.numReplicas ?? 1);
  if (deploy?.cronSchedule && replicas > 1) {
    failures.push(
      failure("deploy.cronSchedule", "a cron service runs one replica; remove the extra replicas"),
    );
  }
  rule("deploy.cronSchedule", deploy?.cronSchedule, checkCron);
  rule("deploy.healthcheckPath", deploy?.healthcheckPath, checkHttpPath);
  if (
    deploy?.healthcheckTimeout !== undefined &&
    !(deploy.healthcheckTimeout >= 1 && deploy.healthcheckTimeout <= 3600)
  ) {
    failures.push(failure("deploy.healthcheckTimeout", "must be between 1 and 3600 seconds"));
  }
  if (deploy?.cpu !== undefined && !(deploy.cpu > 0))
    failures.push(failure("deploy.cpu", "must be more than 0 vCPU"));
  if (deploy?.memoryBytes !== undefined && !(deploy.memoryBytes >= 64 * 1024 * 1024)) {
    failures.push(failure("deploy.memoryBytes", "must be at least 64 MiB"));
  }
  for (const key of [
    ...Object.keys(news.variables ?? {}),
    ...Object.keys(news.secretVariables ?? {}),
  ]) {
    rule(`variables.${key}`, key, checkVariableName);
  }
  for (const key of Object.keys(news.secretVariables ?? {})) {
    if (key in (news.variables ?? {})) {
      failures.push(failure(`secretVariables.${key}`, "is also a plain variable; keep one"));
    }
  }
  rule("networking.railwayDomainPort", networking?.railwayDomainPort, checkPort);
  for (const [domain, port] of Object.entries(networking?.customDomains ?? {})) {
    rule(`networking.customDomains.${domain}`, domain, checkCustomDomain);
    rule(`networking.customDomains.${domain}`, port, checkPort);
  }
  for (const port of networking?.tcpProxyPorts ?? []) {
    rule("networking.tcpProxyPorts", port, checkPort);
  }
  return failures;
}

/** A service's domain patch entry, nested the way Railway's config nests it. */
const serviceDomainPatch = (domain: string, entry: JsonObject | null): JsonObject => ({
  networking: { serviceDomains: { [domain]: entry } },
});

function mergePatches(...patches: (JsonObject | undefined)[]): JsonObject | undefined {
  const merge = (target: JsonObject, source: JsonObject): JsonObject => {
    for (const [key, value] of Object.entries(source)) {
      const existing = target[key];
      target[key] =
        value &&
        typeof value === "object" &&
        !Array.isArray(value) &&
        existing &&
        typeof existing === "object" &&
        !Array.isArray(existing)
          ? merge({ ...existing }, value)
          : value;
    }
    return target;
  };
  const present = patches.filter((patch): patch is JsonObject => patch !== undefined);
  return present.length === 0 ? undefined : present.reduce((acc, patch) => merge(acc, patch), {});
}

async function tcpProxiesOf(
  api: RailwayApi,
  inputs: ServiceInstanceInputs,
): Promise<ServiceInstanceOutputs["tcpProxies"]> {
  if (inputs.networking.tcpProxyPorts.length === 0) return [];
  const proxies = await api.getTcpProxies(inputs.environmentId, inputs.serviceId);
  return proxies
    .map(({ domain, proxyPort, applicationPort }) => ({ domain, proxyPort, applicationPort }))
    .sort((a, b) => a.applicationPort - b.applicationPort);
}

/** `DNS_RECORD_TYPE_CNAME` → `CNAME`. */
const recordType = (railwayType: string): string => railwayType.replace(/^DNS_RECORD_TYPE_/, "");

/**
 * The records each custom domain needs at the user's DNS provider, in the order of the inputs:
 * Railway's routing record(s), then the verification TXT record when Railway asks for one.
 */
async function dnsRecordsOf(api: RailwayApi, inputs: ServiceInstanceInputs): Promise<DnsRecord[]> {
  const declared = Object.keys(inputs.networking.customDomains);
  if (declared.length === 0) return [];
  const live = await api.getCustomDomainDns(
    inputs.environmentId,
    inputs.projectId,
    inputs.serviceId,
  );
  return declared.flatMap((domain) => {
    const found = live.find((record) => record.domain === domain);
    if (!found) return [];
    const { verificationDnsHost, verificationToken, dnsRecords } = found.status;
    return [
      ...dnsRecords.map((record) => ({
        domain,
        type: recordType(record.recordType),
        name: record.fqdn,
        value: record.requiredValue,
      })),
      ...(verificationDnsHost && verificationToken
        ? [{ domain, type: "TXT", name: verificationDnsHost, value: verificationToken }]
        : []),
    ];
  });
}

function outputs(
  inputs: ServiceInstanceInputs,
  computed: Pick<
    ServiceInstanceOutputs,
    "railwayDomain" | "tcpProxies" | "lastCommitId" | "lastDeployment"
  > &
    Partial<Pick<ServiceInstanceOutputs, "dnsRecords">>,
): ServiceInstanceOutputs {
  return defined({
    ...withoutProvider(inputs),
    railwayDomain: computed.railwayDomain,
    privateDomain: `${inputs.serviceName}.railway.internal`,
    tcpProxies: computed.tcpProxies,
    dnsRecords: computed.dnsRecords ?? [],
    lastCommitId: computed.lastCommitId,
    lastDeployment: computed.lastDeployment,
  });
}

/**
 * Compare before commit: an update is planned against the state (what this stack last applied or
 * refreshed). If the service's live config no longer matches it, someone changed it since (the
 * dashboard, the CLI, another tool), and committing the planned patch would silently overwrite
 * that change; stop instead, before any write.
 *
 * Why not Railway's `baseConfigEtag`: it exists only on the experimental
 * `environmentApplyChangeSet`, and the etag covers the whole environment, so the updates of
 * several services in one `up` (which run in parallel) would refuse each other. Comparing this
 * service's own section catches the same edits; the window left is the one between this read and
 * the commit just after it.
 */
async function refuseChangesMadeElsewhere(
  api: RailwayApi,
  olds: ServiceInstanceOutputs,
): Promise<JsonObject | undefined> {
  const environment = await api.getEnvironmentConfig(olds.environmentId);
  const section = environment && serviceSection(environment.config, olds.serviceId);
  const declared = serviceInstanceView(olds);
  const changed = section
    ? differences(declared, ownView(liveServiceInstanceView(section), declared, olds))
    : ["the service has no instance in this environment any more"];
  const liveDomain = section && railwayDomainOf(section);
  if (section && liveDomain?.domain !== olds.railwayDomain) {
    changed.push(
      `networking.railwayDomain: ${olds.railwayDomain ?? "(none)"} → ${liveDomain?.domain ?? "(none)"}`,
    );
  }
  if (changed.length === 0) return section;
  throw new Error(
    `${olds.serviceName} was changed in Railway after this stack last applied or refreshed it, so this update was planned without that change and would overwrite it. Nothing was changed. What differs from the state:\n` +
      changed.map((line) => `  - ${line}`).join("\n") +
      `\nFix: run \`pulumi refresh\`, then \`pulumi preview\` again to see your config against what is live, and keep the change in Pulumi.<stack>.yaml or let the next \`pulumi up\` replace it. \`npm run drift -- <stack>\` lists every difference.`,
  );
}

/**
 * The part of a live view this instance compares with and changes: everything when it removes
 * what it does not declare, else only what it declares (the rest is kept).
 */
function ownView(
  live: JsonObject,
  declared: JsonObject,
  inputs: ServiceInstanceInputs,
): JsonObject {
  return inputs.removeUndeclared ? live : ownedPart(live, declared);
}

/** Says on the operation's output what the service has that the stack keeps without declaring. */
function reportKept(inputs: ServiceInstanceInputs, live: JsonObject, declared: JsonObject): void {
  if (inputs.removeUndeclared) return;
  const kept = undeclaredPaths(live, declared);
  if (kept.length === 0) return;
  process.stderr.write(
    `railway-stacks: ${inputs.serviceName}: kept, not declared by the stack (project.removeUndeclared: true removes them): ${kept.join(", ")}\n`,
  );
}

/**
 * A change of variables only (added, changed or removed): what `variableCollectionUpsert`
 * with `skipDeploys` can apply. Undefined for anything else (the patch route deploys).
 */
function variablesOnly(
  patch: JsonObject | undefined,
): { set: Record<string, string>; removed: string[] } | undefined {
  if (!patch || Object.keys(patch).join() !== "variables" || !isObject(patch.variables))
    return undefined;
  const set: Record<string, string> = {};
  const removed: string[] = [];
  for (const [name, entry] of Object.entries(patch.variables)) {
    if (entry === null) removed.push(name);
    else if (isObject(entry) && typeof entry.value === "string") set[name] = entry.value;
    else return undefined;
  }
  return { set, removed };
}

/**
 * The whole set of variables the service is to have after a variables-only change: what it has
 * in Railway (undeclared ones included), without the removed ones, with the set ones. Railway's
 * upsert only removes variables by replacing the whole collection (`replace: true`).
 */
function variablesAfter(
  section: JsonObject | undefined,
  change: { set: Record<string, string>; removed: string[] },
): Record<string, string> {
  const live = isObject(section?.variables) ? section.variables : {};
  const all: Record<string, string> = {};
  for (const [name, entry] of Object.entries(live)) {
    if (isObject(entry) && typeof entry.value === "string" && !change.removed.includes(name))
      all[name] = entry.value;
  }
  return { ...all, ...change.set };
}

type Started = { commitId: string; committedAt: number } | { deploymentId: string };

/**
 * Follows the deployment a change started, when the inputs ask for it (`deployWait`). A failed
 * deployment fails the operation, but the config IS applied: the error carries the outputs of
 * what is now live, so the state matches Railway and the next `up` compares against it.
 */
async function followDeployment(
  api: RailwayApi,
  id: string,
  inputs: ServiceInstanceInputs,
  outs: ServiceInstanceOutputs,
  started: Started | undefined,
): Promise<ServiceInstanceOutputs> {
  if (!started || !inputs.deployWait) return outs;
  const target = {
    projectId: inputs.projectId,
    environmentId: inputs.environmentId,
    serviceId: inputs.serviceId,
    serviceName: inputs.serviceName,
  };
  let deployment: DeploymentRef | undefined;
  try {
    deployment = await waitForDeployment(api, target, started, {
      timeoutMs: inputs.deployWait.timeoutSeconds * 1000,
      intervalMs: (inputs.deployWait.intervalSeconds ?? 5) * 1000,
    });
  } catch (error) {
    if (!(error instanceof DeploymentFailedError)) throw error;
    throw new PartialCreateError(error, id, { ...outs, lastDeployment: error.deployment }, inputs);
  }
  return defined({ ...outs, lastDeployment: deployment });
}

const commitSummary = (inputs: ServiceInstanceInputs): string =>
  `${inputs.serviceName} (${inputs.tier})`;

const commitMessage = (inputs: ServiceInstanceInputs): string =>
  `railway-stacks: ${commitSummary(inputs)}`;

const instanceId = (inputs: ServiceInstanceInputs): string =>
  `${inputs.environmentId}:${inputs.serviceId}`;

/** The input fields of a state that may also hold outputs. */
const inputsOf = (state: ServiceInstanceInputs): ServiceInstanceInputs =>
  Object.fromEntries(
    FIELDS.filter((field) => field in state).map((field) => [field, state[field]]),
  ) as unknown as ServiceInstanceInputs;

/**
 * The previous state `read` compares with. Adopting an existing instance by id + read
 * (`<environmentId>:<serviceId>`) may give only metadata (role, tier): ids come from the id and
 * the settings start empty, so that everything live is read as drift.
 */
function previousForRead(id: string, props: ServiceInstanceOutputs): ServiceInstanceOutputs {
  const [environmentId, serviceId] = id.split(":");
  return {
    ...props,
    environmentId: props.environmentId ?? environmentId,
    serviceId: props.serviceId ?? serviceId,
    source: props.source ?? {},
    build: props.build ?? {},
    deploy: props.deploy ?? {},
    variables: props.variables ?? {},
    secretVariables: props.secretVariables ?? {},
    networking: props.networking ?? { customDomains: {}, tcpProxyPorts: [] },
  };
}

export const serviceInstanceProvider: RailwayResourceProvider<
  ServiceInstanceInputs,
  ServiceInstanceOutputs
> = {
  async check(olds, news) {
    const failures = checkServiceInstance(news);
    // Adopting: the first preview creates everything, so no ids are known yet; find the instance
    // by name and say what adopting it will change and what it keeps.
    if (failures.length === 0 && news.adopting && olds?.serviceId === undefined) {
      await reportAdoption(news);
    }
    return { inputs: news, failures };
  },

  async diff(_id, olds, news) {
    return diffFields<ServiceInstanceInputs>(olds, news, COMPARED_FIELDS, [
      "projectId",
      "environmentId",
      "serviceId",
    ]);
  },

  async create(inputs) {
    const api = RailwayApi.fromEnvironment();
    const port = inputs.networking.railwayDomainPort;
    // What the config read showed: the service's Railway domain, if it has one already.
    const seen: { domain: ReturnType<typeof railwayDomainOf> } = { domain: undefined };
    const committedAt = Date.now();
    // One config read and one commit for all the instances the engine creates together.
    const { commitId } = await environmentBatches.commitPatch(api, inputs.environmentId, {
      readConfig: true,
      summary: commitSummary(inputs),
      patch(environment) {
        // The service's `railway:Service` gave it an instance here (in a shared project too).
        const section = environment && serviceSection(environment.config, inputs.serviceId);
        if (!section) {
          throw new Error(
            `Service ${inputs.serviceName} (${inputs.serviceId}) has no instance in environment ${inputs.environmentId}.`,
          );
        }
        const live = liveServiceInstanceView(section);
        const declared = serviceInstanceView(inputs);
        reportKept(inputs, live, declared);
        const patch = patchBetween(ownView(live, declared, inputs), declared);
        const existingDomain = (seen.domain = railwayDomainOf(section));
        const domainPatch =
          existingDomain && port === undefined
            ? serviceDomainPatch(existingDomain.domain, null)
            : existingDomain && port !== undefined && existingDomain.port !== port
              ? serviceDomainPatch(existingDomain.domain, { port })
              : undefined;
        const servicePatch = mergePatches(patch, domainPatch);
        return servicePatch && { services: { [inputs.serviceId]: servicePatch } };
      },
    });
    const lastCommitId = commitId ?? "";
    const existingDomain = seen.domain;
    let railwayDomain = port === undefined ? undefined : existingDomain?.domain;
    let created: ServiceInstanceOutputs;
    try {
      if (port !== undefined && !existingDomain) {
        railwayDomain = (
          await api.createServiceDomain({
            environmentId: inputs.environmentId,
            projectId: inputs.projectId,
            serviceId: inputs.serviceId,
            targetPort: port,
          })
        ).domain;
      }
      created = outputs(inputs, {
        railwayDomain,
        tcpProxies: await tcpProxiesOf(api, inputs),
        dnsRecords: await dnsRecordsOf(api, inputs),
        lastCommitId,
      });
    } catch (error) {
      // The patch is applied; the Railway domain may not be. Record what is true.
      const applied = railwayDomain
        ? inputs
        : { ...inputs, networking: { ...inputs.networking, railwayDomainPort: undefined } };
      throw new PartialCreateError(
        error,
        instanceId(inputs),
        outputs(applied, { railwayDomain, tcpProxies: [], lastCommitId }),
        inputs,
      );
    }
    const started = commitId ? { commitId, committedAt } : undefined;
    return {
      id: instanceId(inputs),
      outs: await followDeployment(api, instanceId(inputs), inputs, created, started),
    };
  },

  async read(id, props) {
    if (!props) return { id: "" };
    const previous = previousForRead(id, withoutProvider(props));
    const api = RailwayApi.fromEnvironment();
    const environment = await api.getEnvironmentConfig(previous.environmentId);
    const section = environment && serviceSection(environment.config, previous.serviceId);
    if (!section) return { id: "" };
    const declared = serviceInstanceView(previous);
    // Adopting by id + read (no settings known): everything live is the instance's.
    const ownsAll = previous.removeUndeclared === true || props.source === undefined;
    const live = ownsAll
      ? liveServiceInstanceView(section)
      : ownedPart(liveServiceInstanceView(section), declared);
    const liveDomain = railwayDomainOf(section);
    const unchanged = deepEqual(live, declared);
    // Inputs only: the previous state also holds outputs (railwayDomain, tcpProxies, ...).
    const liveInputs: ServiceInstanceInputs = inputsOf(
      unchanged ? previous : { ...previous, ...inputsFromLiveView(live, previous) },
    );
    liveInputs.projectId ??= environment.projectId;
    // Adopting by id + read: the service's name is the one thing not in the environment config.
    liveInputs.serviceName ??= (await api.getService(previous.serviceId))?.name ?? "";
    liveInputs.networking = {
      ...liveInputs.networking,
      railwayDomainPort: liveDomain
        ? (liveDomain.port ?? previous.networking.railwayDomainPort)
        : undefined,
    };
    return {
      id,
      props: outputs(liveInputs, {
        railwayDomain: liveDomain?.domain,
        tcpProxies: await tcpProxiesOf(api, liveInputs),
        dnsRecords: await dnsRecordsOf(api, liveInputs),
        lastCommitId: previous.lastCommitId,
        lastDeployment: previous.lastDeployment,
      }),
      inputs: defined(liveInputs),
    };
  },

  async update(id, olds, news) {
    const api = RailwayApi.fromEnvironment();
    const patch = await updatePatch(api, olds, news);
    const oldPort = olds.networking.railwayDomainPort;
    const newPort = news.networking.railwayDomainPort;
    let railwayDomain = olds.railwayDomain;
    let domainPatch: JsonObject | undefined;
    if (railwayDomain && newPort === undefined) {
      domainPatch = serviceDomainPatch(railwayDomain, null);
      railwayDomain = undefined;
    } else if (railwayDomain && newPort !== undefined && newPort !== oldPort) {
      domainPatch = serviceDomainPatch(railwayDomain, { port: newPort });
    }
    const servicePatch = mergePatches(patch, domainPatch);
    const section = servicePatch ? await refuseChangesMadeElsewhere(api, olds) : undefined;

    let lastCommitId = olds.lastCommitId;
    let lastDeployment = olds.lastDeployment;
    let started: Started | undefined;
    const quietVariables = news.skipDeploysOnVariableChange
      ? variablesOnly(servicePatch)
      : undefined;
    if (quietVariables) {
      // No commit id changes, so the HTTP gate (triggered by lastCommitId) does not run either.
      await api.upsertVariablesWithoutDeploy({
        projectId: news.projectId,
        environmentId: news.environmentId,
        serviceId: news.serviceId,
        ...(quietVariables.removed.length === 0
          ? { variables: quietVariables.set }
          : { variables: variablesAfter(section, quietVariables), replace: true }),
      });
      process.stderr.write(
        `railway-stacks: ${news.serviceName}: variables set with skipDeploys; no deployment started, nothing to wait for\n`,
      );
    } else if (servicePatch) {
      const committedAt = Date.now();
      lastCommitId = await api.commitPatch(
        news.environmentId,
        { services: { [news.serviceId]: servicePatch } },
        commitMessage(news),
      );
      started = { commitId: lastCommitId, committedAt };
      lastDeployment = undefined;
    } else if (lastDeployment && !isServing(lastDeployment.status)) {
      // Nothing to change, but the last deployment did not succeed (the engine retries a
      // resource whose update failed): report that deployment again rather than success.
      started = { deploymentId: lastDeployment.id };
    }
    if (!railwayDomain && newPort !== undefined) {
      railwayDomain = (
        await api.createServiceDomain({
          environmentId: news.environmentId,
          projectId: news.projectId,
          serviceId: news.serviceId,
          targetPort: newPort,
        })
      ).domain;
    }
    const tcpProxies = deepEqual(olds.networking.tcpProxyPorts, news.networking.tcpProxyPorts)
      ? olds.tcpProxies
      : await tcpProxiesOf(api, news);
    // State written before DNS records were an output has none: read them once.
    const dnsRecords =
      olds.dnsRecords !== undefined &&
      deepEqual(olds.networking.customDomains, news.networking.customDomains)
        ? olds.dnsRecords
        : await dnsRecordsOf(api, news);
    const outs = outputs(news, {
      railwayDomain,
      tcpProxies,
      dnsRecords,
      lastCommitId,
      lastDeployment,
    });
    return { outs: await followDeployment(api, id, news, outs, started) };
  },

  /**
   * Isolated layout: resets what this instance set; the service itself belongs to its
   * `railway:Service`. Shared layout: removes the service's instance from this environment only
   * (the service stays for the other environments), unless it holds what the stack never
   * declared: then only what it declared is reset.
   */
  async delete(_id, props) {
    if (isDiscarded(props.environmentId)) return;
    const api = RailwayApi.fromEnvironment();
    if (props.sharedProject) {
      await removeFromEnvironment(api, props);
      return;
    }
    const reset = patchBetween(serviceInstanceView(props), {
      networking: { customDomains: {}, tcpProxies: {} },
    });
    const servicePatch = mergePatches(
      reset,
      props.railwayDomain ? serviceDomainPatch(props.railwayDomain, null) : undefined,
    );
    if (!servicePatch) return;
    try {
      await api.commitPatch(
        props.environmentId,
        { services: { [props.serviceId]: servicePatch } },
        `railway-stacks: remove ${props.serviceName}`,
      );
    } catch (error) {
      // The service or environment is already gone, and this instance with it.
      if (!isNotFound(error)) throw error;
    }
  },
};

/**
 * The patch an update commits: from what the state says was applied to what is declared. Without
 * `removeUndeclared`, keys the stack stops declaring are removed one by one and the rest of each
 * section is left alone; switching `removeUndeclared` on compares with what is live instead, so
 * the update removes everything undeclared.
 */
async function updatePatch(
  api: RailwayApi,
  olds: ServiceInstanceOutputs,
  news: ServiceInstanceInputs,
): Promise<JsonObject | undefined> {
  const declared = serviceInstanceView(news);
  if (news.removeUndeclared && !olds.removeUndeclared) {
    const environment = await api.getEnvironmentConfig(news.environmentId);
    const section = environment && serviceSection(environment.config, news.serviceId);
    return patchBetween(liveServiceInstanceView(section ?? {}), declared);
  }
  const previous = serviceInstanceView(olds);
  return patchBetween(
    previous,
    news.removeUndeclared ? declared : withSectionsOf(declared, previous),
  );
}

/** Shared layout delete: one batched commit per environment for all the instances that go. */
async function removeFromEnvironment(
  api: RailwayApi,
  props: ServiceInstanceOutputs,
): Promise<void> {
  try {
    await environmentBatches.commitPatch(api, props.environmentId, {
      readConfig: true,
      summary: `remove ${props.serviceName} (${props.tier})`,
      patch(environment) {
        const section = environment && serviceSection(environment.config, props.serviceId);
        if (!section) return undefined;
        const declared = serviceInstanceView(props);
        const live = liveServiceInstanceView(section);
        const kept = props.removeUndeclared ? [] : undeclaredPaths(live, declared);
        if (kept.length === 0) return { services: { [props.serviceId]: { isDeleted: true } } };
        process.stderr.write(
          `railway-stacks: ${props.serviceName}: its instance holds what the stack never declared (${kept.join(", ")}), so only what the stack declared is removed; project.removeUndeclared: true removes the instance\n`,
        );
        const owned = ownedPart(live, declared);
        const reset = mergePatches(
          patchBetween(owned, withSectionsOf({}, owned)),
          props.railwayDomain ? serviceDomainPatch(props.railwayDomain, null) : undefined,
        );
        return reset && { services: { [props.serviceId]: reset } };
      },
    });
  } catch (error) {
    // The environment is already gone, and this instance with it.
    if (!isNotFound(error)) throw error;
  }
}
