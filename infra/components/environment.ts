import * as pulumi from "@pulumi/pulumi";
import {
  appVariables,
  type AppServiceConfig,
  type DataServiceConfig,
  type StackConfig,
  type Tier,
} from "../config";
import { Environment } from "../resources/environment";
import { Project } from "../resources/project";
import { UsageLimit } from "../resources/usage-limit";
import { ENVIRONMENT_COMPONENT_TYPE, type DnsRecord } from "../domain/types";
import { AppService, type Linkable } from "./app-service";
import { Nats } from "./nats";
import { Postgres } from "./postgres";
import { Redis } from "./redis";
import { protectData, sortVariables, VolumeBarrier, type ProjectRef } from "./shared";
import { declareSharedVariables } from "./shared-variables";

export interface RailwayEnvironmentArgs {
  /** The validated stack config (`loadStackConfig`). */
  config: StackConfig;
}

/**
 * The default environment of a shared project this program creates: Railway's own default, and
 * the environment production stacks own unless `project.environment` names another.
 */
const SHARED_PROJECT_DEFAULT_ENVIRONMENT = "production";

/**
 * A whole stack: the Railway environment it owns, the data services the config enables, and the
 * app services linked to them. Layout `shared`: an environment of the project every stack of the
 * program shares (found by name or created; a PR's is an ephemeral fork of the preview
 * environment). Layout `isolated`: a project of the stack's own, its default environment.
 */
export class RailwayEnvironment extends pulumi.ComponentResource {
  readonly project: Project;
  /** The stack's environment of the shared project (layout `shared` only). */
  readonly environment?: Environment;
  /** The one-instance forms (`postgres: {...}`); named instances are in `dataServices` only. */
  readonly postgres?: Postgres;
  readonly redis?: Redis;
  readonly nats?: Nats;
  /** Every data service component by Railway service name (`postgres`, `postgres-analytics`). */
  readonly dataServices: Record<string, Postgres | Redis | Nats> = {};
  readonly services: Record<string, AppService> = {};
  readonly projectId: pulumi.Output<string>;
  readonly environmentId: pulumi.Output<string>;
  /** Public URL per app service that has a Railway domain. */
  readonly serviceUrls: pulumi.Output<Record<string, string>>;
  /** Health URL per public app service with a healthcheck. */
  readonly healthUrls: pulumi.Output<Record<string, string>>;
  /** Public `host:port` of the TCP proxy per app service that has one (`tcpProxy`). */
  readonly tcpProxies: pulumi.Output<Record<string, string>>;
  /** DNS records the custom domains of all app services need, in service order. */
  readonly dnsRecords: pulumi.Output<DnsRecord[]>;
  /** Railway's usage limit of the workspace, when `budget.railwayUsageLimit` sets one. */
  readonly usageLimit?: UsageLimit;

