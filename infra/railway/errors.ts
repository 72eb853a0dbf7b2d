/**
 * Typed errors for Railway API calls. Every error carries the operation name and Railway's own
 * message, and never the request's variables or headers (they may hold secrets or the token).
 */

export interface GraphQLErrorEntry {
  message: string;
  path?: ReadonlyArray<string | number>;
  extensions?: Record<string, unknown>;
}

export class RailwayApiError extends Error {
  constructor(
    message: string,
    readonly operationName: string,
    /** HTTP status, when the failure was an HTTP one. */
    readonly status?: number,
    readonly graphqlErrors: readonly GraphQLErrorEntry[] = [],
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Railway answered that the object does not exist (a GraphQL error mentioning "not found"). */
export class RailwayNotFoundError extends RailwayApiError {}

/** The token is missing, wrong, expired, or lacks access to the object. */
export class RailwayAuthError extends RailwayApiError {}

/** 429, 5xx, timeouts and dropped connections: worth retrying. */
export class RailwayTransientError extends RailwayApiError {
  constructor(
    message: string,
    operationName: string,
    status?: number,
    /** Delay Railway asked for (Retry-After), in milliseconds. */
    readonly retryAfterMs?: number,
    /**
     * False when Railway cannot have processed the request (429, refused connection); true when it
     * may have (5xx, a connection dropped after sending): a create must then be looked up before it
     * is repeated.
     */
    readonly mayHaveBeenProcessed: boolean = true,
  ) {
    super(message, operationName, status);
  }
}

export const isNotFound = (error: unknown): boolean => error instanceof RailwayNotFoundError;

const NOT_FOUND = /not found/i;
const NOT_AUTHORIZED = /not authori[sz]ed|unauthori[sz]ed|invalid token|token expired/i;

/** Classifies Railway's GraphQL errors (always HTTP 200) into the typed errors above. */
export function errorFromGraphQL(
  operationName: string,
  errors: readonly GraphQLErrorEntry[],
): RailwayApiError {
  const message = errors.map((entry) => entry.message).join("; ");
  const text = `Railway API ${operationName} failed: ${message}`;
  if (errors.some((entry) => NOT_AUTHORIZED.test(entry.message))) {
    return new RailwayAuthError(
      `${text}. Check RAILWAY_API_TOKEN (an account or workspace token; create one at https://railway.com/account/tokens) or the secret stack config key railway-stacks:railwayToken.`,
      operationName,
      undefined,
      errors,
    );
  }
  if (errors.every((entry) => NOT_FOUND.test(entry.message))) {
    return new RailwayNotFoundError(text, operationName, undefined, errors);
  }
  return new RailwayApiError(text, operationName, undefined, errors);
}
