/**
 * Several data services of a kind, through the real Pulumi CLI against the emulator: stack `dev`
 * declares two named Postgres services (`postgres: { main, analytics }`), each linked to a
 * different app. Both land in the dev environment as `postgres-main` and `postgres-analytics`,
 * each with its own generated password; each app's DATABASE_URL references its own instance; a
 * second preview changes nothing.
 */
import {
  type Workspace,
  createWorkspace,
  describeE2E,
  expectSuccess,
  initStacks,
} from "../helpers/pulumi-cli";

jest.setTimeout(600_000);

const STACK = "dev";

const STACK_FILE = `config:
  railway-stacks:app:
    tier: dev
    project:
      name: named-data-e2e
    postgres:
      main:
        database: shop
        user: shop
      analytics:
        database: analytics
        user: analyst
        volumeSize: 2GB
    redis:
      enabled: false
    nats:
      enabled: false
    services:
      api:
        source:
          image: ghcr.io/acme/api:1.4.2
        links: [postgres.main]
      reports:
        source:
          image: ghcr.io/acme/reports:0.9.0
        links: [postgres.analytics]
`;

describeE2E(
  "two named Postgres services linked to different apps (real Pulumi CLI, emulator)",
  () => {
    let workspace: Workspace;
    const data = () => workspace.emulator.state.data;
    const serviceId = (name: string): string => {
      const found = Object.values(data().services).find((service) => service.name === name);
      if (!found) throw new Error(`no service ${name}`);
      return found.id;
    };
    /** The variables of a service in the dev environment, by name. */
    const variables = (name: string): Record<string, { value: string }> => {
      const env = Object.values(data().environments).find((e) => e.name === STACK);
      if (!env) throw new Error(`no environment ${STACK}`);
      return (
        env.config as { services: Record<string, { variables: Record<string, { value: string }> }> }
      ).services[serviceId(name)]!.variables;
    };

    beforeAll(async () => {
      workspace = await createWorkspace();
      await initStacks(workspace, [STACK], () => STACK_FILE);
      expectSuccess(await workspace.pulumi(["up", "--yes", "--skip-preview", "-s", STACK]));
    });
    afterAll(() => workspace?.close());

    it("creates both Postgres services in the dev environment, each with its own volume", () => {
      const services = Object.values(data().services).map((service) => service.name);
      expect(services.sort()).toEqual(["api", "postgres-analytics", "postgres-main", "reports"]);
      const env = Object.values(data().environments).find((e) => e.name === STACK)!;
      const config = env.config as { services: Record<string, unknown> };
      expect(Object.keys(config.services)).toEqual(
        expect.arrayContaining([serviceId("postgres-main"), serviceId("postgres-analytics")]),
      );
      const volumes = Object.values(data().volumeInstances)
        .filter((instance) => instance.environmentId === env.id)
        .map((instance) => [data().volumes[instance.volumeId]!.name, instance.serviceId]);
      expect(volumes.sort()).toEqual(
        [
          ["postgres-analytics-data-dev", serviceId("postgres-analytics")],
          ["postgres-main-data-dev", serviceId("postgres-main")],
        ].sort(),
      );
    });

    it("gives each instance its own database, user and generated password", () => {
      const main = variables("postgres-main");
      const analytics = variables("postgres-analytics");
      expect([main.POSTGRES_DB?.value, main.POSTGRES_USER?.value]).toEqual(["shop", "shop"]);
      expect([analytics.POSTGRES_DB?.value, analytics.POSTGRES_USER?.value]).toEqual([
        "analytics",
        "analyst",
      ]);
      expect(main.POSTGRES_PASSWORD?.value).toMatch(/^.{32}$/);
      expect(analytics.POSTGRES_PASSWORD?.value).toMatch(/^.{32}$/);
      expect(main.POSTGRES_PASSWORD!.value).not.toBe(analytics.POSTGRES_PASSWORD!.value);
    });

    it("points each app's DATABASE_URL at its own Postgres", () => {
      expect(variables("api").DATABASE_URL).toEqual({ value: "${{postgres-main.DATABASE_URL}}" });
      expect(variables("reports").DATABASE_URL).toEqual({
        value: "${{postgres-analytics.DATABASE_URL}}",
      });
    });

    it("is stable: a second preview changes nothing", async () => {
      expectSuccess(await workspace.pulumi(["preview", "--expect-no-changes", "-s", STACK]));
    });
  },
);
