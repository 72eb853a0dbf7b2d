/**
 * Checks that need more than one field. They run even when other fields already failed (zod
 * `when`), so every problem is reported at once; that is why they read the value defensively.
 *
 * Messages follow one rule: the issue's path is the YAML key to change, `message` says what is
 * wrong, `params.fix` says what to write instead. `%STACK%` in a fix is replaced with the stack.
 */
import type { z } from "zod";

import {
  APP_SETTING_VARIABLES,
  DATA_SERVICES,
  LINK_VARIABLES,
  SECRET_LOOKING_KEY,
} from "./constants";
import {
  checkServiceName,
  VARIABLE_NAME,
  checkRegion,
  closest,
  configKeyFor,
  formatSizeMB,
  oneOf,
  parseSizeMB,
  quote,
} from "../domain/rules";
import {
  INSTANCE_NAME,
  isDataServiceName,
  isNamedForm,
  rawDataInstances,
  type RawDataInstance,
} from "./data-services";
import type { SuggestParams, Suggestion } from "./issues";
import { findSecretInValue } from "./secret-values";
import { isObject, isPublicService } from "./tiers";

type Ctx = z.core.$RefinementCtx<unknown>;
type Obj = Record<string, unknown>;
type Path = (string | number)[];

function report(ctx: Ctx, path: Path, message: string, fix: string, suggest?: Suggestion): void {
  const params: SuggestParams = suggest === undefined ? { fix } : { fix, suggest };
  ctx.addIssue({ code: "custom", path, message, params });
}

const str = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);
const num = (value: unknown): number | undefined =>
  typeof value === "number" && Number.isFinite(value) ? value : undefined;
const obj = (value: unknown): Obj => (isObject(value) ? value : {});
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

const REFERENCE = /^([A-Za-z][A-Za-z0-9-]*)\.([A-Za-z_][A-Za-z0-9_]*)$/;
/** `{ ref: shared.<KEY> }` / `${{shared.<KEY>}}`: the environment's shared variables, not a service. */
export const SHARED_NAMESPACE = "shared";
const VARIABLE_KINDS = ["secret", "ref", "generate", "notSecret"] as const;

// ---------------------------------------------------------------------------------------------
// One service

/** Checks within one app service (`services.<name>`). */
export function checkService(value: unknown, ctx: Ctx): void {
  if (!isObject(value)) return;
  checkSource(value, ctx);
  checkScaling(value, ctx);
  checkRuntime(value, ctx);
  checkVariables(value, ctx);
}

function checkSource(service: Obj, ctx: Ctx): void {
  const source = service["source"];
  if (!isObject(source)) return;
  const repo = str(source["repo"]);
  const image = str(source["image"]);
  if (repo !== undefined && image !== undefined) {
    report(
      ctx,
      ["source"],
      `sets both "repo" and "image"`,
      `keep "repo" to build from the repository, or keep "image" (and remove "repo", "branch" and "rootDirectory") to run a prebuilt image`,
    );
  } else if (
    repo === undefined &&
    image === undefined &&
    source["repo"] === undefined &&
    source["image"] === undefined
  ) {
    report(
      ctx,
      ["source"],
      `names neither "repo" nor "image"`,
      `add repo: owner/name (with rootDirectory in a monorepo) or image: name:tag`,
    );
  } else if (image !== undefined) {
    for (const key of ["branch", "rootDirectory"]) {
      if (source[key] !== undefined) {
        report(
          ctx,
          ["source", key],
          `only applies to "repo" sources, this service runs image ${quote(image)}`,
          `remove "${key}"`,
        );
      }
    }
    if (service["build"] !== undefined) {
      report(
        ctx,
        ["build"],
        `only applies to services built from "repo", this service runs image ${quote(image)}`,
        `remove "build"`,
      );
    }
  }

  const build = obj(service["build"]);
  const builder = str(build["builder"]);
  if (build["dockerfilePath"] !== undefined && builder !== undefined && builder !== "DOCKERFILE") {
    report(
      ctx,
      ["build", "dockerfilePath"],
      `needs builder DOCKERFILE but "build.builder" is ${builder}`,
      `set "build.builder" to DOCKERFILE, or remove "dockerfilePath"`,
    );
  }
}

