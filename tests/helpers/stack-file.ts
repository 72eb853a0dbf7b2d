/**
 * The shipped `Pulumi.<stack>.yaml` files as tests read them. A user's own `pulumi` commands write
 * into these files (an `encryptionsalt`, `secure:` values from `pulumi config set --secret`, a
 * reformatting), so tests never use them as they are: they take the declaration and leave what
 * belongs to the user's secrets manager behind.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { isMap, parse, parseDocument } from "yaml";

export const REPO_ROOT = join(__dirname, "..", "..");

/** Stack-file keys that tie secrets to one backend's secrets manager. */
const ENCRYPTION_KEYS = ["encryptionsalt", "encryptedkey", "secretsprovider"] as const;

/** The text of the checkout's `Pulumi.<stack>.yaml`, as it is on disk. */
export const shippedStackFileText = (stack: string): string =>
  readFileSync(join(REPO_ROOT, `Pulumi.${stack}.yaml`), "utf8");

/**
 * A stack file's text made fit for a scratch backend and passphrase: the encryption settings and
 * `secure:` values it brought along (which no other passphrase can open) are dropped, and those
 * that the scratch stack already has (`ownText`, written there by `pulumi stack init` or
 * `pulumi config set --secret`) are kept.
 */
export function fitStackFile(text: string, ownText?: string): string {
  const document = parseDocument(text);
  for (const key of ENCRYPTION_KEYS) document.delete(key);
  const config = document.get("config");
  if (isMap(config))
    config.items = config.items.filter((item) => !(isMap(item.value) && item.value.has("secure")));
  const own = (ownText === undefined ? undefined : parse(ownText)) as {
    config?: Record<string, unknown>;
    [key: string]: unknown;
  } | null;
  for (const key of ENCRYPTION_KEYS) if (own?.[key] !== undefined) document.set(key, own[key]);
  for (const [key, value] of Object.entries(own?.config ?? {}))
    if (typeof value === "object" && value !== null && "secure" in value)
      document.setIn(["config", key], value);
  return String(document);
}

/** The `config:` map of the checkout's `Pulumi.<stack>.yaml`, without the user's secure values. */
export function shippedStackConfig(stack: string): Record<string, unknown> {
  const file = parse(fitStackFile(shippedStackFileText(stack))) as {
    config?: Record<string, unknown>;
  } | null;
  return file?.config ?? {};
}

/**
 * The checkout's `Pulumi.<stack>.yaml` in the `isolated` layout: a project of its own per stack,
 * named `agent-platform-<stack>` (the suites that test that layout use these).
 */
export function isolatedStackFileText(stack: string): string {
  const document = parseDocument(shippedStackFileText(stack));
  document.setIn(["config", "railway-stacks:app", "project", "layout"], "isolated");
  document.setIn(["config", "railway-stacks:app", "project", "name"], `agent-platform-${stack}`);
  return String(document);
}
