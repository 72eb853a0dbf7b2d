/** scripts/drift.ts: command line, drift from a refreshing preview's steps, the report. */
import { driftFromPreview, formatDrift, main, parseDriftArgs } from "../../scripts/drift";

const INSTANCE = "pulumi-nodejs:dynamic/railway:ServiceInstance";

const instance = (overrides: Record<string, unknown>) => ({
  serviceName: "api",
  source: { image: "ghcr.io/acme/api:1.0.0" },
  build: {},
  deploy: { numReplicas: 1 },
  variables: { LOG_FORMAT: "json" },
  secretVariables: { API_KEY: "s3cret-value" },
  networking: { customDomains: {}, tcpProxyPorts: [] },
  ...overrides,
});

describe("drift", () => {
  test("parseDriftArgs takes one stack and --cwd", () => {
    expect(parseDriftArgs(["dev", "--cwd", "/tmp"])).toEqual({ stack: "dev", cwd: "/tmp" });
    expect(() => parseDriftArgs([])).toThrow("name the stack");
    expect(() => parseDriftArgs(["dev", "prod"])).toThrow("name one stack");
    expect(() => parseDriftArgs(["dev", "--json"])).toThrow("unknown option --json");
  });

  test("lists ServiceInstance leaves declared → live, never variable values, and skips non-Railway resources", () => {
    const drift = driftFromPreview([
      {
        op: "update",
        urn: `urn:pulumi:dev::railway-stacks::${INSTANCE}::railway-api-instance`,
        oldState: {
          type: INSTANCE,
          inputs: instance({
            deploy: { numReplicas: 3 },
            variables: { LOG_FORMAT: "pretty", HOTFIX: "1" },
            secretVariables: { API_KEY: "rotated-in-dashboard" },
          }),
        },
        newState: { type: INSTANCE, inputs: instance({}) },
      },
      {
        op: "update",
        urn: "urn:pulumi:dev::railway-stacks::command:local:Command::railway-api-gate",
        diffReasons: ["triggers"],
        oldState: { type: "command:local:Command" },
        newState: { type: "command:local:Command" },
      },
      {
        op: "same",
        urn: `urn:pulumi:dev::railway-stacks::${INSTANCE}::railway-web-instance`,
      },
      {
        op: "create",
        urn: "urn:pulumi:dev::railway-stacks::pulumi-nodejs:dynamic/railway:Service::railway-worker-service",
        newState: { type: "pulumi-nodejs:dynamic/railway:Service" },
      },
    ]);
    expect(drift).toEqual([
      {
        name: "api",
        type: INSTANCE,
        lines: [
          "deploy.numReplicas: 1 → 3",
          "variables.API_KEY: changed",
          "variables.HOTFIX: added",
          "variables.LOG_FORMAT: changed",
        ],
      },
      {
        name: "railway-worker-service",
        type: "pulumi-nodejs:dynamic/railway:Service",
        lines: ["missing in Railway (the stack declares it)"],
      },
    ]);
    const report = formatDrift("dev", drift);
    expect(report).not.toContain("rotated-in-dashboard");
    expect(report).toBe(
      [
        "drift: stack dev differs from what is live in Railway (declared → live):",
        "  api:",
        "    deploy.numReplicas: 1 → 3",
        "    variables.API_KEY: changed",
        "    variables.HOTFIX: added",
        "    variables.LOG_FORMAT: changed",
        "  railway-worker-service:",
        "    missing in Railway (the stack declares it)",
        "Fix: put the live values in Pulumi.dev.yaml to keep them, or run pulumi up -s dev to restore the declared ones.",
        "",
      ].join("\n"),
    );
    expect(formatDrift("dev", [])).toBe("drift: stack dev matches what is live in Railway.\n");
  });

  test("a bad command line exits 2 with the usage", async () => {
    let err = "";
    const code = await main([], { stdout: () => undefined, stderr: (t) => (err += t) });
    expect(code).toBe(2);
    expect(err).toBe(
      "drift: name the stack\nusage: npm run drift -- <stack> [--cwd <project dir>]\n",
    );
  });
});
