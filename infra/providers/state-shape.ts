/**
 * The version of the output shape every railway-stacks resource writes into Pulumi's state
 * (`stateShape`), and the check that reads it back.
 *
 * The state outlives the code that wrote it: a stack brought up with one release is refreshed,
 * updated and destroyed by later ones, and sometimes (a rollback of the repo) by an older one. A
 * provider that meets outputs of a shape it does not know must stop before it misreads them and
 * writes Railway from a wrong picture. So each provider (through `withStateShape`, applied where
 * infra/resources/provider-module.js loads it) writes `stateShape` into its outputs, upgrades
 * older outputs with the migrations below before using them, and refuses outputs from a newer
 * release with the fix.
 *
 * State written before the shape was recorded has no `stateShape`; it is shape 1.
 */
import { PartialCreateError } from "./diff";

/** The shape this release writes. Raise it, with a migration, when an output changes meaning. */
export const STATE_SHAPE = 1;

type Props = Record<string, unknown>;

/** `MIGRATIONS[n]` turns shape-`n` outputs into shape `n + 1`. None yet: shape 1 is the first. */
const MIGRATIONS: Record<number, (props: Props) => Props> = {};

/** The outputs of a state, as this release's shape. Throws for a newer (unknown) shape. */
export function upgradeState<T>(props: T, type: string, id: string): T {
  if (props === undefined || props === null) return props;
  const record = props as unknown as Props;
  const written = typeof record["stateShape"] === "number" ? record["stateShape"] : 1;
  if (written > STATE_SHAPE) {
    throw new Error(
      `${type} ${id}: its state was written by a newer railway-stacks (state shape ${written}; ` +
        `this release reads up to ${STATE_SHAPE}). Fix: install the railway-stacks release the ` +
        `stack was last updated with, or a later one, and run pulumi again. Nothing was changed.`,
    );
  }
  let upgraded = record;
  for (let shape = written; shape < STATE_SHAPE; shape++) {
    const migrate = MIGRATIONS[shape];
    if (!migrate) throw new Error(`railway-stacks: no migration of state shape ${shape}`);
    upgraded = migrate(upgraded);
  }
  return upgraded as unknown as T;
}

const stamped = <T>(outs: T): T =>
  outs === undefined ? outs : ({ ...(outs as Props), stateShape: STATE_SHAPE } as T);

/** A provider of type `type` that reads and writes versioned state (see above). */
export function withStateShape<P extends Partial<ProviderMethods>>(provider: P, type: string): P {
  const stampFailure = (error: unknown): never => {
    if (error instanceof PartialCreateError) {
      Object.assign(error.properties, { stateShape: STATE_SHAPE });
    }
    throw error;
  };
  const wrapped: Partial<ProviderMethods> = {
    ...provider,
    diff:
      provider.diff &&
      (async (id, olds, news) => provider.diff!(id, upgradeState(olds, type, id), news)),
    create:
      provider.create &&
      (async (inputs) => {
        const result = await provider.create!(inputs).catch(stampFailure);
        return { ...result, outs: stamped(result.outs) };
      }),
    read:
      provider.read &&
      (async (id, props) => {
        const result = await provider.read!(id, upgradeState(props, type, id));
        return result.props === undefined ? result : { ...result, props: stamped(result.props) };
      }),
    update:
      provider.update &&
      (async (id, olds, news) => {
        const result = await provider.update!(id, upgradeState(olds, type, id), news).catch(
          stampFailure,
        );
        return { ...result, outs: stamped(result.outs) };
      }),
    delete:
      provider.delete && (async (id, props) => provider.delete!(id, upgradeState(props, type, id))),
  };
  return wrapped as P;
}

/** The provider methods this module wraps, loosely typed (each provider has its own shapes). */
/* eslint-disable @typescript-eslint/no-explicit-any */
interface ProviderMethods {
  diff(id: string, olds: any, news: any): Promise<any>;
  create(inputs: any): Promise<{ id: string; outs?: any }>;
  read(id: string, props?: any): Promise<{ id?: string; props?: any; inputs?: any }>;
  update(id: string, olds: any, news: any): Promise<{ outs?: any }>;
  delete(id: string, props: any): Promise<void>;
}
/* eslint-enable @typescript-eslint/no-explicit-any */
