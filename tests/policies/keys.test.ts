/**
 * The fixes the messages name are real: every config key the pack can print exists in the stack
 * config schema (infra/config/schema.ts), and the pack's view of app settings and secret-looking
 * names is the config loader's.
 */
import { APP_SETTING_VARIABLES, SECRET_LOOKING_KEY } from "../../infra/config/constants";
import { StackConfigSchema } from "../../infra/config/schema";
import { schemaAt } from "../../infra/config/walk";
import type { Setting } from "../../policies/lib/keys";
import { APP_SETTING_KEYS, CONFIG_ROOT, configPath, keyOf } from "../../policies/lib/keys";
import { SECRET_KEY } from "../../policies/rules/railwayServiceDisallowPlainSecrets";

const SETTINGS: Setting[] = [
  "source.image",
  "source.branch",
  "deploy.healthcheckPath",
  "deploy.numReplicas",
  "deploy.multiRegion",
  "deploy.restartPolicyType",
  "deploy.restartPolicyMaxRetries",
  "deploy.sleepApplication",
  "deploy.cpu",
  "deploy.memoryBytes",
  "deploy.startCommand",
  "networking.tcpProxyPorts",
  "networking.railwayDomainPort",
  "networking.customDomains",
  "volume",
  "volume.backupSchedules",
  "variables.OPENAI_API_KEY",
  "variables.RATE_LIMIT_RPM",
  "secretVariables.SECRET_KEY",
];

/** `railway-stacks:app.a.b["c.d"]` → ["a", "b", "c.d"]. */
function segments(key: string): string[] {
  expect(key.startsWith(`${CONFIG_ROOT}.`)).toBe(true);
  return [...key.slice(CONFIG_ROOT.length).matchAll(/\.([A-Za-z0-9_-]+)|\["([^"]+)"\]/g)].map(
    (m) => (m[1] ?? m[2])!,
  );
}

const printed: string[] = [];
for (const setting of SETTINGS) {
  for (const props of [
    { role: "app", serviceName: "backend" },
    { role: "postgres" },
    { role: "redis" },
    { role: "nats" },
  ]) {
    const key = keyOf(props, setting);
    if (key !== undefined) {
      printed.push(key);
    }
  }
}
printed.push(
  configPath("project.name"),
  configPath("project.environment"),
  configPath("project.layout"),
  configPath("project.protectedBranch"),
  configPath("tier"),
  configPath("postgres.backups"),
  ...["postgres", "redis", "nats"].map((role) => configPath(role, "publicProxy")),
  ...Object.values(APP_SETTING_KEYS).map((k) => configPath(k)),
);

describe("config keys in fix messages", () => {
  it.each([...new Set(printed)].map((k) => [k]))("%s exists in the stack config schema", (key) => {
    expect(schemaAt(StackConfigSchema, segments(key))).toBeDefined();
  });

  it("maps a data service's own settings to its role section and the rest to its component", () => {
    expect(keyOf({ role: "redis", serviceName: "cache" }, "source.image")).toBe(
      "railway-stacks:app.redis.image",
    );
    expect(keyOf({ role: "redis" }, "deploy.startCommand")).toBeUndefined();
    expect(keyOf({ role: "nats" }, "deploy.restartPolicyType")).toBeUndefined();
  });

  it("maps an app service's settings under services.<name>, app settings under app", () => {
    expect(keyOf({ role: "app", serviceName: "ml" }, "deploy.numReplicas")).toBe(
      "railway-stacks:app.services.ml.replicas",
    );
    expect(keyOf({ role: "app", serviceName: "my.svc" }, "deploy.cpu")).toBe(
      'railway-stacks:app.services["my.svc"].limits.cpu',
    );
    expect(keyOf({ role: "app", serviceName: "ml" }, "variables.DEBUG")).toBe(
      "railway-stacks:app.app.debug",
    );
  });

  it("knows the variables the stack sets from app settings", () => {
    const { APP_ENV: _tier, ...fromSettings } = APP_SETTING_VARIABLES;
    expect(APP_SETTING_KEYS).toEqual(fromSettings);
  });

  it("judges the same secret-looking names as the config loader", () => {
    expect(SECRET_KEY.source).toBe(SECRET_LOOKING_KEY.source);
    expect(SECRET_KEY.flags).toBe(SECRET_LOOKING_KEY.flags);
  });
});
