// @ts-check
"use strict";
/**
 * The module Pulumi's dynamic-provider host runs for every railway-stacks resource. The host
 * (`@pulumi/pulumi/cmd/dynamic-provider`) takes a resource's `__provider` input as the source of
 * a CommonJS module and calls its `handler()` for the provider object, once per distinct source.
 *
 * The source is written out here, not produced by `@pulumi/pulumi/dynamic`'s closure
 * serialization: that loads TypeScript (to parse function text) and walks the closure on every
 * `pulumi` run, before the first resource can be registered (bench/README.md). The text is the
 * same two functions on every run: the provider object below and the transpile cache it installs.
 *
 * The provider object is tiny on purpose: it names a module of the package and an export, and
 * loads the real CRUD implementation from the installed `railway-stacks` package when first
 * called. So the state never holds a copy of the provider code or a file path (moving the
 * checkout, or using the library from another repo's node_modules, keeps every stack working), a
 * credential can never be captured into it, and a fixed provider takes effect at once.
 *
 * JavaScript (checked by `tsc` through `checkJs`), so that the text is the source as written,
 * whichever compiler built the package.
 */
const { installTranspileCache } = require("./transpile-cache");

/**
 * The provider object for `exportName` of `infra/<modulePath>`. Self-contained: it runs as text in
 * the dynamic-provider process, where only Node's built-in modules can be assumed.
 *
 * The package is found by name from the program's directory (where the dynamic-provider host
 * runs): in another repo that is `node_modules/railway-stacks`; in this repo (or a copy of it) it
 * is the package itself (package.json `exports` makes `railway-stacks/package.json` resolvable).
 * A package that ships its TypeScript sources (this repo) loads them through the transpile cache
 * (transpiled once, then from the cache, without loading TypeScript); the packed library ships
 * compiled JavaScript (`dist/`).
 *
 * @param {string} modulePath e.g. `providers/service-instance` (no extension)
 * @param {string} exportName
 * @param {(root: string) => void} installTranspileCache
 * @returns {import("@pulumi/pulumi").dynamic.ResourceProvider}
 */
function railwayProvider(modulePath, exportName, installTranspileCache) {
  /** @typedef {import("@pulumi/pulumi").dynamic.ResourceProvider} ResourceProvider */
  /**
   * Requires `infra/<relativePath>` from the installed railway-stacks package.
   * @param {string} relativePath
   * @returns {Record<string, unknown>}
   */
  const requireFromPackage = (relativePath) => {
    const nodeModule = require("module");
    const nodePath = require("path");
    const nodeFs = require("fs");
    const fromProgram = nodeModule.createRequire(nodePath.join(process.cwd(), "package.json"));
    let root;
    try {
      root = nodePath.dirname(fromProgram.resolve("railway-stacks/package.json"));
    } catch (error) {
      throw new Error(
        `railway-stacks: the package is not installed where the program runs (${process.cwd()}): ` +
          `run npm install railway-stacks there (${/** @type {Error} */ (error).message})`,
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

  /** @type {ResourceProvider | undefined} */
  let loaded;
  /** @returns {Required<ResourceProvider>} */
  const load = () => {
    if (!loaded) {
      const implementation = requireFromPackage(modulePath)[exportName];
      if (!implementation) {
        throw new Error(`railway-stacks: ${modulePath} exports no ${exportName}`);
      }
      // Every output written carries the state shape, and state of an unknown shape is refused
      // (infra/providers/state-shape.ts).
      const { withStateShape } =
        /** @type {{ withStateShape(provider: ResourceProvider, type: string): ResourceProvider }} */ (
          requireFromPackage("providers/state-shape")
        );
      loaded = withStateShape(
        /** @type {ResourceProvider} */ (implementation),
        modulePath.replace("providers/", ""),
      );
    }
    return /** @type {Required<ResourceProvider>} */ (loaded);
  };

  return {
    async configure(request) {
      const credentials = /** @type {{ setConfiguredToken(token: string | undefined): void }} */ (
        requireFromPackage("railway/credentials")
      );
      credentials.setConfiguredToken(request.config.get("railwayToken"));
    },
    check: (olds, news) => load().check(olds, news),
    diff: (id, olds, news) => load().diff(id, olds, news),
    create: (inputs) => load().create(inputs),
    read: (id, props) => load().read(id, props),
    update: (id, olds, news) => load().update(id, olds, news),
    delete: (id, props) => load().delete(id, props),
  };
}

/**
 * The `__provider` source for a provider reference: the same text on every run.
 * @param {{ module: string; exportName: string }} reference
 * @returns {string}
 */
function providerModuleSource(reference) {
  return [
    `const installTranspileCache = ${installTranspileCache.toString()};`,
    `const railwayProvider = ${railwayProvider.toString()};`,
    `exports.handler = () => railwayProvider(${JSON.stringify(reference.module)}, ${JSON.stringify(reference.exportName)}, installTranspileCache);`,
    "",
  ].join("\n");
}

module.exports = { providerModuleSource, railwayProvider };
