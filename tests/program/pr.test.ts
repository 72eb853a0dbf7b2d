import { inventory, runProgram, stackConfig, type DeclaredResource } from "../helpers/program";
import { GIB, STANDARD_INVENTORY, input } from "./expectations";

const APP_SERVICES = ["broker", "backend", "ml", "frontend"];

/**
 * A PR stack: the preview config with PR overrides, as `npm run pr -- up 7 --branch feature/search`
 * creates it (`--copy-config-from preview` plus prBranch).
 */
describe("PR stack pr-7 under mocks", () => {
  let resources: DeclaredResource[];
  beforeAll(async () => {
    ({ resources } = await runProgram(
      "pr-7",
      stackConfig("preview", { "railway-stacks:prBranch": "feature/search" }),
    ));
  });

  it("declares the same app in a project of its own", () => {
    expect(inventory(resources)).toEqual(STANDARD_INVENTORY);
    expect(input(resources, "railway-project", "name")).toBe("agent-platform-preview-pr-7");
    expect(input(resources, "railway-project", "stack")).toBe("pr-7");
    expect(input(resources, "railway-project", "tier")).toBe("preview");
  });

  it("deploys the PR branch on one capped replica, without custom domains", () => {
    for (const service of APP_SERVICES) {
      const name = `railway-${service}-instance`;
      expect(input(resources, name, "source")).toMatchObject({ branch: "feature/search" });
      const deploy = input(resources, name, "deploy") as {
        numReplicas: number;
        cpu: number;
        memoryBytes: number;
      };
      expect(deploy.numReplicas).toBe(1);
      expect(deploy.cpu).toBeLessThanOrEqual(1);
      expect(deploy.memoryBytes).toBeLessThanOrEqual(GIB);
      expect(
        (input(resources, name, "networking") as { customDomains: object }).customDomains,
      ).toEqual({});
    }
  });

  it("keeps preview tier settings and protects nothing", () => {
    expect(
      (input(resources, "railway-backend-instance", "variables") as Record<string, string>)
        .RATE_LIMIT_RPM,
    ).toBe("100");
    expect(resources.filter((resource) => resource.protect)).toEqual([]);
  });
});
