/**
 * Secrets recognised by their value, whatever the variable is called. One detector for the config
 * check (./checks.ts) and the policy pack (policies/rules/railwayServiceDisallowPlainSecrets.ts,
 * which imports this file directly, as it imports ../resources/types.ts), so the two never
 * disagree. Pure and dependency-free on purpose: the policy pack compiles it with its own tsconfig.
 *
 * Each rule matches a shape that is a credential and little else (false positives cost more than
 * they catch: a rule that cries wolf gets switched off). Public URLs, host names, UUIDs, image
 * digests, publishable keys (`pk_live_`) and public keys pass. Railway references (`${{...}}`)
 * are never secrets: Railway resolves them, the value never passes through the stack.
 * The rules, with examples, are in README.md ("Secrets found by their value").
 */

/** What a rule found; `what` completes "holds …" in a message. */
export interface SecretFinding {
  /** Rule id, e.g. `url-password`. */
  rule: SecretRuleId;
  /** E.g. `a Stripe secret key`. */
  what: string;
}

export type SecretRuleId = (typeof SECRET_RULES)[number]["id"];

/** Variable names that hold credentials (the name-based check beside the value rules). */
export const SECRET_LOOKING_NAME =
  /PASSWORD|SECRET|TOKEN|API_KEY|APIKEY|PRIVATE_KEY|DSN|CREDENTIAL/i;

/** A Railway reference variable, `${{service.VAR}}`, `${{shared.VAR}}` or `${{VAR}}`. */
export const RAILWAY_REFERENCE = /\$\{\{\s*[^{}]+?\s*\}\}/g;

/** True when the whole value is one Railway reference. */
export function isRailwayReference(value: string): boolean {
  return /^\$\{\{\s*[^{}]+?\s*\}\}$/.test(value.trim());
}

/** Stands in for each reference, so `u:${{pg.PASSWORD}}@host` has no literal password. */
const REFERENCE_MARK = "\u0001";
// eslint-disable-next-line no-control-regex
const ONLY_REFERENCES = /^\u0001+$/;

