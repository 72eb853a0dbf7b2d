/**
 * Against the real Railway API: runs only when RAILWAY_API_TOKEN is set (and no emulator endpoint
 * is configured); otherwise it is skipped, loudly. It creates a throwaway project in the token's
 * workspace (RAILWAY_WORKSPACE_ID, if set), reads it back, adds a service, and deletes it all.
 */
import { randomBytes } from "node:crypto";
import { projectProvider } from "../../infra/providers/project";
import { serviceProvider } from "../../infra/providers/service";
import { RailwayApi } from "../../infra/railway/api";

const endpoint = process.env.RAILWAY_GRAPHQL_ENDPOINT ?? "";
const live = Boolean(process.env.RAILWAY_API_TOKEN) && !/127\.0\.0\.1|localhost/.test(endpoint);

if (!live) {
  console.warn(
    "SKIPPED live Railway tests: RAILWAY_API_TOKEN is not set (or points at an emulator). " +
      "Set it to an account or workspace token to run tests/live against Railway.",
  );
}

(live ? describe : describe.skip)("live Railway API", () => {
  jest.setTimeout(120_000);
  const name = `railway-stacks-live-${randomBytes(3).toString("hex")}`;
  let projectId = "";

  afterAll(async () => {
    if (projectId) await RailwayApi.fromEnvironment().deleteProject(projectId);
  });

  it("creates, reads and deletes a project and a service", async () => {
    const inputs = {
      name,
      workspaceId: process.env.RAILWAY_WORKSPACE_ID,
      defaultEnvironmentName: "dev",
      prDeploys: false,
      stack: "live-test",
      tier: "dev" as const,
    };
    const created = await projectProvider.create(inputs);
    projectId = created.id;
    const read = await projectProvider.read!(created.id, created.outs);
    expect(read.id).toBe(created.id);
    expect(read.props?.name).toBe(name);

    const service = await serviceProvider.create({ projectId, name: "web", role: "app" });
    expect((await serviceProvider.read!(service.id, service.outs)).props?.name).toBe("web");

    await projectProvider.delete!(projectId, created.outs!);
    expect((await projectProvider.read!(created.id, created.outs)).id).toBe("");
    projectId = "";
  });
});
