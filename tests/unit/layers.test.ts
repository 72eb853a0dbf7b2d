/**
 * Imports only point down: domain ← config (← cost) ← railway ← providers ← resources ←
 * components ← program. A module may import from its own layer or a lower one; the table below is the one
 * place that says which directory is which layer.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { REPO_ROOT } from "../helpers/program";

const INFRA = join(REPO_ROOT, "infra");

/** Lowest first. `gate` is a standalone script: it imports no other layer. */
const LAYERS = [
  "domain",
  "config",
  // The cost estimate reads the resolved config; only scripts use it.
  "cost",
  "railway",
  "providers",
  "resources",
  "components",
  "gate",
  "program",
] as const;

function layerOf(file: string): (typeof LAYERS)[number] {
  const top = relative(INFRA, file).split("/")[0]!.replace(/\.ts$/, "");
  if (top === "index" || top === "library") return "program";
  const layer = LAYERS.find((name) => name === top);
  if (!layer) throw new Error(`${relative(REPO_ROOT, file)} is in no layer: add it to LAYERS`);
  return layer;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith(".ts") ? [path] : [];
  });
}

/** Every relative import (static, dynamic, `export … from`, `import type`) of a file. */
function relativeImports(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const found = [...text.matchAll(/(?:from|import\()\s*"(\.{1,2}\/[^"]+)"/g)].map((m) => m[1]!);
  return found.map((specifier) => resolve(dirname(file), specifier));
}

describe("layers", () => {
  const files = sourceFiles(INFRA);

  it("finds the modules of every layer", () => {
    const layers = new Set(files.map(layerOf));
    expect([...layers].sort()).toEqual([...LAYERS].sort());
  });

  it("has no import that points up", () => {
    const upward: string[] = [];
    for (const file of files) {
      const from = LAYERS.indexOf(layerOf(file));
      for (const target of relativeImports(file)) {
        const to = LAYERS.indexOf(layerOf(target));
        if (to > from) {
          upward.push(
            `${relative(REPO_ROOT, file)} (${LAYERS[from]}) imports ${relative(REPO_ROOT, target)} (${LAYERS[to]})`,
          );
        }
      }
    }
    expect(upward).toEqual([]);
  });

  it("keeps the domain rules and shared types a leaf: no imports at all", () => {
    const domain = files.filter((file) => layerOf(file) === "domain");
    expect(domain.map((file) => relative(REPO_ROOT, file)).sort()).toEqual([
      "infra/domain/rules.ts",
      "infra/domain/types.ts",
    ]);
    for (const file of domain) {
      expect(readFileSync(file, "utf8")).not.toMatch(/^import /m);
    }
  });
});
