// /edges/https: the guide's HTTPS edge. Creation answers ERR_NGROK_7008 while the sunset switch is on
// (accounts without edges since 2025-12-31); existing edges stay manageable, as on ngrok.
import { errors } from '../errors';
import { hostUse } from '../hosts';
import { newId } from '../ids';
import { nowRfc3339, type HttpsEdge } from '../model';
import { created, noContent, ok, type ApiDeps, mustGet } from './context';
import { paginate } from './paging';
import type { Router } from './router';
import { describe, optBool, optObject, optString, optStrings } from './validate';

export const EDGES_PATH = '/edges/https';

function checkHostports(deps: ApiDeps, hostports: string[], edgeId?: string): string[] {
  const seen = new Set<string>();
  return hostports.map((raw) => {
    const hostport = raw.toLowerCase();
    const m = /^([^:]+):(\d+)$/.exec(hostport);
    if (!m) throw errors.invalid(`The hostport '${raw}' is invalid: it must be of the form 'example.ngrok.app:443'.`);
    if (m[2] !== '443') throw errors.invalid(`The hostport '${raw}' is invalid: HTTPS edges serve port 443.`);
    const host = m[1]!;
    if (!deps.account.reservedDomainFor(host)) throw errors.domainNotReserved(hostport);
    if (seen.has(host)) throw errors.invalid(`The hostport '${raw}' is listed twice.`);
    seen.add(host);
    const use = hostUse(deps.account, deps.registry, host);
    const holder = use.edgeId && use.edgeId !== edgeId ? use.edgeId : use.cloudEndpoints[0]?.id;
    if (holder) throw errors.invalid(`The hostport '${hostport}' is already in use by ${holder}.`);
    if (use.agents.length > 0) throw errors.endpointOnline(`https://${host}`);
    return hostport;
  });
}

function tlsTermination(body: Record<string, unknown>): HttpsEdge['tls_termination'] | undefined {
  const tls = optObject(body, 'tls_termination');
  if (tls === undefined || tls === null) return tls;
  return {
    enabled: optBool(tls, 'enabled') ?? true,
    terminate_at: 'edge',
    min_version: optString(tls, 'min_version') ?? null,
  };
}

export function edgeRoutes(router: Router, deps: ApiDeps): void {
  const { account, flags } = deps;
  const find = (id: string) => mustGet(account.httpsEdges, id);

  router.add('POST', EDGES_PATH, ({ body }) => {
    if (flags.edgesSunset) throw errors.edgesSunset();
    const { description, metadata } = describe(body);
    if (optObject(body, 'mutual_tls')) throw errors.unsupported('The mutual_tls module');
    const id = newId('edghts');
    const edge: HttpsEdge = {
      id,
      description: description ?? '',
      metadata: metadata ?? '',
      created_at: nowRfc3339(),
      uri: `${EDGES_PATH}/${id}`,
      hostports: checkHostports(deps, optStrings(body, 'hostports') ?? []),
      mutual_tls: null,
      tls_termination: tlsTermination(body) ?? null,
      routes: [],
    };
    account.httpsEdges.set(id, edge);
    return created(edge);
  });

  router.add('GET', EDGES_PATH, ({ query }) => paginate(account.httpsEdges.values(), query, EDGES_PATH, 'https_edges'));
  router.add('GET', `${EDGES_PATH}/{id}`, ({ params }) => ok(find(params.id!)));

  router.add('PATCH', `${EDGES_PATH}/{id}`, ({ params, body }) => {
    const edge = find(params.id!);
    const { description, metadata } = describe(body);
    if (optObject(body, 'mutual_tls')) throw errors.unsupported('The mutual_tls module');
    const hostports = optStrings(body, 'hostports');
    const tls = tlsTermination(body);
    if (hostports !== undefined) edge.hostports = checkHostports(deps, hostports, edge.id);
    if (description !== undefined) edge.description = description;
    if (metadata !== undefined) edge.metadata = metadata;
    if (tls !== undefined) edge.tls_termination = tls;
    return ok(edge);
  });

  router.add('DELETE', `${EDGES_PATH}/{id}`, ({ params }) => {
    account.httpsEdges.delete(find(params.id!).id);
    return noContent;
  });
}
