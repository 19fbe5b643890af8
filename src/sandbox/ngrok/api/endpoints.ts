// /endpoints: cloud endpoints, public or internal (create/get/list/update/delete, with traffic_policy
// checked like ngrok checks it: parsed, and every openid-connect issuer discovered; pools and plans as
// ngrok allows them) plus the agent endpoints that are online, which list and get show (type
// "ephemeral", as ngrok shows `ngrok http` endpoints).
import { parseEndpointUrl, type EndpointUrl } from '../endpoint-url';
import { errors } from '../errors';
import { hostUse, poolConflict } from '../hosts';
import { newId } from '../ids';
import { nowRfc3339, type CloudEndpoint } from '../model';
import { checkCloudEndpointPlan } from '../plan';
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

/**
 * The binding of a cloud endpoint. ngrok "automatically infers an `internal` binding for any endpoint
 * created with a `.internal` hostname", and internal URLs "must end with the .internal domain
 * extension" and "use the internal binding" (https://ngrok.com/docs/endpoints/internal-endpoints/;
 * ngrok-docs endpoints/internal-endpoints.mdx). Bindings are public, internal and kubernetes
 * (https://ngrok.com/docs/endpoints/bindings/); anything else is ERR_NGROK_15005.
 */
function bindingFor(u: EndpointUrl, given: string[] | undefined): 'public' | 'internal' {
  if (given === undefined) return u.internal ? 'internal' : 'public';
  // "Currently only one binding may be provided" (https://ngrok.com/docs/agent/config/v3/#bindings).
  if (given.length !== 1) throw errors.unsupported(`The bindings ${JSON.stringify(given)} (exactly one binding)`);
  const binding = given[0]!;
  if (binding === 'kubernetes') throw errors.unsupported('The kubernetes binding');
  if (binding !== 'public' && binding !== 'internal') throw errors.invalidBinding(binding);
  // https://ngrok.com/docs/errors/err_ngrok_9029
  if (binding === 'internal' && !u.internal) throw errors.internalBindingNeedsInternalUrl(u.url);
  // Internal URLs "use the internal binding" (endpoints/internal-endpoints.mdx, above); ngrok documents no
  // error code for a public binding on one, so it is refused without a code rather than with an invented one.
  if (binding === 'public' && u.internal)
    throw errors.invalid(`The URL ${u.url} ends in .internal, so its binding must be internal.`);
  return binding;
}

/**
 * Where a cloud endpoint may go: a reserved domain (an internal URL needs none: "there is no need to
 * reserve an internal domain", internal-endpoints.mdx "Namespacing"), not held by an edge, and
 * pooled with whatever else is on the URL only when every one of them pools (../hosts.ts).
 */
function resolveUrl(deps: ApiDeps, u: EndpointUrl, pooling: boolean, selfId?: string) {
  const domain = u.internal ? undefined : deps.account.reservedDomainFor(u.host);
  if (!u.internal && !domain) throw errors.domainNotReserved(u.hostport);
  const use = hostUse(deps.account, deps.registry, u.host);
  if (use.edgeId) throw errors.invalid(`The domain ${u.host} is served by the edge ${use.edgeId}.`);
  const others = [
    ...use.cloudEndpoints.filter((ep) => ep.id !== selfId).map((ep) => ({ pooling: ep.pooling_enabled })),
    ...use.agents,
  ];
  const conflict = poolConflict(others, pooling);
  if (conflict === 'enabled-among-disabled') throw errors.poolingEnabledConflict();
  if (conflict === 'disabled-among-others') throw errors.poolingDisabledConflict();
  return domain && ref('/reserved_domains', domain.id);
}

export function endpointRoutes(router: Router, deps: ApiDeps): void {
  const { account, registry } = deps;
  const agentEndpoints = () =>
    registry
      .tunnels()
      .filter((t) => t.endpointId && t.url)
      .map((t) => agentEndpointView(t, deps));

  router.add('POST', PATH, async ({ body }) => {
    const type = optString(body, 'type') ?? 'cloud';
    if (type !== 'cloud')
      throw errors.invalid(
        `The endpoint type '${type}' cannot be created through the API: only 'cloud' endpoints can.`,
      );
    const u = parseEndpointUrl(reqString(body, 'url'));
    const binding = bindingFor(u, optStrings(body, 'bindings'));
    checkCloudEndpointPlan(deps.flags.plan, binding);
    const pooling = optBool(body, 'pooling_enabled') ?? false;
    const domain = resolveUrl(deps, u, pooling);
    const trafficPolicy = optString(body, 'traffic_policy');
    if (trafficPolicy === undefined) throw errors.invalid("The field 'traffic_policy' is required.");
    await checkPolicy(trafficPolicy, account, 'cloud');
    const { description, metadata } = describe(body);
    const id = newId('ep');
    const now = nowRfc3339();
    const endpoint: CloudEndpoint = {
      id,
      bindings: [binding],
      created_at: now,
      updated_at: now,
      description: description ?? '',
      metadata: metadata ?? '',
      ...(domain ? { domain } : {}),
      hostport: u.hostport,
      proto: u.scheme,
      public_url: u.url,
      traffic_policy: trafficPolicy,
      type: 'cloud',
      uri: `${PATH}/${id}`,
      url: u.url,
      pooling_enabled: pooling,
    };
    account.cloudEndpoints.set(id, endpoint);
    return created(endpoint);
  });

  router.add('GET', PATH, ({ query }) => {
    const ids = query
      .getAll('ids')
      .flatMap((v) => v.split(','))
      .filter(Boolean);
    const urls = query
      .getAll('urls')
      .flatMap((v) => v.split(','))
      .filter(Boolean)
      .map((v) => parseEndpointUrl(v).url);
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
    if (agentEndpoints().some((ep) => ep.id === id))
      throw errors.invalid(
        'Only cloud endpoints can be updated or deleted through the API; stop the agent to remove an agent endpoint.',
      );
    throw errors.notFound();
  };

  router.add('PATCH', `${PATH}/{id}`, async ({ params, body }) => {
    const endpoint = findCloud(params.id!);
    const rawUrl = optString(body, 'url');
    const u = parseEndpointUrl(rawUrl ?? endpoint.url);
    const bindings = optStrings(body, 'bindings');
    const binding = bindingFor(u, bindings ?? (rawUrl ? undefined : endpoint.bindings));
    const pooling = optBool(body, 'pooling_enabled');
    // A new URL, or a pooling change on the same one, must fit with the others on that URL (18016/18017).
    const domain =
      rawUrl !== undefined || (pooling !== undefined && pooling !== endpoint.pooling_enabled)
        ? resolveUrl(deps, u, pooling ?? endpoint.pooling_enabled, endpoint.id)
        : undefined;
    const trafficPolicy = optString(body, 'traffic_policy');
    if (trafficPolicy !== undefined) await checkPolicy(trafficPolicy, account, 'cloud');
    const { description, metadata } = describe(body);
    if (rawUrl !== undefined) {
      Object.assign(endpoint, { url: u.url, public_url: u.url, hostport: u.hostport, proto: u.scheme });
      if (domain) endpoint.domain = domain;
      else delete endpoint.domain;
    }
    endpoint.bindings = [binding];
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
