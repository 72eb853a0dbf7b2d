/** Variables: reference rendering (pure and over HTTP), unresolved references, upserts. */
import { renderVariables } from "../../emulator/variables";
import { DOCS, Harness, startHarness } from "./helpers";

describe("renderVariables (pure)", () => {
  const services = {
    Postgres: {
      PGUSER: "app",
      PGPASSWORD: "pw",
      PGHOST: "${{RAILWAY_PRIVATE_DOMAIN}}",
      RAILWAY_PRIVATE_DOMAIN: "postgres.railway.internal",
      DATABASE_URL: "postgresql://${{PGUSER}}:${{ PGPASSWORD }}@${{PGHOST}}:5432/db",
    },
    api: {
      DATABASE_URL: "${{Postgres.DATABASE_URL}}",
      GREETING: "hi ${{shared.NAME}}",
      SELF: "${{GREETING}}!",
      MISSING: "x${{Redis.URL}}y",
      NOVAR: "${{Postgres.NOPE}}",
      LOOP_A: "${{LOOP_B}}",
      LOOP_B: "${{LOOP_A}}",
      FN: "${{secret(32)}}",
      CASE: "${{postgres.PGUSER}}",
    },
  };
  const shared = { NAME: "world", FROM_SERVICE: "${{Postgres.PGUSER}}" };

  test("resolves ${{Service.VAR}}, ${{VAR}}, ${{shared.VAR}}, recursively", () => {
    const { variables } = renderVariables({ serviceName: "api", services, shared });
    expect(variables.DATABASE_URL).toBe("postgresql://app:pw@postgres.railway.internal:5432/db");
    expect(variables.GREETING).toBe("hi world");
    expect(variables.SELF).toBe("hi world!");
  });

  test("unresolvable references render as empty strings and are reported", () => {
    const { variables, unresolved } = renderVariables({ serviceName: "api", services, shared });
    expect(variables.MISSING).toBe("xy");
    expect(variables.NOVAR).toBe("");
    expect(variables.FN).toBe("");
    expect(variables.CASE).toBe(""); // service names are case-sensitive
    expect(variables.LOOP_A).toBe("");
    expect(unresolved).toEqual(
      expect.arrayContaining([
        {
          variable: "MISSING",
          reference: "Redis.URL",
          reason: 'no service named "Redis" in this environment',
        },
        {
          variable: "NOVAR",
          reference: "Postgres.NOPE",
          reason: 'variable "NOPE" is not defined on service "Postgres"',
        },
        { variable: "FN", reference: "secret(32)", reason: "unsupported reference expression" },
        {
          variable: "CASE",
          reference: "postgres.PGUSER",
          reason: 'no service named "postgres" in this environment',
        },
        { variable: "LOOP_A", reference: "LOOP_A", reason: "circular reference" },
      ]),
    );
    expect(unresolved.filter((u) => u.variable === "DATABASE_URL")).toEqual([]);
  });

  test("shared variables render too (serviceName null)", () => {
    expect(renderVariables({ serviceName: null, services, shared }).variables).toEqual({
      NAME: "world",
      FROM_SERVICE: "app",
    });
  });
});

