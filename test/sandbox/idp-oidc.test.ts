// The sandbox IdP's OpenID Provider: discovery and its issuer, the code flow with the demo user,
// and FusionAuth's authorize and token errors. Real server on 127.0.0.1, no mocks.
import { FusionAuthClient } from '@fusionauth/typescript-client';
import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startIdp, type Idp } from '../../src/sandbox/idp/index';
import { Browser, errorJson, jwtPayload, logIn } from './idp-browser';

let idp: Idp;
let client: FusionAuthClient;
const REDIRECT = 'http://127.0.0.1:9/callback';

async function createApp(
  name: string,
  oauthConfiguration: Record<string, unknown> = {},
): Promise<{ id: string; secret: string }> {
  const response = await client.createApplication('', {
    application: {
      name,
      oauthConfiguration: {
        enabledGrants: ['authorization_code', 'refresh_token'] as never,
        authorizedRedirectURLs: [REDIRECT],
        clientAuthenticationPolicy: 'Required' as never,
        ...oauthConfiguration,
      },
    },
  });
  const app = response.response.application;
  return { id: app?.id ?? '', secret: app?.oauthConfiguration?.clientSecret ?? '' };
}

function authorizeUrl(clientId: string, extra: Record<string, string> = {}): URL {
  const url = new URL('/oauth2/authorize', idp.url);
  const params = {
    client_id: clientId,
    redirect_uri: REDIRECT,
    response_type: 'code',
    scope: 'openid profile email',
    state: 'st4te',
    ...extra,
  };
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  return url;
}

async function exchange(
  code: string,
  auth: { clientId: string; secret?: string; how?: 'basic' | 'post' },
): Promise<Response> {
  const form = new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT });
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (auth.secret !== undefined && auth.how !== 'post') {
    headers['authorization'] =
      `Basic ${Buffer.from(`${encodeURIComponent(auth.clientId)}:${encodeURIComponent(auth.secret)}`).toString('base64')}`;
  } else {
    form.set('client_id', auth.clientId);
    if (auth.secret !== undefined) form.set('client_secret', auth.secret);
  }
  return fetch(new URL('/oauth2/token', idp.url), { method: 'POST', headers, body: form });
}

async function codeFor(clientId: string): Promise<string> {
  const walk = await logIn(new Browser(), authorizeUrl(clientId), REDIRECT, {
    loginId: idp.demoUser.email,
    password: idp.demoUser.password,
  });
  expect(walk.url.href.startsWith(REDIRECT)).toBe(true);
  expect(walk.url.searchParams.get('state')).toBe('st4te');
  return walk.url.searchParams.get('code') ?? '';
}

beforeAll(async () => {
  idp = await startIdp({ log: (message) => console.error(message) });
  client = new FusionAuthClient(idp.apiKey, idp.url);
});
afterAll(async () => {
  await idp?.close();
});

describe('discovery', () => {
  it('answers the tenant issuer verbatim: acme.com on a fresh instance, endpoints on the real URL', async () => {
    const response = await fetch(new URL('/.well-known/openid-configuration', idp.url));
    expect(response.status).toBe(200);
    const doc = (await response.json()) as Record<string, unknown>;
    expect(doc['issuer']).toBe('acme.com');
    expect(doc['authorization_endpoint']).toBe(`${idp.url}/oauth2/authorize`);
    expect(doc['token_endpoint']).toBe(`${idp.url}/oauth2/token`);
    expect(doc['userinfo_endpoint']).toBe(`${idp.url}/oauth2/userinfo`);
    expect(doc['jwks_uri']).toBe(`${idp.url}/.well-known/jwks.json`);
    expect(doc['end_session_endpoint']).toBe(`${idp.url}/oauth2/logout`);
    expect(doc['token_endpoint_auth_methods_supported']).toEqual(
      expect.arrayContaining(['client_secret_basic', 'client_secret_post', 'none']),
    );
  });

  it('serves the tenant document at /{tenantId}/ and 404 for an unknown tenant', async () => {
    const doc = (await (
      await fetch(new URL(`/${idp.tenantId}/.well-known/openid-configuration`, idp.url))
    ).json()) as Record<string, unknown>;
    expect(doc['issuer']).toBe('acme.com');
    expect(doc['authorization_endpoint']).toBe(`${idp.url}/oauth2/authorize`);
    const unknown = await fetch(
      new URL('/00000000-0000-4000-8000-000000000000/.well-known/openid-configuration', idp.url),
    );
    expect(unknown.status).toBe(404);
  });

  it('is what the typescript client retrieves', async () => {
    const response = await client.retrieveOpenIdConfiguration();
    expect(response.response.issuer).toBe('acme.com');
  });
});

