import { RANDOM_PASSWORD_TYPE } from "../../policies/lib/contract";
import { railwayPasswordRequireMinLength as policy } from "../../policies/rules/railwayPasswordRequireMinLength";
import { app, SI } from "./fixtures";
import { runResource, UNKNOWN_NUMBER } from "./helpers";

const MESSAGE = (min: number, shown: string) =>
  `Generated secret "api-secret-key" must be at least ${min} characters long (length is ${shown}). Fix: create RandomPassword "api-secret-key" with length ${min} or more in its component.`;
const name = "api-secret-key";

describe(policy.name, () => {
  it.each([32, 64])("passes length %d", async (length) => {
    expect(
      await runResource(policy, RANDOM_PASSWORD_TYPE, { length, special: false }, { name }),
    ).toEqual({
      violations: [],
    });
  });

  it("fails a short secret in production, as mandatory", async () => {
    const result = await runResource(policy, RANDOM_PASSWORD_TYPE, { length: 16 }, { name });
    expect(result.violations).toEqual([{ message: MESSAGE(32, "16"), level: "mandatory" }]);
  });

  it("fails a secret without a length", async () => {
    const result = await runResource(policy, RANDOM_PASSWORD_TYPE, {}, { name });
    expect(result.violations).toEqual([{ message: MESSAGE(32, "not set"), level: "mandatory" }]);
  });

  it.each(["preview", "pr-2", "dev"])("warns (advisory) in stack %s", async (stack) => {
    const result = await runResource(policy, RANDOM_PASSWORD_TYPE, { length: 16 }, { name, stack });
    expect(result.violations).toEqual([{ message: MESSAGE(32, "16"), level: "advisory" }]);
  });

  it("is mandatory in a stack tagged railway:tier=production", async () => {
    const result = await runResource(
      policy,
      RANDOM_PASSWORD_TYPE,
      { length: 16 },
      { name, stack: "live", tags: { "railway:tier": "production" } },
    );
    expect(result.violations.map((v) => v.level)).toEqual(["mandatory"]);
  });

  it("takes minLength from the policy config", async () => {
    const result = await runResource(
      policy,
      RANDOM_PASSWORD_TYPE,
      { length: 48 },
      { name, config: { minLength: 64 } },
    );
    expect(result.violations).toEqual([{ message: MESSAGE(64, "48"), level: "mandatory" }]);
  });

  it("skips an unknown length", async () => {
    expect(
      await runResource(policy, RANDOM_PASSWORD_TYPE, { length: UNKNOWN_NUMBER }, { name }),
    ).toEqual({
      violations: [],
    });
  });

  it("is not applicable to other types", async () => {
    expect((await runResource(policy, SI, app())).notApplicable).toBe(
      `Only judges ${RANDOM_PASSWORD_TYPE}.`,
    );
  });
});
