/**
 * The worked example of docs/contributing.md through the program: `overlapSeconds` and
 * `drainingSeconds` set on one service of the dev stack file reach that service's
 * ServiceInstance deploy inputs, and no other service's.
 */
import { parse } from "yaml";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT, runProgram, stackConfig, type DeclaredResource } from "../helpers/program";
import { input } from "./expectations";

let resources: DeclaredResource[];

beforeAll(async () => {
  const file = parse(readFileSync(join(REPO_ROOT, "Pulumi.dev.yaml"), "utf8")) as {
    config: { "railway-stacks:app": { services: Record<string, Record<string, unknown>> } };
  };
  const app = file.config["railway-stacks:app"];
  app.services.backend = { ...app.services.backend, overlapSeconds: 45, drainingSeconds: 20 };
  ({ resources } = await runProgram("dev", stackConfig("dev", { "railway-stacks:app": app })));
});

it("passes the settings to the service's ServiceInstance deploy inputs", () => {
  expect(input(resources, "railway-backend-instance", "deploy")).toMatchObject({
    overlapSeconds: 45,
    drainingSeconds: 20,
  });
  const frontend = input(resources, "railway-frontend-instance", "deploy") as object;
  expect(frontend).not.toHaveProperty("overlapSeconds");
  expect(frontend).not.toHaveProperty("drainingSeconds");
});
