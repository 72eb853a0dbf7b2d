// @ts-check
"use strict";
/**
 * The entry of this project's dynamic-provider host (Pulumi.yaml `plugins.providers`, name
 * `pulumi-nodejs`): Pulumi's own host, `@pulumi/pulumi/cmd/dynamic-provider`, started the way
 * infra/main.js starts the program. Every railway-stacks resource is checked, diffed and applied
 * in this process, and the engine waits for it to start before the first one, so its start is on
 * the critical path of every `pulumi preview` and `up` (bench/README.md, "Program speed").
 *
 * - The SDK modules the host never uses (npm's Arborist, TypeScript, the Automation API, the
 *   provider server) are deferred to their first use (infra/resources/program-start.js): they
 *   were most of its start.
 * - Node's compile cache, in the same place as the program's, skips re-parsing the SDK. The engine
 *   kills the host instead of letting it exit, so the cache is written once the host has loaded.
 * - Node is started once: Pulumi's launcher runs a first Node only to find the SDK.
 *
 * In a repo that uses the packed library, the same host is
 * `node_modules/railway-stacks/dist/infra/provider-host` (README, "Using the library from another
 * repository").
 */
const nodeModule = require("node:module");
const path = require("node:path");
const { enableNodeCompileCache } = require("../resources/transpile-cache");
const { deferUnusedSdkModules } = require("../resources/program-start");

// The project whose node_modules hold the SDK: <root>/node_modules/@pulumi/pulumi/package.json.
const projectRoot = path.resolve(require.resolve("@pulumi/pulumi/package.json"), "../../../..");
enableNodeCompileCache(projectRoot);
deferUnusedSdkModules();
require("@pulumi/pulumi/cmd/dynamic-provider");
nodeModule.flushCompileCache?.();
