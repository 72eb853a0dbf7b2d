/**
 * declareSharedVariables: the stack file's `sharedVariables` as one SharedVariables resource,
 * each kind mapped as app services map theirs (run under Pulumi's mocks).
 */
import * as pulumi from "@pulumi/pulumi";

import { declareSharedVariables } from "../../infra/components/shared-variables";
import type { StackConfig } from "../../infra/config";
import { TYPE_TOKENS } from "../../infra/domain/types";

interface Declared {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
}

/** How the engine marks a secret value: `{ [specialSigKey]: specialSecretSig, value }` (@pulumi/pulumi runtime/rpc). */
const SECRET_SIG = "4dabf18193072939515e22adb298388d";
const SECRET_VALUE = "1b47061264138c4ac30d75fd1eb44270";

const unwrap = <T>(output: pulumi.Output<T>): Promise<T> =>
  new Promise((resolve) => output.apply((value) => resolve(value)));

/** Runs `declare` under mocks inside a parent component; returns what was declared. */
async function declared(
  variables: StackConfig["sharedVariables"],
): Promise<{ resources: Declared[]; returned: boolean; secret?: boolean }> {
  const resources: Declared[] = [];
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        if (args.type !== "pulumi:pulumi:Stack")
          resources.push({ type: args.type, name: args.name, inputs: args.inputs });
        const state =
          args.type === "random:index/randomPassword:RandomPassword"
            ? { ...args.inputs, result: `generated-${args.inputs.length}` }
            : args.inputs;
        return { id: `${args.name}-id`, state };
      },
      call: (args) => args.inputs,
    },
    "railway-stacks",
    "dev",
    false,
  );
  let returned = false;
  let secret: boolean | undefined;
  await pulumi.runtime.runInPulumiStack(async () => {
    const parent = new pulumi.ComponentResource("test:index:Parent", "dev", {});
    const resource = declareSharedVariables(
      "dev",
      { projectId: "p-1", environmentId: "e-1", tier: "dev", variables },
      parent,
    );
    returned = resource !== undefined;
    if (resource) {
      await unwrap(resource.secretVariables);
      secret = await pulumi.isSecret(resource.secretVariables);
    }
    return undefined;
  });
  await pulumi.runtime.disconnect();
  return { resources, returned, ...(secret === undefined ? {} : { secret }) };
}

describe("declareSharedVariables", () => {
  it("maps every kind: plain and references as variables, secrets and generated ones as secret variables", async () => {
    const { resources, returned, secret } = await declared({
      LOG_LEVEL: { kind: "plain", value: "info" },
      TOKEN_TTL_SECONDS: { kind: "plain", value: "3600", notSecret: true },
      DATABASE_URL: { kind: "reference", service: "postgres", variable: "DATABASE_URL" },
      ALIAS: { kind: "reference", service: "shared", variable: "LOG_LEVEL" },
      STRIPE_KEY: { kind: "secret", configKey: "stripeKey", value: pulumi.secret("sk_test_1") },
      SIGNING_KEY: { kind: "generated", length: 48 },
    });
    expect(returned).toBe(true);
    expect(secret).toBe(true);
    expect(resources.map((r) => [r.type, r.name])).toEqual([
      ["test:index:Parent", "dev"],
      ["random:index/randomPassword:RandomPassword", "dev-shared-signing-key"],
      [TYPE_TOKENS.sharedVariables, "dev-shared-variables"],
    ]);
    expect(resources[1]!.inputs).toEqual({ length: 48, special: false });
    const { __provider: provider, ...inputs } = resources[2]!.inputs;
    expect(typeof provider).toBe("string");
    expect(inputs).toEqual({
      projectId: "p-1",
      environmentId: "e-1",
      variables: {
        LOG_LEVEL: "info",
        TOKEN_TTL_SECONDS: "3600",
        DATABASE_URL: "${{postgres.DATABASE_URL}}",
        ALIAS: "${{shared.LOG_LEVEL}}",
      },
      // A secret on the wire (Pulumi's secret signature): never a plain input.
      secretVariables: {
        [SECRET_SIG]: SECRET_VALUE,
        value: { STRIPE_KEY: "sk_test_1", SIGNING_KEY: "generated-48" },
      },
      notSecretVariables: ["TOKEN_TTL_SECONDS"],
      tier: "dev",
    });
  });

  it("declares nothing without shared variables", async () => {
    const { resources, returned } = await declared({});
    expect(returned).toBe(false);
    expect(resources.map((r) => r.type)).toEqual(["test:index:Parent"]);
  });
});
