/**
 * What the policies match on. The Railway type tokens and input shapes come straight from the
 * contract in `infra/domain/types.ts` (run-policy-pack's ts-node compiles files outside the pack
 * directory, so there is no copy to drift); the random provider's token is the one
 * `@pulumi/random` registers for `RandomPassword`.
 */
import type {
  EnvironmentComponentOutputs,
  EnvironmentInputs,
  EnvironmentOutputs,
  ProjectInputs,
  ServiceInputs,
  ServiceInstanceInputs,
  ServiceRole,
  SharedVariablesInputs,
  VolumeInputs,
} from "../../infra/domain/types";
import { ENVIRONMENT_COMPONENT_TYPE, TYPE_TOKENS } from "../../infra/domain/types";

export { ENVIRONMENT_COMPONENT_TYPE, TYPE_TOKENS };
export type { EnvironmentComponentOutputs, ServiceRole };

/** `random.RandomPassword` (`@pulumi/random` 4.x `RandomPassword.__pulumiType`). */
export const RANDOM_PASSWORD_TYPE = "random:index/randomPassword:RandomPassword";

/** Services that keep state on a volume and must never face the internet in production. */
export const DATASTORE_ROLES: readonly ServiceRole[] = ["postgres", "redis", "nats"];

/**
 * Props as a policy sees them: any field may be missing (older state, a hand-written resource)
 * and any value may be unknown during preview (see `values.ts`).
 */
export type Loose<T> = { [K in keyof T]?: T[K] extends object ? Loose<T[K]> : T[K] };

export type ProjectProps = Loose<ProjectInputs>;
export type ServiceProps = Loose<ServiceInputs>;
export type VolumeProps = Loose<VolumeInputs>;
export type ServiceInstanceProps = Loose<ServiceInstanceInputs>;
/**
 * An Environment (layout `shared` only): its inputs, and in stack policies the outputs it has
 * once created (`environmentId`, `sourceEnvironmentId`, `created`).
 */
export type EnvironmentProps = Loose<EnvironmentInputs> &
  Loose<Omit<EnvironmentOutputs, keyof EnvironmentInputs>>;
export type SharedVariablesProps = Loose<SharedVariablesInputs>;

/** Props of `random.RandomPassword` that the policies read. */
export interface RandomPasswordProps {
  length?: number;
}
