/**
 * Railway-looking generated names: "<adjective>-<noun>" service/project names, volume names,
 * `<service>-<env>-<4 hex>.up.railway.app` service domains, `<word>.proxy.rlwy.net` TCP proxy hosts,
 * and `<service>.railway.internal` private domains.
 */
import { Prng } from "./prng";

export const ADJECTIVES = [
  "abundant",
  "amused",
  "brave",
  "calm",
  "charming",
  "clever",
  "cosmic",
  "daring",
  "eager",
  "elegant",
  "fabulous",
  "gentle",
  "glorious",
  "happy",
  "honest",
  "humble",
  "jolly",
  "keen",
  "lively",
  "lucky",
  "mellow",
  "merry",
  "nimble",
  "noble",
  "patient",
  "perfect",
  "playful",
  "proud",
  "quick",
  "quiet",
  "radiant",
  "rare",
  "shiny",
  "silent",
  "sincere",
  "steady",
  "sunny",
  "superb",
  "thoughtful",
  "tidy",
  "upbeat",
  "vivid",
  "warm",
  "wise",
  "witty",
  "zealous",
] as const;

export const NOUNS = [
  "acorn",
  "anchor",
  "aurora",
  "beacon",
  "breeze",
  "canyon",
  "cascade",
  "comet",
  "delta",
  "ember",
  "falcon",
  "fjord",
  "galaxy",
  "glacier",
  "harbor",
  "horizon",
  "island",
  "lagoon",
  "meadow",
  "nebula",
  "oasis",
  "orbit",
  "pebble",
  "prairie",
  "quartz",
  "reef",
  "river",
  "sequoia",
  "summit",
  "tundra",
  "valley",
  "willow",
  "zephyr",
] as const;

/** Railway names its TCP proxy edges after railway words (e.g. `roundhouse.proxy.rlwy.net`). */
export const PROXY_WORDS = [
  "autorack",
  "ballast",
  "caboose",
  "centerbeam",
  "crossover",
  "gondola",
  "hopper",
  "interchange",
  "junction",
  "mainline",
  "maglev",
  "metro",
  "monorail",
  "nozomi",
  "roundhouse",
  "shinkansen",
  "shuttle",
  "switchback",
  "tramway",
  "trolley",
  "turntable",
  "viaduct",
  "yamabiko",
] as const;

export const SERVICE_DOMAIN_SUFFIX = "up.railway.app";
export const PRIVATE_DOMAIN_SUFFIX = "railway.internal";

/** Lowercase DNS label: non-alphanumerics become "-", runs collapse, ends are trimmed. */
export function slugify(name: string): string {
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return slug || "service";
}

export function randomName(rng: Prng): string {
  return `${rng.pick(ADJECTIVES)}-${rng.pick(NOUNS)}`;
}

export function serviceDomainName(rng: Prng, serviceName: string, environmentName: string): string {
  return `${slugify(serviceName)}-${slugify(environmentName)}-${rng.hex(4)}.${SERVICE_DOMAIN_SUFFIX}`;
}

export function privateDomain(serviceName: string): string {
  return `${slugify(serviceName)}.${PRIVATE_DOMAIN_SUFFIX}`;
}

export function tcpProxyDomain(rng: Prng): string {
  return `${rng.pick(PROXY_WORDS)}.proxy.rlwy.net`;
}

const LABEL = "[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?";
const HOSTNAME = new RegExp(`^(?:${LABEL}\\.)+[a-z]{2,63}$`);

/** A custom domain Railway accepts: a host name, or a wildcard `*.<host name>` (one level). */
export function isHostname(value: string): boolean {
  const host = value.startsWith("*.") ? value.slice(2) : value;
  return host.length <= 253 && HOSTNAME.test(host);
}

/** A Railway-provided domain: exactly one label in front of `up.railway.app`. */
export function isServiceDomain(value: string): boolean {
  return new RegExp(`^${LABEL}\\.up\\.railway\\.app$`).test(value);
}
