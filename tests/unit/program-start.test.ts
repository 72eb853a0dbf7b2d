/**
 * infra/resources/program-start.js in a real Node process (not jest's module system): with the
 * SDK's unused modules deferred, loading `@pulumi/pulumi` loads neither Arborist nor TypeScript,
 * and code that does use them gets the real modules on first use. The provider module's text
 * (provider-module.js), as the dynamic-provider host loads it, yields a working provider object.
 */
import { execFileSync } from "node:child_process";
import { resolve } from "node:path";

const REPO_ROOT = resolve(__dirname, "..", "..");

/** Runs `script` in a fresh Node in the repo and returns what it printed as JSON. */
function run(script: string): Record<string, unknown> {
  const out = execFileSync(process.execPath, ["-e", script], { cwd: REPO_ROOT, encoding: "utf8" });
  return JSON.parse(out) as Record<string, unknown>;
}

test("deferred: @pulumi/pulumi loads without Arborist and TypeScript, which load on first use", () => {
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
    };
    const ts = require("@pulumi/pulumi/typescript-shim");
    const version = ts.version;
    const kind = ts.ScriptKind.TS;
    const { Arborist } = require("@npmcli/arborist");
    console.log(JSON.stringify({
      before,
      version,
      realVersion: require("typescript/package.json").version,
      kind,
      arborist: typeof Arborist,
      keys: Object.keys(ts).includes("createSourceFile"),
      hasCustomResource: typeof pulumi.CustomResource,
    }));
  `);
  expect(result).toEqual({
    before: { arborist: 0, typescript: 0 },
    version: result["realVersion"],
    realVersion: result["realVersion"],
    kind: 3,
    arborist: "function",
    keys: true,
    hasCustomResource: "function",
  });
});

test("without the stand-ins, the same load brings both (what the stand-ins save)", () => {
  const result = run(`
    require("@pulumi/pulumi");
    console.log(JSON.stringify({
      arborist: Object.keys(require.cache).some((f) => f.includes("/@npmcli/arborist/lib/")),
      typescript: Object.keys(require.cache).some((f) => f.includes("/node_modules/typescript/lib/")),
    }));
  `);
  expect(result).toEqual({ arborist: true, typescript: true });
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
