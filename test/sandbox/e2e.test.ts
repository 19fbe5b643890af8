// The guide end to end on the sandbox: the FusionAuth-compatible IdP, the ngrok API and cloud, the
// agent stand-in and a real python site. A cookie-keeping client without a session is sent to the
// IdP's login, logs in as the demo user and gets the page — in each ngrok mode. With a wrong issuer
// or an unregistered redirect URI it never does.
import { writeFileSync } from 'node:fs';
import { fusionauthCall, oidcPolicy as policyFor, setIssuer as setTenantIssuer } from '../helpers/protected-setup';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startIdp, type Idp } from '../../src/sandbox/idp/index';
import { startNgrok, type NgrokSandbox } from '../../src/sandbox/ngrok/index';
import { apiCall, Browser, runAgent, startPythonSite, tempDir, type AgentProcess, type Site } from './ngrok-helpers';

let idp: Idp;
let ngrok: NgrokSandbox;
let site: Site;
let call: ReturnType<typeof apiCall>;
const agents: AgentProcess[] = [];
let app: { clientId: string; clientSecret: string };

const PAGE = '<h1>The protected site</h1>';

const fusionauth = (method: string, pathname: string, body?: unknown) => fusionauthCall(idp, method, pathname, body);

async function createApplication(name: string, redirectUrls: string[]) {
  const { application } = await fusionauth('POST', '/api/application', {
    application: {
      name,
      oauthConfiguration: {
        enabledGrants: ['authorization_code', 'refresh_token'],
        authorizedRedirectURLs: redirectUrls,
        clientAuthenticationPolicy: 'Required',
      },
    },
  });
  return {
    clientId: application.oauthConfiguration.clientId as string,
    clientSecret: application.oauthConfiguration.clientSecret as string,
  };
}

const setIssuer = (issuer: string) => setTenantIssuer(idp, issuer);
const oidcPolicy = (client: { clientId: string; clientSecret: string }, forwardTo?: string) =>
  policyFor(idp.url, client, forwardTo);

const unescapeHtml = (s: string) =>
  s
    .replace(/&amp;/g, '&')
    .replace(/&#x2F;/gi, '/')
    .replace(/&#47;/g, '/')
    .replace(/&quot;/g, '"');

/** Visits the site, logs in on the IdP's form, and answers where the browser ended up. */
async function loginThrough(browser: Browser, startUrl: string) {
  const first = await browser.request(startUrl);
  expect(first.status).toBe(302);
  const authorize = new URL(first.headers.get('location')!);
  const loginPage = await browser.go(authorize.href);
  const action = /<form[^>]*id="login-form"[^>]*action="([^"]+)"/.exec(loginPage.body)?.[1];
  if (!action) return { authorize, final: loginPage };
  const final = await browser.go(new URL(unescapeHtml(action), loginPage.url).href, {
    form: { loginId: idp.demoUser.email, password: idp.demoUser.password },
  });
  return { authorize, final };
}

beforeAll(async () => {
  [idp, ngrok, site] = await Promise.all([startIdp({}), startNgrok({}), startPythonSite(PAGE)]);
  call = apiCall(ngrok);
  // The guide's FusionAuth section: issuer = instance URL, an application with ngrok's redirect URI.
  await setIssuer(idp.url);
  app = await createApplication('ngrok protected site', [ngrok.redirectUri]);
});

afterAll(async () => {
  await Promise.all(agents.map((a) => a.stop('SIGKILL')));
  await Promise.all([ngrok.close(), idp.close(), site.stop()]);
});

function agent(args: string[]): AgentProcess {
  const proc = runAgent(ngrok.agentPath, [...args, '--log', 'stdout', '--log-format', 'logfmt']);
  agents.push(proc);
  return proc;
}

