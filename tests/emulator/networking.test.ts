import { startEmulator } from "../../emulator/server";

/** Service domains, custom domains and TCP proxies. */
import { ALL_OPERATIONS as OPS } from "../../infra/railway/operations";
import { DOCS, Harness, startHarness } from "./helpers";

let h: Harness;
let projectId: string;
let environmentId: string;
let api: string;
beforeAll(async () => {
  h = await startHarness({ seed: 7 });
});
afterAll(() => h.close());
beforeEach(async () => {
  h.emu.reset();
  ({ projectId, environmentId } = await h.project("shop"));
  api = await h.service(projectId, "My API");
});

describe("service domains", () => {
  test("serviceDomainCreate generates <service>-<env>-<4 hex>.up.railway.app and mirrors it in the config", async () => {
    const d = (
      await h.op("ServiceDomainCreate", {
        input: { environmentId, serviceId: api, targetPort: 8080 },
      })
    ).serviceDomainCreate;
    expect(d.domain).toMatch(/^my-api-production-[0-9a-f]{4}\.up\.railway\.app$/);
    expect(d.targetPort).toBe(8080);
    const full = (
      await h.data(
        `query($e: String!, $p: String!, $s: String!) { domains(environmentId: $e, projectId: $p, serviceId: $s) { serviceDomains { id domain suffix syncStatus environmentId serviceId projectId } } }`,
        { e: environmentId, p: projectId, s: api },
      )
    ).domains.serviceDomains[0];
    expect(full).toEqual({
      id: d.id,
      domain: d.domain,
      suffix: "up.railway.app",
      syncStatus: "ACTIVE",
      environmentId,
      serviceId: api,
      projectId,
    });
    expect((await h.config(environmentId)).config.services[api].networking).toEqual({
      serviceDomains: { [d.domain]: { port: 8080 } },
    });
  });

  test("generated domains are deterministic under a seed", async () => {
    const first = (await h.op("ServiceDomainCreate", { input: { environmentId, serviceId: api } }))
      .serviceDomainCreate.domain;
    h.emu.reset();
    ({ projectId, environmentId } = await h.project("shop"));
    api = await h.service(projectId, "My API");
    const again = (await h.op("ServiceDomainCreate", { input: { environmentId, serviceId: api } }))
      .serviceDomainCreate.domain;
    expect(again).toBe(first);
  });

  test("only one service domain per service instance", async () => {
    await h.op("ServiceDomainCreate", { input: { environmentId, serviceId: api } });
    expect(
      await h.error(OPS.ServiceDomainCreate!, { input: { environmentId, serviceId: api } }),
    ).toBe("Only one service domain is allowed per service instance");
    expect(
      await h.error(OPS.EnvironmentPatchCommit!, {
        environmentId,
        patch: {
          services: { [api]: { networking: { serviceDomains: { "second.up.railway.app": {} } } } },
        },
      }),
    ).toBe("Only one service domain is allowed per service instance");
  });

  test("errors: unknown environment/service, bad port", async () => {
    expect(
      await h.error(OPS.ServiceDomainCreate!, { input: { environmentId: "nope", serviceId: api } }),
    ).toBe("Environment not found");
    expect(
      await h.error(OPS.ServiceDomainCreate!, { input: { environmentId, serviceId: "nope" } }),
    ).toBe("Service not found");
    expect(
      await h.error(OPS.ServiceDomainCreate!, {
        input: { environmentId, serviceId: api, targetPort: 70000 },
      }),
    ).toBe("Invalid port 70000: expected an integer from 1 to 65535");
  });

  test("ServiceDomainsGet, ServiceDomainUpdate (port and rename keep the id) and ServiceDomainDelete", async () => {
    const created = (
      await h.op("ServiceDomainCreate", {
        input: { environmentId, serviceId: api, targetPort: 8080 },
      })
    ).serviceDomainCreate;
    let got = (await h.op("ServiceDomainsGet", { environmentId, projectId, serviceId: api }))
      .domains;
    expect(got).toEqual({ serviceDomains: [created], customDomains: [] });

    await h.op("ServiceDomainUpdate", {
      input: {
        domain: created.domain,
        environmentId,
        serviceDomainId: created.id,
        serviceId: api,
        targetPort: 3000,
      },
    });
    got = (await h.op("ServiceDomainsGet", { environmentId, projectId, serviceId: api })).domains;
    expect(got.serviceDomains).toEqual([
      { id: created.id, domain: created.domain, targetPort: 3000 },
    ]);

    await h.op("ServiceDomainUpdate", {
      input: {
        domain: "shop-api.up.railway.app",
        environmentId,
        serviceDomainId: created.id,
        serviceId: api,
      },
    });
    got = (await h.op("ServiceDomainsGet", { environmentId, projectId, serviceId: api })).domains;
    expect(got.serviceDomains).toEqual([
      { id: created.id, domain: "shop-api.up.railway.app", targetPort: 3000 },
    ]);
    expect((await h.config(environmentId)).config.services[api].networking.serviceDomains).toEqual({
      "shop-api.up.railway.app": { port: 3000 },
    });

    expect(
      await h.error(OPS.ServiceDomainUpdate!, {
        input: {
          domain: "x.example.com",
          environmentId,
          serviceDomainId: created.id,
          serviceId: api,
        },
      }),
    ).toBe('Invalid service domain "x.example.com": expected <name>.up.railway.app');
    expect(
      await h.error(OPS.ServiceDomainUpdate!, {
        input: {
          domain: "a.up.railway.app",
          environmentId,
          serviceDomainId: "nope",
          serviceId: api,
        },
      }),
    ).toBe("Domain not found");

    expect((await h.op("ServiceDomainDelete", { id: created.id })).serviceDomainDelete).toBe(true);
    got = (await h.op("ServiceDomainsGet", { environmentId, projectId, serviceId: api })).domains;
    expect(got.serviceDomains).toEqual([]);
    expect((await h.config(environmentId)).config.services[api].networking.serviceDomains).toEqual(
      {},
    );
    expect(await h.error(OPS.ServiceDomainDelete!, { id: created.id })).toBe("Domain not found");
  });

  test("a domain name in use elsewhere cannot be taken", async () => {
    const web = await h.service(projectId, "web");
    await h.commit(environmentId, {
      services: { [api]: { networking: { serviceDomains: { "taken.up.railway.app": {} } } } },
    });
    expect(
      await h.error(OPS.EnvironmentPatchCommit!, {
        environmentId,
        patch: {
          services: { [web]: { networking: { serviceDomains: { "taken.up.railway.app": {} } } } },
        },
      }),
    ).toBe('Domain "taken.up.railway.app" is already in use');
  });
});

