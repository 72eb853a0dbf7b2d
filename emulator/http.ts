/**
 * The HTTP layer: POST /graphql/v2 (Railway's endpoint path; any query string such as
 * `?source=railway-stacks` is accepted and ignored) and the /_emulator/* admin endpoints.
 *
 * Order of a GraphQL request: read body -> append the document log -> count -> latency -> fault
 * dice -> authenticate -> parse/validate -> execute -> persist (mutations) -> answer (or, for a
 * "drop-after" fault, hang up without answering). Everything goes to the request log.
 */
import * as fs from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { performance } from "node:perf_hooks";
import {
  DocumentNode,
  execute,
  getOperationAST,
  GraphQLError,
  GraphQLSchema,
  parse,
  validate,
} from "graphql";
import { Access, authenticate, isAccountToken } from "./auth";
import { PatchError } from "./config-merge";
import { advanceDeployments, liveDeployment, normalizeDeploymentSettings } from "./deployments";
import { NOT_AUTHORIZED } from "./errors";
import { FaultInjector, FaultKind } from "./faults";
import { redact } from "./redact";
import { RequestLog, RequestLogEntry } from "./request-log";
import { Context } from "./resolvers";
import { EmulatorState } from "./state";
import { allUnresolvedReferences } from "./variables";

export const GRAPHQL_PATH = "/graphql/v2";
const MAX_BODY_BYTES = 10 * 1024 * 1024;

export interface HandlerDeps {
  schema: GraphQLSchema;
  state: EmulatorState;
  token: string;
  faults: FaultInjector;
  log: RequestLog;
  documentLogFile?: string;
  /** Called for resolver exceptions that are bugs rather than GraphQL errors. */
  onInternalError?: (err: Error) => void;
}

interface Classified {
  document?: DocumentNode;
  syntaxError?: GraphQLError;
  kind: "query" | "mutation";
  operationName: string | null;
}

class BodyTooLarge extends Error {}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new BodyTooLarge());
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

