/**
 * The isolated layout (`project.layout: isolated`), under mocks: a Railway project per stack, its
 * default environment (named after the tier) the stack's environment, no Environment resource;
 * production protects its project. (PR stacks: isolated-pr.test.ts; one program run per file, as
 * the program module loads once per test file.)
 */
import { readStackFile } from "../fixtures/config";
import {
  byName,
  inventory,
  runProgram,
  stackConfig,
  type DeclaredResource,
} from "../helpers/program";
import { ISOLATED_INVENTORY, environments, input, plainInputs } from "./expectations";

function isolatedApp(stack: string) {
  const app = readStackFile(stack);
  app.project.layout = "isolated";
  return app;
}

describe("isolated production stack under mocks", () => {
  let resources: DeclaredResource[];
  let outputs: Record<string, unknown>;
  beforeAll(async () => {
    ({ resources, outputs } = await runProgram(
      "production",
      stackConfig("production", {
        "railway-stacks:app": isolatedApp("production"),
        "railway-stacks:openaiApiKey": "sk-test-production",
      }),
      ["railway-stacks:openaiApiKey"],
    ));
  });

  it("declares the reference app without an Environment", () => {
    expect(inventory(resources)).toEqual(ISOLATED_INVENTORY);
    expect(environments(resources)).toEqual([]);
  });

  it("owns one project whose default environment is named after the tier", () => {
    expect(plainInputs(byName(resources, "railway-project"))).toEqual({
      name: "agent-platform",
      defaultEnvironmentName: "production",
      prDeploys: false,
      stack: "production",
      tier: "production",
    });
  });

  it("declares services, volumes and instances in the project's environment", () => {
    expect(byName(resources, "railway-postgres-service").inputs).not.toHaveProperty(
      "environmentId",
    );
    for (const service of ["postgres", "redis", "nats"]) {
      const volume = byName(resources, `railway-${service}-volume`);
      expect(volume.inputs).toMatchObject({
        projectId: "railway-project-project-id",
        environmentId: "railway-project-env-id",
        name: `${service}-data`,
      });
      expect(volume.inputs).not.toHaveProperty("sharedProject");
    }
    for (const service of ["broker", "backend", "ml", "frontend", "postgres", "redis", "nats"]) {
      const instance = `railway-${service}-instance`;
      expect(input(resources, instance, "environmentId")).toBe("railway-project-env-id");
      expect(byName(resources, instance).inputs).not.toHaveProperty("sharedProject");
    }
  });

  it("protects the project, the data services and their volumes, nothing else", () => {
    expect(
      resources
        .filter((resource) => resource.protect)
        .map((resource) => resource.name)
        .sort(),
    ).toEqual([
      "railway-nats-instance",
      "railway-nats-service",
      "railway-nats-volume",
      "railway-postgres-instance",
      "railway-postgres-service",
      "railway-postgres-volume",
      "railway-project",
      "railway-redis-instance",
      "railway-redis-service",
      "railway-redis-volume",
    ]);
  });

  it("exports the layout, the environment and the project's environment id", () => {
    expect(outputs).toMatchObject({
      tier: "production",
      projectName: "agent-platform",
      layout: "isolated",
      environmentName: "production",
      projectId: "railway-project-project-id",
      environmentId: "railway-project-env-id",
    });
  });
});
