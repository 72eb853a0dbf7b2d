/**
 * An app service with a volume, under mocks: production's ml service given a model cache volume
 * gets one replica, a Volume mounted before its first deployment, and protection for the service
 * and the volume (like the data services').
 */
import { readStackFile } from "../fixtures/config";
import { byName, runProgram, stackConfig, type DeclaredResource } from "../helpers/program";
import { input } from "./expectations";

let resources: DeclaredResource[];
let outputs: Record<string, unknown>;

beforeAll(async () => {
  const app = readStackFile("production");
  delete app.services.ml.replicas;
  app.services.ml.volume = { mountPath: "/models", size: "8GB", backups: ["WEEKLY"] };
  ({ resources, outputs } = await runProgram(
    "production",
    stackConfig("production", {
      "railway-stacks:app": app,
      "railway-stacks:openaiApiKey": "sk-test-production",
    }),
    ["railway-stacks:openaiApiKey"],
  ));
});

describe("an app service with a volume (production, under mocks)", () => {
  it("declares the volume on the service, mounted where asked", () => {
    expect(byName(resources, "railway-ml-volume")).toMatchObject({
      type: "pulumi-nodejs:dynamic/railway:Volume",
      protect: true,
      inputs: {
        projectId: "railway-project-project-id",
        // environmentId is the Environment's, which tests/helpers/program.ts's mocks leave unset.
        serviceId: "ml-service-id",
        // Layout shared: volume names are unique in the project, so each carries its environment.
        name: "ml-data-production",
        sharedProject: true,
        mountPath: "/models",
        sizeMB: 8192,
        backupSchedules: ["WEEKLY"],
      },
    });
  });

  it("runs one replica and protects the service that owns the volume", () => {
    expect(input(resources, "railway-ml-instance", "deploy")).toMatchObject({ numReplicas: 1 });
    expect(byName(resources, "railway-ml-service").protect).toBe(true);
    expect(byName(resources, "railway-backend-service").protect).toBe(false);
  });

  it("prices the volume: ml at 1 replica × $160 + 8 GB × $0.15", () => {
    // Production's $883.30 upper bound, less one ml replica ($160), plus $1.20 of volume.
    expect(outputs.monthlyCostUsd).toEqual({ lower: 184.5, upper: 724.5, budget: 1000 });
  });
});
