/**
 * A PR stack of the isolated layout (`project.layout: isolated` in the preview config), under
 * mocks: a project of its own, `<name>-pr-<n>`, whose default environment is the tier's.
 */
import { readStackFile } from "../fixtures/config";
import {
  byName,
  inventory,
  runProgram,
  stackConfig,
  type DeclaredResource,
} from "../helpers/program";
import { ISOLATED_INVENTORY, input, plainInputs } from "./expectations";

describe("isolated PR stack pr-7 under mocks", () => {
  let resources: DeclaredResource[];
  beforeAll(async () => {
    const app = readStackFile("preview");
    app.project.layout = "isolated";
    ({ resources } = await runProgram(
      "pr-7",
      stackConfig("preview", {
        "railway-stacks:app": app,
        "railway-stacks:prBranch": "feature/search",
      }),
    ));
  });

  it("declares the same app in a project of its own, <name>-pr-<n>", () => {
    expect(inventory(resources)).toEqual(ISOLATED_INVENTORY);
    expect(plainInputs(byName(resources, "railway-project"))).toEqual({
      name: "agent-platform-pr-7",
      defaultEnvironmentName: "preview",
      prDeploys: false,
      stack: "pr-7",
      tier: "preview",
    });
    expect(input(resources, "railway-postgres-volume", "name")).toBe("postgres-data");
  });

  it("protects nothing", () => {
    expect(resources.filter((resource) => resource.protect)).toEqual([]);
  });
});
