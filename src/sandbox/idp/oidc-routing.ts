// Which tenant's provider serves an OpenID request. FusionAuth tells the tenant from the client (an
// application belongs to one tenant), from the path (`/{tenantId}/.well-known/…`) or, with a single
// tenant, trivially. The client can be in the body of a POST (client_secret_post); reading it there
// consumes the stream oidc-provider wants to read, so the body is then handed on in a replayed request.
import { IncomingMessage } from 'node:http';
import { readBody } from './http';
import type { OidcStore } from './oidc-store';
import type { IdpState } from './state';

const TENANT_DISCOVERY = /^\/([0-9a-fA-F-]{36})(\/\.well-known\/openid-configuration)$/;
const RESUME = /^\/oauth2\/authorize\/([^/]+)$/;

export interface Routed {
  tenantId: string | undefined;
  req: IncomingMessage;
}

function basicClientId(header: string | undefined): string | undefined {
  const match = /^Basic\s+(\S+)$/i.exec(header ?? '');
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon > 0 ? decodeURIComponent(decoded.slice(0, colon)) : undefined;
}

/** A copy of a request whose body was already read, carrying that body again for the next reader. */
function replay(req: IncomingMessage, body: Buffer): IncomingMessage {
  const copy = new IncomingMessage(req.socket);
  copy.method = req.method;
  copy.url = req.url;
  copy.headers = req.headers;
  copy.rawHeaders = req.rawHeaders;
  copy.httpVersion = req.httpVersion;
  copy.httpVersionMajor = req.httpVersionMajor;
  copy.httpVersionMinor = req.httpVersionMinor;
  copy._read = () => {}; // never read from the socket: the body is pushed below
  // Marked complete, or destroying the copy once read would be taken as an aborted request and
  // destroy the socket the response still has to go out on.
  copy.complete = true;
  copy.push(body);
  copy.push(null);
  return copy;
}

export async function routeOidcRequest(
  req: IncomingMessage,
  url: URL,
  state: IdpState,
  store: OidcStore,
): Promise<Routed> {
  const discovery = TENANT_DISCOVERY.exec(url.pathname);
  if (discovery?.[1] && discovery[2]) {
    // oidc-provider serves discovery at the root only; the tenant is taken from the path.
    req.url = `${discovery[2]}${url.search}`;
    return { tenantId: state.tenant(discovery[1]) ? discovery[1] : undefined, req };
  }
  const only = state.tenants().length === 1 ? state.defaultTenantId : undefined;
  if (only || url.pathname === '/.well-known/openid-configuration' || url.pathname === '/.well-known/jwks.json') {
    return { tenantId: only ?? state.defaultTenantId, req };
  }
  const tenantOfClient = (clientId: string | undefined): string | undefined => {
    const app = clientId ? state.application(clientId) : undefined;
    return typeof app?.['tenantId'] === 'string' ? app['tenantId'] : undefined;
  };
  let clientId = url.searchParams.get('client_id') ?? basicClientId(req.headers.authorization);
  const resume = RESUME.exec(url.pathname);
  if (!clientId && resume?.[1]) {
    const params = store.get('Interaction', resume[1])?.params;
    clientId = typeof params?.['client_id'] === 'string' ? params['client_id'] : undefined;
  }
  const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
  if (!clientId && bearer) clientId = store.get('AccessToken', bearer)?.clientId;
  let routed = req;
  if (
    !clientId &&
    req.method === 'POST' &&
    (req.headers['content-type'] ?? '').includes('application/x-www-form-urlencoded')
  ) {
    const body = await readBody(req, 64 * 1024);
    clientId = new URLSearchParams(body.toString('utf8')).get('client_id') ?? undefined;
    routed = replay(req, body);
  }
  // An unknown client still goes to a provider (the default tenant's), which answers the error.
  return { tenantId: tenantOfClient(clientId ?? undefined) ?? state.defaultTenantId, req: routed };
}
