/**
 * Environments whose deletion is part of the running operation.
 *
 * Deleting an environment removes everything in it: its service instances, variables, volume
 * instances and domains. When the whole environment goes (`npm run pr -- down <n>` deletes a PR
 * environment this stack created), removing each of those first would cost a write per service
 * (Railway counts calls against an hourly limit) only for the environment delete to remove the
 * same things again. The PR script names the environment in this variable of the `pulumi destroy`
 * it runs (the dynamic providers run in processes that inherit the CLI's environment); the
 * per-environment deletes then leave the environment to its own delete, which runs after them
 * (everything in an environment depends on it). A destroy run without it does every step.
 */
export const DISCARD_ENVIRONMENT_VARIABLE = "RAILWAY_STACKS_DISCARD_ENVIRONMENT";

/** Whether `environmentId` is deleted as a whole by this operation (see above). */
export function isDiscarded(environmentId: string): boolean {
  const listed = process.env[DISCARD_ENVIRONMENT_VARIABLE];
  return listed !== undefined && listed.split(",").includes(environmentId);
}
