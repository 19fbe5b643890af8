// The OpenID Provider: one oidc-provider instance per tenant, since the issuer is per tenant, built
// lazily and rebuilt when the tenant's issuer changes. It serves FusionAuth's paths, takes its
// clients from the applications, and answers errors the way FusionAuth does (oidc-errors.ts).
import type { IncomingMessage, ServerResponse } from 'node:http';
import Provider, { errors, type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import { getObject, getString, getStrings, isJsonObject, type JsonObject } from './json';
import { viewApplication } from './model';
import { clientMetadataFor } from './oidc-clients';
import { errorPage, toFusionAuthError, type ErrorContext } from './oidc-errors';
import { adapterFactory, type OidcStore } from './oidc-store';
import type { IdpState } from './state';

export const INTERACTION_PATH = '/oauth2/interaction/';

const STANDARD_SCOPES = ['openid', 'offline_access', 'profile', 'email', 'address', 'phone'];

export interface OidcDeps {
  state: IdpState;
  store: OidcStore;
  /** The IdP's own URL, the stand-in issuer while the tenant's issuer is not a URL (see below). */
  baseUrl: string;
  log: (message: string) => void;
}

export interface TenantProvider {
  tenantId: string;
  issuer: string;
  provider: Provider;
  handle: (req: IncomingMessage, res: ServerResponse) => Promise<void>;
}

/** Whether oidc-provider accepts this as its issuer: an http(s) URL without query or fragment. */
function isWebIssuer(issuer: string): boolean {
  const url = URL.parse(issuer);
  return (
    url !== null &&
    (url.protocol === 'http:' || url.protocol === 'https:') &&
    url.host !== '' &&
    !url.search &&
    !url.hash &&
    !issuer.endsWith('?') &&
    !issuer.endsWith('#')
  );
}

function errorContext(ctx: KoaContextWithOIDC, state: IdpState): ErrorContext {
  const params: Record<string, unknown> = { ...(ctx.oidc?.params ?? {}) };
  if (Object.keys(params).length === 0) Object.assign(params, ctx.query);
  const clientId =
    ctx.oidc?.client?.clientId ?? (typeof params['client_id'] === 'string' ? params['client_id'] : undefined);
  const app = clientId ? state.application(clientId) : undefined;
  return {
    route: ctx.oidc?.route,
    params,
    codeGrantEnabled: app ? viewApplication(app).oauth.enabledGrants.includes('authorization_code') : undefined,
  };
}

function accountClaims(user: JsonObject): Record<string, string | boolean> {
  const claims: Record<string, string | boolean | undefined> = {
    sub: getString(user, 'id'),
    email: getString(user, 'email'),
    email_verified: user['verified'] === true,
    name: getString(user, 'fullName'),
    given_name: getString(user, 'firstName'),
    family_name: getString(user, 'lastName'),
    preferred_username: getString(user, 'username'),
  };
  return Object.fromEntries(
    Object.entries(claims).filter((entry): entry is [string, string | boolean] => entry[1] !== undefined),
  );
}

function configuration(tenantId: string, deps: OidcDeps): Configuration {
  const { state, store } = deps;
  const suffix = tenantId.slice(0, 8);
  const appOf = (clientId: string): JsonObject | undefined => {
    const app = state.application(clientId);
    return app && app['tenantId'] === tenantId ? app : undefined;
  };
  return {
    adapter: adapterFactory(store, (clientId) => {
      const app = appOf(clientId);
      return app ? clientMetadataFor(app, Provider.ctx) : undefined;
    }),
    async findAccount(_ctx, sub) {
      const user = state.user(sub);
      if (!user || user['tenantId'] !== tenantId) return undefined;
      return { accountId: sub, claims: () => ({ sub, ...accountClaims(user) }) };
    },
    claims: {
      openid: ['sub'],
      profile: ['name', 'given_name', 'family_name', 'preferred_username'],
      email: ['email', 'email_verified'],
      address: ['address'],
      phone: ['phone_number', 'phone_number_verified'],
    },
    scopes: STANDARD_SCOPES,
    responseTypes: ['code'],
    clientAuthMethods: ['client_secret_basic', 'client_secret_post', 'none'],
    // FusionAuth puts the profile and email claims in the ID token of a code flow too.
    conformIdTokenClaims: false,
    // FusionAuth requires redirect_uri on every authorize request (error_reason missing_redirect_uri).
    allowOmittingSingleRegisteredRedirectUri: false,
    routes: {
      authorization: '/oauth2/authorize',
      token: '/oauth2/token',
      userinfo: '/oauth2/userinfo',
      jwks: '/.well-known/jwks.json',
      end_session: '/oauth2/logout',
      introspection: '/oauth2/introspect',
      revocation: '/oauth2/revoke',
    },
    jwks: { keys: [state.signingKey as never] },
    cookies: {
      keys: state.cookieKeys,
      // Per tenant, as FusionAuth keeps an SSO session per tenant; plain http on 127.0.0.1 works
      // because oidc-provider sets no Secure flag unless told to.
      names: {
        session: `fusionauth.sso.${suffix}`,
        interaction: `fusionauth.interaction.${suffix}`,
        resume: `fusionauth.resume.${suffix}`,
      },
    },
    // Numbers, not functions: oidc-provider prints a notice on stdout whenever one of its default
    // TTL functions runs, which would garble the CLI's terminal UI.
    ttl: {
      AccessToken: 3600,
      AuthorizationCode: 60,
      IdToken: 3600,
      RefreshToken: 30 * 24 * 3600,
      Interaction: 3600,
      Session: 14 * 24 * 3600,
      Grant: 14 * 24 * 3600,
      ClientCredentials: 600,
      DeviceCode: 600,
      BackchannelAuthenticationRequest: 600,
      PreAuthorizedCode: 600,
    },
    features: {
      devInteractions: { enabled: false },
      // FusionAuth has no pushed authorization requests; oidc-provider 9 enables them by default.
      pushedAuthorizationRequests: { enabled: false },
      rpInitiatedLogout: {
        enabled: true,
        // FusionAuth logs out without asking; this auto-submits oidc-provider's confirmation form.
        logoutSource: (ctx, form) => {
          ctx.type = 'html';
          ctx.body = `<!DOCTYPE html><html><head><meta charset="utf-8"><title>Logout | FusionAuth</title></head><body>${form.replace('</form>', '<input type="hidden" name="logout" value="yes"/></form>')}<script>document.forms[0].submit()</script><noscript><button type="submit" form="op.logoutForm">Log out</button></noscript></body></html>`;
        },
        postLogoutSuccessSource: (ctx) => {
          ctx.type = 'html';
          ctx.body =
            '<!DOCTYPE html><html><head><meta charset="utf-8"><title>Logged out | FusionAuth</title></head><body><p>You are logged out.</p></body></html>';
        },
      },
    },
    interactions: { url: (_ctx, interaction) => `${INTERACTION_PATH}${interaction.uid}` },
    // First-party applications: FusionAuth asks no consent, so every requested scope is granted.
    async loadExistingGrant(ctx) {
      const { oidc } = ctx;
      const clientId = oidc.client?.clientId;
      const accountId = oidc.session?.accountId;
      if (!clientId || !accountId) return undefined;
      const grantId = oidc.result?.consent?.grantId ?? oidc.session?.grantIdFor(clientId);
      const found = grantId ? await oidc.provider.Grant.find(grantId) : undefined;
      const grant = found && found.accountId === accountId ? found : new oidc.provider.Grant({ clientId, accountId });
      grant.addOIDCScope(oidc.requestParamOIDCScopes);
      grant.addOIDCClaims(oidc.requestParamClaims);
      await grant.save();
      return grant;
    },
    pkce: {
      required: (_ctx, client) => {
        const app = appOf(client.clientId);
        return app !== undefined && viewApplication(app).oauth.proofKeyForCodeExchangePolicy === 'Required';
      },
    },
    extraParams: {
      // FusionAuth accepts tenantId on authorize. Its validator is also the one hook oidc-provider
      // runs on every authorization request after the client and redirect_uri checks: FusionAuth's
      // default unknownScopePolicy (Reject) is applied here, since oidc-provider drops unknown scopes.
      tenantId: (ctx, _value, client) => {
        const app = appOf(client.clientId);
        const oauth = app ? (getObject(app, 'oauthConfiguration') ?? {}) : {};
        if ((getString(oauth, 'unknownScopePolicy') ?? 'Reject') !== 'Reject') return;
        const custom = Array.isArray(app?.['scopes'])
          ? app['scopes'].filter(isJsonObject).map((scope) => getString(scope, 'name'))
          : [];
        const known = new Set([...STANDARD_SCOPES, ...custom]);
        // The raw request: by now oidc-provider has already dropped the scopes it does not know.
        const raw = ctx.method === 'POST' ? ctx.oidc.body?.['scope'] : ctx.query['scope'];
        const requested = typeof raw === 'string' ? raw.split(' ') : [];
        const unknown = requested.find((scope) => scope !== '' && !known.has(scope));
        if (unknown) throw new errors.InvalidScope(`Invalid scope [${unknown}]`, unknown);
      },
    },
    clientBasedCORS: (_ctx, origin, client) => {
      const app = appOf(client.clientId);
      return (
        app !== undefined && getStrings(getObject(app, 'oauthConfiguration'), 'authorizedOriginURLs').includes(origin)
      );
    },
    renderError: (ctx, _out, error) => {
      const fa = toFusionAuthError(error, errorContext(ctx, state));
      ctx.status = fa.error === 'server_error' ? 500 : 400;
      ctx.type = 'html';
      ctx.body = errorPage(fa);
    },
  };
}

const ERROR_EVENTS = [
  'authorization.error',
  'grant.error',
  'userinfo.error',
  'end_session.error',
  'server_error',
] as const;

function build(tenantId: string, issuer: string, deps: OidcDeps): TenantProvider {
  const webIssuer = isWebIssuer(issuer) ? issuer : deps.baseUrl;
  const provider = new Provider(webIssuer, configuration(tenantId, deps));
  // Behind a proxy FusionAuth builds its URLs (discovery's endpoints, redirects, the login page's
  // links) from X-Forwarded-Proto, X-Forwarded-Host and X-Forwarded-Port ("FusionAuth and Proxies",
  // Headers To Set: https://fusionauth.io/docs/operate/deploy/proxy-setup, FusionAuth/fusionauth-site
  // astro/src/content/docs/operate/deploy/proxy-setup.mdx). oidc-provider builds them from Koa's
  // request URL, which follows X-Forwarded-Proto/-Host once the app trusts a proxy; the port is folded
  // into X-Forwarded-Host by the server (server.ts, forwardedAuthority).
  provider.proxy = true;
  if (webIssuer !== issuer) {
    // FusionAuth uses the tenant's issuer verbatim, URL or not ("acme.com" on a fresh instance);
    // oidc-provider insists on a URL. So it is built with the IdP's URL and then given the real
    // issuer for everything that carries it (ID tokens, the authorize response's `iss`); the
    // per-request context keeps the URL, which oidc-provider uses as a base to resolve cookie paths.
    Object.defineProperty(provider, 'issuer', { value: issuer, configurable: true });
    Object.defineProperty(provider.OIDCContext.prototype, 'issuer', { get: () => webIssuer, configurable: true });
  }
  const failures = new WeakMap<object, Error>();
  // The provider's typings list one overload per event; as a plain emitter it takes them all alike.
  const emitter = provider as unknown as NodeJS.EventEmitter;
  for (const event of ERROR_EVENTS) {
    emitter.on(event, (ctx: KoaContextWithOIDC, error: Error) => {
      failures.set(ctx, error);
      if (event === 'server_error') deps.log(`OIDC server error: ${error.stack ?? error.message}`);
    });
  }
  // Koa prints uncaught errors unless the app has an error listener; the CLI's screen is no place for that.
  emitter.on('error', (error: Error) => deps.log(`OIDC error: ${error.stack ?? error.message}`));
  provider.use(async (koaCtx, next) => {
    await next();
    const ctx = koaCtx as unknown as KoaContextWithOIDC;
    if (ctx.path === '/.well-known/openid-configuration' && isJsonObject(ctx.body)) {
      ctx.body['issuer'] = issuer;
      return;
    }
    const failure = failures.get(ctx);
    if (!failure) return;
    const fa = toFusionAuthError(failure, errorContext(ctx, deps.state));
    const location = ctx.response.get('Location');
    if (location && ctx.status >= 300 && ctx.status < 400) {
      // An error sent back to the client's redirect_uri: FusionAuth's error and error_reason.
      const url = URL.parse(location);
      if (url?.searchParams.has('error')) {
        url.searchParams.set('error', fa.error);
        url.searchParams.set('error_reason', fa.error_reason);
        url.searchParams.set('error_description', fa.error_description);
        ctx.redirect(url.href);
      }
    } else if (isJsonObject(ctx.body) && typeof ctx.body['error'] === 'string') {
      ctx.body = {
        ...ctx.body,
        error: fa.error,
        error_description: fa.error_description,
        error_reason: fa.error_reason,
      };
    }
  });
  return { tenantId, issuer, provider, handle: provider.callback() };
}

export class OidcProviders {
  readonly #built = new Map<string, TenantProvider>();

  constructor(private readonly deps: OidcDeps) {}

  /** The provider for a tenant, rebuilt if its issuer changed since the last request. */
  forTenant(tenantId: string): TenantProvider | undefined {
    const tenant = this.deps.state.tenant(tenantId);
    const issuer = tenant ? getString(tenant, 'issuer') : undefined;
    if (!issuer) return undefined;
    const built = this.#built.get(tenantId);
    if (built?.issuer === issuer) return built;
    const fresh = build(tenantId, issuer, this.deps);
    this.#built.set(tenantId, fresh);
    return fresh;
  }
}
