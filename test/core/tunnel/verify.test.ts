// The end-to-end check against the sandbox (its FusionAuth-compatible IdP, ngrok cloud and agent
// stand-in), with the world configured by raw HTTP: it passes on a good setup, and fails naming the
// reason with a wrong issuer, with the redirect URI missing from FusionAuth, and without protection.
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runningProcesses, stopAll } from '../../../src/core/process';
import { verifyProtection, type VerifyCheck } from '../../../src/core/tunnel';
import { startIdp, type Idp } from '../../../src/sandbox/idp/index';
import { startNgrok, type NgrokSandbox } from '../../../src/sandbox/ngrok/index';
import { verifySetup, verifyWithTunnel } from '../../../src/core/tunnel';
import type { StepContext } from '../../../src/steps/types';
import { tempDir } from '../../helpers/cli';
import { ngrokCall, prepareProtectedSite, setIssuer, type ProtectedSetup } from '../../helpers/protected-setup';
import { runAgent } from '../../sandbox/ngrok-helpers';

let idp: Idp;
let ngrok: NgrokSandbox;

beforeAll(async () => {
  [idp, ngrok] = await Promise.all([startIdp({}), startNgrok({})]);
});
afterEach(() => stopAll());
afterAll(async () => {
  await Promise.all([idp?.close(), ngrok?.close()]);
});

function context(setup: ProtectedSetup, login = true): StepContext {
  return {
    store: setup.store,
    options: {},
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NGROK_BIN: ngrok.agentPath,
      NGROK_OIDC_REDIRECT_URI: ngrok.redirectUri,
    },
    signal: new AbortController().signal,
    reach: (url) => ngrok.publicUrlFor(url),
    ...(login ? { sandboxLogin: { email: idp.demoUser.email, password: idp.demoUser.password } } : {}),
  };
}

const byId = (checks: VerifyCheck[]) => Object.fromEntries(checks.map((c) => [c.id, c]));
const setup = (name: string, options: { mode?: 'endpoint' | 'agent'; registerRedirect?: boolean } = {}) =>
  prepareProtectedSite(idp, ngrok, { name, configDir: path.join(tempDir('verify-'), 'config'), ...options });