/** `scheme://userinfo@` anywhere in a value. */
const URL_USERINFO = /[a-z][a-z0-9+.-]*:\/\/([^\s/?#@]*)@/gi;

/**
 * The literal password in a URL's userinfo (`postgres://u:p@host`), if any. A password made only
 * of Railway references is none.
 */
export function literalUrlPassword(value: string): string | undefined {
  const marked = value.replace(RAILWAY_REFERENCE, REFERENCE_MARK);
  for (const match of marked.matchAll(URL_USERINFO)) {
    const userinfo = match[1] ?? "";
    const colon = userinfo.indexOf(":");
    const password = colon < 0 ? "" : userinfo.slice(colon + 1);
    if (password !== "" && !ONLY_REFERENCES.test(password)) return password;
  }
  return undefined;
}

/**
 * A token used as the URL's user name (`https://ghp_…@github.com`, `nats://<token>@host`): a
 * userinfo without a colon, at least 20 characters of letters and digits mixed. Short user names
 * (`git@`, `app@`, `deploy-bot@`) pass.
 */
function urlUserToken(value: string): boolean {
  const marked = value.replace(RAILWAY_REFERENCE, REFERENCE_MARK);
  for (const match of marked.matchAll(URL_USERINFO)) {
    const user = match[1] ?? "";
    if (
      !user.includes(":") &&
      /^[A-Za-z0-9_.~%-]{20,}$/.test(user) &&
      /[A-Za-z]/.test(user) &&
      /\d/.test(user)
    ) {
      return true;
    }
  }
  return false;
}

/** Query parameters that carry a credential (by name), e.g. `?api_key=`, `&sig=`, `X-Amz-Signature=`. */
const CREDENTIAL_PARAM =
  /^(?:.*[_-])?(?:token|access[_-]?token|id[_-]?token|refresh[_-]?token|api[_-]?key|apikey|key|secret|client[_-]?secret|password|passwd|pwd|sig|signature|credential|auth)$/i;

/** A literal credential in a URL's query string (at least 8 characters; references pass). */
function urlQueryCredential(value: string): boolean {
  const marked = value.replace(RAILWAY_REFERENCE, REFERENCE_MARK);
  for (const url of marked.matchAll(/[a-z][a-z0-9+.-]*:\/\/[^\s?#]*\?([^\s#]*)/gi)) {
    for (const pair of (url[1] ?? "").split("&")) {
      const eq = pair.indexOf("=");
      if (eq <= 0) continue;
      const name = decodeSafely(pair.slice(0, eq));
      const param = decodeSafely(pair.slice(eq + 1));
      if (CREDENTIAL_PARAM.test(name) && param.length >= 8 && !param.includes(REFERENCE_MARK)) {
        return true;
      }
    }
  }
  return false;
}

function decodeSafely(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** `NAME=value` inside a value (a command line, a DSN) where NAME looks like a secret's name. */
function secretAssignment(value: string): boolean {
  const marked = value.replace(RAILWAY_REFERENCE, REFERENCE_MARK);
  for (const match of marked.matchAll(/\b([A-Za-z_][A-Za-z0-9_]*)=("?)([^\s"&;]+)\2/g)) {
    const [, name = "", , assigned = ""] = match;
    if (
      SECRET_LOOKING_NAME.test(name) &&
      assigned.length >= 8 &&
      !assigned.includes(REFERENCE_MARK)
    )
      return true;
  }
  return false;
}

interface SecretRule {
  id: string;
  what: string;
  /** True when `value` (references already left in place) holds this kind of secret. */
  test(value: string): boolean;
}

const pattern =
  (regex: RegExp) =>
  (value: string): boolean =>
    regex.test(value);

/** The rules, in the order they are tried (the first match names the finding). */
export const SECRET_RULES = [
  {
    id: "url-password",
    what: "a URL with a password",
    test: (value: string) => literalUrlPassword(value) !== undefined,
  },
  { id: "url-user-token", what: "a URL with a token as its user name", test: urlUserToken },
  {
    id: "url-query-credential",
    what: "a URL with a credential in its query",
    test: urlQueryCredential,
  },
  {
    id: "pem-private-key",
    what: "a PEM private key",
    test: pattern(/-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----/),
  },
  {
    id: "jwt",
    what: "a JSON Web Token",
    test: pattern(/\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/),
  },
  {
    id: "authorization-header",
    what: "an Authorization header value",
    test: pattern(/\b(?:Bearer|Basic|Token)\s+[A-Za-z0-9._~+/-]{16,}=*(?![A-Za-z0-9._~+/=-])/),
  },
  {
    id: "railway-token-header",
    what: "a Railway project token",
    test: pattern(
      /project-access-token\s*[:=]\s*[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i,
    ),
  },
  {
    id: "anthropic-key",
    what: "an Anthropic API key",
    test: pattern(/\bsk-ant-(?:api|admin|oat)\d{2}-[A-Za-z0-9_-]{20,}/),
  },
  {
    id: "openai-key",
    what: "an OpenAI API key",
    test: pattern(
      /\bsk-(?:(?:proj|svcacct|admin)-[A-Za-z0-9_-]{20,}|[A-Za-z0-9]{32,})(?![A-Za-z0-9_-])/,
    ),
  },
  {
    id: "stripe-key",
    what: "a Stripe secret key",
    test: pattern(/\b(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,}|\bwhsec_[A-Za-z0-9+/=]{24,}/),
  },
  {
    id: "github-token",
    what: "a GitHub token",
    test: pattern(/\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{40,})/),
  },
  {
    id: "slack-token",
    what: "a Slack token or webhook URL",
    test: pattern(
      /\bxox[abposre]-[A-Za-z0-9-]{10,}|hooks\.slack\.com\/(?:services|workflows|triggers)\/T[A-Z0-9]+\/[A-Za-z0-9]+\/[A-Za-z0-9]{16,}/,
    ),
  },
  {
    id: "aws-access-key",
    what: "an AWS access key id",
    test: pattern(/\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}\b/),
  },
  {
    id: "google-key",
    what: "a Google API key or OAuth client secret",
    test: pattern(/\bAIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])|\bGOCSPX-[A-Za-z0-9_-]{28}/),
  },
  {
    id: "secret-assignment",
    what: "an assignment to a secret-looking name",
    test: secretAssignment,
  },
] as const satisfies readonly SecretRule[];

/**
 * The first secret found in `value`, or undefined. A value that is one Railway reference is never
 * a secret.
 */
export function findSecretInValue(value: string): SecretFinding | undefined {
  if (value.trim() === "" || isRailwayReference(value)) return undefined;
  const rule = SECRET_RULES.find((candidate) => candidate.test(value));
  return rule === undefined ? undefined : { rule: rule.id, what: rule.what };
}
