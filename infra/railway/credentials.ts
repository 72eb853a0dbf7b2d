/**
 * Where the provider gets its endpoint and token. Credentials never enter resource inputs or state:
 * they come from the environment or from a secret stack config key handed to the dynamic
 * provider's `configure`, and live only in this process.
 */

export const DEFAULT_ENDPOINT = "https://backboard.railway.com/graphql/v2";
/** Railway's edge rate-limits requests without a query string; tag ours. */
export const SOURCE_TAG = "railway-stacks";
/** Stack config key (secret) that may hold the token instead of RAILWAY_API_TOKEN. */
export const TOKEN_CONFIG_KEY = "railway-stacks:railwayToken";

export type TokenKind = "bearer" | "project";

export interface RailwayCredentials {
  endpoint: string;
  token: string;
  kind: TokenKind;
}

let configuredToken: string | undefined;

/** Called from the dynamic provider's `configure` with the secret stack config value, if any. */
export function setConfiguredToken(token: string | undefined): void {
  configuredToken = token && token.trim() !== "" ? token.trim() : undefined;
}

export class MissingCredentialsError extends Error {
  constructor() {
    super(
      "No Railway token: set RAILWAY_API_TOKEN to an account or workspace token " +
        "(https://railway.com/account/tokens), or store it in the stack with " +
        "`pulumi config set --secret railwayToken <token>`. To run against the local emulator " +
        "instead, set RAILWAY_GRAPHQL_ENDPOINT to its URL and RAILWAY_API_TOKEN to the token it prints.",
    );
    this.name = "MissingCredentialsError";
  }
}

/** Adds `?source=` unless the endpoint already has a query string. */
export function withSourceTag(endpoint: string): string {
  const url = new URL(endpoint);
  if (!url.searchParams.has("source")) url.searchParams.set("source", SOURCE_TAG);
  return url.toString();
}

/**
 * Precedence: RAILWAY_API_TOKEN (Bearer) → the stack's secret config key (Bearer) →
 * RAILWAY_TOKEN (project token, `Project-Access-Token` header; enough for existing projects,
 * not for creating them).
 */
export function resolveCredentials(env: NodeJS.ProcessEnv = process.env): RailwayCredentials {
  const endpoint = withSourceTag(env.RAILWAY_GRAPHQL_ENDPOINT?.trim() || DEFAULT_ENDPOINT);
  const apiToken = env.RAILWAY_API_TOKEN?.trim();
  if (apiToken) return { endpoint, token: apiToken, kind: "bearer" };
  if (configuredToken) return { endpoint, token: configuredToken, kind: "bearer" };
  const projectToken = env.RAILWAY_TOKEN?.trim();
  if (projectToken) return { endpoint, token: projectToken, kind: "project" };
  throw new MissingCredentialsError();
}
