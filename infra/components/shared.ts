/** Pieces the components share: where they live, limits, generated secrets, references. */
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { ResourceLimits } from "../config/types";
import type { Tier } from "../domain/types";

/** The Railway project and environment a component is declared in. */
export interface ProjectRef {
  projectId: pulumi.Input<string>;
  environmentId: pulumi.Input<string>;
  /** Adopt existing services and volumes of the declared names instead of creating them. @default false */
  adoptExisting?: boolean;
}

export type { ResourceLimits };

export const MB = 1024 * 1024;

/** Railway wants memory in bytes (`limitOverride.containers.memoryBytes`). */
export function deployLimits(limits: ResourceLimits | undefined): {
  cpu?: number;
  memoryBytes?: number;
} {
  return {
    cpu: limits?.cpu,
    memoryBytes: limits?.memoryMB === undefined ? undefined : limits.memoryMB * MB,
  };
}

/** A Railway reference variable: resolved by Railway, so the value never passes through Pulumi. */
export const reference = (service: string, variable: string): string =>
  `\${{${service}.${variable}}}`;

/** A reference to a variable of the same service. */
export const ownReference = (variable: string): string => `\${{${variable}}}`;

/**
 * A generated secret (alphanumeric, so it is safe in URLs and shell commands). Rotate it by
 * changing `rotation` (a keeper).
 */
export function generatedSecret(
  name: string,
  length: number,
  rotation: string | undefined,
  opts: pulumi.CustomResourceOptions,
): random.RandomPassword {
  return new random.RandomPassword(
    name,
    { length, special: false, keepers: rotation === undefined ? undefined : { rotation } },
    opts,
  );
}

/** Data is protected in production: `pulumi destroy` refuses until it is unprotected on purpose. */
export const protectData = (tier: Tier): boolean => tier === "production";
