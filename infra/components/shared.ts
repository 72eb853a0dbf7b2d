/** Pieces the components share: where they live, limits, generated secrets, references. */
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { ResourceLimits, VariableValue } from "../config/types";
import type { Tier } from "../domain/types";

/** The Railway project and environment a component is declared in. */
export interface ProjectRef {
  projectId: pulumi.Input<string>;
  environmentId: pulumi.Input<string>;
  /** Adopt existing services and volumes of the declared names instead of creating them. @default false */
  adoptExisting?: boolean;
  /** The environment's volumes, which every service instance waits for. @default each instance waits for its own volume only */
  volumes?: VolumeBarrier;
  /**
   * Layout `shared`: the project is shared by the environments of several stacks, this one
   * writing only `environmentName`. @default the isolated layout (a project per stack)
   */
  shared?: { environmentName: string; forked?: boolean };
  /** Remove the variables and settings the services have in Railway but do not declare. @default false */
  removeUndeclared?: boolean;
  /**
   * While adopting (`adoptExisting`): the names that find what is adopted before its ids are
   * known, so the preview can say what adopting changes. @default none
   */
  adopting?: { projectName: string; environmentName: string };
}

/** The layout-dependent args of a `Service`. */
export function serviceIdentityArgs(project: ProjectRef): {
  projectId: pulumi.Input<string>;
  adoptExisting?: boolean;
  environmentId?: pulumi.Input<string>;
} {
  return {
    projectId: project.projectId,
    adoptExisting: project.adoptExisting,
    ...(project.shared ? { environmentId: project.environmentId } : {}),
  };
}

/**
 * The layout-dependent args of a service's `Volume`. Volume names are unique in a project, so in
 * a shared project each environment's volume carries the environment's name.
 */
export function volumeLayoutArgs(
  project: ProjectRef,
  serviceName: string,
): {
  projectId: pulumi.Input<string>;
  environmentId: pulumi.Input<string>;
  name: string;
  adoptExisting?: boolean;
  sharedProject?: boolean;
  forkCopy?: boolean;
} {
  return {
    projectId: project.projectId,
    environmentId: project.environmentId,
    name: project.shared
      ? `${serviceName}-data-${project.shared.environmentName}`
      : `${serviceName}-data`,
    // A fork holds copies of its source's volumes, mounted where this stack declares them.
    adoptExisting: project.adoptExisting || project.shared?.forked || undefined,
    ...(project.shared ? { sharedProject: true } : {}),
    ...(project.shared?.forked ? { forkCopy: true } : {}),
  };
}

/** The layout-dependent args of a `ServiceInstance`. */
export function instanceLayoutArgs(project: ProjectRef): {
  projectId: pulumi.Input<string>;
  environmentId: pulumi.Input<string>;
  removeUndeclared?: boolean;
  sharedProject?: boolean;
  adopting?: { projectName: string; environmentName: string };
} {
  return {
    projectId: project.projectId,
    environmentId: project.environmentId,
    ...(project.removeUndeclared ? { removeUndeclared: true } : {}),
    ...(project.shared ? { sharedProject: true } : {}),
    ...(project.adoptExisting && project.adopting ? { adopting: project.adopting } : {}),
  };
}

/**
 * Collects an environment's volumes so that all its service instances wait for all of them: the
 * engine then creates the instances at one moment, and the provider commits them in one patch
 * (infra/railway/batch.ts: one commit and one config read instead of one of each per service;
 * still one deployment per service), however the API's latency spreads the volumes' creation.
 */
export class VolumeBarrier {
  private readonly volumes: pulumi.Resource[] = [];
  private release: (volumes: pulumi.Resource[]) => void = () => {};
  /** Every volume added, once `seal` is called. */
  readonly all: Promise<pulumi.Resource[]> = new Promise((resolve) => {
    this.release = resolve;
  });

  add(volume: pulumi.Resource): void {
    this.volumes.push(volume);
  }

  /** Ends the collection: `all` resolves with what was added. */
  seal(): void {
    this.release([...this.volumes]);
  }
}

/**
 * What a service instance waits for before it is created: its own volume (mounted before the first
 * deployment starts the service) and, with a barrier, all the environment's volumes, so the
 * instances are created together and committed in one patch (infra/railway/batch.ts). In a fork (a
 * PR environment) every volume is a copy the environment's create made, mounted already: the
 * instances wait for none, so the copies' settings join the instances' one commit.
 */
export function instanceDependsOn(
  project: ProjectRef,
  ownVolumes: pulumi.Resource[],
): pulumi.Input<pulumi.Input<pulumi.Resource>[]> {
  if (project.shared?.forked) return [];
  return project.volumes
    ? project.volumes.all.then((all) => [...new Set([...all, ...ownVolumes])])
    : ownVolumes;
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

/** A stack file's variables sorted by how they reach Railway. */
export interface SortedVariables {
  /** Plain values and Railway references (`${{service.VAR}}`, `${{shared.KEY}}`). */
  variables: Record<string, pulumi.Input<string>>;
  /** Values of secret stack config keys. */
  secretVariables: Record<string, pulumi.Input<string>>;
  /** Secrets to generate, by name. */
  generatedSecrets: Record<string, { length: number }>;
  /** Names of plain values declared not secret (`{ notSecret: … }`). */
  notSecretVariables: string[];
}

/** Sorts loaded variables (`services.<name>.variables`, `sharedVariables`) by kind. */
export function sortVariables(loaded: Record<string, VariableValue>): SortedVariables {
  const sorted: SortedVariables = {
    variables: {},
    secretVariables: {},
    generatedSecrets: {},
    notSecretVariables: [],
  };
  for (const [key, value] of Object.entries(loaded)) {
    switch (value.kind) {
      case "plain":
        sorted.variables[key] = value.value;
        if (value.notSecret === true) sorted.notSecretVariables.push(key);
        break;
      case "reference":
        // Services are named after their config key, so the key is the Railway name.
        sorted.variables[key] = reference(value.service, value.variable);
        break;
      case "generated":
        sorted.generatedSecrets[key] = { length: value.length };
        break;
      case "secret":
        sorted.secretVariables[key] = value.value;
        break;
    }
  }
  return sorted;
}
