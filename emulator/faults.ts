/**
 * Fault injection for GraphQL requests, to exercise a client's retry logic (admin endpoints are
 * never faulted). Each request rolls the dice once: with probability `rate` it gets one fault,
 * picked uniformly from `kinds`:
 * - "429": HTTP 429 with `Retry-After: <retryAfter>` and a rate-limit body, before processing;
 * - "500" / "502" / "503": that HTTP status, before processing;
 * - "drop": the socket is destroyed before processing (nothing happened);
 * - "drop-after": the request IS processed (a create really creates), then the socket is destroyed
 *   without an answer, the case that forces a client to make creates idempotent.
 * `latencyMs` (+ up to `latencyJitterMs`) delays every GraphQL request. With a `seed` the sequence
 * of faults and delays is reproducible (for the same sequence of requests).
 */
import { Prng, randomState, seedToState } from "./prng";

export const FAULT_KINDS = ["429", "500", "502", "503", "drop", "drop-after"] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** Kinds used when a rate is set without kinds: those a client can retry blindly. */
export const DEFAULT_FAULT_KINDS: readonly FaultKind[] = ["429", "500", "502", "503", "drop"];

export interface FaultOptions {
  /** Fraction (0..1) of GraphQL requests that get a fault. */
  rate: number;
  kinds: FaultKind[];
  latencyMs: number;
  latencyJitterMs: number;
  /** Seconds sent in Retry-After with a 429. */
  retryAfter: number;
  seed?: number | string;
}

export const NO_FAULTS: FaultOptions = {
  rate: 0,
  kinds: [...DEFAULT_FAULT_KINDS],
  latencyMs: 0,
  latencyJitterMs: 0,
  retryAfter: 1,
};

export function parseFaultKinds(value: string | readonly string[]): FaultKind[] {
  const items = (typeof value === "string" ? value.split(",") : [...value])
    .map((k) => k.trim())
    .filter(Boolean);
  for (const k of items) {
    if (!(FAULT_KINDS as readonly string[]).includes(k)) {
      throw new Error(`unknown fault kind "${k}" (expected some of: ${FAULT_KINDS.join(", ")})`);
    }
  }
  return items as FaultKind[];
}

function number(value: unknown, name: string, min: number, max: number): number {
  const n = typeof value === "string" ? Number(value) : value;
  if (typeof n !== "number" || !Number.isFinite(n) || n < min || n > max)
    throw new Error(`${name} must be a number from ${min} to ${max}`);
  return n;
}

/** Validates and completes a partial fault configuration (from flags, env or POST /_emulator/faults). */
export function normalizeFaults(
  input: Partial<Record<keyof FaultOptions, unknown>>,
  base: FaultOptions = NO_FAULTS,
): FaultOptions {
  const out: FaultOptions = { ...base, kinds: [...base.kinds] };
  if (input.rate !== undefined) out.rate = number(input.rate, "rate", 0, 1);
  if (input.kinds !== undefined) {
    const kinds = parseFaultKinds(input.kinds as string | string[]);
    out.kinds = kinds.length ? kinds : [...DEFAULT_FAULT_KINDS];
  }
  if (input.latencyMs !== undefined)
    out.latencyMs = number(input.latencyMs, "latencyMs", 0, 600000);
  if (input.latencyJitterMs !== undefined)
    out.latencyJitterMs = number(input.latencyJitterMs, "latencyJitterMs", 0, 600000);
  if (input.retryAfter !== undefined)
    out.retryAfter = number(input.retryAfter, "retryAfter", 0, 86400);
  if (input.seed !== undefined)
    out.seed = input.seed === null ? undefined : (input.seed as number | string);
  return out;
}

export class FaultInjector {
  private options: FaultOptions;
  private dice!: Prng;
  private jitter!: Prng;

  constructor(options: Partial<FaultOptions> = {}) {
    this.options = normalizeFaults(options);
    this.reseed();
  }

  get current(): FaultOptions {
    return { ...this.options, kinds: [...this.options.kinds] };
  }

  /** Replaces the configuration (unspecified fields keep their value) and restarts the seeded sequence. */
  set(options: Partial<Record<keyof FaultOptions, unknown>>): FaultOptions {
    this.options = normalizeFaults(options, this.options);
    this.reseed();
    return this.current;
  }

  private reseed(): void {
    const base = this.options.seed !== undefined ? seedToState(this.options.seed) : randomState();
    // Separate generators: changing the latency settings must not change which requests fault.
    this.dice = new Prng(base);
    this.jitter = new Prng((base ^ 0x9e3779b9) >>> 0);
  }

  /** The fault for the next request, or null. Always draws, so the sequence depends only on request order. */
  next(): FaultKind | null {
    const roll = this.dice.next();
    const pick = this.dice.next();
    if (this.options.rate <= 0 || roll >= this.options.rate || this.options.kinds.length === 0)
      return null;
    return this.options.kinds[Math.floor(pick * this.options.kinds.length)] ?? null;
  }

  /** Delay for the next request, in milliseconds. */
  latency(): number {
    const { latencyMs, latencyJitterMs } = this.options;
    const r = this.jitter.next();
    return latencyMs + (latencyJitterMs > 0 ? Math.round(r * latencyJitterMs) : 0);
  }
}
