/**
 * The floor every preview and up is compared with: an empty TypeScript Pulumi program (one
 * `index.ts` that declares nothing) run the way Pulumi runs TypeScript, at its fastest: the
 * `nodejs` runtime with `typescript: true` and a tsconfig with `noCheck` (ts-node transpiling
 * only, no type check), with the project's tsconfig compiler options and node_modules, in the
 * same backend. What it costs is the CLI, the language host, Node, ts-node, TypeScript and
 * @pulumi/pulumi starting up: what any TypeScript program pays before it declares anything. (The
 * project's own program does not pay for ts-node and TypeScript: Pulumi.yaml runs infra/main.js,
 * which loads the TypeScript through the transpile cache.)
 */
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "yaml";

/** The tsconfig Pulumi's TypeScript runtime is pointed at: the root one, without type checking. */
const FLOOR_TSCONFIG = "tsconfig.floor.json";

/**
 * Writes the floor project into `<projectDir>/floor` (a copy of the project has its files and
 * node_modules there) and returns its directory.
 */
export function createFloorProject(projectDir: string): string {
  const dir = join(projectDir, "floor");
  mkdirSync(dir);
  writeFileSync(
    join(dir, "Pulumi.yaml"),
    stringify({
      name: "railway-stacks-floor",
      description: "An empty program: the floor the benchmark compares with.",
      runtime: {
        name: "nodejs",
        options: { typescript: true, tsconfig: FLOOR_TSCONFIG, packagemanager: "npm" },
      },
    }),
  );
  const packageJson = JSON.parse(readFileSync(join(projectDir, "package.json"), "utf8")) as Record<
    string,
    unknown
  >;
  const { exports: _exports, ...withoutExports } = packageJson;
  writeFileSync(
    join(dir, "package.json"),
    `${JSON.stringify({ ...withoutExports, name: "railway-stacks-floor", main: "index.ts", scripts: {} }, null, 2)}\n`,
  );
  const tsconfig = JSON.parse(readFileSync(join(projectDir, "tsconfig.json"), "utf8")) as {
    compilerOptions?: Record<string, unknown>;
  };
  // The same compiler options; only the file list differs, and no type check (`noCheck`, which
  // Pulumi's runtime turns into ts-node's transpile-only mode).
  writeFileSync(
    join(dir, "tsconfig.json"),
    `${JSON.stringify({ ...tsconfig, include: ["index.ts"] }, null, 2)}\n`,
  );
  writeFileSync(
    join(dir, FLOOR_TSCONFIG),
    `${JSON.stringify({ extends: "./tsconfig.json", compilerOptions: { noCheck: true } }, null, 2)}\n`,
  );
  writeFileSync(join(dir, "index.ts"), "// Declares nothing: the floor.\nexport {};\n");
  symlinkSync(join(projectDir, "node_modules"), join(dir, "node_modules"));
  return dir;
}