describe("custom domains", () => {
  test("from a patch (networking.customDomains) and from customDomainCreate; listed by domains()", async () => {
    await h.commit(environmentId, {
      services: { [api]: { networking: { customDomains: { "api.example.com": { port: 8080 } } } } },
    });
    const created = (
      await h.data(DOCS.customDomainCreate, {
        input: {
          domain: "WWW.Example.com",
          environmentId,
          projectId,
          serviceId: api,
          targetPort: 80,
        },
      })
    ).customDomainCreate;
    expect(created).toMatchObject({
      domain: "www.example.com",
      targetPort: 80,
      isRailwayDomain: false,
      status: {
        verified: false,
        certificateStatus: "CERTIFICATE_STATUS_TYPE_VALIDATING_OWNERSHIP",
        verificationDnsHost: "_railway-verify.www.example.com",
        dnsRecords: [
          {
            hostlabel: "www",
            fqdn: "www.example.com",
            recordType: "DNS_RECORD_TYPE_CNAME",
            zone: "example.com",
            purpose: "DNS_RECORD_PURPOSE_TRAFFIC_ROUTE",
            status: "DNS_RECORD_STATUS_REQUIRES_UPDATE",
          },
        ],
      },
    });
    expect(created.status.verificationToken).toMatch(/^railway-verify=[0-9a-f]{32}$/);
    const listed = (await h.op("ServiceDomainsGet", { environmentId, projectId, serviceId: api }))
      .domains.customDomains;
    expect(listed.map((d: any) => [d.domain, d.targetPort])).toEqual([
      ["api.example.com", 8080],
      ["www.example.com", 80],
    ]);
    expect(
      await h.error(DOCS.customDomainCreate, {
        input: { domain: "api.example.com", environmentId, projectId, serviceId: api },
      }),
    ).toBe('Domain "api.example.com" is already in use');
    expect(
      await h.error(DOCS.customDomainCreate, {
        input: { domain: "not a domain", environmentId, projectId, serviceId: api },
      }),
    ).toBe('Invalid custom domain "not a domain"');
    expect((await h.data(DOCS.customDomainDelete, { id: created.id })).customDomainDelete).toBe(
      true,
    );
    expect((await h.config(environmentId)).config.services[api].networking.customDomains).toEqual({
      "api.example.com": { port: 8080 },
    });
    expect(await h.error(DOCS.customDomainDelete, { id: created.id })).toBe("Domain not found");
  });
});

