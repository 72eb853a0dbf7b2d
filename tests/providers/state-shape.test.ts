/**
 * The state shape (infra/providers/state-shape.ts): every output a provider writes through
 * `withStateShape` (as infra/resources/provider-module.js loads it) carries `stateShape`; state
 * written before the shape was recorded reads as shape 1; state from a newer release is refused
 * before any call.
 */
import { serviceProvider } from "../../infra/providers/service";
import { STATE_SHAPE, upgradeState, withStateShape } from "../../infra/providers/state-shape";
import type { ServiceOutputs } from "../../infra/domain/types";
import { useEmulator } from "../helpers/emulator";
import { serviceInputs } from "./inputs";

const emu = useEmulator();
const provider = withStateShape(serviceProvider, "service");

test("create, read and update write the shape into the outputs", async () => {
  const { projectId } = await emu.freshProject("state-shape");
  const inputs = serviceInputs(projectId, { name: "shaped" });
  const created = await provider.create(inputs);
  expect(STATE_SHAPE).toBe(1);
  expect((created.outs as ServiceOutputs & { stateShape: number }).stateShape).toBe(1);
  const read = await provider.read!(created.id, created.outs!);
  expect((read.props as { stateShape?: number }).stateShape).toBe(1);
  const updated = await provider.update!(created.id, created.outs!, { ...inputs });
  expect((updated.outs as { stateShape?: number }).stateShape).toBe(1);
});

test("state written before the shape was recorded is shape 1 and is used as it is", () => {
  const old = { projectId: "p", name: "api", serviceId: "s" };
  expect(upgradeState(old, "service", "s")).toBe(old);
});

test("state from a newer release is refused with the fix, before any API call", async () => {
  const { projectId } = await emu.freshProject("state-shape-newer");
  const created = await provider.create(serviceInputs(projectId, { name: "newer" }));
  const newer = { ...created.outs, stateShape: 2 } as ServiceOutputs;
  const message =
    `service ${created.id}: its state was written by a newer railway-stacks (state shape 2; ` +
    "this release reads up to 1). Fix: install the railway-stacks release the stack was last " +
    "updated with, or a later one, and run pulumi again. Nothing was changed.";
  const before = emu.checkpoint();
  await expect(provider.read!(created.id, newer)).rejects.toThrow(message);
  await expect(provider.diff!(created.id, newer, newer)).rejects.toThrow(message);
  await expect(provider.update!(created.id, newer, newer)).rejects.toThrow(message);
  await expect(provider.delete!(created.id, newer)).rejects.toThrow(message);
  expect(before.operations()).toEqual([]);
});
