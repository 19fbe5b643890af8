// rotate-secret's engine against the sandbox (its IdP behind a proxy that can fault FusionAuth, its
// ngrok API and cloud, the agent stand-in): a good rotation is proven by a real login with the new
// secret; FusionAuth failing halfway leaves the old secret working, in FusionAuth, the vault and the store.
import { readFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { setUpNgrok } from '../../../src/core/ngrok';
import { stopAll } from '../../../src/core/process';
import { rotateClientSecret } from '../../../src/core/rotate';
import { verifyWithTunnel } from '../../../src/core/tunnel';
import { startIdp, type Idp } from '../../../src/sandbox/idp/index';
import { startNgrok, type NgrokSandbox } from '../../../src/sandbox/ngrok/index';
import type { StepContext } from '../../../src/steps/types';
import { tempDir } from '../../helpers/cli';
import { fusionauthCall, prepareProtectedSite, type ProtectedSetup } from '../../helpers/protected-setup';
import { slots } from '../../helpers/created';

/** FusionAuth as the product sees it: every request forwarded to the IdP unless `fault` says 503. */
interface FaultyFusionAuth {
  url: string;
  fault: ((method: string, path: string) => boolean) | undefined;
  close(): Promise<void>;
}

async function proxyTo(target: string): Promise<FaultyFusionAuth> {
  const upstream = new URL(target);
  const state: FaultyFusionAuth = { url: '', fault: undefined, close: async () => {} };
  const server: Server = createServer((req, res) => {
    if (state.fault?.(req.method ?? 'GET', req.url ?? '/')) {
      req.resume();
      res.writeHead(503, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ generalErrors: [{ code: '[ServerError]', message: 'FusionAuth is down.' }] }));
      return;
    }
    const forward = request(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.close = () =>
    new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return state;
}

let idp: Idp;
let ngrok: NgrokSandbox;
let fusionauth: FaultyFusionAuth;

beforeAll(async () => {
  [idp, ngrok] = await Promise.all([startIdp({}), startNgrok({})]);
  fusionauth = await proxyTo(idp.url);
});
afterEach(() => {
  fusionauth.fault = undefined;
  return stopAll();
});
afterAll(async () => {
  await fusionauth?.close();
  await Promise.all([idp?.close(), ngrok?.close()]);
});

function context(setup: ProtectedSetup): StepContext {
  return {
    store: setup.store,
    options: {},
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NGROK_BIN: ngrok.agentPath,
      NGROK_OIDC_REDIRECT_URI: ngrok.redirectUri,
      NGROK_API_URL: ngrok.apiUrl,
      NGROK_API_KEY: ngrok.apiKey,
      FUSIONAUTH_API_KEY: idp.apiKey,
    },
    signal: new AbortController().signal,
    reach: (url) => ngrok.publicUrlFor(url),
    sandboxLogin: { email: idp.demoUser.email, password: idp.demoUser.password },
  };
}

/** A finished endpoint-mode setup whose FusionAuth is the proxy, its secret moved into the vault by the product. */
async function vaultedSetup(name: string): Promise<{ setup: ProtectedSetup; ctx: StepContext }> {
  const world = { url: fusionauth.url, apiKey: idp.apiKey, tenantId: idp.tenantId };
  const setup = await prepareProtectedSite(
    world,
    { ...ngrok, redirectUri: ngrok.redirectUri },
    { name, configDir: path.join(tempDir('rotate-'), 'config') },
  );
  await setUpNgrok({
    store: setup.store,
    mode: 'endpoint',
    key: { key: ngrok.apiKey, source: 'env' },
    apiUrl: ngrok.apiUrl,
    signal: new AbortController().signal,
    port: setup.values.sitePort!,
    fusionauthUrl: fusionauth.url,
    redirectUri: ngrok.redirectUri,
    domain: `${name}.ngrok.app`,
    answers: {},
  });
  expect(slots(setup.store.created).vaultSecretId).toMatch(/^secret_/);
  return { setup, ctx: context(setup) };
}

const secretInFusionAuth = async (clientId: string) =>
  (await fusionauthCall(idp, 'GET', `/api/application/${clientId}`)).application.oauthConfiguration
    .clientSecret as string;

const verify = async (ctx: StepContext) => (await verifyWithTunnel(ctx)).report;

describe('rotate-secret', () => {
  it('puts a new secret in FusionAuth, the vault and the store, and proves it by logging in', async () => {
    const { setup, ctx } = await vaultedSetup('rotate-good');
    const old = setup.store.values.clientSecret!;
    const lines: string[] = [];
    const outcome = await rotateClientSecret(ctx, { say: (l) => lines.push(l), verify: () => verify(ctx) });
    expect(outcome.kind, JSON.stringify(outcome)).toBe('rotated');
    const now = setup.store.values.clientSecret!;
    expect(now).not.toBe(old);
    expect(now).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await secretInFusionAuth(setup.clientId)).toBe(now);
    expect(lines.join('\n')).not.toContain(now);
    expect(lines.join('\n')).not.toContain(old);
    // The login through ngrok's cloud works with what the vault now holds.
    expect((await verify(ctx)).checks.find((c) => c.id === 'login')?.status).toBe('pass');
  });

  it('FusionAuth down for logins halfway (after the vault got the new secret): rolled back, the old secret works', async () => {
    const { setup, ctx } = await vaultedSetup('rotate-down');
    const old = setup.store.values.clientSecret!;
    const outcome = await rotateClientSecret(ctx, {
      say: () => {},
      verify: () => verify(ctx),
      // FusionAuth stops serving its OpenID endpoints once both FusionAuth and the vault have the new secret.
      after: (stage) => {
        if (stage === 'vault') fusionauth.fault = (_m, p) => !p.startsWith('/api/');
      },
    });
    expect(outcome).toMatchObject({
      kind: 'rolled-back',
      reason: 'verify did not pass with the new secret',
      leftover: [],
    });
    expect(setup.store.values.clientSecret).toBe(old);
    expect(await secretInFusionAuth(setup.clientId)).toBe(old);
    fusionauth.fault = undefined;
    const report = await verify(ctx);
    expect(report.checks.map((c) => `${c.id}:${c.status}`)).toContain('login:pass');
  });

  it('Ctrl-C halfway (the run aborted after the vault got the new secret): the old secret is put back first', async () => {
    const { setup, ctx } = await vaultedSetup('rotate-interrupted');
    const old = setup.store.values.clientSecret!;
    const controller = new AbortController();
    const run = { ...ctx, signal: controller.signal };
    const lines: string[] = [];
    const rotation = rotateClientSecret(run, {
      say: (l) => lines.push(l),
      verify: () => verify(run),
      after: (stage) => {
        if (stage === 'vault') controller.abort();
      },
    });
    await expect(rotation).rejects.toMatchObject({ name: 'AbortError' });
    expect(lines).toContain('Putting the old client secret back…');
    expect(setup.store.values.clientSecret).toBe(old);
    expect(await secretInFusionAuth(setup.clientId)).toBe(old);
    expect((await verify(ctx)).checks.find((c) => c.id === 'login')?.status).toBe('pass');
  });

  it('FusionAuth refuses the new secret (down for its API): nothing changed, the old secret works', async () => {
    const { setup, ctx } = await vaultedSetup('rotate-refused');
    const old = setup.store.values.clientSecret!;
    fusionauth.fault = (m, p) => m === 'PATCH' && p.startsWith('/api/application');
    const outcome = await rotateClientSecret(ctx, { say: () => {}, verify: () => verify(ctx) });
    expect(outcome.kind).toBe('rolled-back');
    fusionauth.fault = undefined;
    expect(setup.store.values.clientSecret).toBe(old);
    expect(await secretInFusionAuth(setup.clientId)).toBe(old);
    expect((await verify(ctx)).checks.find((c) => c.id === 'login')?.status).toBe('pass');
  });

  it('agent mode with an API key: the policy file names the vault secret, and rotation works there too', async () => {
    const world = { url: fusionauth.url, apiKey: idp.apiKey, tenantId: idp.tenantId };
    const setup = await prepareProtectedSite(
      world,
      { ...ngrok, redirectUri: ngrok.redirectUri },
      { name: 'rotate-agent', mode: 'agent', configDir: path.join(tempDir('rotate-'), 'config') },
    );
    await setUpNgrok({
      store: setup.store,
      mode: 'agent',
      key: { key: ngrok.apiKey, source: 'env' },
      apiUrl: ngrok.apiUrl,
      signal: new AbortController().signal,
      port: setup.values.sitePort!,
      fusionauthUrl: fusionauth.url,
      redirectUri: ngrok.redirectUri,
      domain: 'rotate-agent.ngrok.app',
      answers: {},
    });
    const ctx = context(setup);
    const old = setup.store.values.clientSecret!;
    expect(readFileSync(setup.store.values.policyFile!, 'utf8')).not.toContain(old);
    const outcome = await rotateClientSecret(ctx, { say: () => {}, verify: () => verify(ctx) });
    expect(outcome.kind, JSON.stringify(outcome)).toBe('rotated');
    expect(await secretInFusionAuth(setup.clientId)).not.toBe(old);
  });

  it('refuses a setup whose policy holds the secret itself, changing nothing', async () => {
    const world = { url: fusionauth.url, apiKey: idp.apiKey, tenantId: idp.tenantId };
    const setup = await prepareProtectedSite(
      world,
      { ...ngrok, redirectUri: ngrok.redirectUri },
      { name: 'rotate-inline', configDir: path.join(tempDir('rotate-'), 'config') },
    );
    const old = setup.store.values.clientSecret;
    await expect(
      rotateClientSecret(context(setup), { say: () => {}, verify: () => verify(context(setup)) }),
    ).rejects.toThrow(/holds the secret itself/);
    expect(await secretInFusionAuth(setup.clientId)).toBe(old);
  });
});