describe("TCP proxies", () => {
  test("derived from networking.tcpProxies with a generated host and a stable port in 10000-60000", async () => {
    await h.commit(environmentId, {
      services: { [api]: { networking: { tcpProxies: { "5432": {}, "6379": {} } } } },
    });
    const proxies = (await h.op("TcpProxiesGet", { environmentId, serviceId: api })).tcpProxies;
    expect(proxies.map((p: any) => p.applicationPort)).toEqual([5432, 6379]);
    for (const p of proxies) {
      expect(p.domain).toMatch(/^[a-z]+\.proxy\.rlwy\.net$/);
      expect(p.proxyPort).toBeGreaterThanOrEqual(10000);
      expect(p.proxyPort).toBeLessThanOrEqual(60000);
    }
    // Unrelated commits keep them as they are.
    await h.commit(environmentId, { services: { [api]: { deploy: { startCommand: "x" } } } });
    expect((await h.op("TcpProxiesGet", { environmentId, serviceId: api })).tcpProxies).toEqual(
      proxies,
    );

    const full = (await h.data(DOCS.tcpProxies, { environmentId, serviceId: api })).tcpProxies[0];
    expect(full.syncStatus).toBe("ACTIVE");
    expect((await h.data(DOCS.tcpProxyDelete, { id: proxies[0].id })).tcpProxyDelete).toBe(true);
    expect((await h.op("TcpProxiesGet", { environmentId, serviceId: api })).tcpProxies).toEqual([
      proxies[1],
    ]);
    expect((await h.config(environmentId)).config.services[api].networking.tcpProxies).toEqual({
      "6379": {},
    });
    expect(await h.error(DOCS.tcpProxyDelete, { id: proxies[0].id })).toBe("TCP proxy not found");
    expect(
      await h.error(OPS.EnvironmentPatchCommit!, {
        environmentId,
        patch: { services: { [api]: { networking: { tcpProxies: { abc: {} } } } } },
      }),
    ).toBe('Invalid port "abc": expected an integer from 1 to 65535');
  });
});

describe("public domain stand-in", () => {
  it("answers 200 for a deployed service's generated domain, 404 for an unknown one", async () => {
    const emulator = await startEmulator({ port: 0, token: "domain-token", seed: 7 });
    try {
      const call = async (query: string, variables: Record<string, unknown>) => {
        const response = await fetch(emulator.url, {
          method: "POST",
          headers: { "content-type": "application/json", authorization: "Bearer domain-token" },
          body: JSON.stringify({ query, variables }),
        });
        return ((await response.json()) as { data: Record<string, any> }).data;
      };
      const project = await call(
        "mutation($i: ProjectCreateInput!) { projectCreate(input: $i) { id environments { edges { node { id } } } } }",
        { i: { name: "domains", defaultEnvironmentName: "dev" } },
      );
      const projectId = project.projectCreate.id;
      const environmentId = project.projectCreate.environments.edges[0].node.id;
      const service = await call(
        "mutation($i: ServiceCreateInput!) { serviceCreate(input: $i) { id } }",
        {
          i: { projectId, name: "web" },
        },
      );
      const serviceId = service.serviceCreate.id;
      const domain = (
        await call(
          "mutation($i: ServiceDomainCreateInput!) { serviceDomainCreate(input: $i) { domain } }",
          {
            i: { environmentId, serviceId, targetPort: 8080 },
          },
        )
      ).serviceDomainCreate.domain as string;
      const base = emulator.url.replace("/graphql/v2", "");
      const before = await fetch(`${base}/_domains/${domain}/health`);
      expect(before.status).toBe(503);
      await call(
        "mutation($e: String!, $p: EnvironmentConfig) { environmentPatchCommit(environmentId: $e, patch: $p) }",
        {
          e: environmentId,
          p: { services: { [serviceId]: { source: { image: "nginx:1.27" } } } },
        },
      );
      const after = await fetch(`${base}/_domains/${domain}/health`);
      expect(after.status).toBe(200);
      const [deployment] = Object.values(emulator.state.data.deployments).filter(
        (d) => d.serviceId === serviceId,
      );
      expect(await after.json()).toEqual({
        status: "ok",
        domain,
        path: "/health",
        deploymentId: deployment!.id,
      });
      expect((await fetch(`${base}/_domains/nope.up.railway.app/health`)).status).toBe(404);
    } finally {
      await emulator.close();
    }
  });
});
