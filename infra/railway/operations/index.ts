/**
 * Every GraphQL document the provider sends lives under this folder. The contract test validates
 * each one against Railway's published schema, and the emulator implements exactly these.
 */
import * as deployment from "./deployment";
import * as environment from "./environment";
import * as project from "./project";
import * as service from "./service";
import * as volume from "./volume";
import * as workspace from "./workspace";

export { deployment, environment, project, service, volume, workspace };

const isFragmentOnly = (doc: string): boolean => doc.trimStart().startsWith("fragment");

/** All operation documents, keyed by operation name (fragments excluded). */
export const ALL_OPERATIONS: Readonly<Record<string, string>> = Object.freeze(
  Object.fromEntries(
    [project, environment, service, volume, deployment, workspace]
      .flatMap((module) => Object.entries(module))
      .filter(([, doc]) => !isFragmentOnly(doc)),
  ),
);
