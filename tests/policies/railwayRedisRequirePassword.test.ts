import { railwayRedisRequirePassword as policy } from "../../policies/rules/railwayRedisRequirePassword";
import { app, redis, SI } from "./fixtures";
import { runResource, UNKNOWN_OBJECT, UNKNOWN_STRING } from "./helpers";

const FIX = 'Fix: start redis-server with --requirepass "$REDIS_PASSWORD" in the redis component.';
const NO_FLAG = `Redis service "redis" must require a password (its start command has no --requirepass). ${FIX}`;
const LITERAL = `Redis service "redis" must take its password from the REDIS_PASSWORD secret variable, not a literal in its start command. ${FIX}`;
const NO_SECRET =
  'Redis service "redis" must keep its password in the secret variable REDIS_PASSWORD. Fix: set secretVariables.REDIS_PASSWORD from a generated RandomPassword in the redis component.';

describe(policy.name, () => {
  it.each(["production", "preview", "pr-1"])(
    "passes Redis as the redis component declares it, in stack %s",
    async (stack) => {
      expect(
        await runResource(policy, SI, redis(stack === "production" ? "production" : "preview"), {
          stack,
        }),
      ).toEqual({ violations: [] });
    },
  );

  it.each([
    "redis-server --requirepass ${REDIS_PASSWORD}",
    'redis-server --requirepass="$REDIS_PASSWORD"',
    "/bin/sh -c 'exec redis-server --requirepass ${{REDIS_PASSWORD}} --dir /data'",
  ])("passes start command %j", async (startCommand) => {
    expect(
      await runResource(
        policy,
        SI,
        redis("production", (p) => (p.deploy.startCommand = startCommand)),
      ),
    ).toEqual({ violations: [] });
  });

  it("fails no --requirepass", async () => {
    const result = await runResource(
      policy,
      SI,
      redis("production", (p) => (p.deploy.startCommand = "redis-server --appendonly yes")),
    );
    expect(result.violations).toEqual([{ message: NO_FLAG, level: "mandatory" }]);
  });

  it("fails no start command", async () => {
    const result = await runResource(
      policy,
      SI,
      redis("production", (p) => delete p.deploy.startCommand),
    );
    expect(result.violations).toEqual([{ message: NO_FLAG, level: "mandatory" }]);
  });

  it("fails a literal password", async () => {
    const result = await runResource(
      policy,
      SI,
      redis("production", (p) => (p.deploy.startCommand = "redis-server --requirepass hunter2")),
    );
    expect(result.violations).toEqual([{ message: LITERAL, level: "mandatory" }]);
  });

  it("fails a password that is not a secret variable", async () => {
    const result = await runResource(
      policy,
      SI,
      redis("production", (p) => (p.secretVariables = {})),
    );
    expect(result.violations).toEqual([{ message: NO_SECRET, level: "mandatory" }]);
  });

  it.each(["preview", "pr-8", "dev"])("warns (advisory) in stack %s", async (stack) => {
    const props = redis("preview", (p) => {
      p.deploy.startCommand = "redis-server";
      p.secretVariables = {};
    });
    const result = await runResource(policy, SI, props, { stack });
    expect(result.violations).toEqual([
      { message: NO_FLAG, level: "advisory" },
      { message: NO_SECRET, level: "advisory" },
    ]);
  });

  it("skips unknown values", async () => {
    const props = redis("production", (p) => {
      p.deploy.startCommand = UNKNOWN_STRING;
      p.secretVariables = UNKNOWN_OBJECT;
    });
    expect(await runResource(policy, SI, props)).toEqual({ violations: [] });
  });

  it("is not applicable to other services", async () => {
    expect((await runResource(policy, SI, app())).notApplicable).toBe(
      "Only judges redis services.",
    );
  });
});
