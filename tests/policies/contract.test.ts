/** The type tokens the policies match on are the ones the resources register. */
import * as fs from "fs";
import * as path from "path";
import { RandomPassword } from "@pulumi/random";
import { TYPE_TOKENS as INFRA_TOKENS } from "../../infra/domain/types";
import { DATASTORE_ROLES, RANDOM_PASSWORD_TYPE, TYPE_TOKENS } from "../../policies/lib/contract";
import { POLICIES_DIR } from "./helpers";

describe("policy contract", () => {
  it("matches Railway resources by the tokens in infra/domain/types.ts", () => {
    expect(TYPE_TOKENS).toBe(INFRA_TOKENS);
    expect(TYPE_TOKENS).toEqual({
      project: "pulumi-nodejs:dynamic/railway:Project",
      service: "pulumi-nodejs:dynamic/railway:Service",
      volume: "pulumi-nodejs:dynamic/railway:Volume",
      serviceInstance: "pulumi-nodejs:dynamic/railway:ServiceInstance",
      environment: "pulumi-nodejs:dynamic/railway:Environment",
      sharedVariables: "pulumi-nodejs:dynamic/railway:SharedVariables",
      usageLimit: "pulumi-nodejs:dynamic/railway:UsageLimit",
    });
  });

  it("matches RandomPassword by the token @pulumi/random registers", () => {
    expect(RANDOM_PASSWORD_TYPE).toBe(
      (RandomPassword as unknown as { __pulumiType: string }).__pulumiType,
    );
  });

  it("judges postgres, redis and nats as data services", () => {
    expect([...DATASTORE_ROLES]).toEqual(["postgres", "redis", "nats"]);
  });

  it("pins the pack's toolchain exactly and declares a version", () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(POLICIES_DIR, "package.json"), "utf8"));
    expect(pkg.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect({ ...pkg.dependencies, ...pkg.devDependencies }).toEqual({
      "@pulumi/policy": "1.21.0",
      "@pulumi/pulumi": "3.259.0",
      typescript: "6.0.3",
      "ts-node": "10.9.2",
      "@types/node": "24.19.2",
    });
  });
});
