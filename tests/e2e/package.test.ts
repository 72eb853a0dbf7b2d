/**
 * The library as another repo uses it: `npm pack` builds the tarball (prepack compiles dist/), a
 * throwaway repo in a temporary directory outside this checkout installs it from the file, and its
 * own small program declares a Project, a `Postgres` and one `AppService` (with its deploy gate)
 * and runs `pulumi up` against the emulator. Nothing of this checkout is on the path or in the
 * environment: the dynamic providers, their host and the gate script are found in the consumer's
 * node_modules, and the state holds no file path of either repo.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startEmulator, type RunningEmulator } from "../../emulator/server";
import {
  NODE_BIN,
  PULUMI_BIN,
  TOOLS,
  describeE2E,
  emulatorCounts,
  expectSuccess,
  registryEnv,
  run,
} from "../helpers/pulumi-cli";
import { REPO_ROOT } from "../helpers/program";

jest.setTimeout(1_200_000);

/** Where the package's dynamic-provider host is, from the consumer's project directory. */
const HOST_PATH = "node_modules/railway-stacks/dist/infra/provider-host";

/** The consumer's program: plain JavaScript, only what a user of the package would write. */
const PROGRAM = `"use strict";
const pulumi = require("@pulumi/pulumi");
const { AppService, Postgres, Project, parseStackConfig } = require("railway-stacks");

const stack = pulumi.getStack();
// Defaults come from the library's config schema: the components have none of their own.
const parsed = parseStackConfig(
  { tier: "dev", project: { name: "consumer-app" }, redis: { enabled: false }, nats: { enabled: false } },
  stack,
);
if (!parsed.ok) throw new Error(parsed.issues.map((issue) => issue.problem).join("; "));
// One entry per data service the config enables (several of a kind when named).
const postgres = parsed.config.dataServices.find((data) => data.kind === "postgres");

const project = new Project("app", {
  name: "consumer-app",
  defaultEnvironmentName: "dev",
  stack,
  tier: "dev",
});
const where = { projectId: project.projectId, environmentId: project.environmentId };
const db = new Postgres("db", {
  project: where,
  tier: "dev",
  image: postgres.image,
  database: postgres.database,
  user: postgres.user,
  volumeSizeMB: postgres.volumeSizeMB,
  backups: postgres.backups,
  publicProxy: postgres.publicProxy,
});
const web = new AppService("web", {
  project: where,
  tier: "dev",
  serviceName: "web",
  source: { image: "ghcr.io/acme/web:1.4.2" },
  port: 8080,
  healthcheck: { path: "/health", timeoutSeconds: 60 },
  replicas: 1,
  restartPolicy: { type: "ON_FAILURE", maxRetries: 10 },
  sleep: false,
  domains: { railway: true },
  links: [db],
  gate: { enabled: true, timeoutSeconds: 60, intervalSeconds: 1 },
});

exports.url = web.url;
exports.postgresImage = postgres.image;
`;

