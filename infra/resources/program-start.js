// @ts-check
"use strict";
/**
 * Two things infra/main.js does before it loads the program, each to shorten every `pulumi
 * preview` and `up` (bench/README.md, "Program speed").
 *
 * JavaScript (checked by `tsc` through `checkJs`): it runs before anything can load TypeScript.
 */
const Module = require("module");
const path = require("path");
const { setTimeout } = require("timers");

/**
 * The engine starts Pulumi's dynamic-provider process (a second Node, which loads the SDK
 * before it answers) only when the first resource that needs it is registered, after the
 * program's modules have loaded, and every resource waits for it. An invoke on that provider
 * makes the engine start it at once, while the program loads. The provider implements no
 * function, so the invoke fails, and that answer is ignored: only its start matters.
 *
 * Resolves once the request has had time to leave (a few event-loop turns); if it has not, the
 * provider simply starts with the first resource, as without this.
 *
 * @returns {Promise<void>}
 */
async function startDynamicProvider() {
  // The run harness has loaded these files of the SDK already: requiring them costs nothing,
  // where `@pulumi/pulumi` (its index) costs the full load this module is here to avoid.
  const { awaitStackRegistrations } = require("@pulumi/pulumi/runtime/settings");
  const { invoke } = require("@pulumi/pulumi/runtime/invoke");
  await awaitStackRegistrations();
  invoke("pulumi-nodejs:dynamic:start", {}).catch(() => undefined);
  await new Promise((resolve) => setTimeout(resolve, 20));
}

/**
 * `@pulumi/pulumi`'s index loads npm's Arborist (to find the packages a serialized function
 * needs) and TypeScript (to parse function text), for closure serialization, which this program
 * never uses (its providers are written out by provider-module.js), and the Automation API and
 * the provider server (`pulumi.automation`, `pulumi.provider`), which neither the program nor the
 * dynamic-provider host uses: together more than half of the SDK's load. Each is put in Node's
 * module cache as a stand-in that loads the real module on first use, so nothing changes for code
 * that does use it. The program (infra/main.js) and the dynamic-provider host
 * (infra/provider-host/start.js) both call this before they load the SDK.
 *
 * @returns {void}
 */
function deferUnusedSdkModules() {
  const sdk = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
  deferModule("@npmcli/arborist", path.join(sdk, "runtime", "closure", "codePaths.js"));
  deferModule("typescript", path.join(sdk, "typescript-shim.js"));
  deferModule("./automation", path.join(sdk, "index.js"));
  deferModule("./provider", path.join(sdk, "index.js"));
}

/**
 * Caches a stand-in for `request` as `from` resolves it, unless it is loaded already.
 *
 * @param {string} request
 * @param {string} from
 * @returns {void}
 */
function deferModule(request, from) {
  /** @type {string} */
  let resolved;
  try {
    resolved = Module.createRequire(from).resolve(request);
  } catch {
    return; // Not installed where the SDK looks for it: nothing to defer.
  }
  if (require.cache[resolved]) return;
  /** @type {Record<PropertyKey, unknown> | undefined} */
  let real;
  const load = () => {
    if (!real) {
      delete require.cache[resolved];
      real = require(resolved);
    }
    return /** @type {Record<PropertyKey, unknown>} */ (real);
  };
  const standIn = new Proxy(
    {},
    {
      // `__esModule`: TypeScript's `import * as` helper then uses the module as it is, instead of
      // copying its properties (which would load it at once).
      get: (_target, key) => (key === "__esModule" ? true : load()[key]),
      has: (_target, key) => key in load(),
      ownKeys: () => Reflect.ownKeys(load()),
      getOwnPropertyDescriptor: (_target, key) => {
        const descriptor = Reflect.getOwnPropertyDescriptor(load(), key);
        // A proxy may not report a property of its (empty) target as non-configurable.
        return descriptor && { ...descriptor, configurable: true };
      },
    },
  );
  const module = new Module(resolved);
  module.filename = resolved;
  module.loaded = true;
  module.exports = standIn;
  require.cache[resolved] = module;
}

module.exports = { deferUnusedSdkModules, startDynamicProvider };