describe('code flow while the issuer is acme.com', () => {
  it('logs the demo user in and signs the ID token with iss acme.com', async () => {
    const app = await createApp('acme issuer app');
    const code = await codeFor(app.id);
    const response = await exchange(code, { clientId: app.id, secret: app.secret });
    expect(response.status).toBe(200);
    const tokens = (await response.json()) as Record<string, string>;
    const claims = jwtPayload(tokens['id_token'] ?? '');
    expect(claims['iss']).toBe('acme.com');
    expect(claims['aud']).toBe(app.id);
    expect(claims['sub']).toBe(idp.demoUser.id);
    expect(claims['email']).toBe(idp.demoUser.email);
  });
});

describe('token endpoint client authentication', () => {
  it('accepts the secret in a Basic header and in the body', async () => {
    const app = await createApp('both auth methods app');
    expect((await exchange(await codeFor(app.id), { clientId: app.id, secret: app.secret, how: 'basic' })).status).toBe(
      200,
    );
    expect((await exchange(await codeFor(app.id), { clientId: app.id, secret: app.secret, how: 'post' })).status).toBe(
      200,
    );
  });

  it('refuses the exchange without the secret when authentication is Required', async () => {
    const app = await createApp('secret required app');
    const response = await exchange(await codeFor(app.id), { clientId: app.id });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({
      error: 'invalid_client',
      error_reason: 'client_authentication_missing',
    });
  });

  it('refuses a wrong secret', async () => {
    const app = await createApp('wrong secret app');
    const response = await exchange(await codeFor(app.id), { clientId: app.id, secret: 'not-the-secret' });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({
      error: 'invalid_client',
      error_reason: 'invalid_client_authentication',
    });
  });

  it('lets a NotRequired application exchange without a secret', async () => {
    const app = await createApp('public app', { clientAuthenticationPolicy: 'NotRequired' });
    const response = await exchange(await codeFor(app.id), { clientId: app.id });
    expect(response.status).toBe(200);
  });

  it('does not accept a code twice', async () => {
    const app = await createApp('code reuse app');
    const code = await codeFor(app.id);
    expect((await exchange(code, { clientId: app.id, secret: app.secret })).status).toBe(200);
    const again = await exchange(code, { clientId: app.id, secret: app.secret });
    expect(again.status).toBe(400);
    expect(await again.json()).toMatchObject({ error: 'invalid_grant', error_reason: 'auth_code_not_found' });
  });
});

