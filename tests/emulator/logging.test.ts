/** Request log, counters, document log, and redaction: no secret and no token ever reaches a log. */
import * as fs from "node:fs";
import * as path from "node:path";
import { ALL_OPERATIONS as OPS } from "../../infra/railway/operations";
import { redact } from "../../emulator/redact";
import { startEmulator } from "../../emulator/server";
import { DOCS, Harness, startHarness, tempDir } from "./helpers";

const SECRET = "sup3r-s3cret-value-do-not-log";

describe("redact (pure)", () => {
  test("credential-looking keys, every value of variables maps, and single variable values", () => {
    expect(
      redact({
        input: { name: "DB", value: SECRET, environmentId: "e" },
        patch: {
          services: {
            s: {
              variables: { HARMLESS_NAME: { value: SECRET }, GONE: null },
              deploy: { registryCredentials: { username: "u", password: SECRET } },
            },
          },
          sharedVariables: { X: { value: SECRET } },
        },
        apiKey: SECRET,
        dsn: SECRET,
        nested: [{ password: SECRET, keep: "visible" }],
        variables: { A: SECRET },
      }),
    ).toEqual({
      input: { name: "DB", value: "[redacted]", environmentId: "e" },
      patch: {
        services: {
          s: {
            variables: { HARMLESS_NAME: "[redacted]", GONE: null },
            deploy: { registryCredentials: "[redacted]" },
          },
        },
        sharedVariables: { X: "[redacted]" },
      },
      apiKey: "[redacted]",
      dsn: "[redacted]",
      nested: [{ password: "[redacted]", keep: "visible" }],
      variables: { A: "[redacted]" },
    });
  });
});

describe("request log over HTTP", () => {
  let h: Harness;
  let dir: string;
  let docLog: string;
  beforeAll(async () => {
    dir = tempDir();
    docLog = path.join(dir, "documents.jsonl");
    h = await startHarness({ token: "emu_very_private_token_value", documentLogFile: docLog });
  });
  afterAll(async () => {
    await h.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test("each request is logged with its operation, kind, redacted variables, duration and status", async () => {
    h.emu.reset();
    const { projectId, environmentId } = await h.project("shop");
    const api = await h.service(projectId, "api", {
      variables: { SEED_VALUE: SECRET },
      registryCredentials: { username: "me", password: SECRET },
    });
    await h.commit(environmentId, {
      sharedVariables: { S: { value: SECRET } },
      services: {
        [api]: { variables: { HARMLESS_NAME: { value: SECRET } }, deploy: { startCommand: "run" } },
      },
    });
    await h.data(DOCS.variableUpsert, {
      input: { environmentId, projectId, serviceId: api, name: "ONE", value: SECRET },
    });
    await h.data(DOCS.variableCollectionUpsert, {
      input: { environmentId, projectId, serviceId: api, variables: { MANY: SECRET } },
    });
    await h.op("ProjectGet", { id: projectId });
    await h.gql(OPS.ProjectGet!, { id: "missing" });

    const { requests } = (await h.admin("GET", "/_emulator/requests")).json;
    const text = JSON.stringify(requests);
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain("emu_very_private_token_value");
    expect(requests.map((r: any) => [r.operationName, r.kind, r.status])).toEqual([
      ["ProjectCreate", "mutation", 200],
      ["ServiceCreate", "mutation", 200],
      ["EnvironmentPatchCommit", "mutation", 200],
      ["VariableUpsert", "mutation", 200],
      ["VariableCollectionUpsert", "mutation", 200],
      ["ProjectGet", "query", 200],
      ["ProjectGet", "query", 200],
    ]);
    for (const r of requests) {
      expect(new Date(r.at).toISOString()).toBe(r.at);
      expect(typeof r.durationMs).toBe("number");
    }
    const patch = requests[2].variables.patch;
    expect(patch.services[api]).toEqual({
      variables: { HARMLESS_NAME: "[redacted]" },
      deploy: { startCommand: "run" },
    });
    expect(patch.sharedVariables).toEqual({ S: "[redacted]" });
    expect(requests[1].variables.input.variables).toEqual({ SEED_VALUE: "[redacted]" });
    expect(requests[3].variables.input).toMatchObject({ name: "ONE", value: "[redacted]" });
    expect(requests[6].errors).toEqual(["Project not found"]);
    expect(h.emu.requestLog()).toEqual(requests);
  });

  test("the document log has every document (operation name + query), never variables, secrets or the token", async () => {
    const lines = fs
      .readFileSync(docLog, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines.length).toBeGreaterThanOrEqual(7);
    for (const line of lines) {
      expect(Object.keys(line).sort()).toEqual(["at", "operationName", "query"]);
      expect(typeof line.query).toBe("string");
    }
    expect(lines.map((l) => l.operationName)).toContain("EnvironmentPatchCommit");
    const text = fs.readFileSync(docLog, "utf8");
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain("emu_very_private_token_value");
  });

  test("RAILWAY_EMULATOR_LOG names the document log when no option is given", async () => {
    const file = path.join(dir, "from-env.jsonl");
    const saved = process.env.RAILWAY_EMULATOR_LOG;
    process.env.RAILWAY_EMULATOR_LOG = file;
    try {
      const emu = await startEmulator();
      try {
        await new Harness(emu).op("ProjectsList", {});
      } finally {
        await emu.close();
      }
    } finally {
      if (saved === undefined) delete process.env.RAILWAY_EMULATOR_LOG;
      else process.env.RAILWAY_EMULATOR_LOG = saved;
    }
    const lines = fs
      .readFileSync(file, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.operationName)).toEqual(["ProjectsList"]);
  });
});
