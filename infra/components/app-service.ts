import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import { Service } from "../resources/service";
import { ServiceInstance } from "../resources/service-instance";
import type {
  BackupSchedule,
  DnsRecord,
  RestartPolicyType,
  ServiceBuildInputs,
  ServiceDeployInputs,
  ServiceSourceInputs,
  Tier,
} from "../domain/types";
import { Volume } from "../resources/volume";
import {
  instanceDependsOn,
  deployLimits,
  generatedSecret,
  instanceLayoutArgs,
  protectData,
  serviceIdentityArgs,
  volumeLayoutArgs,
  type ProjectRef,
  type ResourceLimits,
} from "./shared";

/**
 * How the gate's command finds the gate script. From this repo's sources (the program runs
 * through ts-node) it is the project's own `infra/gate/deploy-gate.ts`; from the packed library
 * it is the package's compiled script, resolved by name from the program's directory so that no
 * absolute path ends up in the command (and in state).
 */
const GATE_COMMAND = __filename.endsWith(".ts")
  ? "node -r ts-node/register/transpile-only infra/gate/deploy-gate.ts"
  : `node "$(node -p 'require.resolve("railway-stacks/gate", { paths: [process.cwd()] })')"`;

/** Something an app can link to: a data service exposing reference variables. */
export interface Linkable {
  linkVariables(): Record<string, string>;
}

/**
 * The deploy gate, in two parts. (1) The ServiceInstance provider follows the deployment each
 * change starts through Railway's statuses and fails the update with its status, id, dashboard URL
 * and last log lines unless it reaches SUCCESS. It runs in the provider because the provider
 * already holds the Railway token: a @pulumi/command resource would need the token in its
 * `environment`, which Pulumi stores in state. (2) For a public service, a @pulumi/command
 * resource then polls the health and readiness paths on the public domain (no credentials).
 *
 * The settings are the ones the stack config resolved (`services.<name>.gate`, defaults per tier
 * in infra/config/tiers.ts); the polling part runs only for a service with a Railway domain and
 * a healthcheck or readiness path.
 */
export interface DeployGateArgs {
  /** Poll the health and readiness paths on the Railway domain (part 2). */
  enabled: boolean;
  /** Follow the deployment each change starts (part 1). @default true */
  deployment?: boolean;
  /** Give up (and fail the update) after this many seconds. */
  timeoutSeconds: number;
  /** Seconds between polls. */
  intervalSeconds: number;
}

export interface AppServiceArgs {
  project: ProjectRef;
  tier: Tier;
  /** Railway service name, unique in the project. */
  serviceName: string;
  /** A repo (with branch and root directory) or a pinned image. */
  source: pulumi.Input<ServiceSourceInputs>;
  /** @default Railpack */
  build?: pulumi.Input<ServiceBuildInputs>;
  startCommand?: pulumi.Input<string>;
  preDeployCommand?: pulumi.Input<string[]>;
  /** The port the app listens on; Railway passes it as $PORT. */
  port: number;
  /** Application port to expose through a public TCP proxy (raw TCP, gRPC). @default none */
  tcpProxyPort?: number;
  /**
   * A persistent volume (one per service; Railway attaches it to one replica). The service and
   * its volume are protected in production, like the data services'. @default none
   */
  volume?: { mountPath: string; sizeMB: number; backupSchedules: BackupSchedule[] };
  /** Railway's deployment healthcheck. @default none */
  healthcheck?: { path: string; timeoutSeconds: number };
  /** A path that says the app can serve (checked by the deploy gate). @default none */
  readinessPath?: string;
  /** Replicas in the project's region; exclusive with `regions`. */
  replicas?: pulumi.Input<number>;
  /** Region for `replicas`. @default Railway's default */
  region?: pulumi.Input<string>;
  /** Replicas per region. */
  regions?: pulumi.Input<Record<string, number>>;
  limits?: ResourceLimits;
  restartPolicy: { type: RestartPolicyType; maxRetries?: number };
  cron?: pulumi.Input<string>;
  /** Let Railway sleep the app when idle. */
  sleep: pulumi.Input<boolean>;
  /**
   * Further deploy settings, passed to Railway as they are (`deploy.<key>` in the environment
   * config), e.g. `{ overlapSeconds: 30 }`. @default none
   */
  deploy?: Partial<ServiceDeployInputs>;
  /** Public networking. @default none: private network only */
  domains?: { railway?: boolean; custom?: string[] };
  /** Plain values and Railway references. */
  variables?: Record<string, pulumi.Input<string>>;
  /** Secret values (Pulumi secrets end to end). */
  secretVariables?: Record<string, pulumi.Input<string>>;
  /** Names of `variables` declared not secret; the secrets policy skips them. @default none */
  notSecretVariables?: string[];
  /** Secrets generated here, e.g. `{ SECRET_KEY: { length: 48 } }`; rotate with `rotation`. */
  generatedSecrets?: Record<string, { length: number; rotation?: string }>;
  /** Data services whose connection variables (references) the app receives. */
  links?: Linkable[];
  /** @default no gate */
  gate?: DeployGateArgs;
  /** Apply a change of variables only without redeploying (Railway's skipDeploys). @default false */
  skipDeploysOnVariableChange?: boolean;
}

/** An app service: source, build, deploy settings, variables, networking and a deploy gate. */
export class AppService extends pulumi.ComponentResource {
  readonly serviceName: string;
  readonly serviceId: pulumi.Output<string>;
  readonly privateDomain: pulumi.Output<string>;
  /** `https://<generated domain>` when the service has a Railway domain. */
  readonly url: pulumi.Output<string | undefined>;
  readonly healthUrl: pulumi.Output<string | undefined>;
  /** Public `host:port` of the TCP proxy when `tcpProxyPort` is set. */
  readonly tcpProxy: pulumi.Output<string | undefined>;
  /** Records the custom domains need at the DNS provider (CNAME and verification TXT). */
  readonly dnsRecords: pulumi.Output<DnsRecord[]>;
  readonly instance: ServiceInstance;
  readonly volume?: Volume;
  readonly gate?: command.local.Command;

