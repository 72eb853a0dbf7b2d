/**
 * The pack over what the program really declares (not hand-made fixtures): the production stack
 * as Pulumi.production.yaml declares it passes every policy.
 */
import { runProgram, stackConfig } from "../helpers/program";
import { entriesOf, runPack } from "./program-pack";
import type { StackEntry } from "./helpers";

jest.setTimeout(120_000);

let compliant: StackEntry[];

beforeAll(async () => {
  compliant = entriesOf(
    (
      await runProgram(
        "production",
        stackConfig("production", { "railway-stacks:openaiApiKey": "sk-test-production" }),
        ["railway-stacks:openaiApiKey"],
      )
    ).resources,
  );
});

it("passes the production stack the program declares from Pulumi.production.yaml", async () => {
  expect(compliant.length).toBeGreaterThan(10);
  expect(await runPack(compliant, "production")).toEqual({});
});
