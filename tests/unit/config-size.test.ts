/**
 * How big a stack's config may be before Pulumi cannot start the program (infra/config/size.ts),
 * and `npm run config:check`, which says so before Pulumi runs.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";

import {
  MAX_ARG_STRLEN,
  MAX_PULUMI_CONFIG_BYTES,
  PROJECT_CONFIG_DEFAULTS,
  configSizeIssue,
  pulumiConfigBytes,
} from "../../infra/config/size";
import { main as configCheck } from "../../scripts/config-check";
import { main as policyCheck } from "../../scripts/policy-check";
import { main as pr } from "../../scripts/pr";
import { REPO_ROOT } from "../fixtures/config";
import { bigStackConfig, bigStackFile } from "../fixtures/config/big-stack";

/**
 * PULUMI_CONFIG exactly as Pulumi 3.259 handed it to the program of a two-service stack (read from
 * /proc/<pid>/environ of the language host's node): keys as `<project>:config:<name>`, the
 * project's declared default prBranch added, `<`, `>` and `&` escaped the Go way.
 */
const CAPTURED_PULUMI_CONFIG =
  '{"railway-stacks:config:app":"{\\"nats\\":{\\"jetStream\\":{\\"streams\\":[{\\"maxAge\\":\\"7d\\",\\"name\\":\\"E\\",\\"subjects\\":[\\"agents.\\\\u003e\\"]}]}},\\"project\\":{\\"name\\":\\"exp\\"},\\"services\\":{\\"svc0\\":{\\"source\\":{\\"image\\":\\"ghcr.io/acme/svc0:1.0.0\\"},\\"variables\\":{\\"LOG_LEVEL\\":\\"info\\"}},\\"svc1\\":{\\"source\\":{\\"image\\":\\"ghcr.io/acme/svc1:1.0.0\\"},\\"variables\\":{\\"LOG_LEVEL\\":\\"info\\",\\"Q\\":\\"a\\\\u003cb \\\\u0026\\\\u0026 c \u2014 \u00fc\\"}}},\\"tier\\":\\"dev\\"}","railway-stacks:config:prBranch":""}';

const capturedApp = {
  tier: "dev",
  project: { name: "exp" },
  nats: { jetStream: { streams: [{ name: "E", subjects: ["agents.>"], maxAge: "7d" }] } },
  services: {
    svc0: {
      source: { image: "ghcr.io/acme/svc0:1.0.0" },
      variables: { LOG_LEVEL: "info" },
    },
    svc1: {
      source: { image: "ghcr.io/acme/svc1:1.0.0" },
      variables: { LOG_LEVEL: "info", Q: "a<b && c \u2014 \u00fc" },
    },
  },
};

function captureStreams() {
  const out = { stdout: "", stderr: "" };
  return {
    out,
    streams: {
      stdout: (text: string) => void (out.stdout += text),
      stderr: (text: string) => void (out.stderr += text),
    },
  };
}

describe("pulumiConfigBytes", () => {
  it("counts what the CLI puts in PULUMI_CONFIG, byte for byte", () => {
    expect(pulumiConfigBytes({ "railway-stacks:app": capturedApp })).toBe(
      Buffer.byteLength(CAPTURED_PULUMI_CONFIG, "utf8"),
    );
    expect(Buffer.byteLength(CAPTURED_PULUMI_CONFIG, "utf8")).toBe(488);
  });

  it("allows MAX_ARG_STRLEN less 'PULUMI_CONFIG=' and the NUL: 131057 bytes", () => {
    expect(MAX_ARG_STRLEN).toBe(131072);
    expect(MAX_PULUMI_CONFIG_BYTES).toBe(131057);
  });

  it("adds the defaults Pulumi.yaml declares", () => {
    const project = parse(readFileSync(join(REPO_ROOT, "Pulumi.yaml"), "utf8")) as {
      config: Record<string, { default?: unknown }>;
    };
    const declared = Object.fromEntries(
      Object.entries(project.config)
        .filter(([, spec]) => spec.default !== undefined)
        .map(([key, spec]) => [`railway-stacks:${key}`, spec.default]),
    );
    expect(PROJECT_CONFIG_DEFAULTS).toEqual(declared);
  });

  it("puts about 540 services of the shipped shape over the limit", () => {
    const bytes = (count: number) =>
      pulumiConfigBytes({ "railway-stacks:app": bigStackConfig(count) });
    expect(bytes(400)).toBe(98536);
    expect(bytes(532)).toBeLessThanOrEqual(MAX_PULUMI_CONFIG_BYTES);
    expect(bytes(533)).toBeGreaterThan(MAX_PULUMI_CONFIG_BYTES);
    expect(bytes(600)).toBe(147736);
  });
});

describe("configSizeIssue", () => {
  it("says the size, the limit, what would happen and what to do", () => {
    const issue = configSizeIssue({ "railway-stacks:app": bigStackConfig(600) }, "big", 600);
    expect(issue).toEqual({
      path: "railway-stacks:app",
      segments: [],
      problem:
        'of stack "big" (600 app services) is 147736 bytes as Pulumi passes it to the program and the policy pack (the PULUMI_CONFIG environment variable), over Linux\'s limit of 131057 bytes for one environment variable (MAX_ARG_STRLEN 131072, "PULUMI_CONFIG=" included): Pulumi would fail with "argument list too long" or hang loading the policy pack',
      fix: "make the config smaller by 16679 bytes or more: split the services into several stacks (one Railway project each), or move long values (e.g. variables) out of the stack file into fewer, shorter ones",
    });
    expect(
      configSizeIssue({ "railway-stacks:app": bigStackConfig(400) }, "big", 400),
    ).toBeUndefined();
  });
});

