// The HTTPS edge route modules the sandbox enforces, from their request shape (…Mutate / bare
// module) to the stored response shape (EndpointBackend with a backend Ref, etc.). Module bodies are
// the bare module, as ngrok's docs and Go client send them; a body wrapped as {edge_id, id, module}
// (what @ngrok/ngrok-api 0.11 sends) has no module fields and fails validation, as on ngrok.
import { errors } from '../errors';
import type {
  BackendModule,
  HeadersModule,
  IpRestrictionModule,
  OidcModule,
  RouteModuleName,
  TrafficPolicyModule,
} from '../model';
import { hostRemovalRefused, isHeaderName, MODULE_HEADERS_MAX, refusedHeader } from '../header-rules';
import { checkPolicy } from '../policy/check';
import { ref, type ApiDeps } from './context';
import { optBool, optInt, optObject, optString, optStrings } from './validate';

type Body = Record<string, unknown>;

function backend(body: Body, { account }: ApiDeps): BackendModule {
  const id = optString(body, 'backend_id');
  if (!id) throw errors.invalid("The backend module requires 'backend_id'.");
  if (/^bkd(fo|hr|st|wt)_/.test(id)) throw errors.unsupported('Backends other than tunnel group backends');
  if (!account.tunnelGroupBackends.has(id)) throw errors.invalid(`The backend '${id}' does not exist.`);
  return { enabled: optBool(body, 'enabled') ?? true, backend: ref('/backends/tunnel_group', id) };
}

function ipRestriction(body: Body, { account }: ApiDeps): IpRestrictionModule {
  const ids = optStrings(body, 'ip_policy_ids') ?? [];
  if (ids.length === 0)
    throw errors.invalid("The IP restriction module requires at least one entry in 'ip_policy_ids'.");
  for (const id of ids) if (!account.ipPolicies.has(id)) throw errors.invalid(`The IP policy '${id}' does not exist.`);
  return { enabled: optBool(body, 'enabled') ?? true, ip_policies: ids.map((id) => ref('/ip_policies', id)) };
}

/** The request/response headers modules, by ngrok's rules for them (header-rules.ts names each page). */
function headers(body: Body, direction: 'request' | 'response'): HeadersModule {
  const add = optObject(body, 'add') ?? {};
  const remove = optStrings(body, 'remove') ?? [];
  for (const [k, v] of Object.entries(add))
    if (typeof v !== 'string') throw errors.invalid(`The header value for '${k}' must be a string.`);
  const added = Object.keys(add);
  for (const list of [added, remove])
    if (list.length > MODULE_HEADERS_MAX) throw errors.moduleHeadersMax(list.length, MODULE_HEADERS_MAX);
  for (const name of [...added, ...remove]) if (!isHeaderName(name)) throw errors.headerName(name);
  const lower = added.map((k) => k.toLowerCase());
  const twice = lower.find((k, i) => lower.indexOf(k) !== i);
  if (twice)
    throw errors.headerTwice(
      twice,
      added.filter((k) => k.toLowerCase() === twice),
    );
  // The special cases are the Request Headers module's; its Response Headers page lists none of them.
  if (direction === 'request') {
    const refused = [
      ...added.map((k) => refusedHeader(k, 'add')),
      ...remove.map((k) => refusedHeader(k, 'remove')),
      hostRemovalRefused(remove, added),
    ].find(Boolean);
    if (refused) throw errors.invalid(refused);
  }
  return { enabled: optBool(body, 'enabled') ?? true, add: add as Record<string, string>, remove };
}

export function oidc(body: Body): OidcModule {
  const issuer = optString(body, 'issuer');
  const clientId = optString(body, 'client_id');
  const clientSecret = optString(body, 'client_secret');
  if (!issuer) throw errors.oidcIssuerRequired();
  if (!clientId) throw errors.oidcClientIdRequired();
  if (!clientSecret) throw errors.oidcClientSecretRequired();
  return {
    enabled: optBool(body, 'enabled') ?? true,
    options_passthrough: optBool(body, 'options_passthrough') ?? false,
    cookie_prefix: optString(body, 'cookie_prefix') ?? '',
    inactivity_timeout: optInt(body, 'inactivity_timeout') ?? 0,
    maximum_duration: optInt(body, 'maximum_duration') ?? 0,
    issuer,
    client_id: clientId,
    client_secret: clientSecret,
    scopes: optStrings(body, 'scopes') ?? [],
  };
}

async function trafficPolicy(body: Body, deps: ApiDeps): Promise<TrafficPolicyModule> {
  const value = optString(body, 'value');
  if (value === undefined) throw errors.invalid("The traffic policy module requires 'value'.");
  await checkPolicy(value, deps.account, 'route', deps.net);
  return { enabled: optBool(body, 'enabled') ?? true, value };
}

/** Validates one module body; `null` clears the module (route create/update only). */
export async function parseModule(name: RouteModuleName, body: Body | null, deps: ApiDeps) {
  if (body === null) return null;
  switch (name) {
    case 'backend':
      return backend(body, deps);
    case 'ip_restriction':
      return ipRestriction(body, deps);
    case 'request_headers':
      return headers(body, 'request');
    case 'response_headers':
      return headers(body, 'response');
    case 'oidc':
      return oidc(body);
    case 'traffic_policy':
      return trafficPolicy(body, deps);
  }
}
