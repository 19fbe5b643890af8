// The sandbox IdP as an instance: API key permissions and the fresh-key delay, a multi-tenant
// instance (TenantIdRequired, tenant-scoped keys, per-tenant issuers), persistence across a restart,
// and webhook delivery gated by FusionAuth's three switches.
import { FusionAuthClient } from '@fusionauth/typescript-client';
import { pbkdf2Sync, scryptSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startIdp, type Idp } from '../../src/sandbox/idp/index';
import { Browser, jwtPayload, logIn } from './idp-browser';
import { failure } from './client-failure';

const REDIRECT = 'http://127.0.0.1:9/callback';
const oauth = { enabledGrants: ['authorization_code', 'refresh_token'] as never, authorizedRedirectURLs: [REDIRECT] };

const started: Idp[] = [];
async function start(options: Parameters<typeof startIdp>[0] = {}): Promise<Idp> {
  const idp = await startIdp({ log: (message) => console.error(message), ...options });
  started.push(idp);
  return idp;
}
afterEach(async () => {
  await Promise.all(started.splice(0).map((idp) => idp.close()));
});

describe('API keys', () => {
  it('lets a key with endpoint permissions call only those endpoints and methods', async () => {
    const idp = await start({
      apiKeys: [{ key: 'read-tenants-only', permissions: { '/api/tenant': ['GET'], '/api/system/version': ['GET'] } }],
    });
    const limited = new FusionAuthClient('read-tenants-only', idp.url);
    expect((await limited.retrieveVersion()).statusCode).toBe(200);
    expect((await limited.retrieveTenants()).response.tenants).toHaveLength(1);
    expect((await failure(limited.patchTenant(idp.tenantId, { tenant: { issuer: idp.url } }))).statusCode).toBe(401);
    expect((await failure(limited.createApplication(null as never, { application: { name: 'x' } }))).statusCode).toBe(
      401,
    );
    expect((await failure(limited.retrieveApplications())).statusCode).toBe(401);
  });

  it('answers 401 to a fresh key for its first calls, as FusionAuth does until its caches catch up', async () => {
    const idp = await start();
    idp.addApiKey({ key: 'fresh-key', unauthorizedForFirstCalls: 2 });
    const fresh = new FusionAuthClient('fresh-key', idp.url);
    expect((await failure(fresh.retrieveVersion())).statusCode).toBe(401);
    expect((await failure(fresh.retrieveVersion())).statusCode).toBe(401);
    expect((await fresh.retrieveVersion()).response.version).toBe('1.69.0');
  });
});