function checkScaling(service: Obj, ctx: Ctx): void {
  const replicas = num(service["replicas"]);
  const regions = service["regions"];
  const cron = str(service["cron"]);
  if (service["replicas"] !== undefined && regions !== undefined) {
    report(
      ctx,
      ["replicas"],
      `cannot be set together with "regions"`,
      `remove "replicas" and give each region its replica count under "regions", or remove "regions"`,
    );
  }
  if (isObject(regions)) {
    const names = Object.keys(regions);
    if (names.length === 0) {
      report(
        ctx,
        ["regions"],
        `lists no region`,
        `add at least one region with its replica count, e.g. us-west2: 2, or remove "regions"`,
      );
    }
    for (const region of names) {
      const found = checkRegion(region);
      const guess =
        found?.suggest !== undefined && "value" in found.suggest ? found.suggest.value : undefined;
      if (found)
        report(
          ctx,
          ["regions", region],
          found.problem,
          found.fix,
          typeof guess === "string" ? { rule: "closest-region", renameTo: guess } : undefined,
        );
    }
  }
  if (cron !== undefined) {
    if (regions !== undefined) {
      report(
        ctx,
        ["regions"],
        `cannot be used by a cron service, which runs one replica`,
        `remove "regions", or remove "cron"`,
      );
    }
    if (replicas !== undefined && replicas > 1) {
      report(
        ctx,
        ["replicas"],
        `is ${replicas} but a cron service runs exactly one replica`,
        `remove "replicas" or set it to 1, or remove "cron"`,
        { rule: "single-replica", value: 1 },
      );
    }
  }
  if (service["volume"] !== undefined) {
    // Railway attaches a volume to one replica: replicas and volumes are exclusive.
    if (regions !== undefined) {
      report(
        ctx,
        ["volume"],
        `cannot be used with "regions": Railway attaches a volume to a single replica`,
        `remove "regions" (the service then runs one replica in project.region), or remove "volume"`,
      );
    } else if (replicas !== undefined && replicas > 1) {
      report(
        ctx,
        ["volume"],
        `is set but the service runs ${replicas} replicas, and Railway attaches a volume to a single replica`,
        `set "replicas" to 1, or remove "volume"`,
      );
    }
  }
}

function checkRuntime(service: Obj, ctx: Ctx): void {
  const restart = obj(service["restartPolicy"]);
  const type = str(restart["type"]) ?? "ON_FAILURE";
  if (restart["maxRetries"] !== undefined && type !== "ON_FAILURE") {
    report(
      ctx,
      ["restartPolicy", "maxRetries"],
      `only applies to restart policy ON_FAILURE, not ${type}`,
      `remove "maxRetries", or set "restartPolicy.type" to ON_FAILURE`,
    );
  }

  const isPublic = isPublicService(service);
  if (isPublic && service["port"] === undefined) {
    report(
      ctx,
      ["port"],
      `is required because the service has a public domain`,
      `set "port" to the port the service listens on, e.g. 8080`,
    );
  }

  const gate = obj(service["gate"]);
  if (gate["enabled"] === true) {
    const healthcheck = obj(service["healthcheck"]);
    if (!isPublic) {
      report(
        ctx,
        ["gate", "enabled"],
        `needs a public domain to poll, this service is private`,
        `set "domains.railway" to true or add a custom domain, or set "gate.enabled" to false`,
      );
    } else if (
      str(healthcheck["path"]) === undefined &&
      str(service["readinessPath"]) === undefined
    ) {
      report(
        ctx,
        ["gate", "enabled"],
        `has nothing to poll: the service sets neither "healthcheck.path" nor "readinessPath"`,
        `add "healthcheck.path" (e.g. "/health") or "readinessPath", or set "gate.enabled" to false`,
      );
    }
    if (service["cron"] !== undefined) {
      report(
        ctx,
        ["gate", "enabled"],
        `cannot verify a cron service, which exits after each run`,
        `set "gate.enabled" to false`,
      );
    }
  }
  const timeout = num(gate["timeoutSeconds"]);
  const interval = num(gate["intervalSeconds"]);
  if (timeout !== undefined && interval !== undefined && interval >= timeout) {
    const shorter = Math.max(1, Math.floor(timeout / 10));
    report(
      ctx,
      ["gate", "intervalSeconds"],
      `(${interval}) is not shorter than "gate.timeoutSeconds" (${timeout})`,
      shorter < timeout
        ? `poll more often than the timeout, e.g. intervalSeconds: ${shorter}`
        : `raise "gate.timeoutSeconds" above 1`,
      shorter < timeout ? { rule: "gate-interval", value: shorter } : undefined,
    );
  }
}

