/**
 * The pack over what the program really declares (not hand-made fixtures): Pulumi.production.yaml
 * with the mistakes a team makes in a hurry (a public database, debug on, a sleeping service)
 * fails exactly the policies that guard those settings, as mandatory.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { REPO_ROOT, runProgram, stackConfig } from "../helpers/program";
import { entriesOf, runPack } from "./program-pack";
import type { StackEntry } from "./helpers";

jest.setTimeout(120_000);

/** Pulumi.production.yaml's stack object with the careless changes. */
function carelessProduction(): Record<string, unknown> {
  const file = parse(readFileSync(join(REPO_ROOT, "Pulumi.production.yaml"), "utf8")) as {
    config: { "railway-stacks:app": Record<string, any> };
  };
  const app = file.config["railway-stacks:app"];
  app.postgres = { ...app.postgres, publicProxy: true };
  app.app = { ...app.app, debug: true };
  const [first] = Object.keys(app.services);
  app.services[first!] = { ...app.services[first!], sleep: true };
  return app;
}

let careless: StackEntry[];

beforeAll(async () => {
  careless = entriesOf(
    (
      await runProgram(
        "production",
        stackConfig("production", {
          "railway-stacks:app": carelessProduction(),
          "railway-stacks:openaiApiKey": "sk-test-production",
        }),
        ["railway-stacks:openaiApiKey"],
      )
    ).resources,
  );
});

it("fails the careless production stack exactly on the rules it breaks, as mandatory", async () => {
  const found = await runPack(careless, "production");
  expect(
    Object.fromEntries(
      Object.entries(found).map(([name, violations]) => [
        name,
        [...new Set(violations.map((violation) => violation.level))],
      ]),
    ),
  ).toEqual({
    "railway-app-disallow-debug-mode": ["mandatory"],
    "railway-datastore-disallow-public-networking": ["mandatory"],
    "railway-service-disallow-sleep": ["mandatory"],
  });
});
