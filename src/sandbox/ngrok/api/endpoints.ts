// /endpoints: cloud endpoints (create/get/list/update/delete, with traffic_policy checked like ngrok
// checks it: parsed, and every openid-connect issuer discovered) plus the agent endpoints that are
// online, which list and get show (type "ephemeral", as ngrok shows `ngrok http` endpoints).
import { parseEndpointUrl } from '../endpoint-url';
import { errors } from '../errors';
import { hostUse } from '../hosts';
import { newId } from '../ids';
import { nowRfc3339, type CloudEndpoint } from '../model';
import { checkPolicy } from '../policy/check';
import type { OnlineTunnel } from '../registry';
import { created, noContent, ok, ref, type ApiDeps } from './context';
import { paginate } from './paging';
import type { Router } from './router';
import { describe, optBool, optString, optStrings, reqString } from './validate';

const PATH = '/endpoints';

function agentEndpointView(t: OnlineTunnel, deps: ApiDeps): Record<string, unknown> & { id: string } {
  const u = parseEndpointUrl(t.url!);
  return {
    id: t.endpointId!,
    bindings: [u.internal ? 'internal' : 'public'],
    created_at: t.startedAt,
    updated_at: t.startedAt,
    hostport: u.hostport,
    name: t.name,
    pooling_enabled: t.pooling,
    principal: { id: deps.account.userId, uri: '' },
    proto: u.scheme,
    public_url: u.url,
    traffic_policy: t.policyText ?? '',
    tunnel: ref('/tunnels', t.id),
    tunnel_session: ref('/tunnel_sessions', t.sessionId),
    type: 'ephemeral',
    upstream_url: t.addr,
    url: u.url,
    uri: `${PATH}/${t.endpointId}`,
  };
}

function resolveUrl(deps: ApiDeps, raw: string, selfId?: string) {
  const u = parseEndpointUrl(raw);
  if (u.internal) throw errors.unsupported('Internal cloud endpoints');
  const domain = deps.account.reservedDomainFor(u.host);
  if (!domain) throw errors.domainNotReserved(u.hostport);
  const use = hostUse(deps.account, deps.registry, u.host);
  if (use.cloudEndpointId && use.cloudEndpointId !== selfId) throw errors.invalid(`A cloud endpoint with the URL ${u.url} already exists (${use.cloudEndpointId}).`);
  if (use.edgeId) throw errors.invalid(`The domain ${u.host} is served by the edge ${use.edgeId}.`);
  if (use.agents.length > 0) throw errors.endpointOnline(u.url);
  return { u, domain };
}

export function endpointRoutes(router: Router, deps: ApiDeps): void {
  const { account, registry } = deps;
  const agentEndpoints = () => registry.tunnels().filter((t) => t.endpointId && t.url).map((t) => agentEndpointView(t, deps));

  router.add('POST', PATH, async ({ body }) => {
    const type = optString(body, 'type') ?? 'cloud';
    if (type !== 'cloud') throw errors.invalid(`The endpoint type '${type}' cannot be created through the API: only 'cloud' endpoints can.`);
    const { u, domain } = resolveUrl(deps, reqString(body, 'url'));
    const trafficPolicy = optString(body, 'traffic_policy');
    if (trafficPolicy === undefined) throw errors.invalid("The field 'traffic_policy' is required.");
    await checkPolicy(trafficPolicy, account, 'cloud');
    const bindings = optStrings(body, 'bindings') ?? ['public'];
    if (bindings.length !== 1 || bindings[0] !== 'public') throw errors.unsupported(`The bindings ${JSON.stringify(bindings)} (only ["public"])`);
    const { description, metadata } = describe(body);
    const id = newId('ep');
    const now = nowRfc3339();
    const endpoint: CloudEndpoint = {
      id,
      bindings,
      created_at: now,
      updated_at: now,
      description: description ?? '',
      metadata: metadata ?? '',
      domain: ref('/reserved_domains', domain.id),
      hostport: u.hostport,
      proto: u.scheme,
      public_url: u.url,
      traffic_policy: trafficPolicy,
      type: 'cloud',
      uri: `${PATH}/${id}`,
      url: u.url,
      pooling_enabled: optBool(body, 'pooling_enabled') ?? false,
    };
    account.cloudEndpoints.set(id, endpoint);
    return created(endpoint);
  });

  router.add('GET', PATH, ({ query }) => {
    const ids = query.getAll('ids').flatMap((v) => v.split(',')).filter(Boolean);
    const urls = query.getAll('urls').flatMap((v) => v.split(',')).filter(Boolean).map((v) => parseEndpointUrl(v).url);
    const all = [...account.cloudEndpoints.values(), ...agentEndpoints()].filter(
      (ep) => (ids.length === 0 || ids.includes(ep.id)) && (urls.length === 0 || urls.includes(ep.url as string)),
    );
    return paginate(all, query, PATH, 'endpoints', ['ids', 'urls']);
  });

  router.add('GET', `${PATH}/{id}`, ({ params }) => {
    const endpoint = account.cloudEndpoints.get(params.id!) ?? agentEndpoints().find((ep) => ep.id === params.id);
    if (!endpoint) throw errors.notFound();
    return ok(endpoint);
  });

  const findCloud = (id: string): CloudEndpoint => {
    const endpoint = account.cloudEndpoints.get(id);
    if (endpoint) return endpoint;
    if (agentEndpoints().some((ep) => ep.id === id)) throw errors.invalid('Only cloud endpoints can be updated or deleted through the API; stop the agent to remove an agent endpoint.');
    throw errors.notFound();
  };

  router.add('PATCH', `${PATH}/{id}`, async ({ params, body }) => {
    const endpoint = findCloud(params.id!);
    const url = optString(body, 'url');
    const resolved = url ? resolveUrl(deps, url, endpoint.id) : undefined;
    const trafficPolicy = optString(body, 'traffic_policy');
    if (trafficPolicy !== undefined) await checkPolicy(trafficPolicy, account, 'cloud');
    const bindings = optStrings(body, 'bindings');
    if (bindings && (bindings.length !== 1 || bindings[0] !== 'public')) throw errors.unsupported(`The bindings ${JSON.stringify(bindings)} (only ["public"])`);
    const { description, metadata } = describe(body);
    const pooling = optBool(body, 'pooling_enabled');
    if (resolved) {
      Object.assign(endpoint, { url: resolved.u.url, public_url: resolved.u.url, hostport: resolved.u.hostport, proto: resolved.u.scheme, domain: ref('/reserved_domains', resolved.domain.id) });
    }
    if (trafficPolicy !== undefined) endpoint.traffic_policy = trafficPolicy;
    if (description !== undefined) endpoint.description = description;
    if (metadata !== undefined) endpoint.metadata = metadata;
    if (pooling !== undefined) endpoint.pooling_enabled = pooling;
    endpoint.updated_at = nowRfc3339();
    return ok(endpoint);
  });

  router.add('DELETE', `${PATH}/{id}`, ({ params }) => {
    account.cloudEndpoints.delete(findCloud(params.id!).id);
    return noContent;
  });
}
