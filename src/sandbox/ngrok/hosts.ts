// Which resource serves a hostname: an HTTPS edge, or endpoints (cloud and agent; several only when
// all of them are pooled), as on ngrok.
import type { CloudEndpoint, HttpsEdge } from './model';
import { labelsMatch, type OnlineTunnel, type Registry } from './registry';
import type { Account } from './state';

export function hostOf(hostport: string): string {
  return hostport.replace(/:\d+$/, '').toLowerCase();
}

export function edgeForHost(account: Account, host: string): HttpsEdge | undefined {
  for (const edge of account.httpsEdges.values()) if (edge.hostports.some((hp) => hostOf(hp) === host)) return edge;
  return undefined;
}

/** The cloud endpoints on a hostname: one, or several that all pool (public or `.internal`). */
export function cloudEndpointsForHost(account: Account, host: string): CloudEndpoint[] {
  return [...account.cloudEndpoints.values()].filter((ep) => hostOf(ep.hostport) === host);
}

export interface HostUse {
  cloudEndpoints: CloudEndpoint[];
  edgeId?: string;
  agents: OnlineTunnel[];
}

export function hostUse(account: Account, registry: Registry, host: string): HostUse {
  return {
    cloudEndpoints: cloudEndpointsForHost(account, host),
    edgeId: edgeForHost(account, host)?.id,
    agents: registry.byHost(host),
  };
}

/**
 * Whether one more endpoint with `pooling` may join the others on its URL. ngrok: "If you create a
 * second endpoint with the same URL and binding as an existing endpoint, both the new endpoint and
 * existing endpoint must have pooling enabled." (https://ngrok.com/docs/endpoints/endpoint-pooling/,
 * "Conflicts"; ngrok-docs endpoints/endpoint-pooling.mdx). The API names the two ways to break it:
 * https://ngrok.com/docs/errors/err_ngrok_18016 (enabled, another disabled) and
 * https://ngrok.com/docs/errors/err_ngrok_18017 (disabled, another exists). The agent says 334.
 */
export function poolConflict(
  others: ReadonlyArray<{ pooling: boolean }>,
  pooling: boolean,
): 'enabled-among-disabled' | 'disabled-among-others' | undefined {
  if (others.length === 0) return undefined;
  if (!pooling) return 'disabled-among-others';
  return others.every((o) => o.pooling) ? undefined : 'enabled-among-disabled';
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
