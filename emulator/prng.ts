/**
 * A tiny seeded PRNG (mulberry32). The emulator uses it wherever "random" must be reproducible
 * under `--seed`: generated names and domains, ids, and the fault-injection dice. Its whole state
 * is one 32-bit integer, so it can be persisted in the state file and survive a restart without
 * replaying the same sequence (which would hand out duplicate ids).
 */
import { randomBytes } from "node:crypto";

export class Prng {
  private s: number;

  constructor(state: number) {
    this.s = state >>> 0;
  }

  /** Current internal state (persist it and pass it back to the constructor to resume). */
  get state(): number {
    return this.s;
  }

  /** Uniform float in [0, 1). */
  next(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Uniform integer in [min, max] (inclusive). */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new Error("prng: pick from an empty list");
    return item;
  }

  hex(length: number): string {
    let out = "";
    while (out.length < length) out += Math.floor(this.next() * 16).toString(16);
    return out;
  }

  /** An RFC 4122 version-4 shaped UUID drawn from this generator. */
  uuid(): string {
    const h = this.hex(32).split("");
    h[12] = "4";
    h[16] = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
    const s = h.join("");
    return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
  }
}

/** Turns a user-supplied seed (number or any string) into a 32-bit PRNG state. */
export function seedToState(seed: number | string): number {
  if (typeof seed === "number" && Number.isFinite(seed)) return Math.trunc(seed) >>> 0;
  const text = String(seed);
  if (/^-?\d+$/.test(text)) return Number(text) >>> 0;
  // FNV-1a over the string.
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** A fresh unpredictable PRNG state, for when no seed was given. */
export function randomState(): number {
  return randomBytes(4).readUInt32LE(0);
}
