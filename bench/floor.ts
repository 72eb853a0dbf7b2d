/**
 * The floor every preview and up is compared with: an empty TypeScript Pulumi program (one
 * `index.ts` that declares nothing) with the project's own runtime options (`Pulumi.yaml`'s
 * `runtime`), tsconfig files and node_modules, in the same backend. What it costs is the CLI, the
 * language host, Node, ts-node and @pulumi/pulumi starting up: the least any program can take.
 */
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse, stringify } from "yaml";

/** The tsconfig files `pulumi` reads: the root one and the one `runtime.options.tsconfig` names. */
function tsconfigFiles(runtime: unknown): string[] {
  const options = (runtime as { options?: { tsconfig?: unknown } } | undefined)?.options;
  const named = typeof options?.tsconfig === "string" ? options.tsconfig : undefined;
  return ["tsconfig.json", ...(named && named !== "tsconfig.json" ? [named] : [])];
}

/**
 * Writes the floor project into `<projectDir>/floor` (a copy of the project has its files and
 * node_modules there) and returns its directory.
 */
export function createFloorProject(projectDir: string): string {
  const dir = join(projectDir, "floor");
  mkdirSync(dir);
  const project = parse(readFileSync(join(projectDir, "Pulumi.yaml"), "utf8")) as {
    runtime: unknown;
  };
  writeFileSync(
    join(dir, "Pulumi.yaml"),
    stringify({
      name: "railway-stacks-floor",
      description: "An empty program: the floor the benchmark compares with.",
      runtime: project.runtime,
    }),
  );
  const packageJson = JSON.parse(readFileSync(join(projectDir, "package.json"), "utf8")) as Record<
    string,
    unknown
  >;
  writeFileSync(
    join(dir, "package.json"),
    `${JSON.stringify({ ...packageJson, name: "railway-stacks-floor", main: "index.ts", scripts: {} }, null, 2)}\n`,
  );
  for (const file of tsconfigFiles(project.runtime)) {
    const tsconfig = JSON.parse(readFileSync(join(projectDir, file), "utf8")) as Record<
      string,
      unknown
    >;
    // The same compiler options; only the file list differs.
    if (tsconfig.include) tsconfig.include = ["index.ts"];
    writeFileSync(join(dir, file), `${JSON.stringify(tsconfig, null, 2)}\n`);
  }
  writeFileSync(join(dir, "index.ts"), "// Declares nothing: the floor.\nexport {};\n");
  symlinkSync(join(projectDir, "node_modules"), join(dir, "node_modules"));
  return dir;
}
