// @ts-check
"use strict";
/**
 * The module Pulumi's dynamic-provider host runs for every railway-stacks resource. The host
 * (`@pulumi/pulumi/cmd/dynamic-provider`) takes a resource's `__provider` input as the source of
 * a CommonJS module and calls its `handler()` for the provider object, once per distinct source.
 *
 * The source is written out here, not produced by `@pulumi/pulumi/dynamic`'s closure
 * serialization: that loads TypeScript (to parse function text) and walks the closure on every
 * `pulumi` run, before the first resource can be registered (bench/README.md). The text is one
 * short function, the same on every run: it finds the installed `railway-stacks` package from the
 * program's directory and hands over to `railwayProvider` in this file there.
 *
 * So the state never holds a copy of the provider code or a file path (moving the checkout, or
 * using the library from another repo's node_modules, keeps every stack working), a credential
 * can never be captured into it, and a fixed provider takes effect at once. The text travels in
 * every resource's inputs and outputs, in state and in each check and diff the engine sends the
 * host, so it is kept short (1 KB; it held a copy of this module and the transpile cache, 7 KB,
 * before).
 *
 * JavaScript (checked by `tsc` through `checkJs`), so that the text is the source as written,
 * whichever compiler built the package.
 */
const fs = require("fs");
const path = require("path");
const { installTranspileCache } = require("./transpile-cache");

/** @typedef {import("@pulumi/pulumi").dynamic.ResourceProvider} ResourceProvider */

/**
 * The `__provider` text's function: the provider object for `exportName` of
 * `infra/<modulePath>`, from the `railway-stacks` package the program's directory (where the
 * dynamic-provider host runs) resolves: `node_modules/railway-stacks` in another repo, the package
 * itself in this one (package.json `exports` makes `railway-stacks/package.json` resolvable).
 * Self-contained: it runs as text in the host, where only Node's built-in modules can be assumed.
 *
 * @param {string} modulePath e.g. `providers/service-instance` (no extension)
 * @param {string} exportName
 * @returns {ResourceProvider}
 */
function loadRailwayProvider(modulePath, exportName) {
  const nodeModule = require("module");
  const nodePath = require("path");
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
  const inSource = nodePath.join(root, "infra", "resources", "provider-module.js");
  const inPackage = nodePath.join(root, "dist", "infra", "resources", "provider-module.js");
  const providerModule = require("fs").existsSync(inSource) ? inSource : inPackage;
  return require(providerModule).railwayProvider(modulePath, exportName);
}

/**
 * Requires `infra/<relativePath>` of this package: a package that ships its TypeScript sources
 * (this repo) loads them through the transpile cache (transpiled once, then from the cache,
 * without loading TypeScript); the packed library ships compiled JavaScript (`dist/infra`), where
 * this file is `dist/infra/resources/provider-module.js`.
 *
 * @param {string} relativePath
 * @returns {Record<string, unknown>}
 */
function requireFromPackage(relativePath) {
  const infra = path.join(__dirname, "..");
  const source = path.join(infra, `${relativePath}.ts`);
  if (fs.existsSync(source)) {
    installTranspileCache(path.join(infra, ".."));
    return require(source);
  }
  return require(path.join(infra, `${relativePath}.js`));
}

/**
 * The provider object for `exportName` of `infra/<modulePath>`: it loads the real CRUD
 * implementation when first called, and reads the `railwayToken` stack key in `configure`.
 *
 * @param {string} modulePath e.g. `providers/service-instance` (no extension)
 * @param {string} exportName
 * @returns {ResourceProvider}
 */
function railwayProvider(modulePath, exportName) {
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
  const args = `${JSON.stringify(reference.module)}, ${JSON.stringify(reference.exportName)}`;
  return `exports.handler = () => (${loadRailwayProvider.toString()})(${args});\n`;
}

module.exports = { providerModuleSource, railwayProvider };
