/**
 * A new user's day in a fresh checkout: `npm start` (the dev stack against the local emulator),
 * then `pulumi preview -s dev` by hand — which writes an `encryptionsalt` for the user's local
 * passphrase into Pulumi.dev.yaml — then `npm test`. The tests must not depend on what the user's
 * commands did to the checkout: they work on copies of the stack files fit for their own scratch
 * backend (tests/helpers/stack-file.ts). Runs in a copy of this checkout, set up by the README's
 * own commands (toolchain from the machine cache, `npm ci`).
 */
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describeE2E, expectSuccess, run } from "../helpers/pulumi-cli";
import { REPO_ROOT } from "../helpers/stack-file";

jest.setTimeout(900_000);

/** The files of this checkout a clone would have (tracked, or new and not ignored). */
async function copyCheckout(target: string): Promise<void> {
  const listed = expectSuccess(
    await run("git", ["ls-files", "-co", "--exclude-standard", "-z"], {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH },
    }),
  );
  for (const file of listed.stdout.split("\0").filter(Boolean)) {
    if (!existsSync(join(REPO_ROOT, file))) continue; // deleted in the work tree
    mkdirSync(dirname(join(target, file)), { recursive: true });
    cpSync(join(REPO_ROOT, file), join(target, file));
  }
}

/** Machine-wide settings a user's shell has too (where the toolchain's caches and sources are). */
const MACHINE_SETTINGS = new Set(["RAILWAY_MACHINE_CACHE", "RAILWAY_PULUMI_GO_SRC"]);

/**
 * A user's shell: the machine's environment without what this checkout's toolchain and tests put
 * there (its tools on PATH, Pulumi settings, Railway endpoint and token, npm's and jest's variables).
 */
function userEnvironment(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env))
    if (
      MACHINE_SETTINGS.has(key) ||
      !/^(PULUMI_|RAILWAY_|npm_|INIT_CWD$|JEST_WORKER_ID$)/.test(key)
    )
      env[key] = value;
  env.PATH = (process.env.PATH ?? "")
    .split(":")
    .filter((entry) => entry && !entry.startsWith(REPO_ROOT))
    .join(":");
  return env;
}

describeE2E("a user's checkout: npm start, pulumi preview by hand, then npm test", () => {
  let parent: string;
  let checkout: string;
  const env = userEnvironment();

  beforeAll(async () => {
    parent = mkdtempSync(join(tmpdir(), "railway-stacks-checkout-"));
    checkout = join(parent, "main");
    await copyCheckout(checkout);
    const shared = join(REPO_ROOT, "..", "shared");
    if (existsSync(shared)) symlinkSync(shared, join(parent, "shared"));
  });
  afterAll(() => {
    if (parent) rmSync(parent, { recursive: true, force: true });
  });

  it("npm start brings up dev against the emulator", async () => {
    const result = await run("npm", ["start"], { cwd: checkout, env, timeoutMs: 600_000 });
    expectSuccess(result);
    expect(result.output).toContain(
      "==> No RAILWAY_API_TOKEN: using the local Railway API emulator at http://127.0.0.1:",
    );
    expect(result.output).toContain("==> Stack dev is up. Service URLs:");
  });

  it("pulumi preview -s dev by hand writes the user's salt into Pulumi.dev.yaml", async () => {
    await run(
      "bash",
      ["scripts/with-toolchain.sh", "pulumi", "preview", "-s", "dev", "--non-interactive"],
      {
        cwd: checkout,
        env,
      },
    );
    expect(readFileSync(join(checkout, "Pulumi.dev.yaml"), "utf8")).toMatch(
      /^encryptionsalt: v1:/m,
    );
  });

  it("npm test then passes the suites that use the shipped stack files", async () => {
    const result = await run(
      "npm",
      ["test", "--", "tests/e2e/credentials.test.ts", "tests/unit/stack-file.test.ts"],
      { cwd: checkout, env, timeoutMs: 600_000 },
    );
    expectSuccess(result);
    expect(result.output).toMatch(/Test Suites: 2 passed, 2 total/);
    expect(result.output).toMatch(/Tests: +8 passed, 8 total/);
  });
});
