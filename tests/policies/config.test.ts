/**
 * policies/config/stacks.json, the one --policy-pack-config every stack passes, names only real
 * policies and properties, and its production names and hosts are those of Pulumi.production.yaml.
 */
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { policies } from "../../policies/rules";
import { POLICIES_DIR } from "./helpers";

const CONFIG_DIR = path.join(POLICIES_DIR, "config");
const ROOT = path.resolve(POLICIES_DIR, "..");

describe("policy pack config files", () => {
  const files = fs.readdirSync(CONFIG_DIR).filter((f) => f.endsWith(".json"));

  it.each(files.map((f) => [f]))(
    "%s configures only known policies and properties, with levels left to the pack",
    (file) => {
      const config = JSON.parse(fs.readFileSync(path.join(CONFIG_DIR, file), "utf8")) as Record<
        string,
        Record<string, unknown>
      >;
      for (const [name, entry] of Object.entries(config)) {
        const policy = policies.find((p) => p.name === name);
        expect(policy?.name).toBe(name);
        expect(entry).not.toHaveProperty("enforcementLevel");
        expect(
          Object.keys(entry).filter((k) => !(k in (policy?.configSchema?.properties ?? {}))),
        ).toEqual([]);
      }
      expect(config).not.toHaveProperty("all");
    },
  );

  it("names the production project and custom domains of Pulumi.production.yaml", () => {
    const config = JSON.parse(fs.readFileSync(path.join(CONFIG_DIR, "stacks.json"), "utf8"));
    const production = parse(fs.readFileSync(path.join(ROOT, "Pulumi.production.yaml"), "utf8"))
      .config["railway-stacks:app"];
    const domains = Object.values(
      production.services as Record<string, { domains?: { custom?: string[] } }>,
    )
      .flatMap((s) => s.domains?.custom ?? [])
      .sort();
    expect(config["railway-stack-disallow-production-targets"]).toEqual({
      productionProjectNames: [production.project.name],
      productionHosts: domains,
    });
  });
});
