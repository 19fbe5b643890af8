// Next Steps, FusionAuth side, with an API key: registration required (and a user registered), and a
// webhook on login with all three switches FusionAuth needs. Proven by logging in through the sandbox
// IdP's OpenID Provider and receiving the event.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { runApply } from '../../src/steps/engine';
import { finish } from '../../src/steps/finish';
import { fusionauth } from '../../src/steps/fusionauth';
import { fusionauthNextSteps } from '../../src/steps/next/fusionauth';
import { fieldsFor } from '../../src/steps/types';
import { nextSteps } from '../../src/steps/next-steps';
import { startIdp, type Idp } from '../../src/sandbox/idp/index';
import { Browser, errorJson, logIn } from '../sandbox/idp-browser';
import { REDIRECT, admin, contextFor, snapshot, type Json } from '../helpers/fusionauth-admin';
import { slots } from '../helpers/created';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

/** Where the webhook goes: records every event body. */
async function receiver(): Promise<{ url: string; events: Json[] }> {
  const events: Json[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      events.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as Json);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise((resolve) => server.close(() => resolve())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/login`, events };
}

async function setUp() {
  const idp = await startIdp();
  closers.push(() => idp.close());
  const ctx = contextFor(idp);
  expect((await runApply(fusionauth, ctx, { applicationName: 'ngrok', setIssuer: 'yes' })).status).toBe('done');
  expect((await runApply(finish, ctx, {})).status).toBe('done');
  return { idp, ctx, a: admin(idp) };
}

const login = (idp: Idp, clientId: string) => {
  const url = new URL('/oauth2/authorize', idp.url);
  url.search = new URLSearchParams({
    client_id: clientId,
    redirect_uri: REDIRECT,
    response_type: 'code',
    scope: 'openid',
    state: 'next-steps',
  }).toString();
  return logIn(new Browser(), url, REDIRECT, { loginId: idp.demoUser.email, password: idp.demoUser.password });
};

describe('Next Steps, FusionAuth side, with an API key', () => {
  it('fields appear only with a key; without one the part does nothing', async () => {
    const idp = await startIdp();
    closers.push(() => idp.close());
    const withKey = contextFor(idp);
    expect(fieldsFor(nextSteps, { requireRegistration: 'yes' }, withKey).map((f) => f.key)).toEqual(
      expect.arrayContaining(['requireRegistration', 'registerEmail', 'webhookUrl']),
    );
    const manual = contextFor(idp, { apiKey: null });
    expect(fieldsFor(nextSteps, { requireRegistration: 'yes' }, manual).map((f) => f.key)).not.toContain('webhookUrl');
    expect(
      await fusionauthNextSteps.apply(manual, { requireRegistration: 'yes', webhookUrl: 'http://127.0.0.1:9/x' }),
    ).toEqual([]);
  });

  it('requires registration, registers a user by email, and fires a webhook on login; a rerun changes nothing', async () => {
    const { idp, ctx, a } = await setUp();
    const hook = await receiver();
    const id = ctx.store.values.clientId!;

    // Registration required and nobody registered: the demo user is turned away.
    const required = await fusionauthNextSteps.apply(ctx, {
      requireRegistration: 'yes',
      registerEmail: '',
      webhookUrl: '',
    });
    expect(required.map((f) => f.title)).toEqual([
      'Only users registered for "ngrok" can log in now',
      expect.stringContaining('Register the users who may log in'),
    ]);
    expect((await a.application(id)).oauthConfiguration.requireRegistration).toBe(true);
    const refused = await login(idp, id);
    expect(refused.url.href.startsWith(REDIRECT)).toBe(false);
    expect(refused.response.status).toBe(403);
    expect(errorJson(await refused.response.text())).toMatchObject({ error_reason: 'registration_required' });

    const findings = await fusionauthNextSteps.apply(ctx, {
      requireRegistration: 'yes',
      registerEmail: idp.demoUser.email,
      webhookUrl: hook.url,
    });
    expect(findings.map((f) => f.level)).toEqual(['ok', 'ok', 'ok']);
    expect(findings.map((f) => f.title)).toEqual([
      '"ngrok" already requires registration',
      `Registered ${idp.demoUser.email} for "ngrok"`,
      `Created a webhook: every login sends user.login.success to ${hook.url} (tenant event on, webhook covers the tenant, event on for the webhook)`,
    ]);
    // The three switches, read independently.
    expect((await a.tenant()).eventConfiguration.events['user.login.success']).toEqual({
      enabled: true,
      transactionType: 'None',
    });
    const [webhook] = await a.webhooks();
    expect(webhook).toMatchObject({
      id: slots(ctx.store.created).fusionauthWebhookId,
      url: hook.url,
      global: false,
      tenantIds: [idp.tenantId],
      eventsEnabled: { 'user.login.success': true },
    });
    expect(webhook!.connectTimeout).toBeGreaterThan(0);
    expect(webhook!.readTimeout).toBeGreaterThan(0);
    expect(ctx.store.values).toMatchObject({ requireRegistration: true, webhookUrl: hook.url });

    const walk = await login(idp, id);
    expect(walk.url.href.startsWith(REDIRECT)).toBe(true);
    expect(walk.url.searchParams.get('code')).toBeTruthy();
    await idp.webhooksSettled();
    expect(hook.events.map((e) => e.event.type)).toEqual(['user.login.success']);
    expect(hook.events[0]!.event.user.email).toBe(idp.demoUser.email);

    const before = await snapshot(idp);
    const again = await fusionauthNextSteps.apply(ctx, {
      requireRegistration: 'yes',
      registerEmail: idp.demoUser.email,
      webhookUrl: hook.url,
    });
    expect(again.map((f) => f.title)).toEqual([
      '"ngrok" already requires registration',
      `${idp.demoUser.email} is already registered for "ngrok"`,
      `The webhook is already set: every login sends user.login.success to ${hook.url} (tenant event on, webhook covers the tenant, event on for the webhook)`,
    ]);
    expect(await snapshot(idp)).toEqual(before);
  });

  it('a changed webhook URL updates the same webhook; an unknown email is one clear sentence', async () => {
    const { ctx, a } = await setUp();
    const first = await receiver();
    const second = await receiver();
    await fusionauthNextSteps.apply(ctx, { requireRegistration: 'no', webhookUrl: first.url });
    const id = slots(ctx.store.created).fusionauthWebhookId;
    const moved = await fusionauthNextSteps.apply(ctx, { requireRegistration: 'no', webhookUrl: second.url });
    expect(moved.at(-1)?.title).toBe(
      `Updated the webhook (send to ${second.url}): every login sends user.login.success to ${second.url} (tenant event on, webhook covers the tenant, event on for the webhook)`,
    );
    expect((await a.webhooks()).map((w) => [w.id, w.url])).toEqual([[id, second.url]]);

    const unknown = await fusionauthNextSteps.apply(ctx, {
      requireRegistration: 'yes',
      registerEmail: 'nobody@example.com',
      webhookUrl: '',
    });
    expect(unknown.at(-1)).toMatchObject({
      level: 'error',
      title: 'FusionAuth has no user with the email nobody@example.com in this tenant.',
      fix: expect.stringContaining('Users → Add'),
    });
  });

  it('a tenant-scoped key cannot manage webhooks: the message names the permission', async () => {
    const { idp, ctx } = await setUp();
    idp.addApiKey({ key: 'tenant-key-0123456789', tenantId: idp.tenantId });
    const scoped = contextFor(idp, { apiKey: 'tenant-key-0123456789', configDir: ctx.store.dir });
    const findings = await fusionauthNextSteps.apply(scoped, {
      requireRegistration: 'no',
      webhookUrl: 'http://127.0.0.1:9/hook',
    });
    expect(findings.at(-1)).toMatchObject({
      level: 'error',
      title: 'FusionAuth rejected the API key while listing the webhooks: it may not call GET /api/webhook.',
      fix: expect.stringContaining('tenant-scoped key cannot reach other tenants or webhooks'),
    });
  });
});
