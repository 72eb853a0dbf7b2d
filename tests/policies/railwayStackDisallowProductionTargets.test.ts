import { TYPE_TOKENS } from "../../policies/lib/contract";
import {
  hostsIn,
  isProductionHost,
  isSharedLayout,
  railwayStackDisallowProductionTargets as policy,
} from "../../policies/rules/railwayStackDisallowProductionTargets";
import { sharedStack, stack } from "./fixtures";
import type { StackEntry } from "./helpers";
import { runStack, stackResources, UNKNOWN_STRING, urnOf } from "./helpers";

type Props = Record<string, unknown> & { variables?: Record<string, string> };
const change = (entries: StackEntry[], name: string, f: (p: Props) => void): StackEntry[] =>
  entries.map((e) => {
    if (e.name !== name) {
      return e;
    }
    const props = JSON.parse(JSON.stringify(e.props)) as Props;
    f(props);
    return { ...e, props };
  });

describe(policy.name, () => {
  it.each([
    ["preview", "preview", true],
    ["preview", "preview", false],
    ["pr-17", "preview", true],
    ["dev", "dev", false],
  ] as const)(
    "passes stack %s (tier %s, unknown ids: %s) that owns its project",
    async (name, tier, unknownIds) => {
      expect(await runStack(policy, stack(name, tier, unknownIds), { stack: name })).toEqual({
        violations: [],
      });
    },
  );

  it.each(["acme-production", "acme-prod", "production", "ACME-PROD"])(
    "fails project name %j in a preview stack",
    async (projectName) => {
      const entries = change(stack("preview", "preview"), "project", (p) => (p.name = projectName));
      expect((await runStack(policy, entries, { stack: "preview" })).violations).toEqual([
        {
          level: "mandatory",
          urn: urnOf(TYPE_TOKENS.project, "project", "preview"),
          message: `Stack "preview" must not point at production: project "${projectName}" is named like a production project. Fix: set \`railway-stacks:app.project.name\` to this stack's own project name (not ending in -production or -prod) in Pulumi.preview.yaml.`,
        },
      ]);
    },
  );

  it("fails a configured production project name", async () => {
    const entries = change(stack("pr-17", "preview"), "project", (p) => (p.name = "acme-live"));
    const result = await runStack(policy, entries, {
      stack: "pr-17",
      config: { productionProjectNames: ["acme-live"] },
    });
    expect(result.violations.map((v) => v.message)).toEqual([
      'Stack "pr-17" must not point at production: project "acme-live" is the production project. Fix: set `railway-stacks:app.project.name` to this stack\'s own project name (not ending in -production or -prod) in Pulumi.pr-17.yaml.',
    ]);
  });

  it("fails production tiers and another stack's project", async () => {
    let entries = change(stack("preview", "preview"), "project", (p) =>
      Object.assign(p, { tier: "production", stack: "production" }),
    );
    entries = change(entries, "api-instance", (p) => (p.tier = "production"));
    const result = await runStack(policy, entries, { stack: "preview" });
    expect(result.violations).toEqual([
      {
        level: "mandatory",
        urn: urnOf(TYPE_TOKENS.project, "project", "preview"),
        message:
          'Stack "preview" must not point at production: project "acme-preview" declares tier production. Fix: set `railway-stacks:app.tier` to this stack\'s tier in Pulumi.preview.yaml.',
      },
      {
        level: "mandatory",
        urn: urnOf(TYPE_TOKENS.project, "project", "preview"),
        message:
          'Stack "preview" must not point at production: project "acme-preview" belongs to stack "production". Fix: declare the project with this stack\'s name as its `stack` input (pulumi.getStack()).',
      },
      {
        level: "mandatory",
        urn: urnOf(TYPE_TOKENS.serviceInstance, "api-instance", "preview"),
        message:
          'Stack "preview" must not point at production: service "api" declares tier production. Fix: set `railway-stacks:app.tier` to this stack\'s tier in Pulumi.preview.yaml.',
      },
    ]);
  });

  it("fails configured production ids", async () => {
    const entries = stack("preview", "preview", false);
    const result = await runStack(policy, entries, {
      stack: "preview",
      config: { productionIds: ["env-1"] },
    });
    expect(result.violations.map((v) => v.message)).toEqual(
      [
        "postgres-data",
        "postgres-instance",
        "redis-data",
        "redis-instance",
        "nats-data",
        "nats-instance",
        "api-instance",
      ].map(
        (name) =>
          `Stack "preview" must not point at production: ${name} uses the production environmentId "env-1". Fix: remove the production id "env-1" in Pulumi.preview.yaml.`,
      ),
    );
  });

  it("fails a variable naming a production host", async () => {
    const entries = change(
      stack("pr-17", "preview"),
      "api-instance",
      (p) => (p.variables!.UPSTREAM_URL = "https://API.acme.dev/v1"),
    );
    const result = await runStack(policy, entries, {
      stack: "pr-17",
      config: { productionHosts: ["api.acme.dev"] },
    });
    expect(result.violations).toEqual([
      {
        level: "mandatory",
        urn: urnOf(TYPE_TOKENS.serviceInstance, "api-instance", "pr-17"),
        message:
          'Stack "pr-17" must not point at production: variable UPSTREAM_URL of service "api" names the production host "api.acme.dev". Fix: set `railway-stacks:app.services.api.variables.UPSTREAM_URL` to this stack\'s own endpoint, e.g. { ref: <service>.<VARIABLE> } in Pulumi.pr-17.yaml.',
      },
    ]);
  });

  it("fails a production Railway domain without any config", async () => {
    const entries = change(
      stack("preview", "preview"),
      "redis-instance",
      (p) => (p.variables!.MIRROR_HOST = "redis-production-7f3a.up.railway.app"),
    );
    expect(
      (await runStack(policy, entries, { stack: "preview" })).violations.map((v) => v.message),
    ).toEqual([
      'Stack "preview" must not point at production: variable MIRROR_HOST of service "redis" names the production host "redis-production-7f3a.up.railway.app". Fix: point MIRROR_HOST at this stack\'s own service in the redis component.',
    ]);
  });

  it("skips unknown values", async () => {
    let entries = change(stack("preview", "preview"), "project", (p) => (p.name = UNKNOWN_STRING));
    entries = change(entries, "api-instance", (p) => (p.variables!.UPSTREAM_URL = UNKNOWN_STRING));
    expect(
      await runStack(policy, entries, {
        stack: "preview",
        config: { productionIds: [UNKNOWN_STRING] },
      }),
    ).toEqual({
      violations: [],
    });
  });

  it("is not applicable in production (by name or tag)", async () => {
    expect((await runStack(policy, stack("production", "production"))).notApplicable).toBe(
      "Only judges stacks that are not production.",
    );
    const tagged = await runStack(policy, stack("live", "production"), {
      stack: "live",
      tags: { "railway:tier": "production" },
    });
    expect(tagged.notApplicable).toBe("Only judges stacks that are not production.");
  });

  it("finds hosts in values and matches production hosts", () => {
    expect(
      hostsIn("https://a.acme.dev,https://${{api.RAILWAY_PUBLIC_DOMAIN}} b.example.org:443"),
    ).toEqual(["a.acme.dev", "b.example.org"]);
    expect(isProductionHost("x.acme.dev", ["*.acme.dev"])).toBe(true);
    expect(isProductionHost("acme.dev", ["*.acme.dev"])).toBe(false);
    expect(isProductionHost("notacme.dev", ["*.acme.dev"])).toBe(false);
    expect(isProductionHost("api-preview-1a2b.up.railway.app", [])).toBe(false);
    expect(isProductionHost("api-production.up.railway.app", [])).toBe(true);
  });
});

