/**
 * infra/provider-host: the dynamic-provider host Pulumi.yaml names (`plugins.providers`,
 * `pulumi-nodejs`). Run for real, as the engine runs it: the launcher with the engine's address,
 * then the port it prints, then the provider protocol on that port. Every e2e test goes through
 * it too; these tests say what it is for in isolation.
 */
import { credentials } from "@grpc/grpc-js";
import sdkPackage from "@pulumi/pulumi/package.json";
import { ResourceProviderClient } from "@pulumi/pulumi/proto/provider_grpc_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { execFileSync, spawn } from "node:child_process";
import { readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { parse } from "yaml";

const REPO_ROOT = resolve(__dirname, "..", "..");
const HOST_DIR = join(REPO_ROOT, "infra", "provider-host");
const LAUNCHER = join(HOST_DIR, "pulumi-resource-pulumi-nodejs");

/** Starts the launcher as the engine does, resolves with the port it prints and the process. */
function startHost(): Promise<{ port: number; stop: () => void }> {
  // The launcher runs `node` from PATH, as Pulumi's own does: the Node running this test.
  const path = `${resolve(process.execPath, "..")}:${process.env["PATH"] ?? ""}`;
  const child = spawn(LAUNCHER, ["127.0.0.1:1"], {
    cwd: REPO_ROOT,
    env: { ...process.env, PATH: path },
  });
  return new Promise((resolvePort, reject) => {
    let out = "";
    let err = "";
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const line = /^(\d+)\n/.exec(out);
      if (line) resolvePort({ port: Number(line[1]), stop: () => child.kill("SIGKILL") });
    });
    child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
    child.on("exit", (code) =>
      reject(new Error(`host exited (${code}) before its port: ${out}${err}`)),
    );
  });
}

test("Pulumi.yaml makes this host the project's pulumi-nodejs provider", () => {
  const project = parse(readFileSync(join(REPO_ROOT, "Pulumi.yaml"), "utf8")) as {
    plugins?: { providers?: { name: string; path: string }[] };
  };
  expect(project.plugins?.providers).toEqual([
    { name: "pulumi-nodejs", path: "infra/provider-host" },
  ]);
  // The engine runs `<path>/pulumi-resource-<name>`, which must be executable.
  expect(statSync(LAUNCHER).mode & 0o111).toBe(0o111);
});

test("the launcher serves Pulumi's dynamic provider: it prints its port and answers GetPluginInfo", async () => {
  const host = await startHost();
  const client = new ResourceProviderClient(`127.0.0.1:${host.port}`, credentials.createInsecure());
  try {
    const version = await new Promise<string>((done, fail) =>
      client.getPluginInfo(new Empty(), (error, reply) =>
        error ? fail(error) : done(reply.getVersion()),
      ),
    );
    // The SDK's own host: it reports the SDK's version.
    expect(version).toBe(sdkPackage.version);
  } finally {
    client.close();
    host.stop();
  }
});

test("the host starts without the SDK modules it never uses, with the program's compile cache", () => {
  // start.js in a fresh Node; when the host prints its port, report which of them Node loaded for
  // real (a stand-in has no lookup paths).
  const out = execFileSync(
    process.execPath,
    [
      "-e",
      `
      const real = (part) =>
        Object.entries(require.cache).some(([file, m]) => file.includes(part) && Array.isArray(m.paths));
      const print = console.log;
      console.log = (port) => {
        print(JSON.stringify({
          port: /^\\d+$/.test(port),
          arborist: real("/@npmcli/arborist/lib/"),
          typescript: real("/node_modules/typescript/lib/"),
          automation: real("/@pulumi/pulumi/automation/"),
          dynamicProvider: real("/@pulumi/pulumi/cmd/dynamic-provider/"),
          compileCache: require("module").getCompileCacheDir()
            .startsWith(process.cwd() + "/node_modules/.cache/railway-stacks/v8/"),
        }));
        process.exit(0);
      };
      process.argv = [process.execPath, "start.js", "127.0.0.1:1"]; // as the launcher runs it
      require("./infra/provider-host/start.js");
      `,
    ],
    { cwd: REPO_ROOT, encoding: "utf8" },
  );
  expect(JSON.parse(out)).toEqual({
    port: true,
    arborist: false,
    typescript: false,
    automation: false,
    dynamicProvider: true,
    // The program's compile cache (infra/resources/transpile-cache.js), shared.
    compileCache: true,
  });
});
