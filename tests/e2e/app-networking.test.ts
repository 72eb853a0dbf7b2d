/**
 * What real apps need beyond HTTP, through the real Pulumi CLI against the emulator: an app
 * service with a TCP proxy (`tcpProxy: <port>`) whose public `host:port` is the `tcpProxies`
 * output, the DNS records its custom domain needs (CNAME to Railway, verification TXT) as the
 * `dnsRecords` output, and a volume of its own.
 */
import { customDomainView, volumeInstanceView } from "../../emulator/resolvers/views";
import { type Workspace, createWorkspace, describeE2E, expectSuccess } from "../helpers/pulumi-cli";

jest.setTimeout(600_000);

const STACK = "networking";
const DOMAIN = "api.acme-e2e.com";

const stackFile = (tcpProxy: boolean) => `config:
  railway-stacks:app:
    tier: local
    project:
      name: networking-e2e
    postgres:
      enabled: false
    redis:
      enabled: false
    nats:
      enabled: false
    services:
      api:
        source:
          image: ghcr.io/acme/api:1.4.2
        port: 8080
${tcpProxy ? "        tcpProxy: 50051\n" : ""}        domains:
          custom: [${DOMAIN}]
        volume:
          mountPath: /data/uploads
          size: 6GB
`;

describeE2E("app services: TCP proxy, DNS records and a volume (real Pulumi CLI, emulator)", () => {
  let workspace: Workspace;
  const outputs = async () =>
    JSON.parse(
      expectSuccess(await workspace.pulumi(["stack", "output", "--json", "-s", STACK])).stdout,
    ) as { tcpProxies: Record<string, string>; dnsRecords: unknown[] };

  beforeAll(async () => {
    workspace = await createWorkspace();
    workspace.stackFile(STACK, stackFile(true));
    await workspace.initStack(STACK);
    expectSuccess(await workspace.pulumi(["up", "--yes", "--skip-preview", "-s", STACK]));
  });
  afterAll(() => workspace?.close());

  it("exports the app's TCP proxy as host:port", async () => {
    const proxies = Object.values(workspace.emulator.state.data.tcpProxies);
    expect(proxies.map((p) => p.applicationPort)).toEqual([50051]);
    const [proxy] = proxies;
    expect((await outputs()).tcpProxies).toEqual({ api: `${proxy!.domain}:${proxy!.proxyPort}` });
    expect(proxy!.domain).toMatch(/\.proxy\.rlwy\.net$/);
  });

  it("exports the custom domain's CNAME and verification TXT records", async () => {
    const state = workspace.emulator.state;
    const records = Object.values(state.data.customDomains);
    expect(records.map((r) => r.domain)).toEqual([DOMAIN]);
    const status = customDomainView(state, records[0]!).status;
    expect((await outputs()).dnsRecords).toEqual([
      {
        domain: DOMAIN,
        type: "CNAME",
        name: DOMAIN,
        value: status.dnsRecords[0]!.requiredValue,
      },
      {
        domain: DOMAIN,
        type: "TXT",
        name: `_railway-verify.${DOMAIN}`,
        value: records[0]!.verificationToken,
      },
    ]);
    expect(status.dnsRecords[0]!.requiredValue).toMatch(/^[0-9a-z]{8}\.up\.railway\.app$/);
    expect(records[0]!.verificationToken).toMatch(/^railway-verify=[0-9a-f]{32}$/);
  });

  it("mounts the app's own volume at its path, at least its size", async () => {
    const state = workspace.emulator.state;
    const api = Object.values(state.data.services).find((s) => s.name === "api")!;
    expect(Object.values(state.data.volumes).map((v) => v.name)).toEqual(["api-data-networking"]);
    const instances = Object.values(state.data.volumeInstances).map((r) =>
      volumeInstanceView(state, r),
    );
    expect(instances.map((r) => [r.serviceId, r.mountPath])).toEqual([[api.id, "/data/uploads"]]);
    expect(instances[0]!.sizeMB).toBeGreaterThanOrEqual(6144);
  });

  it("is stable: a second preview changes nothing", async () => {
    expectSuccess(await workspace.pulumi(["preview", "--expect-no-changes", "-s", STACK]));
  });

  it("drops the proxy output when the proxy is removed", async () => {
    workspace.stackFile(STACK, stackFile(false));
    expectSuccess(await workspace.pulumi(["up", "--yes", "--skip-preview", "-s", STACK]));
    expect((await outputs()).tcpProxies).toEqual({});
    expect(Object.values(workspace.emulator.state.data.tcpProxies)).toEqual([]);
  });
});
