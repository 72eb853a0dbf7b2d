/** Authentication: account token, project tokens and their scope, admin endpoints. */
import { ALL_OPERATIONS as OPS } from "../../infra/railway/operations";
import { DOCS, expectResponse, Harness, startHarness } from "./helpers";

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ token: "emu_test_account_token" });
});
afterAll(() => h.close());
beforeEach(() => h.emu.reset());

const NOT_AUTHORIZED_BODY = { data: null, errors: [{ message: "Not Authorized" }] };

test("startEmulator uses the given token and shows it", () => {
  expect(h.emu.token).toBe("emu_test_account_token");
  expect(h.emu.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/graphql\/v2$/);
});

test.each([
  ["no token", {}],
  ["a wrong bearer token", { authorization: "Bearer nope" }],
  ["a malformed Authorization header", { authorization: "emu_test_account_token" }],
  [
    "the account token in the project token header",
    { "project-access-token": "emu_test_account_token" },
  ],
])(
  "%s: HTTP 200 with exactly the GraphQL error Not Authorized, and no side effect",
  async (_name, headers) => {
    const res = expectResponse(
      await h.post(OPS.ProjectCreate!, { input: { name: "x" } }, { headers }),
    );
    expect(res.status).toBe(200);
    expect(res.json).toEqual(NOT_AUTHORIZED_BODY);
    expect(Object.keys(h.emu.state.data.projects)).toEqual([]);
  },
);

test("the bearer scheme is case-insensitive", async () => {
  const res = expectResponse(
    await h.post(
      OPS.ProjectsList!,
      {},
      { headers: { authorization: "bearer emu_test_account_token" } },
    ),
  );
  expect(res.json.errors).toBeUndefined();
});

describe("project tokens", () => {
  let projectId: string;
  let environmentId: string;
  let token: string;
  let other: { projectId: string; environmentId: string };
  let api: string;

  beforeEach(async () => {
    ({ projectId, environmentId } = await h.project("shop"));
    api = await h.service(projectId, "api");
    other = await h.project("other");
    token = (
      await h.data(DOCS.projectTokenCreate, { input: { projectId, environmentId, name: "ci" } })
    ).projectTokenCreate;
  });

  const as = (t: string, headerName = "Project-Access-Token") => ({ headers: { [headerName]: t } });

  test("a project token reads and writes its own project/environment (header name in any case)", async () => {
    for (const name of ["Project-Access-Token", "project-access-token", "PROJECT-ACCESS-TOKEN"]) {
      const d = await h.data(OPS.ProjectGet!, { id: projectId }, as(token, name));
      expect(d.project.id).toBe(projectId);
    }
    await h.data(
      DOCS.patchCommit,
      { environmentId, patch: { services: { [api]: { deploy: { startCommand: "x" } } } } },
      as(token),
    );
    const who = (await h.data(DOCS.projectToken, {}, as(token))).projectToken;
    expect(who).toMatchObject({
      name: "ci",
      projectId,
      environmentId,
      project: { id: projectId },
      environment: { id: environmentId },
    });
    expect(who.displayToken).not.toContain(token);
    const listed = (await h.data(DOCS.projects, {}, as(token))).projects.edges.map(
      (e: any) => e.node.id,
    );
    expect(listed).toEqual([projectId]);
  });

  test("other projects and environments, projectCreate and environment administration are Not Authorized", async () => {
    expect(await h.error(OPS.ProjectGet!, { id: other.projectId }, as(token))).toBe(
      "Not Authorized",
    );
    expect(await h.error(OPS.EnvironmentConfigGet!, { id: other.environmentId }, as(token))).toBe(
      "Not Authorized",
    );
    expect(await h.error(OPS.ProjectCreate!, { input: { name: "x" } }, as(token))).toBe(
      "Not Authorized",
    );
    expect(await h.error(OPS.ProjectDelete!, { id: projectId }, as(token))).toBe("Not Authorized");
    expect(
      await h.error(DOCS.environmentCreate, { input: { projectId, name: "x" } }, as(token)),
    ).toBe("Not Authorized");
    const staging = (
      await h.data(DOCS.environmentCreate, { input: { projectId, name: "staging" } })
    ).environmentCreate.id;
    expect(await h.error(OPS.EnvironmentConfigGet!, { id: staging }, as(token))).toBe(
      "Not Authorized",
    );
    expect(await h.error(DOCS.patchCommit, { environmentId: staging, patch: {} }, as(token))).toBe(
      "Not Authorized",
    );
    expect(Object.keys(h.emu.state.data.projects)).toHaveLength(2);
  });

  test("a project token in the Authorization header, an unknown one, or one whose environment is gone is Not Authorized", async () => {
    expect(
      expectResponse(
        await h.post(
          OPS.ProjectGet!,
          { id: projectId },
          { headers: { authorization: `Bearer ${token}` } },
        ),
      ).json,
    ).toEqual(NOT_AUTHORIZED_BODY);
    expect(
      expectResponse(
        await h.post(
          OPS.ProjectGet!,
          { id: projectId },
          as("00000000-0000-4000-8000-000000000000"),
        ),
      ).json,
    ).toEqual(NOT_AUTHORIZED_BODY);
    await h.data(DOCS.environmentDelete, { id: environmentId });
    expect(
      expectResponse(await h.post(OPS.ProjectGet!, { id: projectId }, as(token))).json,
    ).toEqual(NOT_AUTHORIZED_BODY);
  });

  test("tokens are stored hashed, never in clear", async () => {
    expect(JSON.stringify(h.emu.state.data)).not.toContain(token);
    expect((await h.admin("GET", "/_emulator/state")).text).not.toContain(token);
  });

  test("projectToken with the account token is an error", async () => {
    expect(await h.error(DOCS.projectToken)).toBe("Project token not found");
  });
});

describe("admin endpoints", () => {
  test("require the account bearer token (401 otherwise)", async () => {
    for (const route of [
      "/_emulator/state",
      "/_emulator/requests",
      "/_emulator/counters",
      "/_emulator/faults",
    ]) {
      expect((await h.admin("GET", route, undefined, {})).status).toBe(401);
      expect(
        (await h.admin("GET", route, undefined, { authorization: "Bearer wrong" })).status,
      ).toBe(401);
      expect((await h.admin("GET", route)).status).toBe(200);
    }
    expect((await h.admin("POST", "/_emulator/reset", undefined, {})).status).toBe(401);
    expect((await h.admin("GET", "/_emulator/nope")).status).toBe(404);
  });

  test("POST /_emulator/reset clears state and counters", async () => {
    await h.project("shop");
    expect(Object.keys(h.emu.state.data.projects)).toHaveLength(1);
    expect((await h.admin("POST", "/_emulator/reset")).json).toEqual({ ok: true });
    expect(Object.keys(h.emu.state.data.projects)).toHaveLength(0);
    expect((await h.admin("GET", "/_emulator/counters")).json).toEqual({
      requests: 0,
      reads: 0,
      writes: 0,
      byOperation: {},
      faults: {},
    });
    expect((await h.admin("GET", "/_emulator/requests")).json).toEqual({ requests: [] });
  });
});

test("requests other than POST /graphql/v2 are rejected plainly", async () => {
  expect((await h.admin("GET", "/graphql/v2")).status).toBe(405);
  expect((await h.admin("GET", "/")).status).toBe(404);
  const bad = expectResponse(await h.post("query { nope }"));
  expect(bad.status).toBe(400);
  expect(bad.json.errors[0].message).toBe('Cannot query field "nope" on type "Query".');
});
