/**
 * infra/resources/transpile-cache.js in a real Node process (not jest's module system): a project
 * file is transpiled once and then loaded from the cache without loading TypeScript; a changed
 * file is transpiled again; what it loads behaves as the source says.
 */
import { execFileSync } from "node:child_process";
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const REPO_ROOT = resolve(__dirname, "..", "..");
let project: string;
let loader: string;

beforeAll(() => {
  project = mkdtempSync(join(tmpdir(), "railway-stacks-transpile-cache-"));
  // Its own node_modules (so its own cache), with the repo's TypeScript.
  mkdirSync(join(project, "node_modules"));
  symlinkSync(
    join(REPO_ROOT, "node_modules", "typescript"),
    join(project, "node_modules", "typescript"),
  );
  writeFileSync(join(project, "tsconfig.json"), readFileSync(join(REPO_ROOT, "tsconfig.json")));
  writeFileSync(join(project, "package.json"), '{ "name": "cache-test", "private": true }\n');
  // The loader itself, as infra/main.js and the dynamic-provider host load it.
  loader = join(REPO_ROOT, "infra/resources/transpile-cache.js");
});

afterAll(() => rmSync(project, { recursive: true, force: true }));

/** Runs a fresh Node that installs the cache and requires `<project>/greet` (a .ts file). */
function load(): { greeting: string; typescriptLoaded: boolean } {
  const script = `
    require(${JSON.stringify(loader)}).installTranspileCache(${JSON.stringify(project)});
    const { greet } = require(${JSON.stringify(join(project, "greet"))});
    const typescriptLoaded = Object.keys(require.cache).some((file) => file.includes("/node_modules/typescript/"));
    process.stdout.write(JSON.stringify({ greeting: greet("Railway"), typescriptLoaded }));
  `;
  return JSON.parse(
    execFileSync(process.execPath, ["-e", script], { cwd: project, encoding: "utf8" }),
  );
}

const cacheDir = (): string => join(project, "node_modules", ".cache", "railway-stacks", "ts");
const cached = (): string[] => readdirSync(cacheDir()).sort();

test("first load transpiles (TypeScript loaded) and caches; the next one loads TypeScript not at all", () => {
  writeFileSync(
    join(project, "greet.ts"),
    `enum Tone { Plain = "Hello" }\nexport const greet = (name: string): string => \`\${Tone.Plain}, \${name}\`;\n`,
  );
  expect(load()).toEqual({ greeting: "Hello, Railway", typescriptLoaded: true });
  const first = cached();
  expect(first).toHaveLength(1);
  expect(readFileSync(join(cacheDir(), first[0]!), "utf8")).toContain('Tone["Plain"] = "Hello"');
  expect(load()).toEqual({ greeting: "Hello, Railway", typescriptLoaded: false });
  expect(cached()).toEqual(first);
});

test("a changed file is transpiled again and runs as changed", () => {
  writeFileSync(
    join(project, "greet.ts"),
    `export const greet = (name: string): string => \`Hi, \${name}\`;\n`,
  );
  expect(load()).toEqual({ greeting: "Hi, Railway", typescriptLoaded: true });
  expect(cached()).toHaveLength(2);
  expect(load()).toEqual({ greeting: "Hi, Railway", typescriptLoaded: false });
  expect(cached()).toHaveLength(2);
});
