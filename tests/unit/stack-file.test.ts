/**
 * Tests read the shipped stack files through tests/helpers/stack-file.ts, which leaves behind what
 * a user's own `pulumi` commands wrote into them (salt, secure values), so `npm test` passes after
 * `npm start` and a hand-run `pulumi preview` in the same checkout.
 */
import { parse } from "yaml";
import { fitStackFile, shippedStackConfig } from "../helpers/stack-file";

const USER_FILE = `config:
  railway-stacks:app:
    tier: dev
  railway-stacks:openaiApiKey:
    secure: v1:userCiphertext
  railway-stacks:prBranch: ""
encryptionsalt: v1:userSalt
`;

describe("fitStackFile", () => {
  it("drops the salt and the secure values that came from another secrets manager", () => {
    expect(fitStackFile(USER_FILE)).toBe(`config:
  railway-stacks:app:
    tier: dev
  railway-stacks:prBranch: ""
`);
  });

  it("keeps the salt and the secure values the scratch stack wrote itself", () => {
    const own = `encryptionsalt: v1:scratchSalt
config:
  railway-stacks:railwayToken:
    secure: v1:scratchCiphertext
`;
    expect(parse(fitStackFile(USER_FILE, own))).toEqual({
      config: {
        "railway-stacks:app": { tier: "dev" },
        "railway-stacks:prBranch": "",
        "railway-stacks:railwayToken": { secure: "v1:scratchCiphertext" },
      },
      encryptionsalt: "v1:scratchSalt",
    });
  });

  it("drops every kind of secrets-manager setting (passphrase salt, cloud KMS key)", () => {
    const kms = `secretsprovider: awskms://alias/x
encryptedkey: AQIC
config:
  railway-stacks:app:
    tier: production
`;
    expect(fitStackFile(kms)).toBe(`config:
  railway-stacks:app:
    tier: production
`);
  });
});

describe("shippedStackConfig", () => {
  it.each(["dev", "preview", "production"])(
    "reads %s's declaration without secure values",
    (stack) => {
      const config = shippedStackConfig(stack);
      expect(Object.keys(config)).toContain("railway-stacks:app");
      for (const value of Object.values(config))
        expect(typeof value === "object" && value !== null && "secure" in value).toBe(false);
    },
  );
});
