/**
 * The reference program: `pulumi up -s dev|preview|production|pr-<n>` (loaded by infra/index.ts).
 * Config is validated (with every problem reported at once) before any resource is declared.
 */
import * as pulumi from "@pulumi/pulumi";
import { RailwayEnvironment } from "./components";
import { loadStackConfig } from "./config";
import { cents, estimateStackCost } from "./cost";

const config = loadStackConfig(new pulumi.Config(), pulumi.getStack());
const environment = new RailwayEnvironment("railway", { config });

export const tier = config.tier;
export const projectName = config.project.name;
export const layout = config.project.layout;
/** The Railway environment this stack owns (`railway environment <name>`). */
export const environmentName = config.project.environment;
export const projectId = environment.projectId;
export const environmentId = environment.environmentId;
export const serviceUrls = environment.serviceUrls;
export const healthUrls = environment.healthUrls;
/** Public `host:port` per app service with a TCP proxy (`tcpProxy: <port>`). */
export const tcpProxies = environment.tcpProxies;
/**
 * What the custom domains need at your DNS provider: `{ domain, type, name, value }` per record
 * (a CNAME to Railway and a verification TXT per domain). See README "Custom domains".
 */
export const dnsRecords = environment.dnsRecords;

/**
 * The stack's estimated Railway bill per month in US dollars (`npm run cost` shows the detail).
 * A stack output, so `pulumi preview` shows what a change does to it (`upper: 790 => 850`).
 */
const estimate = estimateStackCost(config);
export const monthlyCostUsd = {
  lower: cents(estimate.monthly.lower),
  upper: cents(estimate.monthly.upper),
  ...(estimate.budgetMonthlyUsd !== undefined ? { budget: estimate.budgetMonthlyUsd } : {}),
};
