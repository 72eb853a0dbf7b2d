/**
 * Generated stack configs for the program-scale benchmark: a dev-tier stack with Postgres, Redis
 * and NATS and `count` app services. Every service is an image service with limits, a healthcheck,
 * three plain variables, a reference to its neighbour and links to Postgres and Redis; every
 * second one is public (Railway domain, so it also gets a deploy gate); every fifth one has a
 * generated secret.
 */
import { stringify } from "yaml";

export const serviceName = (index: number): string => `svc-${String(index).padStart(3, "0")}`;

export function scaleStackFile(count: number): string {
  const services: Record<string, unknown> = {};
  for (let i = 1; i <= count; i++) {
    const isPublic = i % 2 === 0;
    const variables: Record<string, unknown> = {
      LOG_LEVEL: "info",
      WORKERS: 2,
      FEATURE_FLAGS: "search,agents",
      UPSTREAM_HOST: { ref: `${serviceName(i === 1 ? count : i - 1)}.RAILWAY_PRIVATE_DOMAIN` },
    };
    if (i % 5 === 0) variables.SIGNING_KEY = { generate: { length: 32 } };
    services[serviceName(i)] = {
      source: { image: `ghcr.io/acme/${serviceName(i)}:1.0.${i}` },
      port: 8000 + i,
      healthcheck: { path: "/health" },
      replicas: 1,
      limits: { cpu: 0.5, memory: "512MB" },
      ...(isPublic ? { domains: { railway: true } } : {}),
      links: ["postgres", "redis"],
      variables,
    };
  }
  return stringify({
    config: {
      "railway-stacks:app": {
        tier: "dev",
        project: { name: `bench-scale-${count}`, region: "us-west2" },
        services,
      },
    },
  });
}
