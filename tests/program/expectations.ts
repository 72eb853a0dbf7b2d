/** What every stack of the reference app declares, and helpers to read one resource's inputs. */
import { byName, type DeclaredResource } from "../helpers/program";

const DYNAMIC = "pulumi-nodejs:dynamic/railway";

/**
 * The exact inventory of the reference app in the isolated layout (a project per stack): 3 data
 * services, 4 apps, 3 gated public apps.
 */
export const ISOLATED_INVENTORY = [
  "command:local:Command railway-backend-gate",
  "command:local:Command railway-broker-gate",
  "command:local:Command railway-frontend-gate",
  `${DYNAMIC}:Project railway-project`,
  ...["backend", "broker", "frontend", "ml", "nats", "postgres", "redis"].map(
    (service) => `${DYNAMIC}:Service railway-${service}-service`,
  ),
  ...["backend", "broker", "frontend", "ml", "nats", "postgres", "redis"].map(
    (service) => `${DYNAMIC}:ServiceInstance railway-${service}-instance`,
  ),
  ...["nats", "postgres", "redis"].map((service) => `${DYNAMIC}:Volume railway-${service}-volume`),
  "railway-stacks:app:AppService railway-backend",
  "railway-stacks:app:AppService railway-broker",
  "railway-stacks:app:AppService railway-frontend",
  "railway-stacks:app:AppService railway-ml",
  "railway-stacks:data:Nats railway-nats",
  "railway-stacks:data:Postgres railway-postgres",
  "railway-stacks:data:Redis railway-redis",
  "railway-stacks:index:RailwayEnvironment railway",
  "random:index/randomPassword:RandomPassword railway-backend-secret-key",
  "random:index/randomPassword:RandomPassword railway-broker-broker-signing-key",
  "random:index/randomPassword:RandomPassword railway-nats-token",
  "random:index/randomPassword:RandomPassword railway-postgres-password",
  "random:index/randomPassword:RandomPassword railway-redis-password",
].sort();

/**
 * The exact inventory of the reference app in the shared layout (the default, and the shipped
 * stack files'): the isolated one plus the stack's Environment of the shared project.
 */
export const STANDARD_INVENTORY = [
  ...ISOLATED_INVENTORY,
  `${DYNAMIC}:Environment railway-environment`,
].sort();

/** The Environment resources a run declared. */
export const environments = (resources: DeclaredResource[]): DeclaredResource[] =>
  resources.filter((resource) => resource.type === `${DYNAMIC}:Environment`);

/** A dynamic resource's inputs without the serialized provider. */
export function plainInputs(resource: DeclaredResource): Record<string, unknown> {
  const { __provider: _provider, ...inputs } = resource.inputs;
  return inputs;
}

type Json = Record<string, unknown>;
const SECRET_SIG = "4dabf18193072939515e22adb298388d";

/** Input `key` of resource `name`, secrets unwrapped and reported. */
export function input(resources: DeclaredResource[], name: string, key: string): unknown {
  return unwrapSecret(byName(resources, name).inputs[key]).value;
}

export function unwrapSecret(value: unknown): { value: unknown; secret: boolean } {
  if (value && typeof value === "object" && (value as Json)[SECRET_SIG] !== undefined) {
    return { value: (value as Json).value, secret: true };
  }
  return { value, secret: false };
}

export const isSecretInput = (resources: DeclaredResource[], name: string, key: string): boolean =>
  unwrapSecret(byName(resources, name).inputs[key]).secret;

/** The tier variables every app service gets. */
export const tierVariables = (
  tier: string,
  settings: { rpm: number; middleware: boolean; logFormat: string; debug: boolean; cors: string },
): Record<string, string> => ({
  APP_ENV: tier,
  LOG_FORMAT: settings.logFormat,
  RATE_LIMIT_ENABLED: "true",
  RATE_LIMIT_RPM: String(settings.rpm),
  SECURITY_MIDDLEWARE: String(settings.middleware),
  DEBUG: String(settings.debug),
  CORS_ORIGINS: settings.cors,
});

export const GIB = 1024 * 1024 * 1024;