/**
 * The name checks every variable gets, of a service or shared: true when the name was reported
 * (then nothing else is said about the variable).
 */
function badVariableName(ctx: Ctx, path: Path, name: string): boolean {
  if (!VARIABLE_NAME.test(name)) {
    report(
      ctx,
      path,
      `is not a valid variable name`,
      `use letters, digits and "_", not starting with a digit, e.g. "API_BASE_URL"`,
    );
    return true;
  }
  if (name.startsWith("RAILWAY_")) {
    report(
      ctx,
      path,
      `uses the RAILWAY_ prefix Railway keeps for its own variables and settings`,
      `rename the variable, or use the matching key of this file (e.g. "build.dockerfilePath" for RAILWAY_DOCKERFILE_PATH)`,
    );
    return true;
  }
  return false;
}

/** A plain value (text, number, true/false) as Railway receives it; undefined for a mapping. */
function plainValue(value: unknown): string | undefined {
  return typeof value === "string" || typeof value === "number" || typeof value === "boolean"
    ? String(value)
    : undefined;
}

/**
 * Checks the environment's shared variables (`sharedVariables`): the names and plain values of
 * service variables are judged the same way. No name is taken by the stack here: services see a
 * shared variable only through a `{ ref: shared.<KEY> }` of their own.
 */
export function checkSharedVariables(value: unknown, ctx: Ctx): void {
  if (!isObject(value)) return;
  for (const [name, variable] of Object.entries(value)) {
    const path: Path = [name];
    if (badVariableName(ctx, path, name)) continue;
    const plain = plainValue(variable);
    if (plain !== undefined) checkPlainVariable(ctx, path, name, plain);
  }
}

function checkVariables(service: Obj, ctx: Ctx): void {
  const variables = service["variables"];
  if (!isObject(variables)) return;
  const links = list(service["links"]);
  for (const [name, value] of Object.entries(variables)) {
    const path: Path = ["variables", name];
    if (badVariableName(ctx, path, name)) continue;
    const setting = (APP_SETTING_VARIABLES as Record<string, string>)[name];
    if (setting !== undefined) {
      report(
        ctx,
        path,
        `is set by the stack from "${setting}"`,
        `remove it, and change railway-stacks:app.${setting} instead`,
      );
      continue;
    }
    if (name === "PORT") {
      report(
        ctx,
        path,
        `is set by the stack from the service's "port"`,
        `remove it, and set "port" instead`,
      );
      continue;
    }
    const linked = links.find(
      (link): link is string =>
        typeof link === "string" &&
        DATA_SERVICES.some((data) => LINK_VARIABLES[data] === name && link.split(".")[0] === data),
    );
    if (linked !== undefined) {
      report(
        ctx,
        path,
        `is set by the link to ${linked}`,
        `remove it, or remove "${linked}" from "links" to set it yourself`,
      );
      continue;
    }

    const plain = plainValue(value);
    if (plain !== undefined) checkPlainVariable(ctx, path, name, plain);
  }
}

