// The HTTP front: /api/* is the management API, the login page is ours, everything OpenID goes to
// the tenant's oidc-provider instance. Anything else is a 404, as on FusionAuth's API port.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiTapCounter } from '../api-tap';
import type { ApiKeyGate } from './api-keys';
import { sendEmpty, sendJson } from './http';
import { createLoginPage } from './login-page';
import { createManagementApi } from './management-api';
import { INTERACTION_PATH, type OidcProviders } from './oidc';
import { routeOidcRequest } from './oidc-routing';
import type { OidcStore } from './oidc-store';
import type { IdpState } from './state';
import type { WebhookSender } from './webhooks';

export interface ServerDeps {
  state: IdpState;
  gate: ApiKeyGate;
  store: OidcStore;
  providers: OidcProviders;
  webhooks: WebhookSender;
  demoHint: { email: string; password: string };
  log: (message: string) => void;
  /** Tests watch (and hold) management API requests here; see api-tap.ts. */
  tap?: ApiTapCounter;
}

function isOidcPath(pathname: string): boolean {
  return (
    pathname.startsWith('/oauth2/') ||
    pathname.endsWith('/.well-known/openid-configuration') ||
    pathname === '/.well-known/jwks.json'
  );
}

/**
 * FusionAuth takes the public port from X-Forwarded-Port (proxy-setup.mdx, Headers To Set); Koa reads
 * only X-Forwarded-Host, so a port the proxy names separately joins the host there (and a default
 * port for the scheme is left out, as a browser writes it).
 */
export function forwardedAuthority(req: IncomingMessage): void {
  const one = (name: string) => {
    const value = req.headers[name];
    return (Array.isArray(value) ? value[0] : value)?.split(',')[0]?.trim() || undefined;
  };
  const host = one('x-forwarded-host');
  const port = one('x-forwarded-port');
  if (!host || !port || /:\d+$/.test(host) || !/^\d{1,5}$/.test(port)) return;
  const proto = one('x-forwarded-proto') ?? 'http';
  const standard = (proto === 'https' && port === '443') || (proto === 'http' && port === '80');
  req.headers['x-forwarded-host'] = standard ? host : `${host}:${port}`;
}

export function createRequestHandler(deps: ServerDeps) {
  const api = createManagementApi(deps.state, deps.gate, deps.log, deps.tap);
  const loginPage = createLoginPage(deps);

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname.startsWith('/api/')) return api(req, res, url);
    forwardedAuthority(req);
    if (url.pathname.startsWith(INTERACTION_PATH)) {
      const uid = decodeURIComponent(url.pathname.slice(INTERACTION_PATH.length));
      return uid && !uid.includes('/') ? loginPage(req, res, uid) : sendEmpty(res, 404);
    }
    if (!isOidcPath(url.pathname)) return sendEmpty(res, 404);
    const routed = await routeOidcRequest(req, url, deps.state, deps.store);
    const tenant = routed.tenantId ? deps.providers.forTenant(routed.tenantId) : undefined;
    if (!tenant) return sendEmpty(res, 404);
    await tenant.handle(routed.req, res);
  }

  return (req: IncomingMessage, res: ServerResponse): void => {
    handle(req, res).catch((error: unknown) => {
      deps.log(`request ${req.method} ${req.url} failed: ${(error as Error).stack ?? String(error)}`);
      if (!res.headersSent)
        sendJson(res, 500, {
          generalErrors: [{ code: '[ServerError]', message: 'The sandbox IdP failed on this request.' }],
        });
      else res.destroy();
    });
  };
}
