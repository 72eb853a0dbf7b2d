import { inventory, runProgram, stackConfig, type DeclaredResource } from "../helpers/program";
import { STANDARD_INVENTORY, input, tierVariables } from "./expectations";

let resources: DeclaredResource[];

beforeAll(async () => {
  ({ resources } = await runProgram("dev", stackConfig("dev")));
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
    expect(input(resources, "railway-project", "defaultEnvironmentName")).toBe("dev");
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