function checkPlainVariable(ctx: Ctx, path: Path, name: string, value: string): void {
  const key = configKeyFor(name);
  const reference = /^\$\{\{\s*([A-Za-z][A-Za-z0-9-]*)\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}$/.exec(
    value,
  );
  if (reference) {
    const checked =
      reference[1] === SHARED_NAMESPACE ? "the shared variable is declared" : "the service exists";
    report(
      ctx,
      path,
      `is a Railway reference written as a plain value`,
      `write it as { ref: ${reference[1]}.${reference[2]} } so the stack can check ${checked}`,
      { rule: "plain-reference", value: { ref: `${reference[1]}.${reference[2]}` } },
    );
  } else {
    const found = findSecretInValue(value);
    if (found?.rule === "url-password") {
      report(
        ctx,
        path,
        `is a URL with a password in plain text`,
        `replace it with { secret: ${key} } and run pulumi config set --secret ${key} '<url>' -s %STACK%`,
        { rule: "secret-variable", value: { secret: key } },
      );
    } else if (found !== undefined) {
      report(
        ctx,
        path,
        `holds ${found.what} in plain text (rule ${found.rule})`,
        `replace it with { secret: ${key} } and run pulumi config set --secret ${key} '<value>' -s %STACK%; if it is not a secret, write it as { notSecret: <value> }`,
        { rule: "secret-variable", value: { secret: key } },
      );
    } else if (SECRET_LOOKING_KEY.test(name)) {
      report(
        ctx,
        path,
        `looks like a secret but is a plain value in the stack file`,
        `replace it with { secret: ${key} } and run pulumi config set --secret ${key} <value> -s %STACK%, or use { generate: { length: 32 } } for a random secret`,
        { rule: "secret-variable", value: { secret: key } },
      );
    }
  }
}

/**
 * Checks one `{ secret | ref | generate }` variable. Runs only when the mapping itself parsed (so
 * a misspelled key is reported once, as an unknown key).
 */
export function checkVariableObject(value: unknown, ctx: Ctx): void {
  // A misspelled key ("secrt") is already reported as unknown; "sets none" would repeat it.
  if (!isObject(value) || ctx.issues.some((issue) => issue.code === "unrecognized_keys")) return;
  const kinds = VARIABLE_KINDS.filter((kind) => value[kind] !== undefined);
  if (kinds.length === 0) {
    report(
      ctx,
      [],
      `sets none of "secret", "ref" or "generate"`,
      `write { secret: <configKey> }, { ref: <service>.<VARIABLE> } or { generate: { length: 32 } }`,
    );
  } else if (kinds.length > 1) {
    report(ctx, [], `sets ${kinds.map((k) => `"${k}"`).join(" and ")}`, `keep exactly one of them`);
  }
  if (value["optional"] !== undefined && value["secret"] === undefined) {
    report(ctx, ["optional"], `only applies to { secret: ... } variables`, `remove "optional"`);
  }
  const ref = str(value["ref"]);
  if (ref !== undefined && !REFERENCE.test(ref)) {
    report(
      ctx,
      ["ref"],
      `${quote(ref)} is not <service>.<VARIABLE>`,
      `write the service and variable, e.g. "postgres.DATABASE_URL" or "backend.RAILWAY_PUBLIC_DOMAIN"`,
    );
  }
}

// ---------------------------------------------------------------------------------------------
// The whole stack

/** Checks across the whole stack object: names, links, references, domains, capacities. */
export function checkCrossField(value: unknown, ctx: Ctx): void {
  if (!isObject(value)) return;
  const services = obj(value["services"]);
  const data = rawDataInstances(value);
  const disabled = new Set<string>(
    data.filter((instance) => !instance.enabled).map((instance) => instance.serviceName),
  );

  const shared = Object.keys(obj(value["sharedVariables"]));

  checkInstanceNames(value, ctx);
  checkServiceNames(services, data, ctx);
  checkLinksAndReferences(services, data, disabled, shared, ctx);
  checkSharedReferences(value["sharedVariables"], services, data, disabled, shared, ctx);
  checkCustomDomains(services, ctx);
  checkCapacities(data, ctx);
  checkUsageLimitWorkspace(value, ctx);
}

/** `budget.railwayUsageLimit`: the hard limit may not be below the soft one. */
export function checkUsageLimit(value: unknown, ctx: Ctx): void {
  if (!isObject(value)) return;
  const soft = num(value["softUsd"]);
  const hard = num(value["hardUsd"]);
  if (soft === undefined || hard === undefined || hard >= soft) return;
  report(
    ctx,
    ["hardUsd"],
    `(${hard}) is below softUsd (${soft}): Railway would stop the services before it warns`,
    `set hardUsd to at least ${soft}, or lower softUsd`,
  );
}

/** A usage limit belongs to the workspace's customer: it needs the workspace. */
function checkUsageLimitWorkspace(stack: Obj, ctx: Ctx): void {
  if (obj(stack["budget"])["railwayUsageLimit"] === undefined) return;
  if (obj(stack["project"])["workspaceId"] !== undefined) return;
  report(
    ctx,
    ["budget", "railwayUsageLimit"],
    `needs project.workspaceId: a usage limit belongs to a Railway workspace`,
    `add project.workspaceId (the workspace id from the Railway dashboard URL), or remove budget.railwayUsageLimit`,
  );
}

/** Named data-service instances (`postgres: { <name>: ... }`) need names that make service names. */
function checkInstanceNames(stack: Obj, ctx: Ctx): void {
  for (const kind of DATA_SERVICES) {
    const value = stack[kind];
    if (!isNamedForm(kind, value)) continue;
    for (const instance of Object.keys(value)) {
      if (INSTANCE_NAME.test(instance)) continue;
      const lower = instance.toLowerCase().replace(/[^a-z0-9-]/g, "-");
      report(
        ctx,
        [kind, instance],
        `is not a valid ${kind} instance name (its Railway service would be "${kind}-${instance}")`,
        `use lowercase letters, digits and "-", starting with a letter and ending with a letter or digit, at most 32 characters, e.g. "${INSTANCE_NAME.test(lower) ? lower : "analytics"}"`,
      );
    }
  }
}

function checkServiceNames(services: Obj, data: RawDataInstance[], ctx: Ctx): void {
  const seen = new Map<string, string>();
  for (const name of Object.keys(services)) {
    const path: Path = ["services", name];
    const lower = name.toLowerCase();
    const instance = data.find((candidate) => candidate.serviceName === lower);
    if ((DATA_SERVICES as readonly string[]).includes(lower)) {
      report(
        ctx,
        path,
        `clashes with the ${lower} data service (postgres, redis and nats are taken)`,
        `rename the service, e.g. "${lower}-app"`,
      );
    } else if (instance !== undefined) {
      report(
        ctx,
        path,
        `clashes with the Railway service of ${instance.kind} instance "${instance.instance ?? ""}"`,
        `rename the service, e.g. "${lower}-app", or rename the instance`,
      );
    } else if (lower === SHARED_NAMESPACE) {
      report(
        ctx,
        path,
        `is the name Railway keeps for shared variables (\${{shared.<KEY>}}), so no reference could reach the service`,
        `rename the service, e.g. "${lower}-app"`,
      );
    } else if (seen.has(lower)) {
      report(
        ctx,
        path,
        `has the same name as service ${quote(seen.get(lower))} (service names are case-insensitive)`,
        `rename one of them`,
      );
    } else {
      const invalid = checkServiceName(name);
      if (invalid) report(ctx, path, `is not a valid service name`, invalid.fix);
    }
    if (!seen.has(lower)) seen.set(lower, name);
  }
}

function checkLinksAndReferences(
  services: Obj,
  data: RawDataInstance[],
  disabled: Set<string>,
  shared: string[],
  ctx: Ctx,
): void {
  for (const [name, service] of Object.entries(services)) {
    if (!isObject(service)) continue;
    const seenLinks = new Set<unknown>();
    // The link that already sets each kind's variables (two instances of a kind would clash).
    const kinds = new Map<string, string>();
    list(service["links"]).forEach((link, i) => {
      const path: Path = ["services", name, "links", i];
      if (typeof link !== "string") return;
      const target = checkLink(ctx, path, link, data, disabled);
      if (target === undefined) return;
      if (seenLinks.has(target.serviceName)) {
        report(ctx, path, `lists ${link} twice`, `remove the duplicate`);
        return;
      }
      seenLinks.add(target.serviceName);
      const earlier = kinds.get(target.kind);
      if (earlier !== undefined) {
        const variable = LINK_VARIABLES[target.kind];
        report(
          ctx,
          path,
          `links ${link}, but ${earlier} is linked too and both would set ${variable} (and the other ${target.kind} variables)`,
          `link one ${target.kind} instance, and reach the other through a variable of another name, e.g. ${target.instance?.toUpperCase().replace(/-/g, "_") ?? target.kind.toUpperCase()}_${variable}: { ref: ${target.serviceName}.${variable} }`,
        );
        return;
      }
      kinds.set(target.kind, link);
    });

    checkReferences(
      obj(service["variables"]),
      ["services", name, "variables"],
      services,
      data,
      disabled,
      shared,
      ctx,
    );
  }
}

/**
 * One entry of `links`: `<kind>` for the one-instance form, `<kind>.<instance>` for a named
 * instance. Returns the instance linked, or undefined after reporting why there is none.
 */
function checkLink(
  ctx: Ctx,
  path: Path,
  link: string,
  data: RawDataInstance[],
  disabled: Set<string>,
): RawDataInstance | undefined {
  const dot = link.indexOf(".");
  const kind = dot < 0 ? link : link.slice(0, dot);
  const instance = dot < 0 ? undefined : link.slice(dot + 1);
  const linkable = data.map((d) => (d.instance === undefined ? d.kind : `${d.kind}.${d.instance}`));
  if (!isDataServiceName(kind)) {
    const guess = closest(link, linkable);
    report(
      ctx,
      path,
      `${quote(link)} is not a data service`,
      oneOf(link, linkable),
      guess === undefined ? undefined : { rule: "closest-link", value: guess },
    );
    return undefined;
  }
  const ofKind = data.filter((d) => d.kind === kind);
  const named = ofKind.filter((d) => d.instance !== undefined);
  if (instance === undefined && named.length > 0) {
    const names = named.map((d) => d.instance!);
    report(
      ctx,
      path,
      `${kind} has instances ${names.join(", ")}`,
      `write ${kind}.${names[0]!}${
        names.length > 1
          ? ` (or ${names
              .slice(1)
              .map((n) => `${kind}.${n}`)
              .join(", ")})`
          : ""
      }`,
      { rule: "closest-link", value: `${kind}.${names[0]!}` },
    );
    return undefined;
  }
  if (instance !== undefined && named.length === 0) {
    report(
      ctx,
      path,
      `${quote(link)} names a ${kind} instance, but the stack declares one ${kind} without instance names`,
      `write ${kind}, or declare named instances under ${kind} (e.g. ${kind}: { ${instance}: {...} })`,
      { rule: "closest-link", value: kind },
    );
    return undefined;
  }
  const target = ofKind.find((d) => d.instance === instance);
  if (target === undefined) {
    const names = named.map((d) => `${kind}.${d.instance!}`);
    const guess = closest(link, names);
    report(
      ctx,
      path,
      `${quote(link)} is not a ${kind} instance of this stack (it declares ${names.join(", ")})`,
      oneOf(link, names),
      guess === undefined ? undefined : { rule: "closest-link", value: guess },
    );
    return undefined;
  }
  if (disabled.has(target.serviceName)) {
    report(
      ctx,
      path,
      `links to ${link}, which is disabled`,
      `remove "${link}" from links, or set railway-stacks:app.${target.path.join(".")}.enabled to true`,
    );
    return undefined;
  }
  return target;
}

/** Shared variables may reference services and other shared variables too. */
function checkSharedReferences(
  variables: unknown,
  services: Obj,
  data: RawDataInstance[],
  disabled: Set<string>,
  shared: string[],
  ctx: Ctx,
): void {
  checkReferences(obj(variables), ["sharedVariables"], services, data, disabled, shared, ctx);
}

/**
 * Checks the `{ ref: <service>.<VARIABLE> }` variables of one map (at `at`): the service must be
 * declared and enabled; `shared.<KEY>` must name a key of `sharedVariables`.
 */
function checkReferences(
  variables: Obj,
  at: Path,
  services: Obj,
  data: RawDataInstance[],
  disabled: Set<string>,
  shared: string[],
  ctx: Ctx,
): void {
  const known = [
    ...Object.keys(services),
    ...data.filter((d) => !disabled.has(d.serviceName)).map((d) => d.serviceName),
  ];
  for (const [variable, value] of Object.entries(variables)) {
    const ref = str(obj(value)["ref"]);
    const match = ref === undefined ? null : REFERENCE.exec(ref);
    if (!match) continue;
    const target = match[1]!;
    const key = match[2]!;
    const path: Path = [...at, variable, "ref"];
    if (target === SHARED_NAMESPACE) {
      if (!shared.includes(key)) checkSharedKey(ctx, path, key, shared);
      continue;
    }
    if (known.includes(target)) continue;
    const off = disabled.has(target) ? data.find((d) => d.serviceName === target) : undefined;
    if (off !== undefined) {
      report(
        ctx,
        path,
        `refers to ${target}, which is disabled`,
        `set railway-stacks:app.${off.path.join(".")}.enabled to true, or remove the variable`,
      );
    } else if (isDataServiceName(target) && data.some((d) => d.kind === target && d.instance)) {
      // `postgres.X` with named instances: the instances' services are `postgres-<name>`.
      const names = data
        .filter(
          (d) => d.kind === target && d.instance !== undefined && !disabled.has(d.serviceName),
        )
        .map((d) => `"${d.serviceName}.${key}"`);
      report(
        ctx,
        path,
        `refers to ${target}, which has named instances (services ${data
          .filter((d) => d.kind === target)
          .map((d) => d.serviceName)
          .join(", ")})`,
        names.length > 0
          ? `write ${names[0]!}${names.length > 1 ? ` (or ${names.slice(1).join(", ")})` : ""}`
          : `enable an instance of ${target}, or remove the variable`,
      );
    } else {
      // A misspelled `shared` is guessed too, once the stack has shared variables.
      const candidates = shared.length > 0 ? [...known, SHARED_NAMESPACE] : known;
      const guess = closest(target, candidates);
      report(
        ctx,
        path,
        `refers to unknown service ${quote(target)}`,
        guess !== undefined ? `write "${guess}.${key}"` : `use one of ${known.join(", ")}`,
        guess !== undefined ? { rule: "reference-target", value: `${guess}.${key}` } : undefined,
      );
    }
  }
}

/** A `{ ref: shared.<KEY> }` whose KEY is not declared under `sharedVariables`. */
function checkSharedKey(ctx: Ctx, path: Path, key: string, shared: string[]): void {
  const guess = closest(key, shared);
  const declare = `declare ${key} under railway-stacks:app.sharedVariables`;
  report(
    ctx,
    path,
    `refers to shared variable ${quote(key)}, which "sharedVariables" does not declare`,
    guess !== undefined ? `write "shared.${guess}", or ${declare}` : declare,
    guess !== undefined ? { rule: "reference-target", value: `shared.${guess}` } : undefined,
  );
}

function checkCustomDomains(services: Obj, ctx: Ctx): void {
  const owners = new Map<string, string>();
  for (const [name, service] of Object.entries(services)) {
    list(obj(obj(service)["domains"])["custom"]).forEach((domain, i) => {
      if (typeof domain !== "string") return;
      const owner = owners.get(domain);
      if (owner === undefined) {
        owners.set(domain, name);
        return;
      }
      report(
        ctx,
        ["services", name, "domains", "custom", i],
        owner === name
          ? `lists ${quote(domain)} twice`
          : `${quote(domain)} is already used by service ${quote(owner)}`,
        owner === name ? `remove the duplicate` : `keep each custom domain on one service`,
      );
    });
  }
}

function sizeOf(value: unknown): number | undefined {
  return typeof value === "string" ? parseSizeMB(value) : undefined;
}

function checkCapacities(data: RawDataInstance[], ctx: Ctx): void {
  for (const instance of data) {
    if (instance.kind === "redis") checkRedisCapacity(instance.value, instance.path, ctx);
    if (instance.kind === "nats") checkNatsCapacity(instance.value, instance.path, ctx);
  }
}

function checkRedisCapacity(redis: Obj, at: Path, ctx: Ctx): void {
  // Read as resolved (in MB) once the schema converted the field, else as written.
  const limits = obj(redis["limits"]);
  const redisMemory = num(redis["maxMemoryMB"]) ?? sizeOf(redis["maxMemory"]);
  const redisLimit = num(limits["memoryMB"]) ?? sizeOf(limits["memory"]);
  if (redisMemory !== undefined && redisLimit !== undefined && redisMemory >= redisLimit) {
    // Redis needs memory beyond its data (buffers, fork for snapshots): keep a quarter free.
    const lower = Math.floor(redisLimit * 0.75);
    report(
      ctx,
      [...at, "maxMemory"],
      `(${formatSizeMB(redisMemory)}) leaves no headroom in "limits.memory" (${formatSizeMB(redisLimit)})`,
      lower >= 1
        ? `lower "maxMemory" to at most ${formatSizeMB(lower)}, or raise "limits.memory"`
        : `raise "limits.memory" well above "maxMemory"`,
      lower >= 1 ? { rule: "redis-max-memory", value: formatSizeMB(lower) } : undefined,
    );
  }
}

function checkNatsCapacity(nats: Obj, at: Path, ctx: Ctx): void {
  const jetStream = obj(nats["jetStream"]);
  const storage = num(jetStream["maxStorageMB"]) ?? sizeOf(jetStream["maxStorage"]);
  const volume = num(nats["volumeSizeMB"]) ?? sizeOf(nats["volumeSize"]);
  if (storage !== undefined && volume !== undefined && storage > volume) {
    report(
      ctx,
      [...at, "jetStream", "maxStorage"],
      `(${formatSizeMB(storage)}) is larger than "${at.join(".")}.volumeSize" (${formatSizeMB(volume)})`,
      `lower "jetStream.maxStorage" to at most ${formatSizeMB(volume)}, or raise "${at.join(".")}.volumeSize" to at least ${formatSizeMB(storage)}`,
      { rule: "nats-max-storage", value: formatSizeMB(volume) },
    );
  }

  const streams = list(jetStream["streams"]).map(obj);
  streams.forEach((stream, i) => {
    const name = str(stream["name"]);
    const earlier = streams.findIndex((other) => str(other["name"]) === name);
    if (name !== undefined && earlier < i) {
      report(
        ctx,
        [...at, "jetStream", "streams", i, "name"],
        `${quote(name)} is already the name of streams[${earlier}]`,
        `give each stream its own name`,
      );
    }
    list(stream["subjects"]).forEach((subject, j) => {
      if (typeof subject !== "string") return;
      for (let k = 0; k < i; k++) {
        const clash = list(streams[k]!["subjects"]).find(
          (other) => typeof other === "string" && subjectsOverlap(subject, other),
        );
        if (clash !== undefined) {
          report(
            ctx,
            [...at, "jetStream", "streams", i, "subjects", j],
            `${quote(subject)} overlaps ${quote(clash)} of streams[${k}], and JetStream rejects overlapping streams`,
            `make the subjects of the two streams disjoint`,
          );
          return;
        }
      }
    });
  });
}

/** True when some subject matches both NATS subject patterns. */
export function subjectsOverlap(a: string, b: string): boolean {
  const x = a.split(".");
  const y = b.split(".");
  for (let i = 0; ; i++) {
    const p = x[i];
    const q = y[i];
    if (p === ">" || q === ">") return p !== undefined && q !== undefined;
    if (p === undefined || q === undefined) return p === q;
    if (p !== "*" && q !== "*" && p !== q) return false;
  }
}