describe('authorize errors', () => {
  it('shows a 400 page with invalid_redirect_uri for an unregistered redirect URI', async () => {
    const app = await createApp('redirect check app');
    const response = await fetch(authorizeUrl(app.id, { redirect_uri: 'http://127.0.0.1:9/elsewhere' }), {
      redirect: 'manual',
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/text\/html/);
    const html = await response.text();
    expect(html).toContain('"error_reason":"invalid_redirect_uri"');
    expect(errorJson(html)).toEqual({
      error: 'invalid_request',
      error_reason: 'invalid_redirect_uri',
      error_description: 'Invalid redirect uri http://127.0.0.1:9/elsewhere',
    });
  });

  it('shows invalid_client_id for an unknown client and missing_redirect_uri without one', async () => {
    const unknown = await fetch(authorizeUrl('3f0a9c1e-0000-4000-8000-000000000000'), { redirect: 'manual' });
    expect(unknown.status).toBe(400);
    expect(errorJson(await unknown.text())).toMatchObject({ error_reason: 'invalid_client_id' });
    const app = await createApp('missing redirect app');
    const url = authorizeUrl(app.id);
    url.searchParams.delete('redirect_uri');
    const missing = await fetch(url, { redirect: 'manual' });
    expect(missing.status).toBe(400);
    expect(errorJson(await missing.text())).toMatchObject({
      error: 'invalid_request',
      error_reason: 'missing_redirect_uri',
    });
  });

  it('sends grant_type_disabled back when the application lacks the authorization_code grant', async () => {
    const app = await createApp('no code grant app', { enabledGrants: ['refresh_token'] });
    const response = await fetch(authorizeUrl(app.id), { redirect: 'manual' });
    expect(response.status).toBeGreaterThanOrEqual(300);
    expect(response.status).toBeLessThan(400);
    const location = new URL(response.headers.get('location') ?? '');
    expect(location.href.startsWith(REDIRECT)).toBe(true);
    expect(location.searchParams.get('error')).toBe('unauthorized_client');
    expect(location.searchParams.get('error_reason')).toBe('grant_type_disabled');
    expect(location.searchParams.get('state')).toBe('st4te');
  });

  it('rejects an unknown scope (unknownScopePolicy Reject)', async () => {
    const app = await createApp('scope app');
    const response = await fetch(authorizeUrl(app.id, { scope: 'openid made-up' }), { redirect: 'manual' });
    const location = new URL(response.headers.get('location') ?? '');
    expect(location.searchParams.get('error')).toBe('invalid_scope');
    expect(location.searchParams.get('error_reason')).toBe('unknown_scope');
  });
});

describe('require registration', () => {
  it('stops an unregistered user after login, and lets them through once registered', async () => {
    const app = await createApp('registration app', { requireRegistration: true });
    const walk = await logIn(new Browser(), authorizeUrl(app.id), REDIRECT, {
      loginId: idp.demoUser.email,
      password: idp.demoUser.password,
    });
    expect(walk.url.href.startsWith(REDIRECT)).toBe(false);
    expect(walk.response.status).toBe(403);
    expect(errorJson(await walk.response.text())).toMatchObject({
      error: 'access_denied',
      error_reason: 'registration_required',
    });

    await client.register(idp.demoUser.id, { registration: { applicationId: app.id } });
    const again = await logIn(new Browser(), authorizeUrl(app.id), REDIRECT, {
      loginId: idp.demoUser.email,
      password: idp.demoUser.password,
    });
    expect(again.url.searchParams.get('code')).toBeTruthy();
  });
});

describe('login page', () => {
  it('re-shows the form on a wrong password, and a soft-deleted application cannot log in', async () => {
    const app = await createApp('login page app');
    const walk = await logIn(new Browser(), authorizeUrl(app.id), REDIRECT, {
      loginId: idp.demoUser.email,
      password: 'wrong',
    });
    expect(walk.response.status).toBe(200);
    expect(await walk.response.text()).toContain('Invalid login credentials.');
    expect(walk.loginPage).toMatch(/name="loginId"/);
    expect(walk.loginPage).toMatch(/name="password"/);

    await client.deactivateApplication(app.id);
    const response = await fetch(authorizeUrl(app.id), { redirect: 'manual' });
    expect(response.status).toBe(400);
    expect(errorJson(await response.text())).toMatchObject({ error_reason: 'invalid_client_id' });
  });
});

describe('openid-client against the IdP once its issuer is its own URL', () => {
  it('discovers, runs the code flow with the secret, and gets an ID token whose iss is the issuer', async () => {
    await client.patchTenant(idp.tenantId, { tenant: { issuer: idp.url } });
    const doc = (await (await fetch(new URL('/.well-known/openid-configuration', idp.url))).json()) as Record<
      string,
      unknown
    >;
    expect(doc['issuer']).toBe(idp.url);

    const app = await createApp('openid-client app');
    const config = await oidc.discovery(new URL(idp.url), app.id, app.secret, undefined, {
      execute: [oidc.allowInsecureRequests],
    });
    expect(config.serverMetadata().issuer).toBe(idp.url);
    const state = oidc.randomState();
    const url = oidc.buildAuthorizationUrl(config, { redirect_uri: REDIRECT, scope: 'openid profile email', state });
    const walk = await logIn(new Browser(), url, REDIRECT, {
      loginId: idp.demoUser.email,
      password: idp.demoUser.password,
    });
    const tokens = await oidc.authorizationCodeGrant(config, walk.url, { expectedState: state });
    const claims = tokens.claims();
    expect(claims?.iss).toBe(idp.url);
    expect(claims?.sub).toBe(idp.demoUser.id);
    const userinfo = await oidc.fetchUserInfo(config, tokens.access_token, claims?.sub ?? '');
    expect(userinfo.email).toBe(idp.demoUser.email);
  });
});