describeE2E("the packed library in another repo", () => {
  let emulator: RunningEmulator;
  let scratch: string;
  let consumer: string;
  let env: NodeJS.ProcessEnv;
  const pulumi = (args: string[]) =>
    run("pulumi", [...args, "--non-interactive", "--color", "never"], { cwd: consumer, env });

  beforeAll(async () => {
    scratch = mkdtempSync(join(tmpdir(), "railway-stacks-package-"));
    consumer = join(scratch, "consumer");
    emulator = await startEmulator({ port: 0 });
    const base = emulator.url.replace(/\/graphql\/v2$/, "");
    env = {
      // npm reaches the registry as this machine does (CA bundle, proxy).
      ...registryEnv(),
      // The toolchain's node, npm and pulumi only: no node_modules/.bin of this checkout.
      PATH: `${NODE_BIN}:${PULUMI_BIN}:/usr/local/bin:/usr/bin:/bin`,
      HOME: process.env.HOME,
      PULUMI_HOME: join(TOOLS, "pulumi-home"),
      PULUMI_SKIP_UPDATE_CHECK: "true",
      PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
      PULUMI_DISABLE_REGISTRY_RESOLVE: "true",
      PULUMI_IGNORE_AMBIENT_PLUGINS: "true",
      PULUMI_BACKEND_URL: `file://${join(scratch, "state")}`,
      PULUMI_CONFIG_PASSPHRASE: "package-e2e",
      RAILWAY_GRAPHQL_ENDPOINT: emulator.url,
      RAILWAY_API_TOKEN: emulator.token,
      RAILWAY_STACKS_GATE_URL_TEMPLATE: `${base}/_domains/{domain}`,
    };
  });

  afterAll(async () => {
    await emulator?.close();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  it("packs, installs from the tarball and brings up Postgres + an AppService", async () => {
    // npm pack (its prepack compiles dist/) writes the tarball into the scratch directory.
    expectSuccess(
      await run("npm", ["pack", "--pack-destination", scratch, "--silent"], {
        cwd: REPO_ROOT,
        env: { ...process.env, PATH: `${NODE_BIN}:${process.env.PATH ?? ""}` },
      }),
    );
    const tarballs = readdirSync(scratch).filter((file) => file.endsWith(".tgz"));
    expect(tarballs).toEqual(["railway-stacks-0.1.0.tgz"]);

    mkdirSync(consumer);
    mkdirSync(join(scratch, "state"));
    writeFileSync(
      join(consumer, "package.json"),
      JSON.stringify(
        {
          name: "consumer-app",
          private: true,
          main: "index.js",
          dependencies: {
            "@pulumi/pulumi": "3.259.0",
            "railway-stacks": `file:${join(scratch, tarballs[0]!)}`,
          },
        },
        null,
        2,
      ),
    );
    writeFileSync(
      join(consumer, "Pulumi.yaml"),
      [
        "name: consumer-app",
        "runtime:",
        "  name: nodejs",
        "  options:",
        "    packagemanager: npm",
        // The package's dynamic-provider host (README, "Using the library from another repository").
        "plugins:",
        "  providers:",
        "    - name: pulumi-nodejs",
        `      path: ${HOST_PATH}`,
        "",
      ].join("\n"),
    );
    writeFileSync(join(consumer, "index.js"), PROGRAM);
    expectSuccess(
      // A cold npm cache downloads the dependencies from the registry: allow for a slow one.
      await run("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund"], {
        cwd: consumer,
        env,
        timeoutMs: 600_000,
      }),
    );

    expectSuccess(
      await pulumi(["stack", "select", "dev", "--create", "--secrets-provider", "passphrase"]),
    );
    const up = expectSuccess(await pulumi(["up", "--yes", "--skip-preview"]));
    expect(up.output).toContain("Resources:");
    expect(emulatorCounts(emulator)).toEqual({
      projects: 1,
      services: 2,
      volumes: 1,
      serviceDomains: 1,
    });
    const services = Object.values(emulator.state.data.services).map((service) => service.name);
    expect(services.sort()).toEqual(["postgres", "web"]);

    const outputs = JSON.parse(
      expectSuccess(await pulumi(["stack", "output", "--json"])).stdout,
    ) as Record<string, string>;
    expect(outputs.postgresImage).toBe("pgvector/pgvector:0.8.0-pg16");
    expect(outputs.url).toMatch(/^https:\/\/web-dev-[0-9a-f]{4}\.up\.railway\.app$/);

    // The providers in state name the package, never a directory of either repo.
    const state = expectSuccess(await pulumi(["stack", "export"])).stdout;
    // The gate ran the package's compiled script, found by name, and the service passed it.
    const resources = (
      JSON.parse(state) as {
        deployment: { resources: { type: string; outputs?: Record<string, unknown> }[] };
      }
    ).deployment.resources;
    const gates = resources.filter((resource) => resource.type === "command:local:Command");
    expect(gates.map((gate) => [gate.outputs?.create, gate.outputs?.stdout])).toEqual([
      [
        `node "$(node -p 'require.resolve("railway-stacks/gate", { paths: [process.cwd()] })')"`,
        expect.stringMatching(/ → HTTP 200 .*\ndeploy gate: web healthy$/s),
      ],
    ]);
    expect(state).toContain("railway-stacks/package.json");
    expect(state).not.toContain(REPO_ROOT);
    expect(state).not.toContain(consumer);

    // A second up changes nothing, and its resources were served by the package's host (the
    // engine's log names the plugin it launched); destroy removes everything it made.
    const again = expectSuccess(
      await pulumi(["up", "--yes", "--skip-preview", "-v=9", "--logtostderr", "--logflow"]),
    );
    expect(again.output).not.toMatch(/\d+ (created|updated|replaced|deleted)/);
    expect(again.output).toContain(
      `Launching plugin 'pulumi-nodejs (resource)' from '${join(consumer, HOST_PATH, "pulumi-resource-pulumi-nodejs")}'`,
    );
    expectSuccess(await pulumi(["destroy", "--yes", "--skip-preview"]));
    expect(emulatorCounts(emulator)).toEqual({
      projects: 0,
      services: 0,
      volumes: 0,
      serviceDomains: 0,
    });
  });
});
