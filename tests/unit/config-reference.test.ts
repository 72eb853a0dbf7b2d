/** docs/config-reference.md is generated from the schema; this fails when it is stale. */
import * as fs from "fs";

import { REFERENCE_PATH, renderConfigReference } from "../../scripts/gen-config-reference";

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
});
