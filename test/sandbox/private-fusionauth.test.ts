// The sandbox's model of FusionAuth on localhost (privateIdp): ngrok's cloud cannot reach it on
// loopback, so the login works only once it is published through ngrok, on an agent endpoint of the
// account's second domain; the IdP then builds its URLs from the proxy headers as FusionAuth does
// (X-Forwarded-Proto/-Host/-Port, "FusionAuth and Proxies"), and discovery, authorize, token and the
// login form all go through the published URL.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loginForm } from '../../src/core/http';
import { startIdp, type Idp } from '../../src/sandbox/idp/index';
import { startNgrok, type NgrokSandbox } from '../../src/sandbox/ngrok/index';
import { fusionauthCall, oidcPolicy, setIssuer } from '../helpers/protected-setup';
import { apiCall, Browser, runAgent, startPythonSite, tempDir, type AgentProcess, type Site } from './ngrok-helpers';

const AUTH_HOST = 'auth-published.ngrok.app';
const AUTH_URL = `https://${AUTH_HOST}`;
const PAGE = '<h1>Behind the published FusionAuth</h1>';

let idp: Idp;
let ngrok: NgrokSandbox;
let site: Site;
let call: ReturnType<typeof apiCall>;
let app: { clientId: string; clientSecret: string };
const agents: AgentProcess[] = [];
const temp = tempDir('private-fusionauth-');

function agent(args: string[]): AgentProcess {
  const proc = runAgent(ngrok.agentPath, [...args, '--log', 'stdout', '--log-format', 'logfmt']);
  agents.push(proc);
  return proc;
}

beforeAll(async () => {
  [idp, ngrok, site] = await Promise.all([startIdp({}), startNgrok({ privateIdp: true }), startPythonSite(PAGE)]);
  call = apiCall(ngrok);
  // FusionAuth published: its domain, and an agent endpoint forwarding to it with the port header.
  await call('POST', '/reserved_domains', { domain: AUTH_HOST });
  const policyFile = path.join(temp.dir, 'fusionauth-policy.json');
  writeFileSync(
    policyFile,
    JSON.stringify({
      on_http_request: [{ actions: [{ type: 'add-headers', config: { headers: { 'x-forwarded-port': '443' } } }] }],
    }),
  );
  const publisher = agent([
    'http',
    new URL(idp.url).port,
    '--url',
    AUTH_URL,
    '--traffic-policy-file',
    policyFile,
    '--pooling-enabled',
  ]);
  await publisher.line(/started tunnel/);
  await setIssuer(idp, AUTH_URL);
  const { application } = await fusionauthCall(idp, 'POST', '/api/application', {
    application: {
      name: 'published',
      oauthConfiguration: {
        enabledGrants: ['authorization_code', 'refresh_token'],
        authorizedRedirectURLs: [ngrok.redirectUri],
        clientAuthenticationPolicy: 'Required',
      },
    },
  });
  app = {
    clientId: application.oauthConfiguration.clientId as string,
    clientSecret: application.oauthConfiguration.clientSecret as string,
  };
});

afterAll(async () => {
  await Promise.all(agents.map((a) => a.stop('SIGKILL')));
  await Promise.all([ngrok.close(), idp.close(), site.stop()]);
  temp.remove();
});

it("ngrok's cloud cannot reach a FusionAuth on loopback: a policy with its local issuer is refused (ERR_NGROK_2227)", async () => {
  await setIssuer(idp, idp.url);
  try {
    await call('POST', '/reserved_domains', { domain: 'private-local.ngrok.app' });
    const refused = await call('POST', '/endpoints', {
      url: 'https://private-local.ngrok.app',
      traffic_policy: oidcPolicy(idp.url, app, 'https://private-local.internal'),
    });
    expect(refused.json).toMatchObject({ error_code: 'ERR_NGROK_2227', status_code: 400 });
  } finally {
    await setIssuer(idp, AUTH_URL);
  }
});

it('discovery through the published URL names the public URL in every endpoint (X-Forwarded-Proto/-Host/-Port)', async () => {
  const response = await fetch(`${ngrok.publicUrlFor(AUTH_HOST)}/.well-known/openid-configuration`);
  expect(response.status).toBe(200);
  const doc = (await response.json()) as Record<string, string>;
  expect(doc).toMatchObject({
    issuer: AUTH_URL,
    authorization_endpoint: `${AUTH_URL}/oauth2/authorize`,
    token_endpoint: `${AUTH_URL}/oauth2/token`,
    jwks_uri: `${AUTH_URL}/.well-known/jwks.json`,
  });
});

it('a port the proxy names in X-Forwarded-Port is part of the URLs FusionAuth builds (not a default one)', async () => {
  const headers = { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'auth.example.com' };
  const at = async (port: string) =>
    (
      (await (
        await fetch(`${idp.url}/.well-known/openid-configuration`, {
          headers: { ...headers, 'x-forwarded-port': port },
        })
      ).json()) as Record<string, string>
    ).authorization_endpoint;
  expect(await at('8443')).toBe('https://auth.example.com:8443/oauth2/authorize');
  expect(await at('443')).toBe('https://auth.example.com/oauth2/authorize');
});

it('a stranger at the site is sent to the published login, logs in through it, and sees the page', async () => {
  await call('POST', '/reserved_domains', { domain: 'private-site.ngrok.app' });
  const created = await call('POST', '/endpoints', {
    type: 'cloud',
    url: 'https://private-site.ngrok.app',
    traffic_policy: oidcPolicy(AUTH_URL, app, 'https://private-site.internal'),
  });
  expect(created.status, JSON.stringify(created.json)).toBe(201);
  await agent(['http', String(site.port), '--url', 'https://private-site.internal']).line(/started tunnel/);

  const siteUrl = 'https://private-site.ngrok.app';
  const browser = new Browser({ reach: (url) => ngrok.publicUrlFor(url) });
  const first = await browser.request(`${siteUrl}/`);
  expect(first.status).toBe(302);
  const authorize = new URL(first.headers.get('location')!);
  expect(`${authorize.origin}${authorize.pathname}`).toBe(`${AUTH_URL}/oauth2/authorize`);
  const loginPage = await browser.go(authorize.href);
  expect(loginPage.url.startsWith(`${AUTH_URL}/`), loginPage.url).toBe(true);
  const form = loginForm(loginPage)!;
  expect(form.action.startsWith(`${AUTH_URL}/`), form.action).toBe(true);
  const final = await browser.go(form.action, {
    form: { ...form.hidden, loginId: idp.demoUser.email, password: idp.demoUser.password },
  });
  expect(final.status).toBe(200);
  expect(final.body).toContain(PAGE);
  // Every FusionAuth page the visitor saw was on the published URL, never on the local one.
  expect(browser.visited.filter((v) => v.includes(idp.url))).toEqual([]);
  expect(browser.visited.some((v) => v.startsWith(`POST ${AUTH_URL}/oauth2/interaction/`))).toBe(true);
});
