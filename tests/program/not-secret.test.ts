/**
 * `{ notSecret: <value> }` in the stack file: a plain variable whose name reaches the
 * ServiceInstance's `notSecretVariables`, so the secrets policy skips it; no other input changes.
 */
import { parse } from "yaml";
import { readFileSync } from "node:fs";
import { join } from "node:path";

import { REPO_ROOT, runProgram, stackConfig, type DeclaredResource } from "../helpers/program";
import { input } from "./expectations";

let marked: DeclaredResource[];
let shipped: DeclaredResource[];

beforeAll(async () => {
  const file = parse(readFileSync(join(REPO_ROOT, "Pulumi.dev.yaml"), "utf8")) as {
    config: { "railway-stacks:app": { services: Record<string, { variables: object }> } };
  };
  const app = file.config["railway-stacks:app"];
  Object.assign(app.services.backend!.variables, {
    TOKEN_TTL_SECONDS: { notSecret: 3600 },
    PUBLIC_FORM_URL: { notSecret: "https://forms.acme.dev/f?key=public-form-7" },
  });
  ({ resources: marked } = await runProgram(
    "dev",
    stackConfig("dev", { "railway-stacks:app": app }),
  ));
  ({ resources: shipped } = await runProgram("dev", stackConfig("dev")));
});

describe("variables declared not secret", () => {
  it("are plain variables with their value", () => {
    expect(input(marked, "railway-backend-instance", "variables")).toMatchObject({
      TOKEN_TTL_SECONDS: "3600",
      PUBLIC_FORM_URL: "https://forms.acme.dev/f?key=public-form-7",
    });
  });

  it("are named, sorted, in notSecretVariables of their service only", () => {
    expect(input(marked, "railway-backend-instance", "notSecretVariables")).toEqual([
      "PUBLIC_FORM_URL",
      "TOKEN_TTL_SECONDS",
    ]);
    expect(input(marked, "railway-frontend-instance", "notSecretVariables")).toBeUndefined();
  });

  it("leave stacks that use none without the input", () => {
    for (const resource of shipped)
      expect(resource.inputs).not.toHaveProperty("notSecretVariables");
  });
});
