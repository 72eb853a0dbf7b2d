/**
 * Variables: Railway reference rendering (`${{Service.VAR}}`, `${{VAR}}`, `${{shared.VAR}}`,
 * Railway-provided RAILWAY_* variables), and masking for reads that do not decrypt.
 *
 * renderVariables() is pure (no state) so it can be unit-tested; the helpers below it build its
 * input from an environment.
 */
import { clone, isPlainObject, JsonObject } from "./config-merge";
import { privateDomain } from "./names";
import { EmulatorState, EnvironmentRecord } from "./state";

/** What a masked value looks like (config(decryptVariables: false), sealed variables). */
export const MASKED_VALUE = "*****";

export interface RenderInput {
  /** Service whose variables are rendered; null renders the environment's shared variables. */
  serviceName: string | null;
  /** Raw variables of every service in the environment, by service NAME (case-sensitive). */
  services: Record<string, Record<string, string>>;
  /** Raw shared variables of the environment. */
  shared: Record<string, string>;
}

export interface UnresolvedReference {
  /** The variable of the rendered service whose value contains the reference. */
  variable: string;
  /** The reference as written between `${{` and `}}`, e.g. "Postgres.DATABASE_URL". */
  reference: string;
  reason: string;
}

export interface RenderResult {
  variables: Record<string, string>;
  unresolved: UnresolvedReference[];
}

const REFERENCE = /\$\{\{\s*([^{}]*?)\s*\}\}/g;
const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const MAX_DEPTH = 32;

type Namespace = { kind: "service"; name: string } | { kind: "shared" };

/**
 * Renders one service's (or the shared) variables the way Railway does at deploy time: every
 * `${{...}}` is replaced by the referenced value, rendered recursively. A reference that cannot
 * be resolved (unknown service or variable, a cycle, an unsupported expression) renders as the
 * empty string and is reported in `unresolved`.
 */
export function renderVariables(input: RenderInput): RenderResult {
  const unresolved: UnresolvedReference[] = [];
  const seen = new Set<string>();
  const own: Namespace =
    input.serviceName === null ? { kind: "shared" } : { kind: "service", name: input.serviceName };
  const lookup = (ns: Namespace, name: string): string | undefined =>
    ns.kind === "shared" ? input.shared[name] : input.services[ns.name]?.[name];
  const nsKey = (ns: Namespace): string => (ns.kind === "shared" ? "shared" : `service:${ns.name}`);

  const render = (ns: Namespace, raw: string, stack: string[], top: string): string =>
    raw.replace(REFERENCE, (_match, expr: string) => {
      const report = (reason: string): string => {
        const key = `${top}\u0000${expr}`;
        if (!seen.has(key)) {
          seen.add(key);
          unresolved.push({ variable: top, reference: expr, reason });
        }
        return "";
      };
      const dot = expr.lastIndexOf(".");
      const prefix = dot >= 0 ? expr.slice(0, dot).trim() : null;
      const name = dot >= 0 ? expr.slice(dot + 1).trim() : expr.trim();
      if (!VARIABLE_NAME.test(name) || prefix === "")
        return report("unsupported reference expression");
      let target: Namespace;
      if (prefix === null) target = ns;
      else if (prefix === "shared") target = { kind: "shared" };
      else {
        if (!input.services[prefix])
          return report(`no service named "${prefix}" in this environment`);
        target = { kind: "service", name: prefix };
      }
      const value = lookup(target, name);
      if (value === undefined) {
        return report(
          target.kind === "shared"
            ? `shared variable "${name}" is not defined`
            : `variable "${name}" is not defined on service "${target.name}"`,
        );
      }
      const key = `${nsKey(target)}.${name}`;
      if (stack.includes(key)) return report("circular reference");
      if (stack.length >= MAX_DEPTH) return report("references nested too deeply");
      return render(target, value, [...stack, key], top);
    });

  const variables: Record<string, string> = {};
  const source = own.kind === "shared" ? input.shared : (input.services[own.name] ?? {});
  for (const [name, raw] of Object.entries(source)) {
    variables[name] = render(own, raw, [`${nsKey(own)}.${name}`], name);
  }
  return { variables, unresolved };
}

/** `{ KEY: { value } }` config entries as `{ KEY: value }` (entries without a string value skipped). */
export function rawValues(map: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isPlainObject(map)) return out;
  for (const [name, entry] of Object.entries(map)) {
    if (isPlainObject(entry) && typeof entry.value === "string") out[name] = entry.value;
  }
  return out;
}

function sealedNames(map: unknown): Set<string> {
  const out = new Set<string>();
  if (!isPlainObject(map)) return out;
  for (const [name, entry] of Object.entries(map))
    if (isPlainObject(entry) && entry.isSealed === true) out.add(name);
  return out;
}

/**
 * RAILWAY_* variables Railway injects into every service instance. Only those the emulator can
 * know are provided; RAILWAY_PUBLIC_DOMAIN and the TCP proxy ones exist only when the service has
 * a domain / proxy, as on Railway.
 */
