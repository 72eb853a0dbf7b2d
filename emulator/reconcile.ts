/**
 * Keeps the id tables (service/custom domains, TCP proxies, volume instances) in step with an
 * environment's config after every change. The config says WHAT exists; these records give each
 * thing the stable id (and, for TCP proxies, the generated host and port) that Railway's object
 * API returns, so that `serviceDomainUpdate(serviceDomainId)` or `tcpProxyDelete(id)` can address
 * something created by a config patch, and ids do not change from one read to the next.
 */
import { isPlainObject, JsonObject } from "./config-merge";
import { tcpProxyDomain } from "./names";
import { EmulatorState, EnvironmentRecord } from "./state";

type Keyed = { environmentId: string; serviceId: string };

function networkingOf(service: unknown): JsonObject {
  return isPlainObject(service) && isPlainObject(service.networking) ? service.networking : {};
}

function keysOf(value: unknown): string[] {
  return isPlainObject(value) ? Object.keys(value) : [];
}

export function reconcile(state: EmulatorState, env: EnvironmentRecord): void {
  const d = state.data;
  const services = isPlainObject(env.config.services) ? env.config.services : {};
  const now = state.now();

  // Domains (service and custom): one record per (service, domain name).
  const syncDomains = <R extends Keyed & { domain: string }>(
    table: Record<string, R>,
    wanted: Array<{ serviceId: string; domain: string }>,
    make: (serviceId: string, domain: string) => R,
  ): void => {
    const existing = Object.values(table).filter((r) => r.environmentId === env.id);
    const keep = new Set<string>();
    for (const { serviceId, domain } of wanted) {
      let record = existing.find((r) => r.serviceId === serviceId && r.domain === domain);
      if (!record) {
        record = make(serviceId, domain);
        table[(record as unknown as { id: string }).id] = record;
      }
      keep.add((record as unknown as { id: string }).id);
    }
    for (const r of existing) {
      const id = (r as unknown as { id: string }).id;
      if (!keep.has(id)) delete table[id];
    }
  };
  const serviceDomains: Array<{ serviceId: string; domain: string }> = [];
  const customDomains: Array<{ serviceId: string; domain: string }> = [];
  const proxies: Array<{ serviceId: string; port: number }> = [];
  const mounts = new Map<string, { serviceId: string; mountPath: string }>();
  for (const [serviceId, service] of Object.entries(services)) {
    const networking = networkingOf(service);
    for (const domain of keysOf(networking.serviceDomains))
      serviceDomains.push({ serviceId, domain });
    for (const domain of keysOf(networking.customDomains))
      customDomains.push({ serviceId, domain });
    for (const port of keysOf(networking.tcpProxies))
      proxies.push({ serviceId, port: Number(port) });
    if (isPlainObject(service) && isPlainObject(service.volumeMounts)) {
      for (const [volumeId, mount] of Object.entries(service.volumeMounts)) {
        const mountPath =
          isPlainObject(mount) && typeof mount.mountPath === "string" ? mount.mountPath : "";
        mounts.set(volumeId, { serviceId, mountPath });
      }
    }
  }
  syncDomains(d.serviceDomains, serviceDomains, (serviceId, domain) => ({
    id: state.newId(),
    domain,
    projectId: env.projectId,
    environmentId: env.id,
    serviceId,
    createdAt: now,
    updatedAt: now,
  }));
  syncDomains(d.customDomains, customDomains, (serviceId, domain) => ({
    id: state.newId(),
    domain,
    projectId: env.projectId,
    environmentId: env.id,
    serviceId,
    createdAt: now,
    updatedAt: now,
    verificationToken: `railway-verify=${state.random((r) => r.hex(32))}`,
  }));

  // TCP proxies: one per (service, application port), with a generated public host:port.
  const existingProxies = Object.values(d.tcpProxies).filter((p) => p.environmentId === env.id);
  const keepProxies = new Set<string>();
  for (const { serviceId, port } of proxies) {
    let record = existingProxies.find(
      (p) => p.serviceId === serviceId && p.applicationPort === port,
    );
    if (!record) {
      const taken = new Set(Object.values(d.tcpProxies).map((p) => `${p.domain}:${p.proxyPort}`));
      let domain: string;
      let proxyPort: number;
      do {
        domain = state.random(tcpProxyDomain);
        proxyPort = state.random((r) => r.int(10000, 60000));
      } while (taken.has(`${domain}:${proxyPort}`));
      record = {
        id: state.newId(),
        projectId: env.projectId,
        environmentId: env.id,
        serviceId,
        applicationPort: port,
        domain,
        proxyPort,
        createdAt: now,
      };
      d.tcpProxies[record.id] = record;
    }
    keepProxies.add(record.id);
  }
  for (const p of existingProxies) if (!keepProxies.has(p.id)) delete d.tcpProxies[p.id];

  // Volume instances: one per volume present in the environment's `volumes` map.
  const volumes = isPlainObject(env.config.volumes) ? env.config.volumes : {};
  const existingVolumes = Object.values(d.volumeInstances).filter(
    (v) => v.environmentId === env.id,
  );
  for (const v of existingVolumes) if (!(v.volumeId in volumes)) delete d.volumeInstances[v.id];
  for (const volumeId of Object.keys(volumes)) {
    let record = existingVolumes.find((v) => v.volumeId === volumeId);
    const mount = mounts.get(volumeId);
    if (!record) {
      record = {
        id: state.newId(),
        volumeId,
        environmentId: env.id,
        projectId: env.projectId,
        serviceId: null,
        mountPath: mount?.mountPath || "/data",
        createdAt: now,
      };
      d.volumeInstances[record.id] = record;
    }
    record.serviceId = mount?.serviceId ?? null;
    if (mount?.mountPath) record.mountPath = mount.mountPath;
  }
}
