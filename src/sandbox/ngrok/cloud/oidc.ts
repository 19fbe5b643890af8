// The cloud's OpenID Connect relying party, built on openid-client: what ngrok does in front of a
// protected endpoint. A request without a session is redirected to the IdP (discovery first, issuer
// must match); the IdP returns to the cloud's own callback (redirectUri, ngrok's
// https://idp.ngrok.com/oauth2/callback); the cloud exchanges the code with the client secret,
// validates the ID token, and sends the browser back to the endpoint origin with a one-time token
// that sets the session cookie there (the callback is on another origin and cannot set it).
import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as client from 'openid-client';
import type { Identity } from '../policy/template';
import { discover, DiscoveryError, type CloudNet } from './discovery';
import { pages, sendPage } from './pages';

export interface OidcSettings {
  issuer: string;
  clientId: string;
  clientSecret: string;
  scopes: string[];
  cookiePrefix: string;
  idleMs?: number;
  maxMs?: number;
  allowPreflight: boolean;
  authzUrlParams: Record<string, string>;
  authId?: string;
}

/** What the gate needs from the request being served. */
export interface GateRequest {
  req: IncomingMessage;
  res: ServerResponse;
  host: string;
  /** The loopback origin the browser uses for this host (http://127.0.0.1:PORT). */
  origin: string;
  url: URL;
}

export type GateResult = { pass: true; identity?: Identity } | { pass: false };

interface Session {
  host: string;
  scope: string;
  identity: Identity;
  createdAt: number;
  lastSeen: number;
}

interface Pending {
  host: string;
  origin: string;
  returnTo: string;
  scope: string;
  cookieName: string;
  nonce: string;
  maxMs?: number;
  config: client.Configuration;
  createdAt: number;
}

interface OneTime {
  sessionId: string;
  host: string;
  returnTo: string;
  cookieName: string;
  maxMs?: number;
  expiresAt: number;
}

const PENDING_TTL = 10 * 60_000;
const ONE_TIME_TTL = 60_000;
export const DEFAULT_SCOPES = ['openid', 'profile', 'email'];

const token = () => randomBytes(24).toString('base64url');

function cookies(req: IncomingMessage): Map<string, string> {
  const jar = new Map<string, string>();
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) jar.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  return jar;
}

export class OidcGate {
  private readonly sessions = new Map<string, Session>();
  private readonly pending = new Map<string, Pending>();
  private readonly oneTime = new Map<string, OneTime>();

  constructor(
    private readonly redirectUri: string,
    private readonly net?: CloudNet,
  ) {}

  /** Browsers share 127.0.0.1 cookies across ports, so the name carries the host it belongs to. */
  private cookieName(host: string, settings: OidcSettings): string {
    const prefix = settings.cookiePrefix || 'ngrok.';
    return `${prefix}session_${createHash('sha256')
      .update(`${host}|${settings.authId ?? ''}`)
      .digest('hex')
      .slice(0, 12)}`;
  }

  /** Sessions are bound to the IdP configuration: changing the issuer or client ends them. */
  private scope(settings: OidcSettings): string {
    return `${settings.issuer}|${settings.clientId}`;
  }

  async enforce(ex: GateRequest, settings: OidcSettings): Promise<GateResult> {
    const cookieName = this.cookieName(ex.host, settings);
    const path = ex.url.pathname;
    if (path === '/ngrok/logout') {
      const id = cookies(ex.req).get(cookieName);
      if (id) this.sessions.delete(id);
      sendPage(ex.res, pages.loggedOut(), {
        'set-cookie': `${cookieName}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0`,
      });
      return { pass: false };
    }
    if (path === '/ngrok/session') {
      this.finishLogin(ex, ex.url.searchParams.get('token') ?? '');
      return { pass: false };
    }
    if (path === '/ngrok/login') {
      await this.startLogin(ex, settings, cookieName, '/');
      return { pass: false };
    }
    if (ex.req.method === 'OPTIONS' && settings.allowPreflight) return { pass: true };
    const session = this.validSession(cookies(ex.req).get(cookieName), ex.host, settings);
    if (session) return { pass: true, identity: session.identity };
    await this.startLogin(ex, settings, cookieName, `${path}${ex.url.search}`);
    return { pass: false };
  }

  private validSession(id: string | undefined, host: string, settings: OidcSettings): Session | undefined {
    const session = id ? this.sessions.get(id) : undefined;
    if (!session || session.host !== host || session.scope !== this.scope(settings)) return undefined;
    const now = Date.now();
    if (
      (settings.idleMs && now - session.lastSeen > settings.idleMs) ||
      (settings.maxMs && now - session.createdAt > settings.maxMs)
    ) {
      this.sessions.delete(id!);
      return undefined;
    }
    session.lastSeen = now;
    return session;
  }

