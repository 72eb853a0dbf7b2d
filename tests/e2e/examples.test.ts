/**
 * Every example under examples/ deployed with the real CLI against the emulator, as its README
 * says: the example's `Pulumi.<stack>.yaml` next to Pulumi.yaml, its secret keys set with
 * `pulumi config set --secret`, `pulumi up`; then `pulumi preview --expect-no-changes`; then
 * `pulumi destroy`. Production stacks protect their project and data, so they are unprotected
 * first (`pulumi state unprotect --all --yes`), as an operator retiring the stack would: every
 * stack is destroyed and leaves nothing of its own behind in Railway (a shared project stays).
 */
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { EXAMPLES, stackFile, type Example } from "../../examples";
import { parseStackConfig } from "../../infra/config";
import { createWorkspace, describeE2E, expectSuccess, type Workspace } from "../helpers/pulumi-cli";

jest.setTimeout(600_000);

const secretValue = (example: Example, stack: string, key: string): string =>
  `e2e-${example.name}-${stack}-${key}`;

/** What the stack file declares: project name, Railway services, volumes, and secret variables. */
function expected(example: Example, stack: string) {
  const raw = (
    parse(readFileSync(stackFile(example, stack), "utf8")) as { config: Record<string, unknown> }
  ).config["railway-stacks:app"];
  const parsed = parseStackConfig(raw, stack);
  if (!parsed.ok) throw new Error(`examples/${example.name}/Pulumi.${stack}.yaml does not parse`);
  const config = parsed.config;
  const data = config.dataServices.map((service) => service.serviceName);
  const secretVariables: { service: string; variable: string; configKey: string }[] = [];
  for (const service of Object.values(config.services)) {
    for (const [variable, value] of Object.entries(service.variables)) {
      if (value.kind === "secret")
        secretVariables.push({ service: service.name, variable, configKey: value.configKey });
    }
  }
  return {
    projectName: config.project.name,
    layout: config.project.layout,
    environment: config.project.environment,
    tier: config.tier,
    services: [...Object.keys(config.services), ...data].sort(),
    volumes: data.length,
    publicServices: Object.values(config.services).filter((service) => service.domains.railway)
      .length,
    secretVariables,
  };
}

/** Resources counted in the CLI's summary for a stack's state (without the stack itself). */
async function resourceCount(workspace: Workspace, stack: string): Promise<number> {
  const exported = JSON.parse(
    expectSuccess(await workspace.pulumi(["stack", "export", "-s", stack])).stdout,
  ) as {
    deployment: { resources?: { type: string }[] };
  };
  return (exported.deployment.resources ?? []).filter(
    (resource) => !resource.type.startsWith("pulumi:providers:"),
  ).length;
}

describeE2E("examples deploy (real Pulumi CLI, emulator)", () => {
  it("covers every example directory", () => {
    expect(EXAMPLES.length).toBeGreaterThan(0);
    for (const example of EXAMPLES) expect(example.stacks.length).toBeGreaterThan(0);
  });

  for (const example of EXAMPLES) {
    describe(example.name, () => {
      let workspace: Workspace;
      beforeAll(async () => {
        workspace = await createWorkspace();
      });
      afterAll(() => workspace?.close());

      for (const stack of example.stacks) {
        it(`${stack}: up, then no changes, then destroy`, async () => {
          const want = expected(example, stack);
          workspace.stackFile(stack, readFileSync(stackFile(example, stack), "utf8"));
          await workspace.initStack(stack);
          for (const key of example.secrets[stack] ?? []) {
            expectSuccess(
              await workspace.pulumi([
                "config",
                "set",
                "--secret",
                key,
                secretValue(example, stack, key),
                "-s",
                stack,
              ]),
            );
          }

          const up = expectSuccess(
            await workspace.pulumi(["up", "--yes", "--skip-preview", "-s", stack]),
          );
          const count = await resourceCount(workspace, stack);
          expect(up.output).toContain(`+ ${count} created`);

          const data = workspace.emulator.state.data;
          const projects = Object.values(data.projects).filter(
            (project) => project.name === want.projectName,
          );
          expect(projects).toHaveLength(1);
          const projectId = projects[0]!.id;
          const services = Object.values(data.services).filter(
            (service) => service.projectId === projectId,
          );
          expect(services.map((service) => service.name).sort()).toEqual(want.services);
          expect(
            Object.values(data.volumes).filter((volume) => volume.projectId === projectId),
          ).toHaveLength(want.volumes);
          expect(
            Object.values(data.serviceDomains).filter((domain) => domain.projectId === projectId),
          ).toHaveLength(want.publicServices);
          const environments = Object.values(data.environments).filter(
            (env) => env.projectId === projectId,
          );
          // Isolated: one environment, named after the tier. Shared: the stack's environment,
          // next to the project's default one (production) when another stack created it.
          if (want.layout === "isolated") {
            expect(environments.map((env) => env.name)).toEqual([want.tier]);
          } else {
            expect(environments.map((env) => env.name)).toContain(want.environment);
          }
          const own = environments.find((env) => env.name === want.environment)!;
          // Secrets arrive in Railway as set with `pulumi config set --secret`.
          for (const { service, variable, configKey } of want.secretVariables) {
            const id = services.find((candidate) => candidate.name === service)!.id;
            expect((own.config as any).services[id].variables[variable]).toEqual({
              value: secretValue(example, stack, configKey),
            });
          }

          const preview = expectSuccess(
            await workspace.pulumi(["preview", "--expect-no-changes", "-s", stack]),
          );
          expect(preview.output).toContain(`${count} unchanged`);

          if (stack === "production") {
            expectSuccess(
              await workspace.pulumi(["state", "unprotect", "--all", "--yes", "-s", stack]),
            );
          }
          const destroy = expectSuccess(
            await workspace.pulumi(["destroy", "--yes", "--skip-preview", "-s", stack]),
          );
          expect(destroy.output).toContain(`- ${count} deleted`);
          // A shared project stays: it is every stack's, and no stack deletes it.
          expect(
            Object.values(data.projects).filter((project) => project.name === want.projectName),
          ).toHaveLength(want.layout === "shared" ? 1 : 0);
          expect(
            Object.values(data.services).filter((service) => service.projectId === projectId),
          ).toHaveLength(0);
          expect(
            Object.values(data.volumes).filter((volume) => volume.projectId === projectId),
          ).toHaveLength(0);
          expect(await resourceCount(workspace, stack)).toBe(0);
        });
      }
    });
  }
});
