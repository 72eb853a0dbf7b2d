/**
 * The one module that speaks HTTP to Railway's GraphQL API: timeouts, retries with exponential
 * backoff and full jitter (honouring Retry-After), typed errors, and the `?source=` tag.
 *
 * Retry rules: a request Railway cannot have processed (429, refused connection) is always
 * retried. One that it may have processed (5xx, timeout, connection dropped mid-flight) is
 * retried blindly only when it is idempotent; a create is first looked up with `recover` so that
 * a retry never makes a duplicate.
 */
import {
  errorFromGraphQL,
  RailwayApiError,
  RailwayAuthError,
  RailwayTransientError,
  type GraphQLErrorEntry,
} from "./errors";
import { resolveCredentials, type RailwayCredentials } from "./credentials";

export interface RetryPolicy {
  /** Attempts in all, the first included. @default 8 */
  maxAttempts: number;
  /** @default 250 */
  baseDelayMs: number;
  /** Cap on one wait, Retry-After included. @default 30000 */
  maxDelayMs: number;
}

export interface RailwayClientOptions {
  credentials: RailwayCredentials;
  /** Per-request timeout. @default 30000 */
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  userAgent?: string;
  /** Injected in tests to avoid real waiting. */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

export interface RequestOptions<T> {
  /**
   * "idempotent": safe to repeat whatever happened (queries, updates, deletes, patches that set
   * absolute values). "create": may only be repeated after `recover` found nothing.
   */
  kind: "idempotent" | "create";
  /** Looks up the object a create may already have made; undefined if it does not exist. */
  recover?: () => Promise<T | undefined>;
}

/** Statistics of one client, for progress messages and the benchmark. */
export interface ClientStats {
  requests: number;
  retries: number;
}

const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 8, baseDelayMs: 250, maxDelayMs: 30_000 };

