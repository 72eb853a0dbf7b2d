/**
 * The resolved stack configuration: what components receive after `Pulumi.<stack>.yaml` has been
 * merged with the tier defaults, validated and converted. Every value is plain and final (numbers
 * in the units the resources take, arrays never undefined), so no component parses config again.
 *
 * The types are the schema's output (`z.output` of ./schema.ts, whose transforms resolve the
 * values); only what the schema does not produce is written here: the stack name and PR fields
 * `parseStackConfig` and `derivePrStackConfig` add, and secrets once loaded.
 */
import type * as pulumi from "@pulumi/pulumi";

import type { BackupSchedule, Builder, Layout, RestartPolicyType, Tier } from "../domain/types";
import type { Region } from "../domain/rules";
import type { ResolvedStack } from "./schema";

export type { AppSettings, GateConfig, ResourceLimits } from "./schema";
export type { BackupSchedule, Builder, Layout, Region, RestartPolicyType, Tier };

export type DataServiceName = "postgres" | "redis" | "nats";

export type ProjectConfig = Omit<ResolvedStack["project"], "environment"> & {
  /**
   * The Railway environment this stack owns: `project.environment`, else `production` for the
   * production tier and the stack name for the others (`isolated`: the tier); `pr-<n>` for PRs.
   */
  environment: string;
  /**
   * Layout `shared`, PR stacks: the environment this one is forked from (the preview stack's).
   * The environment is then ephemeral: Railway's PR environments are.
   */
  forkOf?: string;
};

/** One data service the stack deploys (instances with `enabled: false` are left out). */
export type DataServiceConfig = ResolvedStack["dataServices"][number];
/** A data service's settings, without where it sits in the stack (kind, name, path). */
type DataSettings<K extends DataServiceName> = Omit<
  Extract<DataServiceConfig, { kind: K }>,
  "kind" | "instance" | "serviceName" | "path"
>;
export type PostgresConfig = DataSettings<"postgres">;
export type RedisConfig = DataSettings<"redis">;
export type NatsConfig = DataSettings<"nats">;
export type RedisEvictionPolicy = RedisConfig["evictionPolicy"];
export type NatsStreamConfig = NatsConfig["jetStream"]["streams"][number];
/** How `pulumi up` follows a deployment: the tier's gate timing (infra/config/tiers.ts). */
export type DeployWaitConfig = DataServiceConfig["deployWait"];

/** Variables as `parseStackConfig` returns them. */
export type VariableSpec = ResolvedStack["sharedVariables"][string];
export type PlainVariable = Extract<VariableSpec, { kind: "plain" }>;
export type ReferenceVariable = Extract<VariableSpec, { kind: "reference" }>;
export type GeneratedVariable = Extract<VariableSpec, { kind: "generated" }>;
export type SecretVariableRef = Extract<VariableSpec, { kind: "secret" }>;

/** A secret stack config key, as loaded: its value is a Pulumi secret. */
export interface SecretVariable {
  kind: "secret";
  configKey: string;
  value: pulumi.Output<string>;
}

/** Variables as `loadStackConfig` returns them (optional secrets that are not set are left out). */
export type VariableValue = Exclude<VariableSpec, SecretVariableRef> | SecretVariable;

type ResolvedService = ResolvedStack["services"][string];
export type ServiceSourceConfig = ResolvedService["source"];
export type ServiceBuildConfig = NonNullable<ResolvedService["build"]>;
export type HealthcheckConfig = NonNullable<ResolvedService["healthcheck"]>;
export type RestartPolicyConfig = ResolvedService["restartPolicy"];
export type LogFormat = ResolvedStack["app"]["logFormat"];

/** An app service, with its variables parsed (`VariableSpec`) or loaded (`VariableValue`). */
export type AppServiceConfig<V = VariableValue> = Omit<ResolvedService, "variables"> & {
  variables: Record<string, V>;
};

export type StackConfig<V = VariableValue> = Omit<
  ResolvedStack,
  "project" | "services" | "sharedVariables"
> & {
  /** The Pulumi stack the config was loaded for (`dev`, `production`, `pr-42`, …). */
  stack: string;
  project: ProjectConfig;
  /** Keyed by service name, in the order of the stack file. */
  services: Record<string, AppServiceConfig<V>>;
  /** The environment's shared variables, in the order of the stack file. */
  sharedVariables: Record<string, V>;
  /** Set on PR stacks (`pr-<n>`), derived from the preview stack's config. */
  pullRequest?: { number: number; branch: string };
};

/** What `parseStackConfig` returns on success: secrets are still config key names. */
export type ParsedStackConfig = StackConfig<VariableSpec>;

/** The data services of one kind, in file order. */
export function dataServicesOf<K extends DataServiceName, V>(
  config: Pick<StackConfig<V>, "dataServices">,
  kind: K,
): Extract<DataServiceConfig, { kind: K }>[] {
  return config.dataServices.filter(
    (data): data is Extract<DataServiceConfig, { kind: K }> => data.kind === kind,
  );
}
