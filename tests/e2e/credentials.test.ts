/**
 * The token can live in the stack as a secret (`railwayToken`), read by the dynamic provider's
 * `configure`; with no token anywhere, `pulumi up` stops before any API call and says what to do.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { MissingCredentialsError } from "../../infra/railway/credentials";
import {
  createWorkspace,
  describeE2E,
  emulatorCounts,
  expectSuccess,
  type Workspace,
} from "../helpers/pulumi-cli";

jest.setTimeout(300_000);

describeE2E("Railway credentials through the real CLI", () => {
  let workspace: Workspace;
  beforeAll(async () => {
    // No token in the environment: only the stack config can provide one.
    workspace = await createWorkspace({ env: { RAILWAY_API_TOKEN: "" } });
    workspace.stackFile("dev");
    await workspace.initStack("dev");
  });
  afterAll(() => workspace?.close());

  it("without any token, fails before calling Railway and says how to set one", async () => {
    const result = await workspace.pulumi(["up", "--yes", "--skip-preview", "-s", "dev"]);
    expect(result.code).not.toBe(0);
    expect(result.output).toContain(new MissingCredentialsError().message);
    expect(workspace.emulator.counters().requests).toBe(0);
  });

  it("with the token as a secret stack config key, deploys, and keeps it out of state", async () => {
    expectSuccess(
      await workspace.pulumi([
        "config",
        "set",
        "--secret",
        "railwayToken",
        workspace.emulator.token,
        "-s",
        "dev",
      ]),
    );
    expectSuccess(await workspace.pulumi(["up", "--yes", "--skip-preview", "-s", "dev"]));
    expect(emulatorCounts(workspace.emulator).projects).toBe(1);
    const stackFile = readFileSync(join(workspace.dir, "Pulumi.dev.yaml"), "utf8");
    expect(stackFile).toContain("railway-stacks:railwayToken:\n    secure: ");
    const stateDir = join(workspace.dir, ".pulumi-state", ".pulumi", "stacks", "railway-stacks");
    for (const file of readdirSync(stateDir)) {
      expect(readFileSync(join(stateDir, file), "utf8")).not.toContain(workspace.emulator.token);
    }
    expect(stackFile).not.toContain(workspace.emulator.token);
  });
});
