import { railwayNatsRequireAuth as policy } from "../../policies/rules/railwayNatsRequireAuth";
import { nats, redis, SI } from "./fixtures";
import { runResource, UNKNOWN_OBJECT } from "./helpers";

const FIX =
  'Fix: start nats-server with --auth "$NATS_AUTH_TOKEN" (or an authorization token from $NATS_AUTH_TOKEN) in the nats component.';
const NO_AUTH = `NATS service "nats" must require a token (its start command turns no auth on). ${FIX}`;
const LITERAL = `NATS service "nats" must take its token from the NATS_AUTH_TOKEN secret variable, not a literal in its start command. ${FIX}`;
const NO_SECRET =
  'NATS service "nats" must keep its token in the secret variable NATS_AUTH_TOKEN. Fix: set secretVariables.NATS_AUTH_TOKEN from a generated RandomPassword in the nats component.';

describe(policy.name, () => {
  it.each(["production", "preview", "pr-1"])(
    "passes NATS as the nats component declares it (config-file token), in stack %s",
    async (stack) => {
      expect(
        await runResource(policy, SI, nats(stack === "production" ? "production" : "preview"), {
          stack,
        }),
      ).toEqual({ violations: [] });
    },
  );

  it.each([
    "nats-server -js --auth $NATS_AUTH_TOKEN",
    'nats-server --auth="${NATS_AUTH_TOKEN}"',
    "nats-server --auth ${{NATS_AUTH_TOKEN}}",
  ])("passes start command %j", async (startCommand) => {
    expect(
      await runResource(
        policy,
        SI,
        nats("production", (p) => (p.deploy.startCommand = startCommand)),
      ),
    ).toEqual({ violations: [] });
  });

  it("fails a config-file token that is a literal", async () => {
    const command = `sh -c 'printf "authorization {\\n  token: \\"s3cr3t\\"\\n}\\n" > /tmp/nats.conf && exec nats-server -c /tmp/nats.conf'`;
    const result = await runResource(
      policy,
      SI,
      nats("production", (p) => (p.deploy.startCommand = command)),
    );
    expect(result.violations).toEqual([{ message: LITERAL, level: "mandatory" }]);
  });

  it("fails no --auth", async () => {
    const result = await runResource(
      policy,
      SI,
      nats(
        "production",
        (p) => (p.deploy.startCommand = "nats-server --jetstream --store_dir /data"),
      ),
    );
    expect(result.violations).toEqual([{ message: NO_AUTH, level: "mandatory" }]);
  });

  it("does not take --authorization-file style flags for --auth", async () => {
    const result = await runResource(
      policy,
      SI,
      nats("production", (p) => (p.deploy.startCommand = "nats-server --auth_file x")),
    );
    expect(result.violations).toEqual([{ message: NO_AUTH, level: "mandatory" }]);
  });

  it("fails a literal token", async () => {
    const result = await runResource(
      policy,
      SI,
      nats("production", (p) => (p.deploy.startCommand = "nats-server -js --auth s3cr3t")),
    );
    expect(result.violations).toEqual([{ message: LITERAL, level: "mandatory" }]);
  });

  it("fails a token that is not a secret variable", async () => {
    const result = await runResource(
      policy,
      SI,
      nats("production", (p) => (p.secretVariables = { OTHER: "x" })),
    );
    expect(result.violations).toEqual([{ message: NO_SECRET, level: "mandatory" }]);
  });

  it("warns (advisory) outside production", async () => {
    const result = await runResource(
      policy,
      SI,
      nats("preview", (p) => (p.secretVariables = {})),
      { stack: "preview" },
    );
    expect(result.violations).toEqual([{ message: NO_SECRET, level: "advisory" }]);
  });

  it("skips unknown secret variables", async () => {
    expect(
      await runResource(
        policy,
        SI,
        nats("production", (p) => (p.secretVariables = UNKNOWN_OBJECT)),
      ),
    ).toEqual({ violations: [] });
  });

  it("is not applicable to other services", async () => {
    expect((await runResource(policy, SI, redis())).notApplicable).toBe(
      "Only judges nats services.",
    );
  });
});
