/**
 * Isolated layout (adopting into the shared layout: tests/e2e/environments.test.ts). A project made by hand in Railway is adopted (`project.adopt: true`) instead of duplicated: the
 * existing project and services keep their ids, only what is missing is created.
 */
import {
  createWorkspace,
  describeE2E,
  emulatorCounts,
  expectSuccess,
  railwayRequest,
  type Workspace,
} from "../helpers/pulumi-cli";
import { isolatedStackFileText } from "../helpers/stack-file";

jest.setTimeout(300_000);

describeE2E("adopting an existing Railway project", () => {
  let workspace: Workspace;
  beforeAll(async () => {
    workspace = await createWorkspace();
  });
  afterAll(() => workspace?.close());

  const railway = (query: string, variables: Record<string, unknown>) =>
    railwayRequest(workspace, query, variables);

  it("takes over the project and its services, creating only what is missing", async () => {
    const created = await railway(
      "mutation($i: ProjectCreateInput!) { projectCreate(input: $i) { id } }",
      {
        i: {
          name: "agent-platform-dev",
          defaultEnvironmentName: "dev",
          description: "made by hand",
        },
      },
    );
    const projectId = created.projectCreate.id as string;
    const existing: Record<string, string> = {};
    for (const name of ["postgres", "backend"]) {
      const service = await railway(
        "mutation($i: ServiceCreateInput!) { serviceCreate(input: $i) { id } }",
        {
          i: { projectId, name },
        },
      );
      existing[name] = service.serviceCreate.id;
    }

    workspace.stackFile("dev", isolatedStackFileText("dev"));
    await workspace.initStack("dev");
    expectSuccess(
      await workspace.pulumi(["config", "set", "--path", "app.project.adopt", "true", "-s", "dev"]),
    );
    const up = expectSuccess(
      await workspace.pulumi(["up", "--yes", "--skip-preview", "-s", "dev"]),
    );
    expect(up.output).toContain("+ 35 created");

    expect(emulatorCounts(workspace.emulator)).toEqual({
      projects: 1,
      services: 7,
      volumes: 3,
      serviceDomains: 3,
    });
    const data = workspace.emulator.state.data;
    expect(data.projects[projectId]!.description).toBe("Managed by railway-stacks (stack dev).");
    for (const [name, id] of Object.entries(existing)) {
      expect(data.services[id]?.name).toBe(name);
      expect(data.services[id]?.projectId).toBe(projectId);
    }
    expectSuccess(await workspace.pulumi(["preview", "--expect-no-changes", "-s", "dev"]));
  });
});