  constructor(name: string, args: RailwayEnvironmentArgs, opts?: pulumi.ComponentResourceOptions) {
    super(ENVIRONMENT_COMPONENT_TYPE, name, {}, opts);
    const { config } = args;
    const tier = config.tier;
    // Left out of the inputs unless set, so stacks that never adopt keep their state as it is.
    const adoptExisting = config.project.adopt || undefined;

    const shared = config.project.layout === "shared";
    this.project = new Project(
      `${name}-project`,
      {
        name: config.project.name,
        workspaceId: config.project.workspaceId,
        defaultEnvironmentName: shared
          ? SHARED_PROJECT_DEFAULT_ENVIRONMENT
          : config.project.environment,
        stack: config.stack,
        tier,
        // A shared project is always found by name when it exists: adopting is implied.
        adoptExisting: shared ? undefined : adoptExisting,
        shared: shared || undefined,
      },
      // Only isolated projects hold data of one stack alone; a stack never deletes a shared one.
      { parent: this, protect: !shared && protectData(tier) },
    );
    if (shared) {
      this.environment = new Environment(
        `${name}-environment`,
        {
          projectId: this.project.projectId,
          name: config.project.environment,
          ephemeral: config.project.forkOf !== undefined,
          sourceEnvironmentName: config.project.forkOf,
          stack: config.stack,
          tier,
        },
        { parent: this, protect: protectData(tier) },
      );
    }
    const environmentId = this.environment?.environmentId ?? this.project.environmentId;
    this.usageLimit = declareUsageLimit(name, config, this);
    const sharedVariables = declareSharedVariables(
      name,
      { projectId: this.project.projectId, environmentId, tier, variables: config.sharedVariables },
      this,
    );
    const volumes = new VolumeBarrier();
    const project = {
      projectId: this.project.projectId,
      // Through the shared variables, when there are any: the services' first deployments then
      // find every `${{shared.KEY}}` they reference already set (and go before them on destroy).
      environmentId: sharedVariables?.environmentId ?? environmentId,
      adoptExisting,
      volumes,
      ...(shared
        ? {
            shared: {
              environmentName: config.project.environment,
              forked: config.project.forkOf !== undefined,
            },
          }
        : {}),
      ...(config.project.removeUndeclared ? { removeUndeclared: true } : {}),
      ...(adoptExisting
        ? {
            adopting: {
              projectName: config.project.name,
              environmentName: config.project.environment,
            },
          }
        : {}),
    };

    // One component per data service instance, named after its Railway service name: the
    // one-instance form keeps `<name>-postgres`, a named instance is `<name>-postgres-<instance>`.
    const links: Record<string, Linkable> = {};
    for (const data of config.dataServices) {
      const component = declareDataComponent(`${name}-${data.serviceName}`, data, project, tier, {
        parent: this,
      });
      this.dataServices[data.serviceName] = links[data.serviceName] = component;
      if (data.instance === undefined) {
        if (component instanceof Postgres) this.postgres = component;
        else if (component instanceof Redis) this.redis = component;
        else this.nats = component;
      }
    }
    // Every volume is declared by now: the instances waiting on them may go.
    volumes.seal();

    const settings = appVariables(tier, config.app);
    for (const service of Object.values(config.services)) {
      this.services[service.name] = new AppService(
        `${name}-${service.name}`,
        appServiceArgs(service, {
          project,
          tier,
          region: config.project.region,
          settings,
          links: service.links.map((link) => {
            const target = links[link];
            if (!target)
              throw new pulumi.RunError(`services.${service.name}.links: ${link} is not enabled`);
            return target;
          }),
        }),
        { parent: this },
      );
    }

    this.projectId = this.project.projectId;
    this.environmentId = project.environmentId;
    const collect = (pick: (service: AppService) => pulumi.Output<string | undefined>) =>
      pulumi
        .all(
          Object.fromEntries(
            Object.entries(this.services).map(([key, service]) => [key, pick(service)]),
          ),
        )
        .apply((entries) =>
          Object.fromEntries(
            Object.entries(entries).filter(
              (entry): entry is [string, string] => entry[1] !== undefined,
            ),
          ),
        );
    this.serviceUrls = collect((service) => service.url);
    this.healthUrls = collect((service) => service.healthUrl);
    this.tcpProxies = collect((service) => service.tcpProxy);
    this.dnsRecords = pulumi
      .all(Object.values(this.services).map((service) => service.dnsRecords))
      .apply((perService) => perService.flat());

    this.registerOutputs({
      projectId: this.projectId,
      environmentId: this.environmentId,
      serviceUrls: this.serviceUrls,
      healthUrls: this.healthUrls,
      tcpProxies: this.tcpProxies,
      dnsRecords: this.dnsRecords,
      // Read by the budget policy (railway-stack-disallow-over-budget) from this component's
      // outputs: metadata that changes no resource.
      ...(config.budget ? { budgetMonthlyUsd: config.budget.monthlyUsd } : {}),
    });
  }
}

/**
 * Railway's own usage limit of the workspace, when `budget.railwayUsageLimit` sets one (the config
 * check makes sure `project.workspaceId` is there). Workspace-wide: every stack of it shares it.
 */
