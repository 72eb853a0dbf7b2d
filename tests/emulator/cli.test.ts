/** emulator/main.ts as `npm run emulator` runs it: one startup line, flags and env, log-out at shutdown. */
import { ChildProcess, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { ALL_OPERATIONS as OPS } from "../../infra/railway/operations";
import { parseCli } from "../../emulator/main";
import { expectResponse, rawRequest, tempDir } from "./helpers";

const ROOT = path.resolve(__dirname, "../..");
const LINE =
  /^railway-emulator: listening on (http:\/\/127\.0\.0\.1:(\d+)\/graphql\/v2) \(token: (\S+)\)$/;

interface Started {
  child: ChildProcess;
  url: string;
  token: string;
  stdout: () => string;
  exited: Promise<number | null>;
}

/**
 * The node arguments of package.json's "emulator" script (what follows `node`; the toolchain
 * wrapper in front of it only provides Node itself, which here is the one running jest).
 */
function emulatorScriptArgs(): string[] {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as {
    scripts: Record<string, string>;
  };
  const words = pkg.scripts.emulator!.split(/\s+/);
  const node = words.indexOf("node");
  if (node < 0) throw new Error(`unexpected "emulator" script: ${pkg.scripts.emulator}`);
  return words.slice(node + 1);
}

function run(args: string[], env: Record<string, string> = {}): Promise<Started> {
  const child = spawn(process.execPath, [...emulatorScriptArgs(), ...args], {
    cwd: ROOT,
    env: { ...process.env, RAILWAY_EMULATOR_TOKEN: "", RAILWAY_EMULATOR_LOG: "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stdout!.on("data", (c: Buffer) => (out += c.toString()));
  child.stderr!.on("data", (c: Buffer) => (err += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setInterval(() => {
      const m = LINE.exec(out.split("\n")[0]!);
      if (m && out.endsWith("\n")) {
        clearInterval(timer);
        resolve({ child, url: m[1]!, token: m[3]!, stdout: () => out, exited });
      }
    }, 20);
    void exited.then((code) => {
      clearInterval(timer);
      const hint = /TS5011/.test(err)
        ? '\nts-node cannot compile with this tsconfig under TypeScript 6: tsconfig.json needs "rootDir": "." in compilerOptions.'
        : "";
      reject(new Error(`emulator exited (${code}) before listening: ${err}${hint}`));
    });
  });
}

jest.setTimeout(60000);

test("prints exactly one startup line, serves, and writes {counters, requests} on SIGTERM", async () => {
  const dir = tempDir();
  const logOut = path.join(dir, "out", "log.json");
  const stateFile = path.join(dir, "state.json");
  const emu = await run([
    "--port",
    "0",
    "--token",
    "emu_cli_token",
    "--state",
    stateFile,
    "--log-out",
    logOut,
    "--seed",
    "3",
  ]);
  try {
    expect(emu.token).toBe("emu_cli_token");
    const res = expectResponse(
      await rawRequest(
        `${emu.url}?source=cli-test`,
        "POST",
        JSON.stringify({ query: OPS.ProjectCreate, variables: { input: { name: "cli" } } }),
        {
          authorization: "Bearer emu_cli_token",
        },
      ),
    );
    expect(res.json.data.projectCreate.name).toBe("cli");
    emu.child.kill("SIGTERM");
    expect(await emu.exited).toBe(0);
    expect(emu.stdout().split("\n").filter(Boolean)).toHaveLength(1);
    const out = JSON.parse(fs.readFileSync(logOut, "utf8"));
    expect(out.counters).toMatchObject({
      requests: 1,
      writes: 1,
      byOperation: { ProjectCreate: 1 },
    });
    expect(out.requests[0]).toMatchObject({
      operationName: "ProjectCreate",
      kind: "mutation",
      status: 200,
    });
    expect(JSON.stringify(out)).not.toContain("emu_cli_token");
    expect(
      Object.values(JSON.parse(fs.readFileSync(stateFile, "utf8")).projects).map(
        (p: any) => p.name,
      ),
    ).toEqual(["cli"]);
  } finally {
    emu.child.kill("SIGKILL");
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("env equivalents configure port, token and faults; a random emu_ token is made when none is given", async () => {
  const emu = await run([], {
    RAILWAY_EMULATOR_TOKEN: "emu_from_env",
    RAILWAY_EMULATOR_FAULT_RATE: "1",
    RAILWAY_EMULATOR_FAULT_KINDS: "429",
    RAILWAY_EMULATOR_RETRY_AFTER: "4",
  });
  try {
    expect(emu.token).toBe("emu_from_env");
    const res = expectResponse(
      await rawRequest(emu.url, "POST", JSON.stringify({ query: OPS.ProjectsList }), {
        authorization: "Bearer emu_from_env",
      }),
    );
    expect(res.status).toBe(429);
    expect(res.headers["retry-after"]).toBe("4");
  } finally {
    emu.child.kill("SIGINT");
    expect(await emu.exited).toBe(0);
  }
  const anon = await run([]);
  try {
    expect(anon.token).toMatch(/^emu_[0-9a-f]{32}$/);
  } finally {
    anon.child.kill("SIGTERM");
    await anon.exited;
  }
});

describe("parseCli", () => {
  test("flags win over env; defaults apply", () => {
    const s = parseCli(["--port", "4000", "--fault-kinds", "drop,503", "--latency-ms", "20"], {
      RAILWAY_EMULATOR_PORT: "5000",
      RAILWAY_EMULATOR_FAULT_RATE: "0.25",
      RAILWAY_EMULATOR_STATE: "/tmp/s.json",
      RAILWAY_EMULATOR_SEED: "7",
      RAILWAY_EMULATOR_LOG_OUT: "/tmp/o.json",
    });
    expect(s).toMatchObject({
      port: 4000,
      host: "127.0.0.1",
      stateFile: "/tmp/s.json",
      seed: "7",
      logOut: "/tmp/o.json",
    });
    expect(s.faults).toMatchObject({
      rate: 0.25,
      kinds: ["drop", "503"],
      latencyMs: 20,
      retryAfter: 1,
      seed: "7",
    });
  });

  test("bad values are rejected with a message", () => {
    expect(() => parseCli(["--port", "x"], {})).toThrow(
      "--port must be an integer from 0 to 65535, got x",
    );
    expect(() => parseCli(["--fault-rate", "2"], {})).toThrow("rate must be a number from 0 to 1");
    expect(() => parseCli(["--fault-kinds", "404"], {})).toThrow('unknown fault kind "404"');
    expect(() => parseCli(["--nope"], {})).toThrow();
  });
});
