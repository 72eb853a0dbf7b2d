/** Reading the data services of a resolved stack config in tests. */
import type { DataServiceConfig, DataServiceName, StackConfig } from "../../infra/config";

/** The one-instance form of `kind` (Railway service `<kind>`); throws when the stack has none. */
export function one<K extends DataServiceName, V>(
  config: Pick<StackConfig<V>, "dataServices">,
  kind: K,
): Extract<DataServiceConfig, { kind: K }> {
  const found = config.dataServices.find(
    (data) => data.kind === kind && data.instance === undefined,
  );
  if (found === undefined) throw new Error(`the stack deploys no single ${kind}`);
  return found as Extract<DataServiceConfig, { kind: K }>;
}

/** True when the stack deploys some instance of `kind`. */
export const deploys = <V>(
  config: Pick<StackConfig<V>, "dataServices">,
  kind: DataServiceName,
): boolean => config.dataServices.some((data) => data.kind === kind);
