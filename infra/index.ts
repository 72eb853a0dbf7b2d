/**
 * The reference program: `pulumi up -s dev|preview|production|pr-<n>`.
 * Config is validated (with every problem reported at once) before any resource is declared.
 */
import * as pulumi from "@pulumi/pulumi";
import { RailwayEnvironment } from "./components";
import { loadStackConfig } from "./config";

const config = loadStackConfig(new pulumi.Config(), pulumi.getStack());
const environment = new RailwayEnvironment("railway", { config });

export const tier = config.tier;
export const projectName = config.project.name;
export const projectId = environment.projectId;
export const environmentId = environment.environmentId;
export const serviceUrls = environment.serviceUrls;
export const healthUrls = environment.healthUrls;