describe(`${policy.name} (layout shared)`, () => {
  /** The project, its services and volumes are every stack's; configured as production they still pass. */
  const sharedConfig = {
    productionProjectNames: ["acme"],
    productionIds: ["prj-1", "svc-api", "svc-postgres"],
  };

  it.each([
    ["preview", "preview", true],
    ["preview", "preview", false],
    ["pr-17", "preview", true],
    ["pr-17", "preview", false],
    ["dev", "dev", false],
  ] as const)(
    "passes stack %s (tier %s, unknown ids: %s) in the project every stack shares",
    async (name, tier, unknownIds) => {
      expect(
        await runStack(policy, sharedStack(name, tier, unknownIds), {
          stack: name,
          config: sharedConfig,
        }),
      ).toEqual({ violations: [] });
    },
  );

  it("passes a shared project named like production", async () => {
    const entries = change(sharedStack("dev", "dev"), "project", (p) => (p.name = "acme-prod"));
    expect(await runStack(policy, entries, { stack: "dev" })).toEqual({ violations: [] });
  });

  it("tells the layouts apart", () => {
    expect(isSharedLayout(stackResources(sharedStack("dev", "dev"), "dev"))).toBe(true);
    expect(isSharedLayout(stackResources(stack("dev", "dev"), "dev"))).toBe(false);
  });

  it("fails a non-production stack that owns the production environment", async () => {
    const entries = change(sharedStack("preview", "preview"), "environment", (p) => {
      p.name = "production";
    });
    expect((await runStack(policy, entries, { stack: "preview" })).violations).toEqual([
      {
        level: "mandatory",
        urn: urnOf(TYPE_TOKENS.environment, "environment", "preview"),
        message:
          'Stack "preview" must not point at production: environment "production" is the production environment. Fix: set `railway-stacks:app.project.environment` to this stack\'s own environment (not production), or remove it to use the stack name in Pulumi.preview.yaml.',
      },
    ]);
  });

  it("fails a configured production environment name", async () => {
    const entries = change(sharedStack("dev", "dev"), "environment", (p) => (p.name = "Live"));
    const result = await runStack(policy, entries, {
      stack: "dev",
      config: { productionEnvironmentNames: ["live"] },
    });
    expect(result.violations.map((v) => v.message)).toEqual([
      'Stack "dev" must not point at production: environment "Live" is the production environment. Fix: set `railway-stacks:app.project.environment` to this stack\'s own environment (not production), or remove it to use the stack name in Pulumi.dev.yaml.',
    ]);
  });

  it("fails a PR environment forked from production", async () => {
    const entries = change(
      sharedStack("pr-17", "preview"),
      "environment",
      (p) => (p.sourceEnvironmentName = "production"),
    );
    expect((await runStack(policy, entries, { stack: "pr-17" })).violations).toEqual([
      {
        level: "mandatory",
        urn: urnOf(TYPE_TOKENS.environment, "environment", "pr-17"),
        message:
          'Stack "pr-17" must not point at production: environment "pr-17" is forked from the production environment "production". Fix: set `railway-stacks:app.project.environment` to the preview stack\'s own environment (PR environments fork it) in Pulumi.preview.yaml.',
      },
    ]);
  });

  it("fails an environment with tier production or another stack's", async () => {
    const entries = change(sharedStack("dev", "dev"), "environment", (p) =>
      Object.assign(p, { tier: "production", stack: "production" }),
    );
    expect(
      (await runStack(policy, entries, { stack: "dev" })).violations.map((v) => v.message),
    ).toEqual([
      'Stack "dev" must not point at production: environment "dev" declares tier production. Fix: set `railway-stacks:app.tier` to this stack\'s tier in Pulumi.dev.yaml.',
      'Stack "dev" must not point at production: environment "dev" belongs to stack "production". Fix: declare the environment with this stack\'s name as its `stack` input (pulumi.getStack()).',
    ]);
  });

  it("fails the configured production environment id wherever it is used", async () => {
    const result = await runStack(policy, sharedStack("preview", "preview", false), {
      stack: "preview",
      config: { productionIds: ["env-1"] },
    });
    expect(result.violations.map((v) => v.message)).toEqual(
      [
        "environment",
        "shared-variables",
        "postgres-data",
        "postgres-instance",
        "redis-data",
        "redis-instance",
        "nats-data",
        "nats-instance",
        "api-instance",
      ].map(
        (name) =>
          `Stack "preview" must not point at production: ${name} uses the production environmentId "env-1". Fix: remove the production id "env-1" in Pulumi.preview.yaml.`,
      ),
    );
  });

  it("fails a PR environment forked from the configured production environment id", async () => {
    const entries = change(
      sharedStack("pr-17", "preview", false),
      "environment",
      (p) => (p.sourceEnvironmentId = "env-prod"),
    );
    const result = await runStack(policy, entries, {
      stack: "pr-17",
      config: { productionIds: ["env-prod"] },
    });
    expect(result.violations.map((v) => v.message)).toEqual([
      'Stack "pr-17" must not point at production: environment uses the production sourceEnvironmentId "env-prod". Fix: remove the production id "env-prod" in Pulumi.pr-17.yaml.',
    ]);
  });
});
