/**
 * Every policy is a small uniform object: a resource-verb-object name, a
 * description in full sentences, a deliberate level, fields in a fixed order, one file per rule,
 * all of them in the pack.
 */
import * as fs from "fs";
import * as path from "path";
import { policies } from "../../policies/rules";
import { POLICIES_DIR } from "./helpers";

const RULES_DIR = path.join(POLICIES_DIR, "rules");
const FIELD_ORDER = [
  "name",
  "description",
  "configSchema",
  "enforcementLevel",
  "severity",
  "validateResource",
  "validateStack",
];

const camelCase = (name: string): string =>
  name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

const ruleFiles = fs
  .readdirSync(RULES_DIR)
  .filter((f) => f.endsWith(".ts") && f !== "index.ts")
  .sort();

describe("policy metadata", () => {
  it.each(policies.map((p) => [p.name, p]))("%s has a resource-verb-object name", (name) => {
    expect(name).toMatch(/^railway-[a-z]+-[a-z]+-[a-z-]+$/);
    expect(name).toMatch(/^railway-[a-z]+-(disallow|require|enable|configure)-/);
  });

  it.each(policies.map((p) => [p.name, p]))("%s has a description of full sentences", (_, p) => {
    expect(p.description).toMatch(/^[A-Z].*\.$/s);
    expect(p.description.length).toBeGreaterThan(40);
  });

  it.each(policies.map((p) => [p.name, p]))(
    "%s declares its enforcement level and severity",
    (_, p) => {
      expect(p.enforcementLevel).toBe("mandatory");
      expect(["low", "medium", "high", "critical"]).toContain(p.severity);
    },
  );

  it.each(policies.map((p) => [p.name, p]))("%s lists its fields in the house order", (_, p) => {
    const keys = Object.keys(p);
    const known = keys.filter((k) => FIELD_ORDER.includes(k));
    expect(known).toEqual(keys);
    expect(known).toEqual(
      [...known].sort((a, b) => FIELD_ORDER.indexOf(a) - FIELD_ORDER.indexOf(b)),
    );
  });

  it.each(policies.map((p) => [p.name, p]))(
    "%s gives every config property a default and a description",
    (_, p) => {
      for (const [key, schema] of Object.entries(p.configSchema?.properties ?? {})) {
        expect([key, schema.default !== undefined, typeof schema.description]).toEqual([
          key,
          true,
          "string",
        ]);
      }
    },
  );

  it("has unique names", () => {
    expect(new Set(policies.map((p) => p.name)).size).toBe(policies.length);
  });

  it("lists every file in policies/rules, each exporting exactly its policy under the camelCase name", () => {
    expect(ruleFiles).toEqual(policies.map((p) => `${camelCase(p.name)}.ts`).sort());
    for (const p of policies) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const mod = require(path.join(RULES_DIR, camelCase(p.name))) as Record<string, unknown>;
      expect(mod[camelCase(p.name)]).toBe(p);
    }
  });

  it("has a test file importing every rule", () => {
    const tests = fs
      .readdirSync(__dirname)
      .filter((f) => f.endsWith(".test.ts"))
      .map((f) => fs.readFileSync(path.join(__dirname, f), "utf8"))
      .join("\n");
    const untested = policies
      .map((p) => camelCase(p.name))
      .filter((file) => !tests.includes(`policies/rules/${file}"`));
    expect(untested).toEqual([]);
  });

  it("keeps policies/index.ts to assembling the pack", () => {
    const index = fs.readFileSync(path.join(POLICIES_DIR, "index.ts"), "utf8");
    expect(index).toContain('new PolicyPack("railway-stacks", { policies })');
    expect(index).toContain('from "./rules"');
  });
});
