/**
 * What one benchmark step spent on deployments: how many deployments it started (from the
 * emulator's records) and, per service, the wall time of the deploy gate, from the lines the
 * CLI printed: the deployment wait (`railway-stacks: <service> deployment <id>: SUCCESS (x s)`,
 * printed by the ServiceInstance provider) and the HTTP health gate (`gate: <service> <url> → ...
 * after x s`, printed by the gate command; the last path polled is the gate's total).
 */
import type { RunningEmulator } from "../emulator/server";

export interface DeployMeasures {
  deploymentsStarted: number;
  /** Per service: milliseconds until its deployment was SUCCESS, and until the health gate passed. */
  gateWallMs: Record<string, { deployment?: number; health?: number }>;
}

const WAIT_LINE = /railway-stacks: (\S+) deployment \S+: SUCCESS \((\d+(?:\.\d+)?) s\)/g;
const HEALTH_LINE = /gate: (\S+) \S+ → HTTP \d+.* after (\d+(?:\.\d+)?) s/g;

/** Measures for a step that ran for `step.wallMs` up to now, printing `step.output`. */
export function deployMeasures(
  emulator: RunningEmulator,
  step: { wallMs: number; output: string },
): DeployMeasures {
  const since = new Date(Date.now() - step.wallMs).toISOString();
  const deploymentsStarted = Object.values(emulator.state.data.deployments).filter(
    (deployment) => deployment.createdAt >= since,
  ).length;
  const gateWallMs: DeployMeasures["gateWallMs"] = {};
  // Both groups take part in every match of these patterns.
  for (const [, service, seconds] of step.output.matchAll(WAIT_LINE))
    (gateWallMs[service!] ??= {}).deployment = Math.round(Number(seconds) * 1000);
  for (const [, service, seconds] of step.output.matchAll(HEALTH_LINE))
    (gateWallMs[service!] ??= {}).health = Math.round(Number(seconds) * 1000);
  return { deploymentsStarted, gateWallMs };
}
