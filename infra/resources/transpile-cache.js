// @ts-check
"use strict";
/**
 * Loads the project's TypeScript without paying for TypeScript on every `pulumi` run.
 *
 * Each `.ts` file of the project is transpiled once, with TypeScript's `transpileModule` (the
 * per-file, type-check-free transform that ts-node's transpile-only mode also uses), and the
 * JavaScript is kept in `node_modules/.cache/railway-stacks/ts`, keyed by the file's content,
 * tsconfig.json and TypeScript's version; a changed file is transpiled again on its next
 * load. TypeScript itself is loaded only on a miss, so the dynamic-provider process, which would
 * otherwise load all of TypeScript to run a no-op diff, mostly never does. Node's compile cache
 * is turned on too (`node_modules/.cache/railway-stacks/v8`), so V8 does not parse the same
 * JavaScript (the SDK, zod, TypeScript) again on every run. Type checking is `npm run typecheck`.
 *
 * Node's built-in modules only: the provider text in state written by earlier releases carries a
 * copy of `installTranspileCache` (as it was then), run in the dynamic-provider process.
 *
 * JavaScript (checked by `tsc` through `checkJs`), not TypeScript: the program's entry
 * (infra/main.js) loads it before anything can load TypeScript, so `pulumi` runs the program
 * without ts-node and, once the cache is warm, without TypeScript at all.
 *
 * @param {string} root the project's root (where package.json and tsconfig.json are)
 * @returns {void}
 */
function installTranspileCache(root) {
  /** @type {typeof import("module") & { _extensions: Record<string, (module: NodeJS.Module, filename: string) => void> }} */
  const nodeModule = /** @type {any} */ (require("module"));
  const fs = require("fs");
  const path = require("path");
  const crypto = require("crypto");
  const installed = Symbol.for("railway-stacks.transpile-cache");
  const registry = /** @type {Record<symbol, string | undefined>} */ (
    /** @type {unknown} */ (globalThis)
  );
  if (registry[installed] === root) return;
  registry[installed] = root;

  enableNodeCompileCache(root);
  const cacheDir = path.join(cacheRootOf(root), "ts");
  const projectRequire = nodeModule.createRequire(path.join(root, "package.json"));
  /** @param {string} file @returns {string} */
  const read = (file) => {
    try {
      return fs.readFileSync(file, "utf8");
    } catch {
      return "";
    }
  };
  // What the output depends on besides the file: the compiler options and the compiler.
  const salt = `${read(path.join(root, "tsconfig.json"))}\n${read(path.join(root, "node_modules", "typescript", "package.json"))}`;

  /** @type {((source: string, filename: string) => string) | undefined} */
  let compile;
  /** @returns {(source: string, filename: string) => string} */
  const transpiler = () => {
    if (compile) return compile;
    /** @type {typeof import("typescript")} */
    const ts = projectRequire("typescript");
    const configFile = path.join(root, "tsconfig.json");
    const parsed = ts.parseJsonConfigFileContent(
      ts.readConfigFile(configFile, ts.sys.readFile).config,
      ts.sys,
      root,
    );
    /** @type {import("typescript").CompilerOptions} */
    const compilerOptions = {
      ...parsed.options,
      // The package is CommonJS (no "type": "module"): node16 emits CommonJS for it, and so
      // does this, without the package.json lookup transpileModule cannot do.
      module: ts.ModuleKind.CommonJS,
      moduleResolution: ts.ModuleResolutionKind.Node10,
      // Stack traces point at the transpiled lines (TypeScript keeps them close to the source's).
      sourceMap: false,
      inlineSourceMap: false,
      declaration: false,
      noEmit: false,
    };
    compile = (source, filename) =>
      ts.transpileModule(source, { compilerOptions, fileName: filename }).outputText;
    return compile;
  };

  const previous = nodeModule._extensions[".ts"];
  nodeModule._extensions[".ts"] = (module, filename) => {
    const inProject =
      filename.startsWith(root + path.sep) &&
      !filename.includes(`${path.sep}node_modules${path.sep}`);
    if (!inProject && previous) {
      previous(module, filename);
      return;
    }
    const source = fs.readFileSync(filename, "utf8");
    // CommonJS output depends on the source and the options only, not on where the file is:
    // copies of the project (scratch workspaces, PR checkouts) share the entries.
    const key = crypto.createHash("sha256").update(salt).update("\0").update(source).digest("hex");
    const cached = path.join(cacheDir, `${key}.js`);
    let output = read(cached);
    if (!output) {
      output = transpiler()(source, filename);
      try {
        // Written whole, then renamed: concurrent runs never read half a file.
        fs.mkdirSync(cacheDir, { recursive: true });
        const partial = `${cached}.${process.pid}.tmp`;
        fs.writeFileSync(partial, output);
        fs.renameSync(partial, cached);
      } catch {
        // A read-only checkout still runs, transpiling each time.
      }
    }
    /** @type {NodeJS.Module & { _compile(code: string, filename: string): void }} */ (
      module
    )._compile(output, filename);
  };
}

/**
 * Where this project's caches live: `<root>/node_modules/.cache/railway-stacks`.
 * @param {string} root the project's root
 * @returns {string}
 */
function cacheRootOf(root) {
  return require("path").join(root, "node_modules", ".cache", "railway-stacks");
}

/**
 * Turns on Node's compile cache (`<cache root>/v8`), so V8 does not parse the same JavaScript
 * again on every run; the program and the dynamic-provider host (infra/provider-host) share it.
 * @param {string} root the project's root
 * @returns {void}
 */
function enableNodeCompileCache(root) {
  require("module").enableCompileCache?.(require("path").join(cacheRootOf(root), "v8"));
}

module.exports = { enableNodeCompileCache, installTranspileCache };
