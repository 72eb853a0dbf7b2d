import {
  byName,
  inventory,
  runProgram,
  stackConfig,
  type DeclaredResource,
} from "../helpers/program";
import {
  STANDARD_INVENTORY,
  environments,
  input,
  plainInputs,
  tierVariables,
} from "./expectations";

let resources: DeclaredResource[];
let outputs: Record<string, unknown>;

beforeAll(async () => {
  ({ resources, outputs } = await runProgram("dev", stackConfig("dev")));
});

describe("dev stack under mocks", () => {
  it("declares exactly the reference app", () => {
    expect(inventory(resources)).toEqual(STANDARD_INVENTORY);
  });

  it("uses the dev tier: no middleware, JSON logs, 1000 rpm, debug on", () => {
    expect(input(resources, "railway-backend-instance", "variables")).toMatchObject(
      tierVariables("dev", {
        rpm: 1000,
        middleware: false,
        logFormat: "json",
        debug: true,
        cors: "http://localhost:3000",
      }),
    );
  });

  it("lives in the shared project agent-platform, which it finds or creates but never owns", () => {
    expect(plainInputs(byName(resources, "railway-project"))).toEqual({
      name: "agent-platform",
      // A shared project's default environment is Railway's own, not this stack's.
      defaultEnvironmentName: "production",
      shared: true,
      prDeploys: false,
      stack: "dev",
      tier: "dev",
    });
  });

  it("declares exactly one Environment, dev, neither ephemeral nor forked", () => {
    expect(environments(resources).map((resource) => resource.name)).toEqual([
      "railway-environment",
    ]);
    expect(plainInputs(byName(resources, "railway-environment"))).toEqual({
      projectId: "railway-project-project-id",
      name: "dev",
      ephemeral: false,
      stack: "dev",
      tier: "dev",
    });
  });

  it("exports the layout and the environment it owns", () => {
    expect(outputs).toMatchObject({
      tier: "dev",
      projectName: "agent-platform",
      layout: "shared",
      environmentName: "dev",
      projectId: "railway-project-project-id",
    });
  });

  it("names volumes after the environment and marks volumes and instances as shared", () => {
    for (const service of ["postgres", "redis", "nats"]) {
      expect(input(resources, `railway-${service}-volume`, "name")).toBe(`${service}-data-dev`);
      expect(input(resources, `railway-${service}-volume`, "sharedProject")).toBe(true);
    }
    for (const service of ["broker", "backend", "ml", "frontend", "postgres", "redis", "nats"]) {
      expect(input(resources, `railway-${service}-instance`, "sharedProject")).toBe(true);
      expect(byName(resources, `railway-${service}-instance`).inputs).not.toHaveProperty(
        "adopting",
      );
    }
  });

  it("runs one small replica per service from the develop branch, without custom domains", () => {
    for (const service of ["broker", "backend", "ml", "frontend"]) {
      const deploy = input(resources, `railway-${service}-instance`, "deploy") as {
        numReplicas: number;
      };
      expect(deploy.numReplicas).toBe(1);
      expect(input(resources, `railway-${service}-instance`, "source")).toMatchObject({
        branch: "develop",
      });
      expect(
        (input(resources, `railway-${service}-instance`, "networking") as { customDomains: object })
          .customDomains,
      ).toEqual({});
    }
  });

  it("protects nothing outside production", () => {
    expect(
      resources.filter((resource) => resource.protect).map((resource) => resource.name),
    ).toEqual([]);
  });
});