function sendText(res: ServerResponse, status: number, contentType: string, text: string): void {
  res.writeHead(status, { "content-type": contentType, "content-length": Buffer.byteLength(text) });
  res.end(text);
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The HTTP answer for a fault injected before processing (all but drop / drop-after). */
function sendFault(res: ServerResponse, kind: FaultKind, retryAfter: number): number {
  switch (kind) {
    case "429":
      sendJson(
        res,
        429,
        {
          errors: [
            {
              message: `Rate limit exceeded. Please try again in ${retryAfter} seconds.`,
              extensions: { code: "RATE_LIMITED" },
            },
          ],
        },
        {
          "retry-after": String(retryAfter),
          "x-ratelimit-limit": "1000",
          "x-ratelimit-remaining": "0",
          "x-ratelimit-reset": String(Math.ceil(Date.now() / 1000) + retryAfter),
        },
      );
      return 429;
    case "500":
      sendJson(res, 500, { errors: [{ message: "Internal Server Error" }] });
      return 500;
    case "502":
      // Answered by an edge proxy, not by the GraphQL server: HTML, not JSON.
      sendText(
        res,
        502,
        "text/html; charset=utf-8",
        "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center></body></html>\n",
      );
      return 502;
    case "503":
      sendText(res, 503, "text/plain; charset=utf-8", "Service Unavailable\n");
      return 503;
    default:
      return 0;
  }
}

export function createHandler(
  deps: HandlerDeps,
): (req: IncomingMessage, res: ServerResponse) => void {
  const { schema, state, token, faults, log } = deps;
  const parsed = new Map<
    string,
    {
      document?: DocumentNode;
      syntaxError?: GraphQLError;
      validationErrors?: readonly GraphQLError[];
    }
  >();
  let documentLogBroken = false;

  const parseCached = (query: string) => {
    let entry = parsed.get(query);
    if (!entry) {
      try {
        const document = parse(query);
        entry = { document, validationErrors: validate(schema, document) };
      } catch (err) {
        entry = { syntaxError: err instanceof GraphQLError ? err : new GraphQLError(String(err)) };
      }
      if (parsed.size > 1000) parsed.clear();
      parsed.set(query, entry);
    }
    return entry;
  };

  const classify = (query: string | undefined, operationName: string | null): Classified => {
    if (typeof query !== "string") return { kind: "query", operationName };
    const entry = parseCached(query);
    if (!entry.document) return { kind: "query", operationName, syntaxError: entry.syntaxError };
    const op = getOperationAST(entry.document, operationName ?? undefined);
    return {
      document: entry.document,
      kind: op?.operation === "mutation" ? "mutation" : "query",
      operationName: operationName ?? op?.name?.value ?? null,
    };
  };

  const appendDocumentLog = (operationName: string | null, query: unknown): void => {
    if (!deps.documentLogFile || documentLogBroken || typeof query !== "string") return;
    try {
      // Documents only: variables (which carry secrets) never go to this file.
      fs.appendFileSync(
        deps.documentLogFile,
        JSON.stringify({ at: new Date().toISOString(), operationName, query }) + "\n",
      );
    } catch (err) {
      documentLogBroken = true;
      process.stderr.write(
        `railway-emulator: cannot write document log ${deps.documentLogFile}: ${(err as Error).message}\n`,
      );
    }
  };

  async function handleGraphql(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    const at = new Date().toISOString();
    let entry: RequestLogEntry = {
      at,
      operationName: null,
      kind: "query",
      variables: null,
      durationMs: 0,
      status: 0,
    };
    const finish = (status: number, extra: Partial<RequestLogEntry> = {}): void => {
      entry = {
        ...entry,
        ...extra,
        status,
        durationMs: Math.round((performance.now() - started) * 100) / 100,
      };
      log.add(entry);
    };

    let body: string;
    try {
      body = await readBody(req);
    } catch (err) {
      if (err instanceof BodyTooLarge) return; // connection already destroyed
      throw err;
    }
    let payload: { query?: unknown; variables?: unknown; operationName?: unknown };
    try {
      const value = JSON.parse(body) as unknown;
      if (typeof value !== "object" || value === null || Array.isArray(value))
        throw new Error("not an object");
      payload = value as typeof payload;
    } catch {
      log.received(null);
      sendJson(res, 400, {
        errors: [
          {
            message:
              "Invalid request: the body must be a JSON object {query, variables, operationName}",
          },
        ],
      });
      finish(400);
      return;
    }
    let variables: unknown = payload.variables ?? null;
    if (typeof variables === "string") {
      try {
        variables = JSON.parse(variables) as unknown;
      } catch {
        variables = null;
      }
    }
    const query = typeof payload.query === "string" ? payload.query : undefined;
    const info = classify(
      query,
      typeof payload.operationName === "string" ? payload.operationName : null,
    );
    entry.operationName = info.operationName;
    entry.kind = info.kind;
    entry.variables = redact(variables);
    appendDocumentLog(info.operationName, payload.query);
    log.received(info.operationName);

    const delay = faults.latency();
    if (delay > 0) await sleep(delay);

    const fault = faults.next();
    if (fault && fault !== "drop-after") {
      log.faulted(fault);
      if (fault === "drop") {
        req.socket.destroy();
        finish(0, { fault });
      } else {
        finish(sendFault(res, fault, faults.current.retryAfter), { fault });
      }
      return;
    }

    const principal = authenticate(req.headers, token, state);
    if (!principal) {
      // What Railway does: HTTP 200, no data, one GraphQL error.
      sendJson(res, 200, { data: null, errors: [{ message: NOT_AUTHORIZED }] });
      finish(200, { errors: [NOT_AUTHORIZED] });
      return;
    }

    if (query === undefined) {
      const message = "Invalid request: missing the GraphQL query";
      sendJson(res, 400, { errors: [{ message }] });
      finish(400, { errors: [message] });
      return;
    }
    const cachedDoc = parseCached(query);
    const requestErrors = cachedDoc.syntaxError
      ? [cachedDoc.syntaxError]
      : (cachedDoc.validationErrors ?? []);
    if (requestErrors.length || !cachedDoc.document) {
      sendJson(res, 400, {
        errors: requestErrors.map((e) => ({
          ...e.toJSON(),
          extensions: { code: "GRAPHQL_VALIDATION_FAILED" },
        })),
      });
      finish(400, { errors: requestErrors.map((e) => e.message) });
      return;
    }

    // Deployments move on with time; bring them up to now before answering anything.
    const progressed = advanceDeployments(state);
    const context: Context = { state, principal, access: new Access(principal) };
    const result = await execute({
      schema,
      document: cachedDoc.document,
      variableValues: (variables ?? undefined) as Record<string, unknown> | undefined,
      operationName: typeof payload.operationName === "string" ? payload.operationName : undefined,
      contextValue: context,
    });
    log.executed(info.kind);
    for (const err of result.errors ?? []) {
      const original = err.originalError;
      if (original && !(original instanceof GraphQLError) && !(original instanceof PatchError))
        deps.onInternalError?.(original);
    }
    if (info.kind === "mutation" || progressed) state.save();
    const errors = result.errors?.map((e) => e.message);

    if (fault === "drop-after") {
      // The work is done and saved; the client just never hears about it.
      log.faulted(fault);
      req.socket.destroy();
      finish(0, { fault, ...(errors ? { errors } : {}) });
      return;
    }
    sendJson(res, 200, result);
    finish(200, errors ? { errors } : {});
  }

  async function handleAdmin(
    req: IncomingMessage,
    res: ServerResponse,
    pathname: string,
  ): Promise<void> {
    if (!isAccountToken(req.headers, token)) {
      sendJson(res, 401, { error: NOT_AUTHORIZED });
      return;
    }
    const route = `${req.method} ${pathname}`;
    switch (route) {
      case "GET /_emulator/state":
        if (advanceDeployments(state)) state.save();
        sendJson(res, 200, { ...state.data, unresolvedReferences: allUnresolvedReferences(state) });
        return;
      case "GET /_emulator/requests":
        sendJson(res, 200, { requests: log.requests() });
        return;
      case "GET /_emulator/counters":
        sendJson(res, 200, log.counters());
        return;
      case "POST /_emulator/reset":
        await readBody(req);
        state.reset();
        state.save();
        log.clear();
        sendJson(res, 200, { ok: true });
        return;
      case "GET /_emulator/faults":
        sendJson(res, 200, faults.current);
        return;
      case "POST /_emulator/faults": {
        const text = await readBody(req);
        try {
          const body = text.trim() ? (JSON.parse(text) as Record<string, unknown>) : {};
          sendJson(res, 200, faults.set(body));
        } catch (err) {
          sendJson(res, 400, { error: (err as Error).message });
        }
        return;
      }
      case "GET /_emulator/deployments":
        sendJson(res, 200, state.deploymentSettings);
        return;
      case "POST /_emulator/deployments": {
        const text = await readBody(req);
        try {
          const body = text.trim() ? (JSON.parse(text) as Record<string, unknown>) : {};
          state.deploymentSettings = normalizeDeploymentSettings(body, state.deploymentSettings);
          sendJson(res, 200, state.deploymentSettings);
        } catch (err) {
          sendJson(res, 400, { error: (err as Error).message });
        }
        return;
      }
      default:
        sendJson(res, 404, { error: `No admin endpoint ${route}` });
    }
  }

  /**
   * `GET /_domains/<domain>/<path>` stands in for a service's public Railway domain, which does
   * not exist offline. It answers from the deployment that is live: 200 with that deployment's id
   * while the service has a SUCCESS deployment in that environment (the previous one keeps
   * answering while a new one builds, fails or crashes), 503 before any has succeeded, 404 for an
   * unknown domain. Unauthenticated, like a public domain. The deploy gate reaches it through
   * RAILWAY_STACKS_GATE_URL_TEMPLATE.
   */
  function handleDomain(res: ServerResponse, pathname: string): void {
    const [, , domain = "", ...rest] = pathname.split("/");
    const record = Object.values(state.data.serviceDomains).find(
      (entry) => entry.domain === domain,
    );
    if (!record) {
      sendJson(res, 404, { error: `Unknown domain ${domain}` });
      return;
    }
    if (advanceDeployments(state)) state.save();
    const live = liveDeployment(state, record.environmentId, record.serviceId);
    sendJson(res, live ? 200 : 503, {
      status: live ? "ok" : "starting",
      domain,
      path: `/${rest.join("/")}`,
      ...(live ? { deploymentId: live.id } : {}),
    });
  }

  return (req, res) => {
    const pathname = new URL(req.url ?? "/", "http://emulator").pathname;
    let work: Promise<void>;
    if (pathname.startsWith("/_domains/") && req.method === "GET") {
      handleDomain(res, pathname);
      return;
    }
    if (pathname === GRAPHQL_PATH) {
      if (req.method !== "POST") {
        sendJson(
          res,
          405,
          { errors: [{ message: `Use POST ${GRAPHQL_PATH}` }] },
          { allow: "POST" },
        );
        return;
      }
      work = handleGraphql(req, res);
    } else if (pathname.startsWith("/_emulator/")) {
      work = handleAdmin(req, res, pathname);
    } else {
      sendJson(res, 404, {
        errors: [
          { message: `Not found: ${pathname} (the GraphQL endpoint is POST ${GRAPHQL_PATH})` },
        ],
      });
      return;
    }
    work.catch((err: Error) => {
      deps.onInternalError?.(err);
      if (!res.headersSent && !res.destroyed)
        sendJson(res, 500, { errors: [{ message: "Internal emulator error" }] });
    });
  };
}
