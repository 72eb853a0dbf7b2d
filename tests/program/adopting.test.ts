/**
 * A stack adopting what exists (`project.adopt: true`), in the isolated layout, under mocks: every
 * service instance carries the names that find it before its ids are known (the preview's
 * adoption report, infra/providers/adoption.ts), and the services and volumes are adopted.
 */
import { readStackFile } from "../fixtures/config";
import { byName, runProgram, stackConfig, type DeclaredResource } from "../helpers/program";
import { input } from "./expectations";

describe("dev stack adopting an isolated project under mocks", () => {
  let resources: DeclaredResource[];
  beforeAll(async () => {
    const app = readStackFile("dev");
    app.project.layout = "isolated";
    app.project.adopt = true;
    ({ resources } = await runProgram("dev", stackConfig("dev", { "railway-stacks:app": app })));
  });

  it("gives every service instance the project and environment names to report against", () => {
    const instances = resources.filter((resource) =>
      resource.type.endsWith("railway:ServiceInstance"),
    );
    expect(instances.map((instance) => instance.name).sort()).toEqual([
      "railway-backend-instance",
      "railway-broker-instance",
      "railway-frontend-instance",
      "railway-ml-instance",
      "railway-nats-instance",
      "railway-postgres-instance",
      "railway-redis-instance",
    ]);
    for (const instance of instances) {
      expect([instance.name, instance.inputs.adopting]).toEqual([
        instance.name,
        { projectName: "agent-platform", environmentName: "dev" },
      ]);
    }
    expect(input(resources, "railway-project", "adoptExisting")).toBe(true);
    expect(input(resources, "railway-postgres-service", "adoptExisting")).toBe(true);
    expect(byName(resources, "railway-postgres-volume").inputs.adoptExisting).toBe(true);
  });
});
