// Which resource serves a hostname. One hostname is served by one thing: a cloud endpoint, an HTTPS
// edge, or agent endpoints (several only when all of them are pooled), as on ngrok.
import type { HttpsEdge } from './model';
import { labelsMatch, type OnlineTunnel, type Registry } from './registry';
import type { Account } from './state';

export function hostOf(hostport: string): string {
  return hostport.replace(/:\d+$/, '').toLowerCase();
}

export function edgeForHost(account: Account, host: string): HttpsEdge | undefined {
  for (const edge of account.httpsEdges.values()) if (edge.hostports.some((hp) => hostOf(hp) === host)) return edge;
  return undefined;
}

export function cloudEndpointForHost(account: Account, host: string) {
  for (const ep of account.cloudEndpoints.values()) if (hostOf(ep.hostport) === host) return ep;
  return undefined;
}

export interface HostUse {
  cloudEndpointId?: string;
  edgeId?: string;
  agents: OnlineTunnel[];
}

export function hostUse(account: Account, registry: Registry, host: string): HostUse {
  return { cloudEndpointId: cloudEndpointForHost(account, host)?.id, edgeId: edgeForHost(account, host)?.id, agents: registry.byHost(host) };
}

/** Every public hostname that needs a loopback listener. `.internal` ones are reachable only inside. */
export function publicHosts(account: Account, registry: Registry): string[] {
  const hosts = new Set<string>();
  for (const rd of account.reservedDomains.values()) hosts.add(rd.domain);
  for (const edge of account.httpsEdges.values()) for (const hp of edge.hostports) hosts.add(hostOf(hp));
  for (const ep of account.cloudEndpoints.values()) hosts.add(hostOf(ep.hostport));
  for (const t of registry.tunnels()) if (t.host) hosts.add(t.host);
  return [...hosts].filter((h) => !h.endsWith('.internal'));
}

/** The public URLs a labeled tunnel serves: the hostports of edges whose backend matches its labels. */
export function urlsForLabels(account: Account, labels: Record<string, string>): string[] {
  const urls = new Set<string>();
  for (const edge of account.httpsEdges.values()) {
    const served =
      labels.edge === edge.id ||
      edge.routes.some((route) => {
        const backendId = route.backend?.backend.id;
        const backend = backendId ? account.tunnelGroupBackends.get(backendId) : undefined;
        return backend !== undefined && labelsMatch(backend.labels, labels);
      });
    if (served) for (const hp of edge.hostports) urls.add(`https://${hostOf(hp)}`);
  }
  return [...urls];
}