describe('a multi-tenant instance', () => {
  it('wants the tenant from a global key where the call needs one', async () => {
    const idp = await start({ secondTenant: true });
    expect(idp.secondTenantId).toBeDefined();
    const global = new FusionAuthClient(idp.apiKey, idp.url);
    expect((await global.retrieveTenants()).response.tenants).toHaveLength(2);
    const rejected = await failure(
      global.createApplication(null as never, { application: { name: 'no tenant', oauthConfiguration: oauth } }),
    );
    expect(rejected.statusCode).toBe(400);
    expect(rejected.exception?.generalErrors?.[0]?.code).toBe('[TenantIdRequired]');
    expect((await failure(global.retrieveUserByEmail(idp.demoUser.email))).exception?.generalErrors?.[0]?.code).toBe(
      '[TenantIdRequired]',
    );

    const inSecond = new FusionAuthClient(idp.apiKey, idp.url, idp.secondTenantId);
    const app = (
      await inSecond.createApplication(null as never, {
        application: { name: 'second tenant app', oauthConfiguration: oauth },
      })
    ).response.application;
    expect(app?.tenantId).toBe(idp.secondTenantId);
    // The same name is free in the other tenant.
    const inDefault = new FusionAuthClient(idp.apiKey, idp.url, idp.tenantId);
    expect(
      (await inDefault.createApplication(null as never, { application: { name: 'second tenant app' } })).response
        .application?.tenantId,
    ).toBe(idp.tenantId);
    expect(
      (await inDefault.retrieveApplications()).response.applications?.every((a) => a.tenantId === idp.tenantId),
    ).toBe(true);
  });

  it('scopes a tenant key to its tenant', async () => {
    const idp = await start({ secondTenant: true });
    const secondId = idp.secondTenantId ?? '';
    idp.addApiKey({ key: 'second-tenant-key', tenantId: secondId });
    const scoped = new FusionAuthClient('second-tenant-key', idp.url);
    expect((await scoped.retrieveTenants()).response.tenants?.map((t) => t.id)).toEqual([secondId]);
    expect((await failure(scoped.retrieveTenant(idp.tenantId))).statusCode).toBe(401);
    const app = (
      await scoped.createApplication(null as never, { application: { name: 'scoped', oauthConfiguration: oauth } })
    ).response.application;
    expect(app?.tenantId).toBe(secondId);
    expect(
      (await failure(new FusionAuthClient('second-tenant-key', idp.url, idp.tenantId).retrieveVersion())).statusCode,
    ).toBe(401);
    const adminApp = '3c219e58-ed0e-4b18-ad48-f4f92793ae32';
    expect((await failure(scoped.retrieveApplication(adminApp))).statusCode).toBe(404);
  });

  it('gives each tenant its own issuer, in discovery and in the ID tokens of its applications', async () => {
    const idp = await start({ secondTenant: true });
    const secondId = idp.secondTenantId ?? '';
    const admin = new FusionAuthClient(idp.apiKey, idp.url, secondId);
    await admin.patchTenant(secondId, { tenant: { issuer: `${idp.url}/second` } });
    const doc = (await (await fetch(`${idp.url}/${secondId}/.well-known/openid-configuration`)).json()) as Record<
      string,
      string
    >;
    expect(doc['issuer']).toBe(`${idp.url}/second`);
    expect(
      ((await (await fetch(`${idp.url}/.well-known/openid-configuration`)).json()) as Record<string, string>)['issuer'],
    ).toBe('acme.com');

    const app = (
      await admin.createApplication(null as never, {
        application: { name: 'second issuer', oauthConfiguration: oauth },
      })
    ).response.application;
    const clientId = app?.id ?? '';
    const authorize = new URL('/oauth2/authorize', idp.url);
    for (const [k, v] of Object.entries({
      client_id: clientId,
      redirect_uri: REDIRECT,
      response_type: 'code',
      scope: 'openid',
      state: 's',
    }))
      authorize.searchParams.set(k, v);
    const walk = await logIn(new Browser(), authorize, REDIRECT, {
      loginId: idp.demoUser.email,
      password: idp.demoUser.password,
    });
    const code = walk.url.searchParams.get('code') ?? '';
    // client_secret_post: the client is only in the body, which the IdP must read to find the tenant.
    const response = await fetch(`${idp.url}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        redirect_uri: REDIRECT,
        client_id: clientId,
        client_secret: app?.oauthConfiguration?.clientSecret ?? '',
      }),
    });
    expect(response.status).toBe(200);
    const tokens = (await response.json()) as Record<string, string>;
    expect(jwtPayload(tokens['id_token'] ?? '')['iss']).toBe(`${idp.url}/second`);
  });
});

describe('persistence', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'idp-state-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps keys, tenants, applications and the signing key across a restart', async () => {
    const first = await start({ dataDir: dir });
    const app = (
      await new FusionAuthClient(first.apiKey, first.url).createApplication(null as never, {
        application: { name: 'survivor', oauthConfiguration: oauth },
      })
    ).response.application;
    await new FusionAuthClient(first.apiKey, first.url).patchTenant(first.tenantId, {
      tenant: { issuer: 'https://kept.example' },
    });
    const jwks = await (await fetch(`${first.url}/.well-known/jwks.json`)).json();
    await first.close();

    const second = await start({ dataDir: dir });
    expect(second.apiKey).toBe(first.apiKey);
    expect(second.tenantId).toBe(first.tenantId);
    expect(second.demoUser.id).toBe(first.demoUser.id);
    const client = new FusionAuthClient(second.apiKey, second.url);
    const kept = (await client.retrieveApplication(app?.id ?? '')).response.application;
    expect(kept?.oauthConfiguration?.clientSecret).toBe(app?.oauthConfiguration?.clientSecret);
    expect((await client.retrieveTenant(second.tenantId)).response.tenant?.issuer).toBe('https://kept.example');
    expect(await (await fetch(`${second.url}/.well-known/jwks.json`)).json()).toEqual(jwks);
  });
});

describe("the demo user's password", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'idp-password-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'fusionauth-sandbox.json');
  type Data = { users: Array<{ passwordHash: string }> };
  const read = () => JSON.parse(readFileSync(file, 'utf8')) as Data;

  async function logsIn(idp: Idp, password: string): Promise<boolean> {
    const client = new FusionAuthClient(idp.apiKey, idp.url, idp.tenantId);
    const app = (
      await client.createApplication(null as never, {
        application: { name: `pw-${Date.now()}`, oauthConfiguration: oauth },
      })
    ).response.application;
    const authorize = new URL('/oauth2/authorize', idp.url);
    const query = {
      client_id: app?.id ?? '',
      redirect_uri: REDIRECT,
      response_type: 'code',
      scope: 'openid',
      state: 's',
    };
    for (const [k, v] of Object.entries(query)) authorize.searchParams.set(k, v);
    const walk = await logIn(new Browser(), authorize, REDIRECT, { loginId: idp.demoUser.email, password });
    return Boolean(walk.url.searchParams.get('code'));
  }

  it("is hashed with FusionAuth's default scheme and factor, and only the right one logs in", async () => {
    const idp = await start({ dataDir: dir });
    const stored = read().users[0]?.passwordHash ?? '';
    expect(stored).toMatch(/^salted-pbkdf2-hmac-sha256:24000:[\w+/]{43}=:[\w+/]{43}=$/);
    // FusionAuth's reference (docs/reference/password-hashes): PBKDF2-HMAC-SHA256 over the base64-decoded
    // salt, the factor as the iteration count, a 256-bit key, base64.
    const [, , salt, hash] = stored.split(':');
    expect(
      pbkdf2Sync(idp.demoUser.password, Buffer.from(salt!, 'base64'), 24_000, 32, 'sha256').toString('base64'),
    ).toBe(hash);
    expect(await logsIn(idp, idp.demoUser.password)).toBe(true);
    expect(await logsIn(idp, `${idp.demoUser.password}x`)).toBe(false);
  });

  it('still logs in with the scrypt hash an older sandbox wrote', async () => {
    const password = (await start({ dataDir: dir })).demoUser.password;
    await Promise.all(started.splice(0).map((idp) => idp.close()));
    const data = read();
    const salt = 'c2FsdHNhbHRzYWx0';
    data.users[0]!.passwordHash = `${salt}:${scryptSync(password, salt, 32).toString('base64url')}`;
    writeFileSync(file, JSON.stringify(data));
    const idp = await start({ dataDir: dir });
    expect(await logsIn(idp, password)).toBe(true);
    expect(await logsIn(idp, `${password}x`)).toBe(false);
  });
});

describe('webhooks on login', () => {
  let receiver: Server;
  let receiverUrl = '';
  const received: Array<{ event: { type: string; user: { email: string }; applicationId: string } }> = [];
  beforeAll(async () => {
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        received.push(JSON.parse(body) as (typeof received)[number]);
        res.end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  });
  afterAll(() => new Promise<void>((resolve) => receiver.close(() => resolve())));

  it('posts user.login.success only when the tenant event, the webhook tenant and the webhook event are all on', async () => {
    const idp = await start({ secondTenant: true });
    const client = new FusionAuthClient(idp.apiKey, idp.url, idp.tenantId);
    const app = (
      await client.createApplication(null as never, { application: { name: 'hooked', oauthConfiguration: oauth } })
    ).response.application;
    const authorize = new URL('/oauth2/authorize', idp.url);
    for (const [k, v] of Object.entries({
      client_id: app?.id ?? '',
      redirect_uri: REDIRECT,
      response_type: 'code',
      scope: 'openid',
      state: 's',
    }))
      authorize.searchParams.set(k, v);
    const login = async (): Promise<void> => {
      const walk = await logIn(new Browser(), authorize, REDIRECT, {
        loginId: idp.demoUser.email,
        password: idp.demoUser.password,
      });
      expect(walk.url.searchParams.get('code')).toBeTruthy();
      await idp.webhooksSettled();
    };
    const hook = { url: receiverUrl, connectTimeout: 1000, readTimeout: 2000 };
    const webhook = (
      await client.createWebhook(null as never, {
        webhook: { ...hook, global: true, eventsEnabled: { 'user.login.success': true } as never },
      })
    ).response.webhook;

    await login(); // the tenant event is off
    expect(received).toHaveLength(0);

    await client.patchTenant(idp.tenantId, {
      tenant: {
        eventConfiguration: { events: { 'user.login.success': { enabled: true, transactionType: 'None' } } as never },
      },
    });
    await client.updateWebhook(webhook?.id ?? '', {
      webhook: {
        ...hook,
        global: false,
        tenantIds: [idp.secondTenantId ?? ''],
        eventsEnabled: { 'user.login.success': true } as never,
      },
    });
    await login(); // the webhook does not cover this tenant
    expect(received).toHaveLength(0);

    await client.updateWebhook(webhook?.id ?? '', {
      webhook: {
        ...hook,
        global: false,
        tenantIds: [idp.tenantId],
        eventsEnabled: { 'user.login.success': false } as never,
      },
    });
    await login(); // the webhook has the event off
    expect(received).toHaveLength(0);

    await client.updateWebhook(webhook?.id ?? '', {
      webhook: {
        ...hook,
        global: false,
        tenantIds: [idp.tenantId],
        eventsEnabled: { 'user.login.success': true } as never,
      },
    });
    await login();
    expect(received).toHaveLength(1);
    expect(received[0]?.event).toMatchObject({
      type: 'user.login.success',
      applicationId: app?.id,
      user: { email: idp.demoUser.email },
    });
    expect(idp.webhookDeliveries.at(-1)).toMatchObject({ status: 200, url: receiverUrl });
  });
});
