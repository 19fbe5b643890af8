// End to end in the sandbox, per mode: FusionAuth set up by hand through its management API (issuer,
// application, ngrok's redirect URI), then the ngrok step run as the wizard runs it; the agent command it
// shows, started by hand, gives an endpoint that sends a stranger to the FusionAuth login, and a login
// gets the page. Next Steps then show up at the door: IP restriction, headers, the second path.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../src/core/store';
import { runApply } from '../../src/steps/engine';
import { ngrokNextSteps } from '../../src/steps/next/ngrok';
import { ngrok } from '../../src/steps/ngrok';
import { initialInput, type Input, type StepContext } from '../../src/steps/types';
import { freshStore, startWorld, type World } from '../core/ngrok/fixture';
import { Browser, runAgent, startPythonSite, type AgentProcess, type Site } from '../sandbox/ngrok-helpers';

const PAGE = '<h1>The protected site</h1>';
let world: World;
let site: Site;
let echo: { port: number; close(): Promise<void> };
const agents: AgentProcess[] = [];

/** The second local app: answers with the path and the headers it got. */
async function startEcho() {
  const server = http.createServer((req, res) => {
    res
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ app: 'second', path: req.url, headers: req.headers }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

beforeAll(async () => {
  [world, site, echo] = await Promise.all([startWorld(), startPythonSite(PAGE), startEcho()]);
});
afterAll(async () => {
  await Promise.all(agents.map((a) => a.stop('SIGKILL')));
  await Promise.all([world.close(), site.stop(), echo.close()]);
});
afterEach(async () => {
  await Promise.all(agents.splice(0).map((a) => a.stop()));
});

function context(store: Store, withKey: boolean): StepContext {
  return {
    store,
    options: { port: site.port },
    env: {
      NGROK_API_URL: world.ngrok.apiUrl,
      NGROK_OIDC_REDIRECT_URI: world.ngrok.redirectUri,
      ...(withKey ? { NGROK_API_KEY: world.ngrok.apiKey } : {}),
    },
    signal: new AbortController().signal,
  };
}

/** The command as shown, started by hand: `ngrok` is the sandbox's agent stand-in. */
async function startShown(command: string): Promise<AgentProcess> {
  expect(command).not.toMatch(/['"]/);
  const [bin, ...args] = command.split(' ');
  expect(bin).toBe('ngrok');
  const agent = runAgent(world.ngrok.agentPath, [...args, '--log', 'stdout', '--log-format', 'logfmt']);
  agents.push(agent);
  await agent.line(/started tunnel/);
  return agent;
}

const unescapeHtml = (s: string) =>
  s
    .replace(/&amp;/g, '&')
    .replace(/&#x2F;/gi, '/')
    .replace(/&quot;/g, '"');

/** A stranger is sent to the FusionAuth login with ngrok's request; logging in gets the page. */
async function strangerLogsIn(publicUrl: string, path = '/') {
  const browser = new Browser();
  const first = await browser.request(`${publicUrl}${path}`);
  expect(first.status).toBe(302);
  const authorize = new URL(first.headers.get('location')!);
  expect(`${authorize.origin}${authorize.pathname}`).toBe(`${world.idp.url}/oauth2/authorize`);
  expect(authorize.searchParams.get('client_id')).toBe(world.app.clientId);
  expect(authorize.searchParams.get('redirect_uri')).toBe(world.ngrok.redirectUri);
  const login = await browser.go(authorize.href);
  expect(login.body).toContain('login-form');
  const action = /<form[^>]*id="login-form"[^>]*action="([^"]+)"/.exec(login.body)![1]!;
  const final = await browser.go(new URL(unescapeHtml(action), login.url).href, {
    form: { loginId: world.idp.demoUser.email, password: world.idp.demoUser.password },
  });
  return { browser, final };
}

async function setUp(
  mode: 'edge' | 'endpoint' | 'agent',
  domain: string,
): Promise<{ store: Store; ctx: StepContext; publicUrl: string }> {
  const store = freshStore(world);
  const ctx = context(store, mode !== 'agent');
  const input: Input = {
    ...initialInput(ngrok, ctx),
    mode,
    ...(mode === 'agent' ? { endpointUrl: `https://${domain}` } : { domain }),
  };
  if (mode === 'agent') await world.raw('POST', '/reserved_domains', { domain });
  const result = await runApply(ngrok, ctx, input);
  expect(result.status, JSON.stringify(result.findings)).toBe('done');
  return { store, ctx, publicUrl: world.ngrok.publicUrlFor(store.values.endpointUrl!)! };
}

describe.each(['edge', 'endpoint', 'agent'] as const)('mode %s', (mode) => {
  it('the agent command shown, started by hand, gives an endpoint that sends a stranger to the FusionAuth login', async () => {
    const { store, publicUrl } = await setUp(mode, `e2e-${mode}.ngrok.app`);
    await startShown(store.values.agentCommand!);
    const { final } = await strangerLogsIn(publicUrl);
    expect(final.status).toBe(200);
    expect(final.body).toContain(PAGE);
    expect(final.url).toBe(`${publicUrl}/`);
  });

  it('Next Steps at the door: headers added, the second path served by the second app, then an IP restriction', async () => {
    const { store, ctx, publicUrl } = await setUp(mode, `e2e-next-${mode}.ngrok.app`);
    const findings = await ngrokNextSteps.apply(ctx, {
      ngrokSettings: 'change',
      // Host added replaces the Host header the app sees (ngrok's add-headers, Special Cases).
      addHeaders: 'X-Protected-By=ngrok-fusionauth; Host=app.example; response:X-Frame-Options=DENY',
      removeHeaders: 'response:Server',
      secondPath: '/api',
      secondPort: String(echo.port),
      allowCidrs: '127.0.0.0/8',
    });
    expect(findings.filter((f) => f.level === 'error')).toEqual([]);
    await startShown(store.values.agentCommand!);
    const second = findings
      .find((f) => f.title.startsWith('Second app (/api): '))!
      .title.replace('Second app (/api): ', '');
    await startShown(second);

    const { browser, final } = await strangerLogsIn(publicUrl);
    expect(final.body).toContain(PAGE);
    expect(final.headers.get('x-frame-options')).toBe('DENY');
    expect(final.headers.get('server')).toBeNull();
    const api = await browser.request(`${publicUrl}/api/items`);
    expect(api.status).toBe(200);
    const body = (await api.json()) as { app: string; path: string; headers: Record<string, string> };
    expect(body).toMatchObject({ app: 'second', path: '/api/items' });
    expect(body.headers['x-protected-by']).toBe('ngrok-fusionauth');
    expect(body.headers.host).toBe('app.example');
    // The second app's tunnel must not join the site's backend too (ngrok matches a backend's labels
    // as a subset of a tunnel's): if it did, `/` would be balanced onto it, every second request.
    for (let i = 0; i < 4; i++) {
      const page = await browser.request(`${publicUrl}/`);
      expect(await page.text()).toContain(PAGE);
    }

    // Only 10.0.0.0/8 may come in now: this machine (127.0.0.1) is turned away before the login.
    await ngrokNextSteps.apply(ctx, {
      ngrokSettings: 'change',
      allowCidrs: '10.0.0.0/8',
      addHeaders: '',
      removeHeaders: '',
      secondPath: '',
    });
    if (mode === 'agent') {
      // The agent reads its policy file when it starts: restart it, as the finding says.
      await Promise.all(agents.splice(0).map((a) => a.stop()));
      await startShown(store.values.agentCommand!);
    }
    const denied = await fetch(`${publicUrl}/`, { redirect: 'manual' });
    expect(denied.status).toBe(403);
    expect(denied.headers.get('ngrok-error-code')).toBe('ERR_NGROK_3205');
  });
});
