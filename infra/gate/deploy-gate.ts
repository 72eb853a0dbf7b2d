/**
 * The post-deploy verification gate, run by `@pulumi/command` after each deployment commit of a
 * public service: polls the service's health and readiness URLs until each answers 2xx, or fails
 * the update when the timeout passes, with the last response seen.
 *
 * Environment: GATE_SERVICE, GATE_DOMAIN, GATE_PATHS (JSON array), GATE_TIMEOUT_SECONDS,
 * GATE_INTERVAL_SECONDS; optional RAILWAY_STACKS_GATE_URL_TEMPLATE (e.g.
 * `http://127.0.0.1:8080/{service}`) to reach services through a tunnel or a local stand-in.
 */

export interface GateOptions {
  service: string;
  urls: string[];
  timeoutMs: number;
  intervalMs: number;
  /** Per-request timeout. @default min(10 s, interval × 5) */
  requestTimeoutMs?: number;
  log?: (line: string) => void;
}

export interface GateResult {
  ok: boolean;
  message: string;
}

export function gateUrls(
  service: string,
  domain: string,
  paths: string[],
  template: string | undefined,
): string[] {
  const base = (template?.trim() || "https://{domain}")
    .replaceAll("{domain}", domain)
    .replaceAll("{service}", service)
    .replace(/\/+$/, "");
  return paths.map((path) => `${base}${path.startsWith("/") ? path : `/${path}`}`);
}

const describe = (status: number, body: string): string => {
  const text = body.replace(/\s+/g, " ").trim().slice(0, 200);
  return text ? `HTTP ${status} "${text}"` : `HTTP ${status}`;
};

/** Polls every URL until all are healthy or the time is up. */
export async function runGate(options: GateOptions): Promise<GateResult> {
  const log = options.log ?? ((line: string) => console.log(line));
  const started = Date.now();
  const deadline = started + options.timeoutMs;
  const requestTimeoutMs = options.requestTimeoutMs ?? Math.min(10_000, options.intervalMs * 5);
  for (const url of options.urls) {
    let last: string;
    for (;;) {
      try {
        const remaining = Math.max(1, deadline - Date.now());
        const response = await fetch(url, {
          signal: AbortSignal.timeout(Math.min(requestTimeoutMs, remaining)),
          redirect: "follow",
        });
        const body = await response.text();
        last = describe(response.status, body);
        if (response.ok) {
          log(
            `gate: ${options.service} ${url} → ${last} after ${((Date.now() - started) / 1000).toFixed(1)} s`,
          );
          break;
        }
      } catch (error) {
        const cause = (error as { cause?: { code?: string; message?: string } }).cause;
        last =
          (error as Error).name === "TimeoutError"
            ? "request timed out"
            : (cause?.code ?? cause?.message ?? (error as Error).message);
      }
      if (Date.now() + options.intervalMs > deadline) {
        return {
          ok: false,
          message:
            `deploy gate: ${options.service} did not become healthy within ${Math.round(options.timeoutMs / 1000)} s: ` +
            `GET ${url} → ${last}`,
        };
      }
      log(`gate: ${options.service} waiting for ${url} (${last})`);
      await new Promise((resolve) => setTimeout(resolve, options.intervalMs));
    }
  }
  return { ok: true, message: `deploy gate: ${options.service} healthy` };
}

function fromEnvironment(env: NodeJS.ProcessEnv): GateOptions {
  const required = (key: string): string => {
    const value = env[key];
    if (!value) throw new Error(`deploy gate: ${key} is not set`);
    return value;
  };
  const service = required("GATE_SERVICE");
  const paths = JSON.parse(required("GATE_PATHS")) as string[];
  return {
    service,
    urls: gateUrls(service, required("GATE_DOMAIN"), paths, env.RAILWAY_STACKS_GATE_URL_TEMPLATE),
    timeoutMs: Number(required("GATE_TIMEOUT_SECONDS")) * 1000,
    intervalMs: Number(env.GATE_INTERVAL_SECONDS ?? "5") * 1000,
  };
}

if (require.main === module) {
  runGate(fromEnvironment(process.env)).then(
    (result) => {
      if (!result.ok) {
        console.error(result.message);
        process.exitCode = 1;
      } else {
        console.log(result.message);
      }
    },
    (error: Error) => {
      console.error(error.message);
      process.exitCode = 1;
    },
  );
}
