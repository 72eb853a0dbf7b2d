import {
  byName,
  inventory,
  runProgram,
  stackConfig,
  type DeclaredResource,
} from "../helpers/program";
import { GIB, STANDARD_INVENTORY, input, plainInputs } from "./expectations";

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

  it("declares the same app in the preview stack's shared project", () => {
    expect(inventory(resources)).toEqual(STANDARD_INVENTORY);
    expect(input(resources, "railway-project", "name")).toBe("agent-platform");
    expect(input(resources, "railway-project", "shared")).toBe(true);
    expect(input(resources, "railway-project", "stack")).toBe("pr-7");
    expect(input(resources, "railway-project", "tier")).toBe("preview");
    expect(byName(resources, "railway-project").inputs).not.toHaveProperty("adoptExisting");
  });

  it("owns environment pr-7, an ephemeral fork of the preview environment", () => {
    expect(plainInputs(byName(resources, "railway-environment"))).toEqual({
      projectId: "railway-project-project-id",
      name: "pr-7",
      ephemeral: true,
      sourceEnvironmentName: "preview",
      stack: "pr-7",
      tier: "preview",
    });
  });

  it("names its volumes after environment pr-7", () => {
    for (const service of ["postgres", "redis", "nats"]) {
      expect(input(resources, `railway-${service}-volume`, "name")).toBe(`${service}-data-pr-7`);
      expect(input(resources, `railway-${service}-volume`, "sharedProject")).toBe(true);
    }
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
