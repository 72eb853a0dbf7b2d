/**
 * The Redis and NATS start commands are shell one-liners that Railway runs in the image. These
 * tests run the exact strings with the real servers, so a quoting mistake fails here, not in
 * production.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, Socket } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { natsStartCommand } from "../../infra/components/nats";
import { redisStartCommand } from "../../infra/components/redis";
import { describeWithTools } from "../helpers/require-tool";

const freePort = (): Promise<number> =>
  new Promise((resolve) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

/** Runs a Railway start command the way a container does: argv split, no outer shell. */
function startCommand(
  commandLine: string,
  env: Record<string, string>,
  binDir: string,
): ChildProcess {
  const match = /^sh -c '([\s\S]*)'$/.exec(commandLine);
  if (!match) throw new Error(`not an sh -c command: ${commandLine}`);
  return spawn("sh", ["-c", match[1]!], {
    env: { PATH: `${binDir}:/usr/bin:/bin`, ...env },
    stdio: "ignore",
  });
}

/**
 * Stops a server and waits until it has exited: a child process jest still holds when the last
 * test ends keeps jest from exiting (the reason scripts/test.sh once needed --forceExit).
 */
async function stopServer(server: ChildProcess | undefined): Promise<void> {
  if (!server || server.exitCode !== null || server.signalCode !== null) return;
  const exited = new Promise((resolve) => server.once("exit", resolve));
  server.kill("SIGTERM");
  await exited;
}

async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error("timed out waiting for the server");
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describeWithTools("Redis start command", ["redis-server", "redis-cli"], (tools) => {
  let server: ChildProcess | undefined;
  const dir = mkdtempSync(join(tmpdir(), "redis-cmd-"));
  afterAll(async () => {
    await stopServer(server);
    rmSync(dir, { recursive: true, force: true });
  });

  it("starts Redis with the password, memory cap and eviction policy", async () => {
    const port = await freePort();
    const command = redisStartCommand({
      maxMemoryMB: 512,
      evictionPolicy: "allkeys-lru",
      appendOnly: false,
    });
    server = startCommand(
      command,
      {
        REDIS_PORT: String(port),
        REDIS_PASSWORD: "pw with spaces $and$ dollars",
        RAILWAY_VOLUME_MOUNT_PATH: dir,
      },
      dirname(tools["redis-server"]!),
    );
    const cli = (...args: string[]): string =>
      execFileSync(tools["redis-cli"]!, ["-p", String(port), "--no-auth-warning", ...args], {
        encoding: "utf8",
      }).trim();
    await waitFor(async () => (cli("ping").length > 0 ? true : undefined));
    expect(cli("ping")).toBe("NOAUTH Authentication required.");
    const authed = (...args: string[]) => cli("-a", "pw with spaces $and$ dollars", ...args);
    expect(authed("ping")).toBe("PONG");
    expect(authed("config", "get", "maxmemory")).toBe(`maxmemory\n${512 * 1024 * 1024}`);
    expect(authed("config", "get", "maxmemory-policy")).toBe("maxmemory-policy\nallkeys-lru");
    expect(authed("config", "get", "appendonly")).toBe("appendonly\nno");
    expect(authed("config", "get", "dir")).toBe(`dir\n${dir}`);
  });
});

describeWithTools("NATS start command", ["nats-server"], (tools) => {
  let server: ChildProcess | undefined;
  const dir = mkdtempSync(join(tmpdir(), "nats-cmd-"));
  afterAll(async () => {
    await stopServer(server);
    rmSync(dir, { recursive: true, force: true });
  });

  /** The server's INFO line, read straight from the protocol. */
  const info = (port: number): Promise<Record<string, unknown> | undefined> =>
    new Promise((resolve, reject) => {
      const socket = new Socket();
      socket.once("error", reject);
      socket.connect(port, "127.0.0.1");
      socket.once("data", (data) => {
        socket.destroy();
        const line = data.toString().split("\r\n")[0];
        resolve(
          line!.startsWith("INFO ")
            ? (JSON.parse(line!.slice(5)) as Record<string, unknown>)
            : undefined,
        );
      });
    });

  it("starts NATS with JetStream on the volume and token auth", async () => {
    const port = await freePort();
    server = startCommand(
      natsStartCommand({ maxStorageMB: 1024 }),
      { NATS_PORT: String(port), NATS_AUTH_TOKEN: "tok3n-value", RAILWAY_VOLUME_MOUNT_PATH: dir },
      dirname(tools["nats-server"]!),
    );
    const details = await waitFor(() => info(port));
    expect(details.auth_required).toBe(true);
    expect(details.jetstream).toBe(true);
    expect(details.port).toBe(port);
  });
});
