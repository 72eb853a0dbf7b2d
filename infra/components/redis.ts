import * as pulumi from "@pulumi/pulumi";
import type { RedisConfig, RedisEvictionPolicy } from "../config/types";
import type { Tier } from "../domain/types";
import { declareDataService } from "./data-service";
import {
  generatedSecret,
  ownReference,
  reference,
  type ProjectRef,
  type ResourceLimits,
} from "./shared";

import { EVICTION_POLICIES } from "../config/constants";

export { EVICTION_POLICIES };

/**
 * The settings are the ones the stack config resolved (an entry of `StackConfig.dataServices`, defaults from
 * infra/config/schema.ts): the component has no defaults of its own.
 */
export interface RedisArgs extends Omit<RedisConfig, "enabled" | "limits" | "expectedUtilization"> {
  project: ProjectRef;
  tier: Tier;
  /** @default "redis" */
  serviceName?: string;
  limits?: ResourceLimits;
  /** Change this value to rotate the generated password. */
  passwordRotation?: string;
}

export const REDIS_PORT = 6379;
const MOUNT_PATH = "/data";

/**
 * The start command. Railway runs it without a shell, so `sh -c` expands the password from the
 * service's own (secret) variable at start; the password never appears in the command itself.
 */
export function redisStartCommand(options: {
  maxMemoryMB: number;
  evictionPolicy: RedisEvictionPolicy;
  appendOnly: boolean;
}): string {
  return (
    `sh -c 'exec redis-server --port "$REDIS_PORT" --requirepass "$REDIS_PASSWORD" ` +
    `--maxmemory ${options.maxMemoryMB}mb --maxmemory-policy ${options.evictionPolicy} ` +
    `--appendonly ${options.appendOnly ? "yes" : "no"} --dir "$RAILWAY_VOLUME_MOUNT_PATH"'`
  );
}

/** Redis 7 with a password, a memory cap and an eviction policy, on a volume. */
export class Redis extends pulumi.ComponentResource {
  readonly serviceName: string;
  readonly serviceId: pulumi.Output<string>;
  readonly privateDomain: pulumi.Output<string>;
  readonly password: pulumi.Output<string>;

  constructor(name: string, args: RedisArgs, opts?: pulumi.ComponentResourceOptions) {
    super("railway-stacks:data:Redis", name, {}, opts);
    this.serviceName = args.serviceName ?? "redis";
    const password = generatedSecret(`${name}-password`, 32, args.passwordRotation, {
      parent: this,
    });

    const parts = declareDataService(
      name,
      {
        project: args.project,
        tier: args.tier,
        role: "redis",
        serviceName: this.serviceName,
        image: args.image,
        deployWait: args.deployWait,
        startCommand: redisStartCommand(args),
        mountPath: MOUNT_PATH,
        volumeSizeMB: args.volumeSizeMB,
        backupSchedules: [],
        port: REDIS_PORT,
        publicProxy: args.publicProxy,
        limits: args.limits,
        variables: {
          REDIS_HOST: ownReference("RAILWAY_PRIVATE_DOMAIN"),
          REDIS_PORT: String(REDIS_PORT),
          REDIS_USER: "default",
          REDIS_URL: `redis://default:${ownReference("REDIS_PASSWORD")}@${ownReference("RAILWAY_PRIVATE_DOMAIN")}:${REDIS_PORT}`,
        },
        secretVariables: { REDIS_PASSWORD: password.result },
      },
      this,
    );

    this.serviceId = parts.service.serviceId;
    this.privateDomain = parts.instance.privateDomain;
    this.password = password.result;
    this.registerOutputs({ serviceId: this.serviceId, privateDomain: this.privateDomain });
  }

  /** The variables an app needs to reach this Redis, as Railway references. */
  linkVariables(): Record<string, string> {
    return {
      REDIS_URL: reference(this.serviceName, "REDIS_URL"),
      REDIS_HOST: reference(this.serviceName, "REDIS_HOST"),
      REDIS_PORT: reference(this.serviceName, "REDIS_PORT"),
      REDIS_USER: reference(this.serviceName, "REDIS_USER"),
      REDIS_PASSWORD: reference(this.serviceName, "REDIS_PASSWORD"),
    };
  }
}
