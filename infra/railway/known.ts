/**
 * What Railway has already told this provider process, kept so that a later operation of the same
 * `pulumi up` does not ask again (Railway counts every call against an hourly limit).
 *
 * - A project's environments and services, for the creates that look for theirs by name: the
 *   listing that found (or the create that made) the project brings them.
 * - An environment's volume instances, for a fork's copies: `environmentCreate` answers with them.
 * - An environment's config as `environmentCreate` answered it, until this process writes anything
 *   to Railway: the first batch of an environment made in this run needs no read
 *   (infra/railway/batch.ts).
 *
 * Each of these is only ever used by a create: refresh and updates read Railway again.
 */
import type {
  EnvironmentConfigRecord,
  EnvironmentRecord,
  ServiceRecord,
  VolumeInstanceRecord,
} from "./api";
import { writesSent } from "./client";
import { readOnce } from "./read-once";

const environmentsByProject = new Map<string, Promise<EnvironmentRecord[]>>();
const servicesByProject = new Map<string, Promise<Map<string, ServiceRecord>>>();
const volumeInstancesByEnvironment = new Map<string, Promise<VolumeInstanceRecord[] | undefined>>();
const configsByEnvironment = new Map<string, { record: EnvironmentConfigRecord; writes: number }>();

/** A project's environments: the answer this process has, else `read` (once). */
export const environmentsOf = (
  projectId: string,
  read: () => Promise<EnvironmentRecord[]>,
): Promise<EnvironmentRecord[]> => readOnce(environmentsByProject, projectId, read);

/** A project's services by name: the answer this process has, else `read` (once). */
export const servicesOf = (
  projectId: string,
  read: () => Promise<ServiceRecord[]>,
): Promise<Map<string, ServiceRecord>> =>
  readOnce(servicesByProject, projectId, () =>
    read().then((list) => new Map(list.map((service) => [service.name, service]))),
  );

/** An environment's volume instances: the answer this process has, else `read` (once). */
export const volumeInstancesOf = (
  environmentId: string,
  read: () => Promise<VolumeInstanceRecord[] | undefined>,
): Promise<VolumeInstanceRecord[] | undefined> =>
  readOnce(volumeInstancesByEnvironment, environmentId, read);

/** Railway listed (or just created) the project with these environments. */
export function knowEnvironments(projectId: string, environments: EnvironmentRecord[]): void {
  environmentsByProject.set(projectId, Promise.resolve(environments));
}

/** Railway just created the project: it has no services yet. */
export function knowNoServices(projectId: string): void {
  servicesByProject.set(projectId, Promise.resolve(new Map()));
}

/**
 * Railway created the environment and answered with its config and volume instances (for a fork:
 * the copies). `writesBefore` is `writesSent()` before the create was sent: the config is kept
 * only when the create was the one write since, so no other write of this process can be missing
 * from it.
 */
export function knowNewEnvironment(
  environment: EnvironmentRecord,
  record: EnvironmentConfigRecord,
  volumeInstances: VolumeInstanceRecord[],
  writesBefore: number,
): void {
  const listed = environmentsByProject.get(record.projectId);
  if (listed) {
    environmentsByProject.set(
      record.projectId,
      listed.then((environments) => [
        ...environments.filter((env) => env.id !== environment.id),
        environment,
      ]),
    );
  }
  volumeInstancesByEnvironment.set(record.id, Promise.resolve(volumeInstances));
  const writes = writesSent();
  if (writes === writesBefore + 1) configsByEnvironment.set(record.id, { record, writes });
}

/**
 * The environment's config as its create answered it, while this process has written nothing to
 * Railway since; else undefined (read it).
 */
export function knownConfig(environmentId: string): EnvironmentConfigRecord | undefined {
  const known = configsByEnvironment.get(environmentId);
  if (!known) return undefined;
  if (known.writes === writesSent()) return known.record;
  configsByEnvironment.delete(environmentId);
  return undefined;
}
