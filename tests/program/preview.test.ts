import {
  byName,
  inventory,
  runProgram,
  stackConfig,
  type DeclaredResource,
} from "../helpers/program";
import { STANDARD_INVENTORY, input, plainInputs, tierVariables } from "./expectations";

describe("preview stack under mocks", () => {
  let resources: DeclaredResource[];
  beforeAll(async () => {
    ({ resources } = await runProgram("preview", stackConfig("preview")));
  });

  it("declares exactly the reference app", () => {
    expect(inventory(resources)).toEqual(STANDARD_INVENTORY);
  });

  it("uses the preview tier: middleware on, JSON logs, 100 rpm", () => {
    expect(input(resources, "railway-broker-instance", "variables")).toMatchObject(
      tierVariables("preview", {
        rpm: 100,
        middleware: true,
        logFormat: "json",
        debug: false,
        cors: (input(resources, "railway-broker-instance", "variables") as Record<string, string>)
          .CORS_ORIGINS!,
      }),
    );
  });

  it("owns environment preview of the shared project agent-platform", () => {
    expect(input(resources, "railway-project", "name")).toBe("agent-platform");
    expect(input(resources, "railway-project", "shared")).toBe(true);
    expect(plainInputs(byName(resources, "railway-environment"))).toEqual({
      projectId: "railway-project-project-id",
      name: "preview",
      ephemeral: false,
      stack: "preview",
      tier: "preview",
    });
    expect(input(resources, "railway-postgres-volume", "name")).toBe("postgres-data-preview");
  });
});