function declareUsageLimit(
  name: string,
  config: StackConfig,
  parent: pulumi.Resource,
): UsageLimit | undefined {
  const limit = config.budget?.railwayUsageLimit;
  const workspaceId = config.project.workspaceId;
  if (!limit || workspaceId === undefined) return undefined;
  return new UsageLimit(
    `${name}-usage-limit`,
    {
      workspaceId,
      softLimitUsd: limit.softUsd,
      hardLimitUsd: limit.hardUsd,
      stack: config.stack,
    },
    { parent },
  );
}

/** The component of one data service instance, its settings as the config resolved them. */
function declareDataComponent(
  name: string,
  data: DataServiceConfig,
  project: ProjectRef,
  tier: Tier,
  opts: pulumi.ComponentResourceOptions,
): Postgres | Redis | Nats {
  const common = {
    project,
    tier,
    serviceName: data.serviceName,
    image: data.image,
    volumeSizeMB: data.volumeSizeMB,
    publicProxy: data.publicProxy,
    limits: data.limits,
    deployWait: data.deployWait,
  };
  switch (data.kind) {
    case "postgres":
      return new Postgres(
        name,
        { ...common, database: data.database, user: data.user, backups: data.backups },
        opts,
      );
    case "redis":
      return new Redis(
        name,
        {
          ...common,
          maxMemoryMB: data.maxMemoryMB,
          evictionPolicy: data.evictionPolicy,
          appendOnly: data.appendOnly,
        },
        opts,
      );
    case "nats":
      return new Nats(
        name,
        {
          ...common,
          maxStorageMB: data.jetStream.maxStorageMB,
          streams: data.jetStream.streams.map(({ name: stream, subjects, maxAge }) => ({
            name: stream,
            subjects,
            maxAge,
          })),
        },
        opts,
      );
  }
}

/** Maps one service's config to AppService args: variables by kind, links, tier settings. */
function appServiceArgs(
  service: AppServiceConfig,
  context: {
    project: { projectId: pulumi.Input<string>; environmentId: pulumi.Input<string> };
    tier: Tier;
    region: string;
    settings: Record<string, string>;
    links: Linkable[];
  },
): ConstructorParameters<typeof AppService>[1] {
  const sorted = sortVariables(service.variables);
  const variables = { ...context.settings, ...sorted.variables };
  const { secretVariables, generatedSecrets, notSecretVariables } = sorted;
  const source =
    service.source.kind === "image"
      ? { image: service.source.image }
      : {
          repo: service.source.repo,
          branch: service.source.branch,
          rootDirectory: service.source.rootDirectory,
        };
  return {
    project: context.project,
    tier: context.tier,
    serviceName: service.name,
    source,
    build: service.build && {
      builder: service.build.builder,
      buildCommand: service.build.buildCommand,
      dockerfilePath: service.build.dockerfilePath,
      watchPatterns:
        service.build.watchPatterns.length > 0 ? service.build.watchPatterns : undefined,
    },
    startCommand: service.startCommand,
    preDeployCommand: service.preDeployCommand.length > 0 ? service.preDeployCommand : undefined,
    port: service.port,
    tcpProxyPort: service.tcpProxy,
    volume: service.volume && {
      mountPath: service.volume.mountPath,
      sizeMB: service.volume.sizeMB,
      backupSchedules: service.volume.backups,
    },
    healthcheck: service.healthcheck,
    readinessPath: service.readinessPath,
    ...(service.regions
      ? { regions: service.regions as Record<string, number> }
      : { replicas: service.replicas, region: context.region }),
    limits: service.limits && { cpu: service.limits.cpu, memoryMB: service.limits.memoryMB },
    restartPolicy: service.restartPolicy,
    cron: service.cron,
    sleep: service.sleep,
    deploy: service.deploy,
    domains: service.domains,
    variables,
    secretVariables,
    notSecretVariables,
    generatedSecrets,
    links: context.links,
    gate: service.gate,
    skipDeploysOnVariableChange: service.skipDeploysOnVariableChange,
  };
}
