/**
 * The program's TypeScript entry, loaded by infra/main.js (what `pulumi` runs) through the
 * transpile cache, which transpiles each file once instead of on every `pulumi` run
 * (bench/README.md). It loads the program (infra/program.ts); its exports are the stack outputs.
 */
import { resolve } from "node:path";
import { installTranspileCache } from "./resources/transpile-cache";

// (Under jest, tests/helpers/program.ts, the test runner loads the files and this is unused.)
installTranspileCache(resolve(__dirname, ".."));
// The SDK captures a stack trace for every resource and most of its promises (two or more per
// resource); source-map-support (installed by the runtime and ts-node) then maps each frame, a
// sixth of a no-op preview. The cached files carry no source maps to map anyway: V8's own
// formatting names the same .ts files, with the transpiled line numbers (near the source's).
(Error as { prepareStackTrace?: unknown }).prepareStackTrace = undefined;

// eslint-disable-next-line @typescript-eslint/no-require-imports -- must load after the cache is installed
const program = require("./program") as typeof import("./program");

export const tier = program.tier;
export const projectName = program.projectName;
export const layout = program.layout;
export const environmentName = program.environmentName;
export const projectId = program.projectId;
export const environmentId = program.environmentId;
export const serviceUrls = program.serviceUrls;
export const healthUrls = program.healthUrls;
export const tcpProxies = program.tcpProxies;
export const dnsRecords = program.dnsRecords;
export const monthlyCostUsd = program.monthlyCostUsd;
