// @ts-check
"use strict";
/**
 * The entry point `pulumi` runs (package.json `exports["."].default`). Plain JavaScript, so
 * Pulumi's Node runtime runs it as it is (`typescript: false` in Pulumi.yaml): no ts-node, and no
 * TypeScript loaded to read a tsconfig, on any run. It installs the transpile cache
 * (infra/resources/transpile-cache.js), which turns the program's TypeScript into JavaScript once
 * per file version, then loads infra/index.ts through it; index.ts's exports are the stack outputs.
 */
const { resolve } = require("node:path");
const { installTranspileCache } = require("./resources/transpile-cache");

installTranspileCache(resolve(__dirname, ".."));
// `./index` is infra/index.ts: the cache registered the `.ts` extension with Node.
module.exports = require("./index");
