/** The toolchain gives the pinned engine, plugins and Node, offline. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT } from "../helpers/program";
import { NODE_BIN, PULUMI_BIN, TOOLS, describeE2E, run } from "../helpers/pulumi-cli";

const pkg = (name: string) =>
  JSON.parse(readFileSync(join(REPO_ROOT, "node_modules", name, "package.json"), "utf8")) as {
    version: string;
    pulumi?: { version: string };
  };

describeE2E("toolchain", () => {
  const env = {
    PATH: `${NODE_BIN}:${PULUMI_BIN}:/usr/bin:/bin`,
    PULUMI_HOME: join(TOOLS, "pulumi-home"),
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
  };

  it("prints the Pulumi version @pulumi/pulumi is pinned to", async () => {
    const result = await run("pulumi", ["version"], { cwd: REPO_ROOT, env });
    expect(result.stdout.trim()).toBe(`v${pkg("@pulumi/pulumi").version}`);
    expect(pkg("@pulumi/pulumi").version).toBe("3.259.0");
  });

  it("has the provider plugins the npm packages ask for", async () => {
    const result = await run("pulumi", ["plugin", "ls", "--json"], { cwd: REPO_ROOT, env });
    const plugins = (JSON.parse(result.stdout) as { name: string; kind: string; version: string }[])
      .filter((plugin) => plugin.kind === "resource")
      .map((plugin) => `${plugin.name} ${plugin.version}`)
      .sort();
    expect(plugins).toEqual([
      `command ${pkg("@pulumi/command").pulumi!.version}`,
      `random ${pkg("@pulumi/random").pulumi!.version}`,
    ]);
    expect(plugins).toEqual(["command 1.2.1", "random 4.21.2"]);
  });

  it("runs Node 22 or later", async () => {
    const result = await run("node", ["-p", "process.versions.node"], { cwd: REPO_ROOT, env });
    expect(Number(result.stdout.trim().split(".")[0])).toBeGreaterThanOrEqual(22);
  });
});