describe('endpoint mode: cloud endpoint with openid-connect → internal agent endpoint', () => {
  let publicUrl: string;

  beforeAll(async () => {
    await call('POST', '/reserved_domains', { domain: 'e2e-endpoint.ngrok.app' });
    const created = await call('POST', '/endpoints', {
      type: 'cloud',
      url: 'https://e2e-endpoint.ngrok.app',
      traffic_policy: oidcPolicy(app, 'https://e2e-endpoint.internal'),
    });
    expect(created.status).toBe(201);
    const proc = agent(['http', String(site.port), '--url', 'https://e2e-endpoint.internal']);
    await proc.line(/started tunnel/);
    publicUrl = ngrok.publicUrlFor('https://e2e-endpoint.ngrok.app')!;
  });

  it("sends a stranger to the IdP login with ngrok's authorization request", async () => {
    const res = await fetch(`${publicUrl}/`, { redirect: 'manual' });
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get('location')!);
    expect(`${location.origin}${location.pathname}`).toBe(`${idp.url}/oauth2/authorize`);
    expect(Object.fromEntries(location.searchParams)).toMatchObject({
      client_id: app.clientId,
      scope: 'openid profile email',
      response_type: 'code',
      redirect_uri: ngrok.redirectUri,
      state: expect.any(String),
      nonce: expect.any(String),
    });
  });

  it('logs the demo user in and serves the site; the session sticks; /ngrok/logout ends it', async () => {
    const browser = new Browser();
    const { final } = await loginThrough(browser, `${publicUrl}/index.html`);
    expect(final.status).toBe(200);
    expect(final.body).toContain(PAGE);
    expect(final.url).toBe(`${publicUrl}/index.html`);
    expect(browser.visited).toContain(`GET ${ngrok.redirectUri}`);
    // With the session cookie: straight to the page.
    const again = await browser.request(`${publicUrl}/`);
    expect(again.status).toBe(200);
    expect(await again.text()).toContain(PAGE);
    // Logout clears it.
    const logout = await browser.request(`${publicUrl}/ngrok/logout`);
    expect(logout.status).toBe(200);
    expect((await browser.request(`${publicUrl}/`)).status).toBe(302);
  });

  it('a forged or replayed state is refused at the callback (ERR_NGROK_3300)', async () => {
    const res = await fetch(`${ngrok.redirectUri}?code=x&state=forged`);
    expect(res.status).toBe(400);
    expect(res.headers.get('ngrok-error-code')).toBe('ERR_NGROK_3300');
  });

  it('with a wrong issuer (the tenant back on acme.com), the login never starts (ERR_NGROK_2227)', async () => {
    await setIssuer('acme.com');
    try {
      const browser = new Browser();
      const res = await browser.go(`${publicUrl}/`);
      expect(res.status).toBe(502);
      expect(res.headers.get('ngrok-error-code')).toBe('ERR_NGROK_2227');
      expect(res.body).not.toContain(PAGE);
      expect(browser.visited.every((v) => !v.includes(idp.url))).toBe(true);
      // And a new endpoint cannot even be created with it.
      await call('POST', '/reserved_domains', { domain: 'e2e-acme.ngrok.app' });
      const refused = await call('POST', '/endpoints', {
        url: 'https://e2e-acme.ngrok.app',
        traffic_policy: oidcPolicy(app, 'https://e2e-endpoint.internal'),
      });
      expect(refused.json).toMatchObject({ error_code: 'ERR_NGROK_2227', status_code: 400 });
    } finally {
      await setIssuer(idp.url);
    }
  });

  it("with the cloud's redirect URI not registered at the IdP, the IdP refuses and the site is never served", async () => {
    const other = await createApplication('missing redirect', ['https://idp.ngrok.com/oauth2/callback']);
    await call('POST', '/reserved_domains', { domain: 'e2e-unregistered.ngrok.app' });
    const created = await call('POST', '/endpoints', {
      url: 'https://e2e-unregistered.ngrok.app',
      traffic_policy: oidcPolicy(other, 'https://e2e-endpoint.internal'),
    });
    expect(created.status).toBe(201);
    const browser = new Browser();
    const { final } = await loginThrough(browser, `${ngrok.publicUrlFor('e2e-unregistered.ngrok.app')}/`);
    expect(final.status).toBe(400);
    expect(final.body).toContain('invalid_redirect_uri');
    expect(final.body).not.toContain(PAGE);
  });

  it('a wrong client secret fails at the token exchange (ERR_NGROK_5202)', async () => {
    await call('POST', '/reserved_domains', { domain: 'e2e-secret.ngrok.app' });
    const created = await call('POST', '/endpoints', {
      url: 'https://e2e-secret.ngrok.app',
      traffic_policy: oidcPolicy({ ...app, clientSecret: 'wrong-secret' }, 'https://e2e-endpoint.internal'),
    });
    expect(created.status).toBe(201);
    const { final } = await loginThrough(new Browser(), `${ngrok.publicUrlFor('e2e-secret.ngrok.app')}/`);
    expect(final.headers.get('ngrok-error-code')).toBe('ERR_NGROK_5202');
    expect(final.body).not.toContain(PAGE);
  });
});

describe('edge mode: the guide exactly (edge + OIDC module + labeled tunnel)', () => {
  it('logs in and serves the site', async () => {
    await call('POST', '/reserved_domains', { domain: 'e2e-edge.ngrok.app' });
    const edge = (await call('POST', '/edges/https', { hostports: ['e2e-edge.ngrok.app:443'] })).json!;
    const backend = (await call('POST', '/backends/tunnel_group', { labels: { edge: edge.id } })).json!;
    const route = (
      await call('POST', `/edges/https/${edge.id}/routes`, {
        match_type: 'path_prefix',
        match: '/',
        backend: { enabled: true, backend_id: backend.id },
      })
    ).json!;
    const oidc = await call('PUT', `/edges/https/${edge.id}/routes/${route.id}/oidc`, {
      enabled: true,
      issuer: idp.url,
      client_id: app.clientId,
      client_secret: app.clientSecret,
      scopes: ['openid', 'profile', 'email'],
    });
    expect(oidc.status).toBe(200);
    const proc = agent(['tunnel', '--label', `edge=${edge.id}`, `http://localhost:${site.port}`]);
    await proc.line(/started tunnel.*url=https:\/\/e2e-edge\.ngrok\.app/);
    const { final } = await loginThrough(new Browser(), `${ngrok.publicUrlFor('e2e-edge.ngrok.app')}/`);
    expect(final.status).toBe(200);
    expect(final.body).toContain(PAGE);
  });
});

describe('agent mode: agent endpoint with a policy file', () => {
  it('logs in and serves the site', async () => {
    await call('POST', '/reserved_domains', { domain: 'e2e-agent.ngrok.app' });
    const temp = tempDir('e2e-policy-');
    const file = path.join(temp.dir, 'policy.yml');
    writeFileSync(file, oidcPolicy(app), { mode: 0o600 });
    const proc = agent([
      'http',
      String(site.port),
      '--url',
      'https://e2e-agent.ngrok.app',
      '--traffic-policy-file',
      file,
    ]);
    await proc.line(/started tunnel/);
    const { final } = await loginThrough(new Browser(), `${ngrok.publicUrlFor('e2e-agent.ngrok.app')}/`);
    expect(final.status).toBe(200);
    expect(final.body).toContain(PAGE);
    temp.remove();
  });
});