export function railwayProvidedVariables(
  state: EmulatorState,
  env: EnvironmentRecord,
  serviceId: string,
): Record<string, string> {
  const service = state.data.services[serviceId];
  const project = state.data.projects[env.projectId];
  const out: Record<string, string> = {
    RAILWAY_ENVIRONMENT: env.name,
    RAILWAY_ENVIRONMENT_NAME: env.name,
    RAILWAY_ENVIRONMENT_ID: env.id,
    RAILWAY_PROJECT_NAME: project?.name ?? "",
    RAILWAY_PROJECT_ID: env.projectId,
    RAILWAY_SERVICE_NAME: service?.name ?? "",
    RAILWAY_SERVICE_ID: serviceId,
    RAILWAY_PRIVATE_DOMAIN: privateDomain(service?.name ?? serviceId),
  };
  const instance = state.instanceConfig(env, serviceId);
  const networking = instance && isPlainObject(instance.networking) ? instance.networking : {};
  const serviceDomains = isPlainObject(networking.serviceDomains)
    ? Object.keys(networking.serviceDomains)
    : [];
  const customDomains = isPlainObject(networking.customDomains)
    ? Object.keys(networking.customDomains)
    : [];
  const publicDomain = serviceDomains[0] ?? customDomains[0];
  if (publicDomain) out.RAILWAY_PUBLIC_DOMAIN = publicDomain;
  const proxy = Object.values(state.data.tcpProxies).find(
    (p) => p.environmentId === env.id && p.serviceId === serviceId,
  );
  if (proxy) {
    out.RAILWAY_TCP_PROXY_DOMAIN = proxy.domain;
    out.RAILWAY_TCP_PROXY_PORT = String(proxy.proxyPort);
    out.RAILWAY_TCP_APPLICATION_PORT = String(proxy.applicationPort);
  }
  const mount = Object.values(state.data.volumeInstances).find(
    (v) => v.environmentId === env.id && v.serviceId === serviceId,
  );
  if (mount) {
    out.RAILWAY_VOLUME_ID = mount.volumeId;
    out.RAILWAY_VOLUME_NAME = state.data.volumes[mount.volumeId]?.name ?? "";
    out.RAILWAY_VOLUME_MOUNT_PATH = mount.mountPath;
  }
  return out;
}

/** The renderVariables() input for one service (or the shared variables) of an environment. */
export function renderInputFor(
  state: EmulatorState,
  env: EnvironmentRecord,
  serviceId: string | null,
): RenderInput {
  const services: Record<string, Record<string, string>> = {};
  const configServices = isPlainObject(env.config.services) ? env.config.services : {};
  for (const [id, entry] of Object.entries(configServices)) {
    const service = state.data.services[id];
    if (!service || !isPlainObject(entry)) continue;
    services[service.name] = {
      ...railwayProvidedVariables(state, env, id),
      ...rawValues(entry.variables),
    };
  }
  const serviceName = serviceId === null ? null : (state.data.services[serviceId]?.name ?? null);
  return { serviceName, services, shared: rawValues(env.config.sharedVariables) };
}

/** Rendered variables of a service instance (Railway-provided ones included), as a deployment sees them. */
export function renderServiceVariables(
  state: EmulatorState,
  env: EnvironmentRecord,
  serviceId: string,
): RenderResult {
  return renderVariables(renderInputFor(state, env, serviceId));
}

/**
 * What the `variables` query returns. Unrendered: the user-defined values as written (references
 * intact). Rendered: references resolved, plus the Railway-provided variables for a service.
 * Sealed values are never returned (Railway: "never retrievable via API"): they read as MASKED_VALUE.
 */
export function variablesForRead(
  state: EmulatorState,
  env: EnvironmentRecord,
  serviceId: string | null,
  unrendered: boolean,
): Record<string, string> {
  const map =
    serviceId === null
      ? env.config.sharedVariables
      : state.instanceConfig(env, serviceId)?.variables;
  const sealed = sealedNames(map);
  let values: Record<string, string>;
  if (unrendered) {
    values = rawValues(map);
  } else {
    const rendered = renderVariables(renderInputFor(state, env, serviceId)).variables;
    values =
      serviceId === null
        ? rendered
        : { ...railwayProvidedVariables(state, env, serviceId), ...rendered };
  }
  for (const name of sealed) if (name in values) values[name] = MASKED_VALUE;
  return values;
}

/**
 * An EnvironmentConfig (or patch) as returned to a client: without decryption every variable
 * value reads as MASKED_VALUE; sealed values are masked even with decryption. Nothing else changes.
 */
export function maskConfig(config: JsonObject, decrypt: boolean): JsonObject {
  const out = clone(config);
  const maskMap = (map: unknown): void => {
    if (!isPlainObject(map)) return;
    for (const entry of Object.values(map)) {
      if (
        isPlainObject(entry) &&
        typeof entry.value === "string" &&
        (!decrypt || entry.isSealed === true)
      )
        entry.value = MASKED_VALUE;
    }
  };
  maskMap(out.sharedVariables);
  if (isPlainObject(out.services))
    for (const s of Object.values(out.services)) if (isPlainObject(s)) maskMap(s.variables);
  return out;
}

/** Every unresolved reference of every service instance (exposed at GET /_emulator/state). */
export function allUnresolvedReferences(state: EmulatorState): Array<
  UnresolvedReference & {
    projectId: string;
    environmentId: string;
    environmentName: string;
    serviceId: string;
    serviceName: string;
  }
> {
  const out: Array<
    UnresolvedReference & {
      projectId: string;
      environmentId: string;
      environmentName: string;
      serviceId: string;
      serviceName: string;
    }
  > = [];
  for (const env of Object.values(state.data.environments)) {
    const services = isPlainObject(env.config.services) ? env.config.services : {};
    for (const serviceId of Object.keys(services)) {
      const service = state.data.services[serviceId];
      if (!service) continue;
      for (const u of renderServiceVariables(state, env, serviceId).unresolved) {
        out.push({
          projectId: env.projectId,
          environmentId: env.id,
          environmentName: env.name,
          serviceId,
          serviceName: service.name,
          ...u,
        });
      }
    }
  }
  return out;
}
