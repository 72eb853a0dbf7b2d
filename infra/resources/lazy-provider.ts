/**
 * The provider object Pulumi serializes into each dynamic resource's state (`__provider`).
 *
 * It is deliberately tiny: it captures a package-relative module name and an export name, and
 * loads the real CRUD implementation from the installed `railway-stacks` package at run time. So
 * the state never holds a copy of the provider code or a file path (moving the checkout, or using
 * the library from another repo's node_modules, keeps every stack working), a credential can never
 * be captured into it, and a fixed provider takes effect without re-serialization.
 *
 * The package is found by name from the program's directory (where the dynamic-provider host
 * runs): in another repo that is `node_modules/railway-stacks`; in this repo (or a copy of it) it
 * is the package itself (package.json `exports` makes `railway-stacks/package.json` resolvable).
 * A module this closure captures (`transpile-cache`) is serialized by Pulumi as a require of its
 * path inside the package (`railway-stacks/dist/infra/...`), which `exports` opens with `./dist/*`.
 * A package that ships its TypeScript sources (this repo) loads them through `installTranspileCache`
 * (transpiled once, then from the cache, without loading TypeScript); the packed library ships
 * compiled JavaScript (`dist/`).
 */
import type * as pulumi from "@pulumi/pulumi";
import { installTranspileCache } from "./transpile-cache";

/** A provider module inside the package's `infra/` directory, and its exported object. */
export interface ProviderReference {
  /** E.g. `providers/service-instance` (no extension). */
  module: string;
  exportName: string;
}

/**
 * One provider object per reference. Pulumi serializes a dynamic resource's provider (a closure
 * walk, the largest cost of declaring a resource) once per provider *object*
 * (`@pulumi/pulumi/dynamic` caches by identity), so sharing the object makes that once per
 * resource type instead of once per resource.
 */
const providers = new Map<string, pulumi.dynamic.ResourceProvider>();

export function lazyProvider(reference: ProviderReference): pulumi.dynamic.ResourceProvider {
  const key = `${reference.module}#${reference.exportName}`;
  let provider = providers.get(key);
  if (!provider) {
    provider = createLazyProvider(reference);
    providers.set(key, provider);
  }
  return provider;
}

function createLazyProvider(reference: ProviderReference): pulumi.dynamic.ResourceProvider {
  const { module: modulePath, exportName } = reference;

  /** Requires `infra/<relativePath>` from the installed railway-stacks package. */
  const requireFromPackage = (relativePath: string): Record<string, unknown> => {
    // Everything is required inside the function: Pulumi serializes this closure, and a
    // module-level import would be captured by value.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const nodeModule = require("module") as typeof import("module");
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const nodePath = require("path") as typeof import("path");
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const nodeFs = require("fs") as typeof import("fs");
    const fromProgram = nodeModule.createRequire(nodePath.join(process.cwd(), "package.json"));
    let root: string;
    try {
      root = nodePath.dirname(fromProgram.resolve("railway-stacks/package.json"));
    } catch (error) {
      throw new Error(
        `railway-stacks: the package is not installed where the program runs (${process.cwd()}): ` +
          `run npm install railway-stacks there (${(error as Error).message})`,
        { cause: error },
      );
    }
    const packageRequire = nodeModule.createRequire(nodePath.join(root, "package.json"));
    const source = nodePath.join(root, "infra", `${relativePath}.ts`);
    if (nodeFs.existsSync(source)) {
      installTranspileCache(root);
      return packageRequire(source);
    }
    return packageRequire(nodePath.join(root, "dist", "infra", `${relativePath}.js`));
  };

  const load = (): pulumi.dynamic.ResourceProvider => {
    const implementation = requireFromPackage(modulePath)[exportName];
    if (!implementation) throw new Error(`railway-stacks: ${modulePath} exports no ${exportName}`);
    // Every output written carries the state shape, and state of an unknown shape is refused
    // (infra/providers/state-shape.ts).
    const { withStateShape } = requireFromPackage("providers/state-shape") as {
      withStateShape(
        provider: pulumi.dynamic.ResourceProvider,
        type: string,
      ): pulumi.dynamic.ResourceProvider;
    };
    return withStateShape(
      implementation as pulumi.dynamic.ResourceProvider,
      modulePath.replace("providers/", ""),
    );
  };

  return {
    async configure(request) {
      const credentials = requireFromPackage("railway/credentials") as {
        setConfiguredToken(token: string | undefined): void;
      };
      credentials.setConfiguredToken(request.config.get("railwayToken"));
    },
    check: (olds, news) => load().check!(olds, news),
    diff: (id, olds, news) => load().diff!(id, olds, news),
    create: (inputs) => load().create(inputs),
    read: (id, props) => load().read!(id, props),
    update: (id, olds, news) => load().update!(id, olds, news),
    delete: (id, props) => load().delete!(id, props),
  };
}
