/**
 * infra/resources/program-start.js in a real Node process (not jest's module system): with the
 * SDK's unused modules deferred, loading `@pulumi/pulumi` loads none of Arborist, TypeScript, the
 * Automation API and the provider server, and code that does use them gets the real modules on
 * first use. The provider text (provider-module.js), as the dynamic-provider host loads it,
 * yields a working provider object; so does the longer text that state written by release 0.1
 * still holds.
 */
import { execFileSync } from "node:child_process";
import { resolve } from "node:path";

const REPO_ROOT = resolve(__dirname, "..", "..");

/** Runs `script` in a fresh Node in the repo and returns what it printed as JSON. */
function run(script: string): Record<string, unknown> {
  const out = execFileSync(process.execPath, ["-e", script], { cwd: REPO_ROOT, encoding: "utf8" });
  return JSON.parse(out) as Record<string, unknown>;
}

test("deferred: @pulumi/pulumi loads without Arborist, TypeScript, the Automation API and the provider server, which load on first use", () => {
  const result = run(`
    // A module Node loaded has its lookup paths set; a stand-in has none.
    const realModules = (part) =>
      Object.entries(require.cache).filter(([file, m]) => file.includes(part) && Array.isArray(m.paths)).length;
    const { deferUnusedSdkModules } = require("./infra/resources/program-start");
    deferUnusedSdkModules();
    const pulumi = require("@pulumi/pulumi");
    const before = {
      arborist: realModules("/@npmcli/arborist/lib/"),
      typescript: realModules("/node_modules/typescript/lib/"),
      automation: realModules("/@pulumi/pulumi/automation/"),
      provider: realModules("/@pulumi/pulumi/provider/"),
    };
    const ts = require("@pulumi/pulumi/typescript-shim");
    const version = ts.version;
    const kind = ts.ScriptKind.TS;
    const { Arborist } = require("@npmcli/arborist");
    const localWorkspace = typeof pulumi.automation.LocalWorkspace.create;
    const providerMain = typeof pulumi.provider.main;
    console.log(JSON.stringify({
      before,
      version,
      realVersion: require("typescript/package.json").version,
      kind,
      arborist: typeof Arborist,
      keys: Object.keys(ts).includes("createSourceFile"),
      hasCustomResource: typeof pulumi.CustomResource,
      localWorkspace,
      providerMain,
    }));
  `);
  expect(result).toEqual({
    before: { arborist: 0, typescript: 0, automation: 0, provider: 0 },
    version: result["realVersion"],
    realVersion: result["realVersion"],
    kind: 3,
    arborist: "function",
    keys: true,
    hasCustomResource: "function",
    localWorkspace: "function",
    providerMain: "function",
  });
});

test("without the stand-ins, the same load brings all four (what the stand-ins save)", () => {
  const result = run(`
    require("@pulumi/pulumi");
    console.log(JSON.stringify({
      arborist: Object.keys(require.cache).some((f) => f.includes("/@npmcli/arborist/lib/")),
      typescript: Object.keys(require.cache).some((f) => f.includes("/node_modules/typescript/lib/")),
      automation: Object.keys(require.cache).some((f) => f.includes("/@pulumi/pulumi/automation/")),
      provider: Object.keys(require.cache).some((f) => f.includes("/@pulumi/pulumi/provider/")),
    }));
  `);
  expect(result).toEqual({ arborist: true, typescript: true, automation: true, provider: true });
});

test("the provider module text gives the provider object the dynamic-provider host calls", () => {
  const result = run(`
    const { providerModuleSource } = require("./infra/resources/provider-module");
    const source = providerModuleSource({ module: "providers/project", exportName: "projectProvider" });
    const provider = require("require-from-string")(source).handler();
    console.log(JSON.stringify({
      methods: Object.keys(provider).sort(),
      same: source === providerModuleSource({ module: "providers/project", exportName: "projectProvider" }),
      names: source.includes('"providers/project", "projectProvider"'),
    }));
  `);
  expect(result).toEqual({
    methods: ["check", "configure", "create", "delete", "diff", "read", "update"],
    same: true,
    names: true,
  });
});

/** Runs the real `check` of a service instance through a provider text, in a fresh Node. */
const checkThroughText = (textExpression: string) =>
  run(`
    const text = ${textExpression};
    const provider = require("require-from-string")(text).handler();
    provider
      .check({}, { projectId: "p-1", environmentId: "e-1", serviceId: "s-1" })
      .then((result) => console.log(JSON.stringify({ bytes: Buffer.byteLength(text), result })));
  `);

test("the provider text is short (it is in every resource's state and in each check and diff)", () => {
  const result = checkThroughText(
    `require("./infra/resources/provider-module").providerModuleSource({ module: "providers/service-instance", exportName: "serviceInstanceProvider" })`,
  );
  expect(result["bytes"]).toBeLessThan(1100);
  expect(result["result"]).toEqual({
    inputs: { projectId: "p-1", environmentId: "e-1", serviceId: "s-1" },
    failures: [{ property: "source", reason: "set exactly one of image or repo" }],
  });
});

test("the provider text in state written by release 0.1 (7 KB) still loads this package's provider", () => {
  // Existing stacks keep that text in their outputs until a resource is next updated; the host
  // uses it to read and delete them.
  const result = checkThroughText(
    `require("fs").readFileSync("tests/fixtures/state/provider-text-0.1.txt", "utf8")`,
  );
  expect(result["bytes"]).toBe(6853);
  expect(result["result"]).toEqual({
    inputs: { projectId: "p-1", environmentId: "e-1", serviceId: "s-1" },
    failures: [{ property: "source", reason: "set exactly one of image or repo" }],
  });
});