describe("npm run config:check", () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), "config-check-"))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const check = (file: string, text: string, stack = "big") => {
    writeFileSync(join(dir, file), text);
    const { out, streams } = captureStreams();
    const code = configCheck([stack, "--config", join(dir, file)], process.env, streams);
    return { code, ...out };
  };

  it("rejects a 600-service stack with the size message alone", () => {
    const result = check("Pulumi.big.yaml", bigStackFile(600));
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toBe(
      `config:check: ${join(dir, "Pulumi.big.yaml")}:\n${formatted(600)}\n`,
    );
  });

  it("accepts a 400-service stack and says its size", () => {
    const result = check("Pulumi.big.yaml", bigStackFile(400));
    expect(result).toEqual({
      code: 0,
      stdout: "config:check: stack big is valid: 400 app services, config 98536 of 131057 bytes\n",
      stderr: "",
    });
  });

  it("lists every config problem with its key", () => {
    const result = check(
      "Pulumi.production.yaml",
      "config:\n  railway-stacks:app:\n    tier: production\n    project: { name: shop }\n",
      "production",
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `config:check: ${join(dir, "Pulumi.production.yaml")}:\n` +
        'railway-stacks:app.services: lists no app service, so production stack "production" would deploy only its data services. Fix: add the app services under "services" (see docs/config-reference.md), or check that this is the right Pulumi.production.yaml\n',
    );
  });

  it("names the file and the key of a YAML error the parser reports without a location", () => {
    const bomb = [
      "config:",
      "  railway-stacks:app:",
      "    tier: dev",
      "    project: { name: bomb }",
      "    services:",
      "      api:",
      '        source: { image: "a:1" }',
      "        variables:",
      "          A: &a [x, x, x, x, x, x, x, x, x, x]",
      "          B: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]",
      "          C: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]",
      "          D: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]",
      "          E: [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]",
      "",
    ].join("\n");
    const result = check("Pulumi.bomb.yaml", bomb, "bomb");
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `config:check: error: ${join(dir, "Pulumi.bomb.yaml")} is not valid YAML: Excessive alias count indicates a resource exhaustion attack (at key config.railway-stacks:app.services.api.variables.C)\n`,
    );
  });

  it("names the file, line and column of an ordinary YAML error", () => {
    const result = check("Pulumi.bad.yaml", "config:\n  a: [1, 2\n", "bad");
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      new RegExp(
        `^config:check: error: ${join(dir, "Pulumi.bad.yaml").replace(/[.]/g, "\\.")} is not valid YAML: .* at line 3, column 1:`,
      ),
    );
  });
});

describe("npm run policy:check and npm run pr on a stack too big for Pulumi", () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), "big-stack-"))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("policy:check stops before Pulumi, the emulator or a scratch folder (exit 3)", async () => {
    const file = join(dir, "Pulumi.big.yaml");
    writeFileSync(file, bigStackFile(600));
    const { out, streams } = captureStreams();
    const code = await policyCheck(
      ["big", "--config", file],
      { ...process.env, TMPDIR: dir, RAILWAY_API_TOKEN: "" },
      streams,
    );
    expect({ code, ...out }).toEqual({
      code: 3,
      stdout: "",
      stderr: `policy:check: error: ${file}:\n${formatted(600, "big")}\n`,
    });
    expect(readdirSync(dir)).toEqual(["Pulumi.big.yaml"]);
  });

  it("pr up stops before any stack exists (exit 1)", async () => {
    writeFileSync(join(dir, "Pulumi.yaml"), "name: railway-stacks\nruntime: nodejs\n");
    writeFileSync(join(dir, "Pulumi.preview.yaml"), bigStackFile(600, "preview"));
    const { out, streams } = captureStreams();
    const code = await pr(
      ["up", "7", "--branch", "feature/x", "--project-dir", dir, "--json"],
      streams,
    );
    const issue = configSizeIssue(
      {
        "railway-stacks:app": bigStackConfig(600, "preview"),
        "railway-stacks:prBranch": "feature/x",
      },
      "pr-7",
      600,
    )!;
    expect({ code, stdout: out.stdout }).toEqual({ code: 1, stdout: "" });
    expect(out.stderr).toBe(
      `pr up: error: PR stack pr-7 cannot be made from ${join(dir, "Pulumi.preview.yaml")}:\n${issue.path}: ${issue.problem}. Fix: ${issue.fix}\n`,
    );
    expect(readdirSync(dir).sort()).toEqual(["Pulumi.preview.yaml", "Pulumi.yaml"]);
  });
});

function formatted(count: number, stack = "big"): string {
  const issue = configSizeIssue({ "railway-stacks:app": bigStackConfig(count) }, stack, count)!;
  return `${issue.path}: ${issue.problem}. Fix: ${issue.fix}`;
}
