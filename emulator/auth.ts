/**
 * Authentication as Railway does it (docs/railway-api.md §0):
 * - `Authorization: Bearer <token>`: the emulator's account token, full access;
 * - `Project-Access-Token: <token>` (any header case): a token made by projectTokenCreate, scoped
 *   to one environment of one project.
 * A missing or unknown token is not an HTTP 401: Railway answers HTTP 200 with the GraphQL error
 * "Not Authorized", and so does the emulator (http.ts). Access outside a project token's scope is
 * the same error.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import { fail, NOT_AUTHORIZED } from "./errors";
import { EmulatorState, EnvironmentRecord } from "./state";

export type Principal =
  | { kind: "account" }
  | { kind: "project"; tokenId: string; projectId: string; environmentId: string };

export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(hashToken(a));
  const y = Buffer.from(hashToken(b));
  return timingSafeEqual(x, y);
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/** The bearer token of a request, if any (admin endpoints accept only the account token). */
export function bearerToken(headers: IncomingHttpHeaders): string | undefined {
  const auth = header(headers, "authorization");
  const match = auth ? /^Bearer\s+(\S+)\s*$/i.exec(auth) : null;
  return match ? match[1] : undefined;
}

export function isAccountToken(headers: IncomingHttpHeaders, accountToken: string): boolean {
  const token = bearerToken(headers);
  return token !== undefined && sameSecret(token, accountToken);
}

/** Who is calling, or null when the request carries no valid token. */
export function authenticate(
  headers: IncomingHttpHeaders,
  accountToken: string,
  state: EmulatorState,
): Principal | null {
  const projectToken = header(headers, "project-access-token")?.trim();
  if (projectToken) {
    // A project token goes in its own header only; the CLI lets it win over a bearer token.
    const hash = hashToken(projectToken);
    const record = Object.values(state.data.projectTokens).find((t) => t.tokenSha256 === hash);
    if (!record || !state.data.environments[record.environmentId]) return null;
    return {
      kind: "project",
      tokenId: record.id,
      projectId: record.projectId,
      environmentId: record.environmentId,
    };
  }
  return isAccountToken(headers, accountToken) ? { kind: "account" } : null;
}

/** Scope checks the resolvers call before touching a project or an environment. */
export class Access {
  constructor(readonly principal: Principal) {}

  get isAccount(): boolean {
    return this.principal.kind === "account";
  }

  canSeeProject(projectId: string): boolean {
    return this.principal.kind === "account" || this.principal.projectId === projectId;
  }

  project(projectId: string): void {
    if (!this.canSeeProject(projectId)) fail(NOT_AUTHORIZED);
  }

  /** A project token reaches only its own environment. */
  environment(env: EnvironmentRecord): void {
    this.project(env.projectId);
    if (this.principal.kind === "project" && this.principal.environmentId !== env.id)
      fail(NOT_AUTHORIZED);
  }

  /** Project-level administration (create/delete projects and environments, mint tokens). */
  accountOnly(): void {
    if (this.principal.kind !== "account") fail(NOT_AUTHORIZED);
  }
}