  private async startLogin(
    ex: GateRequest,
    settings: OidcSettings,
    cookieName: string,
    returnTo: string,
  ): Promise<void> {
    let config: client.Configuration;
    try {
      config = await discover(settings.issuer, settings.clientId, settings.clientSecret, this.net);
    } catch (error) {
      if (!(error instanceof DiscoveryError)) throw error;
      sendPage(
        ex.res,
        error.kind === 'invalid'
          ? pages.discoveryInvalid(settings.issuer, error.message)
          : pages.discoveryFailed(error.message),
      );
      return;
    }
    this.sweep();
    const state = client.randomState();
    const nonce = client.randomNonce();
    const scopes = settings.scopes.length ? settings.scopes : DEFAULT_SCOPES;
    const scope = (scopes.includes('openid') ? scopes : ['openid', ...scopes]).join(' ');
    const location = client.buildAuthorizationUrl(config, {
      ...settings.authzUrlParams,
      redirect_uri: this.redirectUri,
      response_type: 'code',
      scope,
      state,
      nonce,
    });
    this.pending.set(state, {
      host: ex.host,
      origin: ex.origin,
      returnTo,
      scope: this.scope(settings),
      cookieName,
      nonce,
      maxMs: settings.maxMs,
      config,
      createdAt: Date.now(),
    });
    ex.res.writeHead(302, { location: location.href, 'cache-control': 'no-store' }).end();
  }

  /** GET {redirectUri}?code&state: the IdP's answer. */
  async callback(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.redirectUri);
    const state = url.searchParams.get('state') ?? '';
    const pending = this.pending.get(state);
    this.pending.delete(state);
    if (!pending || Date.now() - pending.createdAt > PENDING_TTL) return sendPage(res, pages.badState());
    const idpError = url.searchParams.get('error');
    if (idpError) return sendPage(res, pages.providerError(idpError, url.searchParams.get('error_description') ?? ''));

    const currentUrl = new URL(this.redirectUri);
    currentUrl.search = url.search;
    let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>;
    try {
      tokens = await client.authorizationCodeGrant(
        pending.config,
        currentUrl,
        { expectedState: state, expectedNonce: pending.nonce, idTokenExpected: true },
        { redirect_uri: this.redirectUri },
      );
    } catch (error) {
      return sendPage(res, exchangeErrorPage(error));
    }
    const claims = tokens.claims();
    if (!claims) return sendPage(res, pages.noIdToken());
    const identity = await this.identity(pending.config, tokens.access_token, claims);

    const sessionId = token();
    const now = Date.now();
    this.sessions.set(sessionId, { host: pending.host, scope: pending.scope, identity, createdAt: now, lastSeen: now });
    const once = token();
    this.oneTime.set(once, {
      sessionId,
      host: pending.host,
      returnTo: pending.returnTo,
      cookieName: pending.cookieName,
      maxMs: pending.maxMs,
      expiresAt: now + ONE_TIME_TTL,
    });
    res
      .writeHead(302, { location: `${pending.origin}/ngrok/session?token=${once}`, 'cache-control': 'no-store' })
      .end();
  }

  /** The endpoint-origin half of the login: trade the one-time token for the session cookie. */
  private finishLogin(ex: GateRequest, once: string): void {
    const entry = this.oneTime.get(once);
    this.oneTime.delete(once);
    if (!entry || entry.host !== ex.host || entry.expiresAt < Date.now() || !this.sessions.has(entry.sessionId)) {
      sendPage(ex.res, pages.sessionLinkInvalid());
      return;
    }
    const maxAge = entry.maxMs ? `; Max-Age=${Math.floor(entry.maxMs / 1000)}` : '';
    ex.res
      .writeHead(302, {
        location: entry.returnTo,
        'set-cookie': `${entry.cookieName}=${entry.sessionId}; Path=/; HttpOnly; SameSite=Lax${maxAge}`,
        'cache-control': 'no-store',
      })
      .end();
  }

  private async identity(config: client.Configuration, accessToken: string, claims: client.IDToken): Promise<Identity> {
    let email = typeof claims.email === 'string' ? claims.email : '';
    let name =
      typeof claims.name === 'string'
        ? claims.name
        : typeof claims.preferred_username === 'string'
          ? claims.preferred_username
          : '';
    // Like ngrok, fill in from userinfo what the ID token left out (best effort).
    if ((!email || !name) && accessToken && config.serverMetadata().userinfo_endpoint) {
      try {
        const info = await client.fetchUserInfo(config, accessToken, claims.sub);
        email ||= typeof info.email === 'string' ? info.email : '';
        name ||= typeof info.name === 'string' ? info.name : '';
      } catch {
        // The session stands on the validated ID token alone.
      }
    }
    return {
      id: `id_${createHash('sha256').update(`${claims.iss}|${claims.sub}`).digest('hex').slice(0, 24)}`,
      email,
      name,
      providerUserId: claims.sub,
    };
  }

  private sweep(): void {
    const now = Date.now();
    for (const [state, p] of this.pending) if (now - p.createdAt > PENDING_TTL) this.pending.delete(state);
    for (const [key, o] of this.oneTime) if (o.expiresAt < now) this.oneTime.delete(key);
  }
}

function exchangeErrorPage(error: unknown) {
  if (error instanceof client.ResponseBodyError)
    return pages.tokenExchange(`${error.error}${error.error_description ? `: ${error.error_description}` : ''}`);
  if (error instanceof client.AuthorizationResponseError)
    return pages.providerError(error.error, error.error_description ?? '');
  const err = error as Error & { code?: string };
  if (
    err?.code === 'OAUTH_JWT_CLAIM_COMPARISON' ||
    err?.code === 'OAUTH_JWT_TIMESTAMP_CHECK' ||
    /id_token|ID Token|JWT|signature/i.test(err?.message ?? '')
  ) {
    return pages.idTokenInvalid(err.message);
  }
  return pages.tokenExchange(err?.message ?? String(error));
}
