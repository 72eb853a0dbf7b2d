import * as pulumi from "@pulumi/pulumi";
import type { PostgresConfig } from "../config/types";
import type { Tier } from "../domain/types";
import { declareDataService } from "./data-service";
import {
  generatedSecret,
  ownReference,
  reference,
  type ProjectRef,
  type ResourceLimits,
} from "./shared";

/**
 * The settings are the ones the stack config resolved (an entry of `StackConfig.dataServices`, defaults from
 * infra/config/schema.ts and the tier): the component has no defaults of its own.
 */
export interface PostgresArgs extends Omit<
  PostgresConfig,
  "enabled" | "limits" | "expectedUtilization"
> {
  project: ProjectRef;
  tier: Tier;
  /** Railway service name; apps reference `${{<name>.DATABASE_URL}}`. @default "postgres" */
  serviceName?: string;
  limits?: ResourceLimits;
  /** Change this value to rotate the generated password. */
  passwordRotation?: string;
}

export const POSTGRES_PORT = 5432;
/** Railway mounts volumes over an existing directory; PGDATA goes one level down (lost+found). */
const MOUNT_PATH = "/var/lib/postgresql/data";

/** PostgreSQL (with pgvector) on a volume, password generated, private unless asked. */
export class Postgres extends pulumi.ComponentResource {
  readonly serviceName: string;
  readonly serviceId: pulumi.Output<string>;
  readonly privateDomain: pulumi.Output<string>;
  readonly password: pulumi.Output<string>;

  constructor(name: string, args: PostgresArgs, opts?: pulumi.ComponentResourceOptions) {
    super("railway-stacks:data:Postgres", name, {}, opts);
    this.serviceName = args.serviceName ?? "postgres";
    const { database, user } = args;
    const password = generatedSecret(`${name}-password`, 32, args.passwordRotation, {
      parent: this,
    });

    const parts = declareDataService(
      name,
      {
        project: args.project,
        tier: args.tier,
        role: "postgres",
        serviceName: this.serviceName,
        image: args.image,
        deployWait: args.deployWait,
        mountPath: MOUNT_PATH,
        volumeSizeMB: args.volumeSizeMB,
        backupSchedules: args.backups,
        port: POSTGRES_PORT,
        publicProxy: args.publicProxy,
        limits: args.limits,
        variables: {
          POSTGRES_USER: user,
          POSTGRES_DB: database,
          PGDATA: `${MOUNT_PATH}/pgdata`,
          PGPORT: String(POSTGRES_PORT),
          DATABASE_URL: `postgresql://${ownReference("POSTGRES_USER")}:${ownReference("POSTGRES_PASSWORD")}@${ownReference("RAILWAY_PRIVATE_DOMAIN")}:${POSTGRES_PORT}/${ownReference("POSTGRES_DB")}`,
        },
        secretVariables: { POSTGRES_PASSWORD: password.result },
      },
      this,
    );

    this.serviceId = parts.service.serviceId;
    this.privateDomain = parts.instance.privateDomain;
    this.password = password.result;
    this.registerOutputs({ serviceId: this.serviceId, privateDomain: this.privateDomain });
  }

  /** The variables an app needs to reach this database, as Railway references. */
  linkVariables(): Record<string, string> {
    return { DATABASE_URL: reference(this.serviceName, "DATABASE_URL") };
  }
}
