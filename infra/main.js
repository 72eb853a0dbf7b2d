// @ts-check
"use strict";
/**
 * The entry point `pulumi` runs (package.json `exports["."].default`). Plain JavaScript, so
 * Pulumi's Node runtime runs it as it is (`typescript: false` in Pulumi.yaml): no ts-node, and no
 * TypeScript loaded to read a tsconfig, on any run. It installs the transpile cache
 * (infra/resources/transpile-cache.js), which turns the program's TypeScript into JavaScript once
 * per file version, then loads infra/index.ts through it; index.ts's exports are the stack outputs.
 * Before that it has the engine start the dynamic-provider process and defers the parts of the
 * SDK the program does not use (infra/resources/program-start.js).
 */
const { resolve } = require("node:path");
const { installTranspileCache } = require("./resources/transpile-cache");
const { deferUnusedSdkModules, startDynamicProvider } = require("./resources/program-start");

// Pulumi calls an exported function and takes what it resolves to as the stack outputs.
module.exports = async () => {
  await startDynamicProvider();
  deferUnusedSdkModules();
  installTranspileCache(resolve(__dirname, ".."));
  // `./index` is infra/index.ts: the cache registered the `.ts` extension with Node.
  return require("./index");
};
