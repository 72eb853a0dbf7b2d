/**
 * package.json serves two readers. Pulumi's Node runner takes a program's entry point from
 * `exports["."]` (its `default`, else `require`, else `import`) before `main`
 * (@pulumi/pulumi/cmd/run/run.js), so `default` must be the reference program: were it the
 * library, a checkout with a built `dist/` would run a program that declares nothing, and
 * `pulumi up` would delete every resource of the stack. Node's `require`/`import` of the packed
 * package must get the library.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT } from "../helpers/stack-file";

const pkg = JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as {
  main: string;
  exports: Record<string, Record<string, string>>;
};

describe("package.json entry points", () => {
  it("gives Pulumi's runner the reference program", () => {
    const entry = pkg.exports["."]!;
    expect(entry.default ?? entry.require ?? entry.import).toBe("./infra/main.js");
    expect(pkg.main).toBe("infra/main.js");
  });

  it("gives Node's require and import the compiled library, ahead of default", () => {
    expect(Object.keys(pkg.exports["."]!)).toEqual(["types", "require", "import", "default"]);
    expect(pkg.exports["."]!.require).toBe("./dist/infra/library.js");
    expect(pkg.exports["."]!.import).toBe("./dist/infra/library.js");
  });
});
