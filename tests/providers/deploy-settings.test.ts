/**
 * The worked example of docs/contributing.md: `overlapSeconds` and `drainingSeconds` end to end.
 * Stack file → resolved config → ServiceInstance inputs → ONE environment-config patch → what
 * Railway (the emulator) serves as the service instance → read back without drift.
 */
import { formatIssue, parseStackConfig } from "../../infra/config";
import { serviceInstanceProvider } from "../../infra/providers/service-instance";
import type { ServiceInstanceOutputs } from "../../infra/domain/types";
import { baseConfig } from "../fixtures/config";
import { engineInputs, useEmulator } from "../helpers/emulator";
import { instanceInputs, withoutEngineKey } from "./inputs";

const emu = useEmulator();
const P = "railway-stacks:app";

describe("overlapSeconds and drainingSeconds", () => {
  it("are resolved from the stack file into the service's Railway deploy settings", () => {
    const raw = baseConfig();
    raw.services.api.overlapSeconds = 30;
    raw.services.api.drainingSeconds = 15;
    const result = parseStackConfig(raw, "production");
    if (!result.ok) throw new Error(result.issues.map(formatIssue).join("\n"));
    expect(result.config.services.api!.deploy).toEqual({ overlapSeconds: 30, drainingSeconds: 15 });
    expect(result.config.services.worker!.deploy).toEqual({});
  });

  it("are validated with the key and the fix", () => {
    const raw = baseConfig();
    raw.services.api.overlapSeconds = -1;
    raw.services.api.drainingSeconds = "10s";
    const result = parseStackConfig(raw, "production");
    expect(result.ok ? [] : result.issues.map(formatIssue)).toEqual([
      `${P}.services.api.overlapSeconds: (-1) must be at least 0. Fix: use a value of 0 or more`,
      `${P}.services.api.drainingSeconds: must be a number, not the text "10s". Fix: write a number`,
    ]);
  });

  it("reach Railway in the one patch, are served by serviceInstance and read back without drift", async () => {
    const project = await emu.freshProject("deploy-settings");
    const serviceId = await emu.freshService(project.projectId, "api");
    const inputs = instanceInputs(
      {
        projectId: project.projectId,
        environmentId: project.environmentId,
        serviceId,
        serviceName: "api",
      },
      { deploy: { numReplicas: 1, overlapSeconds: 30, drainingSeconds: 15 } },
    );
    const before = emu.checkpoint();
    const { id, outs } = await serviceInstanceProvider.create(inputs);
    expect(before.operations()).toEqual(["EnvironmentConfigGet", "EnvironmentPatchCommit"]);
    const config = emu.data.environments[project.environmentId]!.config as any;
    expect(config.services[serviceId].deploy).toMatchObject({
      overlapSeconds: 30,
      drainingSeconds: 15,
    });
    const served = await emu.gql(
      `query($e: String!, $s: String!) { serviceInstance(environmentId: $e, serviceId: $s) { overlapSeconds drainingSeconds } }`,
      { e: project.environmentId, s: serviceId },
    );
    expect(served.data.serviceInstance).toEqual({ overlapSeconds: 30, drainingSeconds: 15 });

    const read = await serviceInstanceProvider.read(
      id,
      engineInputs(outs as ServiceInstanceOutputs),
    );
    expect(read.inputs!.deploy).toEqual({
      numReplicas: 1,
      overlapSeconds: 30,
      drainingSeconds: 15,
    });
    expect(read.inputs).toEqual(withoutEngineKey(inputs));

    // Changing one of them is one patch (after the provider's compare-before-commit read).
    const changed = { ...inputs, deploy: { ...inputs.deploy, drainingSeconds: 20 } };
    const patches = emu.checkpoint();
    await serviceInstanceProvider.update!(
      id,
      engineInputs(outs as ServiceInstanceOutputs),
      changed,
    );
    expect(patches.operations()).toEqual(["EnvironmentConfigGet", "EnvironmentPatchCommit"]);
    const after = emu.data.environments[project.environmentId]!.config as any;
    expect(after.services[serviceId].deploy).toMatchObject({
      overlapSeconds: 30,
      drainingSeconds: 20,
    });
  });
});
