/**
 * docs/config-reference.md is generated from the JSON Schema of the config schema; these fail when
 * it is stale, or when it no longer shows what `z.toJSONSchema` says of a key.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { z } from "zod";

import { StackConfigSchema } from "../../infra/config/schema";
import type { Streams } from "../../scripts/lib/streams";
import { REFERENCE_PATH, main, renderConfigReference } from "../../scripts/gen-config-reference";

type JsonSchema = z.core.JSONSchema.JSONSchema;

/**
 * A key's node in the stack schema's JSON Schema, converted here independently of the generator:
 * the plain way, where every schema is inline (no `$defs` to resolve).
 */
function jsonSchemaOf(...keys: string[]): { node: JsonSchema; required: boolean } {
  let node: JsonSchema = z.toJSONSchema(StackConfigSchema, { io: "input" });
  let required = true;
  for (const key of keys) {
    const child = node.properties?.[key];
    if (typeof child !== "object") throw new Error(`no key ${keys.join(".")} in the JSON Schema`);
    required = node.required?.includes(key) ?? false;
    node = child;
  }
  return { node, required };
}

/** The cells of a key's row in the table of a section of the rendered reference. */
function rowOf(rendered: string, section: string, key: string): string[] {
  const lines = rendered.split("\n");
  const start = lines.indexOf(`### \`${section}\``);
  if (start < 0) throw new Error(`no section ${section}`);
  const end = lines.findIndex((line, i) => i > start && line.startsWith("### "));
  const row = lines
    .slice(start, end < 0 ? undefined : end)
    .find((line) => line.startsWith(`| \`${key}\` `));
  if (!row) throw new Error(`no row ${key} in section ${section}`);
  return row
    .replace(/^\| | \|$/g, "")
    .split(" | ")
    .map((cell) => cell.trim());
}

function capture(): { streams: Streams; out: string[] } {
  const out: string[] = [];
  return { streams: { stdout: (text) => out.push(text), stderr: (text) => out.push(text) }, out };
}

describe("docs/config-reference.md", () => {
  it("is up to date with infra/config/schema.ts", () => {
    const current = fs.readFileSync(REFERENCE_PATH, "utf8");
    // On failure run: node -r ts-node/register/transpile-only scripts/gen-config-reference.ts
    expect(current).toBe(renderConfigReference());
  });

  it("documents every field of the schema with a description", () => {
    const rendered = renderConfigReference();
    const rows = rendered.split("\n").filter((line) => /^\| `[A-Za-z]+` +\|/.test(line));
    expect(rows.length).toBeGreaterThan(60);
    for (const row of rows) {
      const description = row.split(" | ").at(-1)?.replace(/\|$/, "").trim();
      expect(description).not.toBe("");
    }
  });

  it("shows a key's description and default as z.toJSONSchema gives them", () => {
    const rendered = renderConfigReference();
    const region = jsonSchemaOf("project", "region");
    expect(region.node.default).toBe("us-west2");
    expect(region.node.description).toMatch(/^Region of the data services/);
    expect(region.required).toBe(false);
    expect(rowOf(rendered, "project", "region")).toEqual([
      "`region`",
      "string",
      "`us-west2`",
      region.node.description,
    ]);
  });

  it("shows a `.meta()` default text and a required key as z.toJSONSchema gives them", () => {
    const rendered = renderConfigReference();
    const environment = jsonSchemaOf("project", "environment").node;
    expect(environment["defaultText"]).toEqual(expect.any(String));
    expect(rowOf(rendered, "project", "environment")[2]).toBe(environment["defaultText"]);
    const name = jsonSchemaOf("project", "name");
    expect(name.required).toBe(true);
    expect(rowOf(rendered, "project", "name")).toEqual([
      "`name`",
      "string",
      "**required**",
      name.node.description,
    ]);
  });

  describe("the script", () => {
    let dir: string;
    beforeAll(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), "config-reference-"));
    });
    afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("--check passes on the committed reference, silently", () => {
      const { streams, out } = capture();
      expect(main(["--check"], REFERENCE_PATH, streams)).toBe(0);
      expect(out).toEqual([]);
    });

    it("--check fails on a stale reference and names the command that fixes it", () => {
      const file = path.join(dir, "stale.md");
      fs.writeFileSync(file, renderConfigReference().replace("us-west2", "us-east4"));
      const { streams, out } = capture();
      expect(main(["--check"], file, streams)).toBe(1);
      expect(out).toEqual([
        `${path.relative(process.cwd(), file)} is stale: the config schema changed. Fix: run node -r ts-node/register/transpile-only scripts/gen-config-reference.ts\n`,
      ]);
    });

    it("writes the reference", () => {
      const file = path.join(dir, "written.md");
      const { streams, out } = capture();
      expect(main([], file, streams)).toBe(0);
      expect(fs.readFileSync(file, "utf8")).toBe(renderConfigReference());
      expect(out).toEqual([`wrote ${path.relative(process.cwd(), file)}\n`]);
    });
  });
});
