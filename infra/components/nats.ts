import * as pulumi from "@pulumi/pulumi";
import type { DeployWaitConfig } from "../config/types";
import type { Tier } from "../domain/types";
import { declareDataService } from "./data-service";
import {
  generatedSecret,
  ownReference,
  reference,
  type ProjectRef,
  type ResourceLimits,
} from "./shared";

export interface JetStreamStream {
  name: string;
  subjects: string[];
  /** Retention, e.g. "7d". */
  maxAge: string;
}

/**
 * The settings are the ones the stack config resolved (an entry of `StackConfig.dataServices`, defaults from
 * infra/config/schema.ts): the component has no defaults of its own.
 */
export interface NatsArgs {
  project: ProjectRef;
  tier: Tier;
  /** @default "nats" */
  serviceName?: string;
  /** Pinned image (`nats.image`). */
  image: string;
  /** JetStream file store cap (`max_file_store`, `nats.jetStream.maxStorage`). */
  maxStorageMB: number;
  /** Streams the apps declare at start-up (JetStream's stream add is idempotent). */
  streams: JetStreamStream[];
  volumeSizeMB: number;
  /** Expose a public TCP proxy (off: reachable only on the private network). */
  publicProxy: boolean;
  limits?: ResourceLimits;
  /** How `pulumi up` follows its deployments (the tier's gate timing). */
  deployWait: DeployWaitConfig;
  /** Change this value to rotate the generated auth token. */
  tokenRotation?: string;
}

export const NATS_PORT = 4222;
const MOUNT_PATH = "/data";

/**
 * The start command: nats-server has no flag for the JetStream storage cap, so `sh -c` writes a
 * config file (JetStream on the volume, token auth from the service's secret variable) and
 * execs the server with it.
 */
export function natsStartCommand(options: { maxStorageMB: number }): string {
  const config = [
    "port: %s",
    "jetstream {",
    '  store_dir: \\"%s\\"',
    `  max_file_store: ${options.maxStorageMB}M`,
    "}",
    "authorization {",
    '  token: \\"%s\\"',
    "}",
  ].join("\\n");
  return (
    `sh -c 'printf "${config}\\n" "$NATS_PORT" "$RAILWAY_VOLUME_MOUNT_PATH" "$NATS_AUTH_TOKEN" ` +
    `> /tmp/nats.conf && exec nats-server -c /tmp/nats.conf'`
  );
}

/** NATS 2.10 with JetStream on a volume and token auth on. */
export class Nats extends pulumi.ComponentResource {
  readonly serviceName: string;
  readonly serviceId: pulumi.Output<string>;
  readonly privateDomain: pulumi.Output<string>;
  readonly token: pulumi.Output<string>;
  readonly streams: JetStreamStream[];

  constructor(name: string, args: NatsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("railway-stacks:data:Nats", name, {}, opts);
    this.serviceName = args.serviceName ?? "nats";
    this.streams = args.streams;
    const token = generatedSecret(`${name}-token`, 40, args.tokenRotation, { parent: this });

    const parts = declareDataService(
      name,
      {
        project: args.project,
        tier: args.tier,
        role: "nats",
        serviceName: this.serviceName,
        image: args.image,
        deployWait: args.deployWait,
        startCommand: natsStartCommand({ maxStorageMB: args.maxStorageMB }),
        mountPath: MOUNT_PATH,
        volumeSizeMB: args.volumeSizeMB,
        backupSchedules: [],
        port: NATS_PORT,
        publicProxy: args.publicProxy,
        limits: args.limits,
        variables: {
          NATS_PORT: String(NATS_PORT),
          NATS_URL: `nats://${ownReference("RAILWAY_PRIVATE_DOMAIN")}:${NATS_PORT}`,
        },
        secretVariables: { NATS_AUTH_TOKEN: token.result },
      },
      this,
    );

    this.serviceId = parts.service.serviceId;
    this.privateDomain = parts.instance.privateDomain;
    this.token = token.result;
    this.registerOutputs({ serviceId: this.serviceId, privateDomain: this.privateDomain });
  }

  /** The variables an app needs to reach this NATS, as Railway references, and the streams. */
  linkVariables(): Record<string, string> {
    return {
      NATS_URL: reference(this.serviceName, "NATS_URL"),
      NATS_AUTH_TOKEN: reference(this.serviceName, "NATS_AUTH_TOKEN"),
      NATS_STREAMS: JSON.stringify(this.streams),
    };
  }
}
