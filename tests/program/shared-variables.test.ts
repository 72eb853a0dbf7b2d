/**
 * Shared variables through the program: the dev stack file given `sharedVariables:` declares one
 * SharedVariables resource for its environment (the shipped stack files have none, and so no such
 * resource: see STANDARD_INVENTORY), which a service reads as `${{shared.KEY}}`.
 */
import { readStackFile } from "../fixtures/config";
import {
  byName,
  inventory,
  runProgram,
  stackConfig,
  type DeclaredResource,
} from "../helpers/program";
import { STANDARD_INVENTORY, input } from "./expectations";

let resources: DeclaredResource[];

beforeAll(async () => {
  const app = readStackFile("dev");
  app.sharedVariables = { SUPPORT_EMAIL: "help@acme-agents.com" };
  app.services.backend.variables.SUPPORT_EMAIL = { ref: "shared.SUPPORT_EMAIL" };
  ({ resources } = await runProgram("dev", stackConfig("dev", { "railway-stacks:app": app })));
});

it("declares one SharedVariables resource for the stack's environment", () => {
  expect(inventory(resources)).toEqual(
    [
      ...STANDARD_INVENTORY,
      "pulumi-nodejs:dynamic/railway:SharedVariables railway-shared-variables",
    ].sort(),
  );
  expect(byName(resources, "railway-shared-variables").inputs).toMatchObject({
    projectId: "railway-project-project-id",
    variables: { SUPPORT_EMAIL: "help@acme-agents.com" },
    secretVariables: {},
    tier: "dev",
  });
});

it("gives the service a Railway reference to the shared variable", () => {
  expect(
    (input(resources, "railway-backend-instance", "variables") as Record<string, string>)
      .SUPPORT_EMAIL,
  ).toBe("${{shared.SUPPORT_EMAIL}}");
});