describe('verify', () => {
  it('passes every check on a good setup, starting the tunnel for the check and stopping it after', async () => {
    const good = await setup('verify-good');
    const ctx = context(good);
    const { report, tunnel, findings } = await verifyWithTunnel(ctx);
    expect(report.checks.map((c) => [c.id, c.status])).toEqual([
      ['issuer', 'pass'],
      ['redirect', 'pass'],
      ['authorize', 'pass'],
      ['login', 'pass'],
    ]);
    expect(report.ok).toBe(true);
    const checks = byId(report.checks);
    expect(checks.issuer!.message).toContain(idp.url);
    expect(checks.redirect!.message).toContain(`${idp.url}/oauth2/authorize`);
    expect(checks.login!.message).toContain(idp.demoUser.email);
    expect(findings.map((f) => f.title)).toEqual(['The tunnel was started for the check, and is stopped after it.']);
    expect(tunnel?.status.state.kind).toBe('stopped');
    expect(runningProcesses()).toEqual([]);
  });

  it('an agent that holds the URL without pooling is the one checked, at once: ours meets ERR_NGROK_334', async () => {
    const held = await setup('verify-held');
    const other = runAgent(ngrok.agentPath, [
      'http',
      String(held.values.sitePort),
      '--url',
      held.values.internalUrl!,
      '--log',
      'stdout',
    ]);
    try {
      await other.line(/started tunnel/);
      const started = Date.now();
      const { findings } = await verifyWithTunnel(context(held));
      // Not the minutes ours would go on retrying 334 for.
      expect(Date.now() - started).toBeLessThan(15_000);
      expect(findings.map((f) => f.title)).toEqual([
        'The tunnel already runs elsewhere without pooling (ERR_NGROK_334): that one is checked.',
      ]);
    } finally {
      await other.stop();
    }
  });

  it('an agent-mode setup passes too', async () => {
    const { report } = await verifyWithTunnel(context(await setup('verify-agent', { mode: 'agent' })));
    expect(report.checks.map((c) => c.status)).toEqual(['pass', 'pass', 'pass', 'pass']);
  });

  it("fails naming the issuer when the tenant's issuer is not the FusionAuth URL", async () => {
    const good = await setup('verify-issuer');
    await setIssuer(idp, 'acme.com');
    try {
      const { report } = await verifyWithTunnel(context(good));
      expect(report.ok).toBe(false);
      const checks = byId(report.checks);
      expect(checks.issuer).toMatchObject({
        status: 'fail',
        message: expect.stringContaining('"acme.com"'),
        fix: expect.stringContaining(`Issuer = ${idp.url}`),
      });
      // ngrok's cloud cannot read the discovery document at the issuer, so no one is sent to log in.
      expect(checks.redirect).toMatchObject({ status: 'fail', message: expect.stringContaining('ERR_NGROK_2227') });
      expect(checks.redirect!.message).toContain('https://verify-issuer.ngrok.app');
      expect(checks.login!.status).toBe('fail');
    } finally {
      await setIssuer(idp, idp.url);
    }
  });

  it("fails naming the redirect URI when it is missing from FusionAuth's Authorized redirect URLs", async () => {
    const missing = await setup('verify-redirect', { registerRedirect: false });
    const { report } = await verifyWithTunnel(context(missing));
    expect(report.ok).toBe(false);
    const checks = byId(report.checks);
    expect(checks.issuer!.status).toBe('pass');
    expect(checks.redirect!.status).toBe('pass');
    expect(checks.authorize).toMatchObject({
      status: 'fail',
      message: expect.stringContaining('refuses the redirect URI'),
      fix: expect.stringContaining(ngrok.redirectUri),
    });
    expect(checks.login).toMatchObject({ status: 'fail', message: expect.stringContaining('invalid_redirect_uri') });
  });

  it('a site served without OIDC is reported as not protected', async () => {
    const open = await setup('verify-open');
    await ngrokCall(ngrok, 'POST', '/reserved_domains', { domain: 'verify-open-plain.ngrok.app' });
    await ngrokCall(ngrok, 'POST', '/endpoints', {
      type: 'cloud',
      url: 'https://verify-open-plain.ngrok.app',
      traffic_policy: JSON.stringify({
        on_http_request: [{ actions: [{ type: 'forward-internal', config: { url: 'https://verify-open.internal' } }] }],
      }),
    });
    open.store.setValues({ endpointUrl: 'https://verify-open-plain.ngrok.app' });
    const { report } = await verifyWithTunnel(context(open, false));
    const checks = byId(report.checks);
    expect(checks.redirect).toMatchObject({
      status: 'fail',
      message: 'https://verify-open-plain.ngrok.app answered 200 without a login: the site is NOT protected.',
    });
    expect(checks.login!.status).toBe('skip');
    expect(report.ok).toBe(false);
  });

  it('without the tunnel, the check names the offline endpoint and how to start it', async () => {
    // Endpoint mode: the cloud endpoint still sends strangers to the login, but nothing serves the site.
    const offline = await setup('verify-offline');
    const endpoint = byId((await verifySetup(context(offline))).checks);
    expect(endpoint.redirect!.status).toBe('pass');
    expect(endpoint.login).toMatchObject({
      status: 'fail',
      message: expect.stringContaining('ERR_NGROK_3200'),
      fix: expect.stringContaining('ngrok-fusionauth tunnel'),
    });
    // Agent mode: the domain answers with ngrok's own offline page.
    const agent = byId((await verifySetup(context(await setup('verify-offline-agent', { mode: 'agent' })))).checks);
    expect(agent.redirect).toMatchObject({
      status: 'fail',
      message:
        'https://verify-offline-agent.ngrok.app answered 404: The endpoint is offline: no agent serves it. (ERR_NGROK_3200)',
      fix: expect.stringContaining('ngrok-fusionauth tunnel'),
    });
    // A URL that nothing serves here at all.
    const nowhere = await verifyProtection({
      fusionauthUrl: idp.url,
      clientId: offline.clientId,
      redirectUri: ngrok.redirectUri,
      endpointUrl: 'https://verify-nowhere.ngrok.app',
      reachUrl: null,
    });
    expect(byId(nowhere.checks).redirect).toMatchObject({
      status: 'fail',
      message: 'https://verify-nowhere.ngrok.app is not served: no agent is online for it.',
    });
  });
});