const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Parses Retry-After (seconds or an HTTP date) into milliseconds. */
export function parseRetryAfter(
  value: string | null,
  now: number = Date.now(),
): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.round(seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Writes this process has sent to Railway (mutations, whether they succeeded or not). */
let mutationsSent = 0;

/**
 * How many writes this process has sent to Railway so far: an answer read before the count last
 * changed may miss one of them (infra/railway/known.ts).
 */
export const writesSent = (): number => mutationsSent;

const operationNameOf = (query: string): string =>
  /\b(?:query|mutation)\s+([A-Za-z0-9_]+)/.exec(query)?.[1] ?? "anonymous";

export class RailwayClient {
  readonly stats: ClientStats = { requests: 0, retries: 0 };
  private readonly retry: RetryPolicy;
  private readonly timeoutMs: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;

  constructor(private readonly options: RailwayClientOptions) {
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.sleep = options.sleep ?? realSleep;
    this.random = options.random ?? Math.random;
  }

  /** A client for this process's credentials (environment or stack config). */
  static fromEnvironment(env: NodeJS.ProcessEnv = process.env): RailwayClient {
    const timeoutMs = Number(env.RAILWAY_HTTP_TIMEOUT_MS) || undefined;
    const maxAttempts = Number(env.RAILWAY_MAX_ATTEMPTS) || undefined;
    return new RailwayClient({
      credentials: resolveCredentials(env),
      timeoutMs,
      retry: maxAttempts ? { maxAttempts } : undefined,
    });
  }

  async request<T>(
    query: string,
    variables: Record<string, unknown>,
    options: RequestOptions<T> = { kind: "idempotent" },
  ): Promise<T> {
    const operationName = operationNameOf(query);
    // After a create that may have happened, nothing is sent again until a lookup has answered
    // (and found nothing). The lookup runs at once; if Railway is unreachable for it too, it is
    // retried with backoff before anything else.
    let mustRecover = false;
    const recover = async (): Promise<T | undefined> => {
      const existing = await options.recover!();
      mustRecover = false;
      return existing;
    };
    for (let attempt = 1; ; attempt++) {
      let sent = false;
      try {
        if (mustRecover) {
          const existing = await recover();
          if (existing !== undefined) return existing;
        }
        sent = true;
        return await this.send<T>(operationName, query, variables);
      } catch (error) {
        if (!(error instanceof RailwayTransientError) || attempt >= this.retry.maxAttempts) {
          throw error;
        }
        if (sent && options.kind === "create" && error.mayHaveBeenProcessed) {
          if (!options.recover) throw error;
          mustRecover = true;
          try {
            const existing = await recover();
            if (existing !== undefined) return existing;
          } catch (lookupError) {
            if (!(lookupError instanceof RailwayTransientError)) throw lookupError;
          }
        }
        this.stats.retries++;
        await this.sleep(this.backoff(attempt, error.retryAfterMs));
      }
    }
  }

  /** Full jitter: a random wait in [0, base·2^(n-1)], at least Retry-After, at most the cap. */
  private backoff(attempt: number, retryAfterMs: number | undefined): number {
    const exponential = Math.min(
      this.retry.maxDelayMs,
      this.retry.baseDelayMs * 2 ** (attempt - 1),
    );
    const jittered = Math.round(this.random() * exponential);
    return Math.min(this.retry.maxDelayMs, Math.max(jittered, retryAfterMs ?? 0));
  }

  private headers(): Record<string, string> {
    const { token, kind } = this.options.credentials;
    const auth: Record<string, string> =
      kind === "project" ? { "Project-Access-Token": token } : { Authorization: `Bearer ${token}` };
    return {
      "Content-Type": "application/json",
      "User-Agent": this.options.userAgent ?? "railway-stacks",
      ...auth,
    };
  }

  private async send<T>(
    operationName: string,
    query: string,
    variables: Record<string, unknown>,
  ): Promise<T> {
    this.stats.requests++;
    if (/^\s*mutation\b/.test(query)) mutationsSent++;
    let response: Response;
    try {
      response = await fetch(this.options.credentials.endpoint, {
        method: "POST",
        headers: this.headers(),
        body: JSON.stringify({ query, variables, operationName }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw this.networkError(operationName, error);
    }

    const retryAfterMs = parseRetryAfter(response.headers.get("retry-after"));
    if (response.status === 429) {
      throw new RailwayTransientError(
        `Railway API ${operationName}: rate limited (HTTP 429)`,
        operationName,
        429,
        retryAfterMs,
        false,
      );
    }
    if (response.status >= 500) {
      throw new RailwayTransientError(
        `Railway API ${operationName}: HTTP ${response.status}`,
        operationName,
        response.status,
        retryAfterMs,
      );
    }
    if (response.status === 401 || response.status === 403) {
      throw new RailwayAuthError(
        `Railway API ${operationName}: HTTP ${response.status} Not Authorized. Check RAILWAY_API_TOKEN or railway-stacks:railwayToken.`,
        operationName,
        response.status,
      );
    }

    let body: { data?: T | null; errors?: GraphQLErrorEntry[] };
    try {
      body = (await response.json()) as typeof body;
    } catch (error) {
      if (!response.ok) {
        throw new RailwayApiError(
          `Railway API ${operationName}: HTTP ${response.status}`,
          operationName,
          response.status,
        );
      }
      throw this.networkError(operationName, error);
    }
    if (body.errors && body.errors.length > 0) throw errorFromGraphQL(operationName, body.errors);
    if (!response.ok || body.data == null) {
      throw new RailwayApiError(
        `Railway API ${operationName}: HTTP ${response.status} with no data`,
        operationName,
        response.status,
      );
    }
    return body.data;
  }

  private networkError(operationName: string, error: unknown): RailwayTransientError {
    const cause = (error as { cause?: { code?: string } })?.cause?.code;
    const name = (error as Error)?.name;
    // A refused connection never reached Railway; anything else may have.
    const refused = cause === "ECONNREFUSED";
    const reason =
      name === "TimeoutError"
        ? `timed out after ${this.timeoutMs} ms`
        : (cause ?? (error as Error)?.message ?? String(error));
    return new RailwayTransientError(
      `Railway API ${operationName}: ${reason}`,
      operationName,
      undefined,
      undefined,
      !refused,
    );
  }
}