describe("variables over the API", () => {
  let h: Harness;
  let projectId: string;
  let environmentId: string;
  let pg: string;
  let api: string;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());
  beforeEach(async () => {
    h.emu.reset();
    ({ projectId, environmentId } = await h.project("shop"));
    pg = await h.service(projectId, "Postgres");
    // With a source: a service without one gets no deployments.
    api = await h.service(projectId, "api", { source: { image: "ghcr.io/acme/api:1.0.0" } });
    await h.commit(environmentId, {
      sharedVariables: { LOG_FORMAT: { value: "json" } },
      services: {
        [pg]: {
          variables: {
            POSTGRES_PASSWORD: { value: "s3cret" },
            DATABASE_URL: {
              value: "postgresql://app:${{POSTGRES_PASSWORD}}@${{RAILWAY_PRIVATE_DOMAIN}}:5432/app",
            },
          },
          networking: { tcpProxies: { "5432": {} } },
        },
        [api]: {
          variables: {
            DATABASE_URL: { value: "${{Postgres.DATABASE_URL}}" },
            LOG_FORMAT: { value: "${{shared.LOG_FORMAT}}" },
            PUBLIC_URL: { value: "https://${{RAILWAY_PUBLIC_DOMAIN}}" },
          },
        },
      },
    });
  });

  test("unrendered returns values as written; rendered resolves references and adds RAILWAY_* variables", async () => {
    const raw = (
      await h.data(DOCS.variables, { environmentId, projectId, serviceId: api, unrendered: true })
    ).variables;
    expect(raw).toEqual({
      DATABASE_URL: "${{Postgres.DATABASE_URL}}",
      LOG_FORMAT: "${{shared.LOG_FORMAT}}",
      PUBLIC_URL: "https://${{RAILWAY_PUBLIC_DOMAIN}}",
    });
    await h.data(DOCS.serviceDomainCreate, {
      input: { environmentId, serviceId: api, targetPort: 8080 },
    });
    const rendered = (await h.data(DOCS.variables, { environmentId, projectId, serviceId: api }))
      .variables;
    expect(rendered).toMatchObject({
      DATABASE_URL: "postgresql://app:s3cret@postgres.railway.internal:5432/app",
      LOG_FORMAT: "json",
      RAILWAY_PRIVATE_DOMAIN: "api.railway.internal",
      RAILWAY_ENVIRONMENT_NAME: "production",
      RAILWAY_SERVICE_NAME: "api",
      RAILWAY_PROJECT_NAME: "shop",
    });
    expect(rendered.PUBLIC_URL).toMatch(/^https:\/\/api-production-[0-9a-f]{4}\.up\.railway\.app$/);
    expect(rendered.RAILWAY_PUBLIC_DOMAIN).toBe(rendered.PUBLIC_URL.slice("https://".length));
    const pgVars = (
      await h.data(DOCS.variablesForDeployment, { environmentId, projectId, serviceId: pg })
    ).variablesForServiceDeployment;
    expect(pgVars.RAILWAY_TCP_PROXY_DOMAIN).toMatch(/\.proxy\.rlwy\.net$/);
    expect(Number(pgVars.RAILWAY_TCP_PROXY_PORT)).toBeGreaterThanOrEqual(10000);
    const shared = (await h.data(DOCS.variables, { environmentId, projectId })).variables;
    expect(shared).toEqual({ LOG_FORMAT: "json" });
  });

  test("environmentPatchCommit sets, changes and removes (null) shared variables; ${{shared.KEY}} follows", async () => {
    const rendered = async () =>
      (await h.data(DOCS.variables, { environmentId, projectId, serviceId: api })).variables;
    await h.commit(environmentId, {
      sharedVariables: { REGION_LABEL: { value: "eu" }, KEPT: { value: "k" } },
      services: { [api]: { variables: { LABEL: { value: "at ${{shared.REGION_LABEL}}" } } } },
    });
    expect((await rendered()).LABEL).toBe("at eu");

    await h.commit(environmentId, { sharedVariables: { REGION_LABEL: { value: "us" } } });
    expect((await rendered()).LABEL).toBe("at us");
    expect(
      (await h.data(DOCS.variables, { environmentId, projectId, unrendered: true })).variables,
    ).toEqual({ LOG_FORMAT: "json", REGION_LABEL: "us", KEPT: "k" });

    await h.commit(environmentId, { sharedVariables: { REGION_LABEL: null } });
    expect((await rendered()).LABEL).toBe("at ");
    expect(
      (await h.data(DOCS.variables, { environmentId, projectId, unrendered: true })).variables,
    ).toEqual({ LOG_FORMAT: "json", KEPT: "k" });
    const state = (await h.admin("GET", "/_emulator/state")).json;
    expect(
      state.unresolvedReferences.filter(
        (u: { environmentId: string; variable: string }) =>
          u.environmentId === environmentId && u.variable === "LABEL",
      ),
    ).toEqual([
      {
        projectId,
        environmentId,
        environmentName: "production",
        serviceId: api,
        serviceName: "api",
        variable: "LABEL",
        reference: "shared.REGION_LABEL",
        reason: 'shared variable "REGION_LABEL" is not defined',
      },
    ]);
  });

  test("a shared variable that is not { value } is refused", async () => {
    expect(
      await h.error(DOCS.patchCommit, {
        environmentId,
        patch: { sharedVariables: { BAD: "plain" } },
        commitMessage: "test",
      }),
    ).toBe('Invalid patch: sharedVariables.BAD must be an object like {"value": "..."} or null');
  });

  test("an unresolvable reference renders empty, lands in the deployment meta and in /_emulator/state", async () => {
    await h.commit(environmentId, {
      services: { [api]: { variables: { REDIS_URL: { value: "${{Redis.REDIS_URL}}" } } } },
    });
    expect(
      (await h.data(DOCS.variables, { environmentId, projectId, serviceId: api })).variables
        .REDIS_URL,
    ).toBe("");
    const [latest] = await h.deployments({ serviceId: api });
    expect(latest.meta.unresolvedReferences).toEqual(
      expect.arrayContaining([
        {
          variable: "REDIS_URL",
          reference: "Redis.REDIS_URL",
          reason: 'no service named "Redis" in this environment',
        },
      ]),
    );
    const state = (await h.admin("GET", "/_emulator/state")).json;
    expect(state.unresolvedReferences).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          environmentId,
          serviceId: api,
          serviceName: "api",
          variable: "REDIS_URL",
          reference: "Redis.REDIS_URL",
        }),
      ]),
    );
  });

  test("variableCollectionUpsert (merge and replace), variableUpsert, variableDelete; deploys unless skipDeploys", async () => {
    const before = (await h.deployments({ serviceId: api })).length;
    await h.data(DOCS.variableCollectionUpsert, {
      input: {
        environmentId,
        projectId,
        serviceId: api,
        variables: { A: "1", B: "2" },
        skipDeploys: true,
      },
    });
    expect((await h.deployments({ serviceId: api })).length).toBe(before);
    await h.data(DOCS.variableUpsert, {
      input: { environmentId, projectId, serviceId: api, name: "C", value: "3" },
    });
    expect((await h.deployments({ serviceId: api })).length).toBe(before + 1);
    await h.data(DOCS.variableDelete, {
      input: { environmentId, projectId, serviceId: api, name: "A" },
    });
    let raw = (
      await h.data(DOCS.variables, { environmentId, projectId, serviceId: api, unrendered: true })
    ).variables;
    expect(Object.keys(raw).sort()).toEqual(["B", "C", "DATABASE_URL", "LOG_FORMAT", "PUBLIC_URL"]);
    await h.data(DOCS.variableCollectionUpsert, {
      input: { environmentId, projectId, serviceId: api, variables: { ONLY: "x" }, replace: true },
    });
    raw = (
      await h.data(DOCS.variables, { environmentId, projectId, serviceId: api, unrendered: true })
    ).variables;
    expect(raw).toEqual({ ONLY: "x" });
    await h.data(DOCS.variableCollectionUpsert, {
      input: { environmentId, projectId, variables: { SHARED_X: "y" } },
    });
    expect(
      (await h.data(DOCS.variables, { environmentId, projectId, unrendered: true })).variables,
    ).toEqual({ LOG_FORMAT: "json", SHARED_X: "y" });
    expect(
      await h.error(DOCS.variableUpsert, {
        input: { environmentId, projectId, serviceId: "nope", name: "A", value: "1" },
      }),
    ).toBe("Service not found");
    expect(await h.error(DOCS.variables, { environmentId: "nope", projectId })).toBe(
      "Environment not found",
    );
    expect(
      await h.error(DOCS.variableCollectionUpsert, {
        input: { environmentId, projectId, variables: { N: 5 } },
      }),
    ).toBe('Invalid variables: the value of "N" must be a string or null');
  });

  test("sealed variables are never returned, rendered or not", async () => {
    await h.commit(environmentId, {
      services: { [api]: { variables: { TOKEN: { value: "t0k3n", isSealed: true } } } },
    });
    for (const unrendered of [true, false]) {
      expect(
        (await h.data(DOCS.variables, { environmentId, projectId, serviceId: api, unrendered }))
          .variables.TOKEN,
      ).toBe("*****");
    }
  });
});
