/** The request log and counters (GET /_emulator/requests, /_emulator/counters, `--log-out`). */
import { Json } from "./config-merge";
import { FaultKind } from "./faults";

export interface RequestLogEntry {
  at: string;
  operationName: string | null;
  kind: "query" | "mutation";
  /** GraphQL variables after redact(); never the raw values. */
  variables: Json;
  durationMs: number;
  /** HTTP status sent; 0 when the connection was dropped without an answer. */
  status: number;
  fault?: FaultKind;
  /** Messages of the GraphQL errors in the answer, if any. */
  errors?: string[];
}

export interface Counters {
  /** GraphQL requests received (faulted ones included). */
  requests: number;
  /** Queries executed (faulted-before-processing and unauthenticated requests are not). */
  reads: number;
  /** Mutations executed. */
  writes: number;
  /** Requests received per operation name ("<anonymous>" without one). */
  byOperation: Record<string, number>;
  /** Faults injected per kind. */
  faults: Record<string, number>;
}

/** The log keeps the most recent entries only, so a long benchmark cannot exhaust memory. */
export const MAX_LOG_ENTRIES = 100000;

export class RequestLog {
  private entries: RequestLogEntry[] = [];
  private counts: Counters = RequestLog.zero();

  private static zero(): Counters {
    return { requests: 0, reads: 0, writes: 0, byOperation: {}, faults: {} };
  }

  received(operationName: string | null): void {
    this.counts.requests += 1;
    const key = operationName ?? "<anonymous>";
    this.counts.byOperation[key] = (this.counts.byOperation[key] ?? 0) + 1;
  }

  executed(kind: "query" | "mutation"): void {
    if (kind === "mutation") this.counts.writes += 1;
    else this.counts.reads += 1;
  }

  faulted(kind: FaultKind): void {
    this.counts.faults[kind] = (this.counts.faults[kind] ?? 0) + 1;
  }

  add(entry: RequestLogEntry): void {
    this.entries.push(entry);
    if (this.entries.length > MAX_LOG_ENTRIES)
      this.entries.splice(0, this.entries.length - MAX_LOG_ENTRIES);
  }

  requests(): RequestLogEntry[] {
    return this.entries.map((e) => ({ ...e }));
  }

  counters(): Counters {
    return JSON.parse(JSON.stringify(this.counts)) as Counters;
  }

  clear(): void {
    this.entries = [];
    this.counts = RequestLog.zero();
  }
}
