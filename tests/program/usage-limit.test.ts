/**
 * Railway's usage limit through the program: the production stack file given
 * `budget.railwayUsageLimit` (and the workspace it needs) declares one UsageLimit resource under
 * the stack's component, with exactly the configured limit. The shipped stack files set none, and
 * so declare none (production.test.ts and the others compare their inventories exactly).
 */
import { readStackFile } from "../fixtures/config";
import {
  byName,
  inventory,
  runProgram,
  stackConfig,
  type DeclaredResource,
} from "../helpers/program";
import { STANDARD_INVENTORY, plainInputs } from "./expectations";

const WORKSPACE = "0b6f3f8e-4c1a-4d2b-9e5f-7a8b9c0d1e2f";

let resources: DeclaredResource[];

beforeAll(async () => {
  const app = readStackFile("production");
  app.project.workspaceId = WORKSPACE;
  app.budget = { ...app.budget, railwayUsageLimit: { softUsd: 800, hardUsd: 1200 } };
  ({ resources } = await runProgram(
    "production",
    stackConfig("production", {
      "railway-stacks:app": app,
      "railway-stacks:openaiApiKey": "sk-test-production",
    }),
    ["railway-stacks:openaiApiKey"],
  ));
});

it("declares one UsageLimit resource, with exactly the configured limit", () => {
  expect(inventory(resources)).toEqual(
    [...STANDARD_INVENTORY, "pulumi-nodejs:dynamic/railway:UsageLimit railway-usage-limit"].sort(),
  );
  const limit = byName(resources, "railway-usage-limit");
  expect(plainInputs(limit)).toEqual({
    workspaceId: WORKSPACE,
    softLimitUsd: 800,
    hardLimitUsd: 1200,
    stack: "production",
  });
  expect(limit.protect).toBe(false);
});

it("creates the project in the same workspace", () => {
  expect(plainInputs(byName(resources, "railway-project"))).toMatchObject({
    workspaceId: WORKSPACE,
  });
});