  constructor(name: string, args: AppServiceArgs, opts?: pulumi.ComponentResourceOptions) {
    super("railway-stacks:app:AppService", name, {}, opts);
    this.serviceName = args.serviceName;
    const port = args.port;

    const generated: Record<string, pulumi.Input<string>> = {};
    for (const [key, spec] of Object.entries(args.generatedSecrets ?? {})) {
      generated[key] = generatedSecret(
        `${name}-${key.toLowerCase().replaceAll("_", "-")}`,
        spec.length,
        spec.rotation,
        {
          parent: this,
        },
      ).result;
    }

    const service = new Service(
      `${name}-service`,
      {
        ...serviceIdentityArgs(args.project),
        name: args.serviceName,
        role: "app",
      },
      // With a volume the service holds data: deleting it would delete the volume.
      { parent: this, protect: args.volume !== undefined && protectData(args.tier) },
    );

    if (args.volume) {
      this.volume = new Volume(
        `${name}-volume`,
        {
          ...volumeLayoutArgs(args.project, args.serviceName),
          serviceId: service.serviceId,
          mountPath: args.volume.mountPath,
          sizeMB: args.volume.sizeMB,
          backupSchedules: args.volume.backupSchedules,
        },
        { parent: this, protect: protectData(args.tier) },
      );
    }

    const linked = Object.assign({}, ...(args.links ?? []).map((link) => link.linkVariables()));
    const restart = args.restartPolicy;
    const customDomains = Object.fromEntries(
      (args.domains?.custom ?? []).map((domain) => [domain, port]),
    );

    this.instance = new ServiceInstance(
      `${name}-instance`,
      {
        ...instanceLayoutArgs(args.project),
        serviceId: service.serviceId,
        serviceName: args.serviceName,
        role: "app",
        tier: args.tier,
        source: args.source,
        build: args.build ?? {},
        deploy: {
          ...args.deploy,
          startCommand: args.startCommand,
          preDeployCommand: args.preDeployCommand,
          healthcheckPath: args.healthcheck?.path,
          healthcheckTimeout: args.healthcheck?.timeoutSeconds,
          ...(args.regions
            ? { multiRegion: args.regions }
            : { numReplicas: args.replicas, region: args.region }),
          ...deployLimits(args.limits),
          restartPolicyType: restart.type,
          restartPolicyMaxRetries: restart.maxRetries,
          cronSchedule: args.cron,
          sleepApplication: args.sleep,
        },
        variables: { ...linked, ...args.variables, PORT: String(port) },
        secretVariables: { ...args.secretVariables, ...generated },
        ...(args.notSecretVariables?.length
          ? { notSecretVariables: [...args.notSecretVariables].sort() }
          : {}),
        networking: {
          railwayDomainPort: args.domains?.railway ? port : undefined,
          customDomains,
          tcpProxyPorts: args.tcpProxyPort === undefined ? [] : [args.tcpProxyPort],
        },
        deployWait:
          args.gate && args.gate.deployment !== false
            ? {
                timeoutSeconds: args.gate.timeoutSeconds,
                intervalSeconds: args.gate.intervalSeconds,
              }
            : undefined,
        skipDeploysOnVariableChange: args.skipDeploysOnVariableChange ?? false,
      },
      {
        parent: this,
        dependsOn: instanceDependsOn(args.project, this.volume ? [this.volume] : []),
      },
    );

    this.serviceId = service.serviceId;
    this.privateDomain = this.instance.privateDomain;
    this.url = this.instance.railwayDomain.apply((domain) =>
      domain ? `https://${domain}` : undefined,
    );
    const healthPath = args.healthcheck?.path;
    this.healthUrl = this.url.apply((url) =>
      url && healthPath ? `${url}${healthPath}` : undefined,
    );

    const tcpProxyPort = args.tcpProxyPort;
    this.tcpProxy = this.instance.tcpProxies.apply((proxies) => {
      const proxy = (proxies ?? []).find((p) => p.applicationPort === tcpProxyPort);
      return proxy ? `${proxy.domain}:${proxy.proxyPort}` : undefined;
    });

    this.dnsRecords = this.instance.dnsRecords.apply((records) => records ?? []);

    const gatePaths = [healthPath, args.readinessPath].filter(
      (path, index, all): path is string => path !== undefined && all.indexOf(path) === index,
    );
    if (args.gate?.enabled && args.domains?.railway && gatePaths.length > 0) {
      this.gate = new command.local.Command(
        `${name}-gate`,
        {
          create: GATE_COMMAND,
          environment: {
            GATE_SERVICE: args.serviceName,
            GATE_DOMAIN: this.instance.railwayDomain.apply((domain) => domain ?? ""),
            GATE_PATHS: JSON.stringify(gatePaths),
            GATE_TIMEOUT_SECONDS: String(args.gate.timeoutSeconds),
            GATE_INTERVAL_SECONDS: String(args.gate.intervalSeconds),
          },
          // Re-run after every deployment commit of this service, and only then.
          triggers: [this.instance.lastCommitId],
          addPreviousOutputInEnv: false,
        },
        { parent: this, dependsOn: [this.instance] },
      );
    }

    this.registerOutputs({
      serviceId: this.serviceId,
      privateDomain: this.privateDomain,
      url: this.url,
      healthUrl: this.healthUrl,
      tcpProxy: this.tcpProxy,
      dnsRecords: this.dnsRecords,
    });
  }
}
