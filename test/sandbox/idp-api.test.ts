// The sandbox IdP's management API, driven with FusionAuth's own TypeScript client (which rejects
// with a ClientResponse, not an Error) and with raw fetch where the wire format itself is the point.
import { FusionAuthClient } from '@fusionauth/typescript-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startIdp, type Idp } from '../../src/sandbox/idp/index';
import { failure, type Failure } from './client-failure';

let idp: Idp;
let client: FusionAuthClient;

function api(path: string, init: RequestInit & { key?: string | null } = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (init.key !== null) headers.set('authorization', init.key ?? idp.apiKey);
  return fetch(new URL(path, idp.url), { ...init, headers });
}

const oauth = (redirect: string[] = ['https://example.com/callback']) => ({
  enabledGrants: ['authorization_code', 'refresh_token'] as never,
  authorizedRedirectURLs: redirect,
  clientAuthenticationPolicy: 'Required' as never,
});

beforeAll(async () => {
  idp = await startIdp({ log: (message) => console.error(message) });
  client = new FusionAuthClient(idp.apiKey, idp.url);
});
afterAll(async () => {
  await idp?.close();
});

describe('authentication', () => {
  it('answers 401 with an empty body without a key, with a wrong one, and to "Bearer <key>"', async () => {
    for (const key of [null, 'wrong-key', `Bearer ${idp.apiKey}`]) {
      const response = await api('/api/system/version', { key });
      expect(response.status).toBe(401);
      expect(await response.text()).toBe('');
    }
    const rejected = await failure(new FusionAuthClient('wrong-key', idp.url).retrieveVersion());
    expect(rejected.statusCode).toBe(401);
    expect(rejected.exception).toBeUndefined();
  });

  it('reports version 1.69.0 as JSON', async () => {
    const response = await api('/api/system/version');
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.json()).toEqual({ version: '1.69.0' });
    expect((await client.retrieveVersion()).response.version).toBe('1.69.0');
  });

  it('answers 404 to an unknown API path, and 400 to a body that is not JSON', async () => {
    expect((await api('/api/no-such-thing')).status).toBe(404);
    const response = await api('/api/application', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"application": {',
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as Failure['exception'])?.generalErrors?.[0]?.code).toBe('[invalidJSON]');
  });
});

describe('tenants', () => {
  it('has one default tenant whose issuer is acme.com and whose events are all off', async () => {
    const { response } = await client.retrieveTenants();
    expect(response.tenants).toHaveLength(1);
    const tenant = response.tenants?.[0];
    expect(tenant?.id).toBe(idp.tenantId);
    expect(tenant?.issuer).toBe('acme.com');
    expect(tenant?.eventConfiguration?.events?.['user.login.success' as never]).toEqual({
      enabled: false,
      transactionType: 'None',
    });
    expect((await client.retrieveTenant(idp.tenantId)).response.tenant?.name).toBe('Default');
    expect((await failure(client.retrieveTenant('00000000-0000-4000-8000-000000000000'))).statusCode).toBe(404);
  });

  it('patches the issuer and an event, and takes a whole tenant back with PUT', async () => {
    await client.patchTenant(idp.tenantId, { tenant: { issuer: 'https://login.example.com' } });
    await client.patchTenant(idp.tenantId, {
      tenant: {
        eventConfiguration: { events: { 'user.login.success': { enabled: true, transactionType: 'None' } } as never },
      },
    });
    const { tenant } = (await client.retrieveTenant(idp.tenantId)).response;
    expect(tenant?.issuer).toBe('https://login.example.com');
    expect(tenant?.eventConfiguration?.events?.['user.login.success' as never]).toEqual({
      enabled: true,
      transactionType: 'None',
    });
    expect(tenant?.eventConfiguration?.events?.['user.create' as never]).toEqual({
      enabled: false,
      transactionType: 'None',
    });

    const put = await client.updateTenant(idp.tenantId, { tenant: { ...tenant, issuer: 'acme.com' } });
    expect(put.response.tenant?.issuer).toBe('acme.com');
    expect(put.response.tenant?.insertInstant).toBe(tenant?.insertInstant);
  });

  it('rejects a blank issuer and an unknown event type', async () => {
    const blank = await failure(client.patchTenant(idp.tenantId, { tenant: { issuer: '' } }));
    expect(blank.statusCode).toBe(400);
    expect(blank.exception?.fieldErrors?.['tenant.issuer']?.[0]?.code).toBe('[blank]tenant.issuer');
    const unknownEvent = await failure(
      client.patchTenant(idp.tenantId, {
        tenant: { eventConfiguration: { events: { 'user.logged.in': { enabled: true } } as never } },
      }),
    );
    expect(unknownEvent.statusCode).toBe(400);
    expect(unknownEvent.exception?.fieldErrors?.['tenant.eventConfiguration.events']?.[0]?.code).toBe('[invalidJSON]');
  });
});

describe('applications', () => {
  it('creates one with an id that is its client id, a generated secret and the default tenant', async () => {
    const { response } = await client.createApplication(null as never, {
      application: { name: 'ngrok edge', oauthConfiguration: oauth() },
    });
    const app = response.application;
    expect(app?.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(app?.oauthConfiguration?.clientId).toBe(app?.id);
    expect(app?.oauthConfiguration?.clientSecret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(app?.tenantId).toBe(idp.tenantId);
    expect(app?.active).toBe(true);
    expect(app?.oauthConfiguration?.enabledGrants).toEqual(['authorization_code', 'refresh_token']);
    expect((await client.retrieveApplication(app?.id ?? '')).response.application?.name).toBe('ngrok edge');
  });

  it('creates one with the id asked for', async () => {
    const id = 'b1b2c3d4-0000-4000-8000-00000000abcd';
    const { response } = await client.createApplication(id, {
      application: { name: 'fixed id', oauthConfiguration: oauth() },
    });
    expect(response.application?.id).toBe(id);
    expect(response.application?.oauthConfiguration?.clientId).toBe(id);
  });

  it('reports a blank name, an unknown grant and a bad redirect URL as field errors', async () => {
    const rejected = await failure(
      client.createApplication(null as never, {
        application: {
          oauthConfiguration: {
            enabledGrants: ['authorization_code', 'magic'] as never,
            authorizedRedirectURLs: ['not a url'],
          },
        },
      }),
    );
    expect(rejected.statusCode).toBe(400);
    const errors = rejected.exception?.fieldErrors ?? {};
    expect(errors['application.name']?.[0]).toMatchObject({ code: '[blank]application.name' });
    expect(errors['application.oauthConfiguration.enabledGrants']?.[0]).toMatchObject({ code: '[invalidJSON]' });
    expect(errors['application.oauthConfiguration.authorizedRedirectURLs']?.[0]).toMatchObject({
      code: '[invalid]application.oauthConfiguration.authorizedRedirectURLs',
    });
  });

  it('refuses a duplicate name, and a request without the application object', async () => {
    await client.createApplication(null as never, { application: { name: 'twice', oauthConfiguration: oauth() } });
    const duplicate = await failure(client.createApplication(null as never, { application: { name: 'twice' } }));
    expect(duplicate.statusCode).toBe(400);
    expect(duplicate.exception?.fieldErrors?.['application.name']?.[0]?.code).toBe('[duplicate]application.name');
    const missing = await failure(client.createApplication(null as never, {}));
    expect(missing.exception?.fieldErrors?.['application']?.[0]?.code).toBe('[missing]application');
  });

  it('answers 404 for an id it does not have, for every verb', async () => {
    const id = '00000000-0000-4000-8000-000000000001';
    expect((await failure(client.retrieveApplication(id))).statusCode).toBe(404);
    expect((await failure(client.updateApplication(id, { application: { name: 'x' } }))).statusCode).toBe(404);
    expect((await failure(client.patchApplication(id, { application: { name: 'x' } }))).statusCode).toBe(404);
    expect((await failure(client.deleteApplication(id))).statusCode).toBe(404);
  });

  it('soft-deletes (inactive, still retrievable, listed with ?inactive=true) and hard-deletes', async () => {
    const id =
      (
        await client.createApplication(null as never, {
          application: { name: 'to delete', oauthConfiguration: oauth() },
        })
      ).response.application?.id ?? '';
    await client.deactivateApplication(id);
    expect((await client.retrieveApplication(id)).response.application?.active).toBe(false);
    expect((await client.retrieveApplications()).response.applications?.map((a) => a.id)).not.toContain(id);
    expect((await client.retrieveInactiveApplications()).response.applications?.map((a) => a.id)).toContain(id);
    const reactivated = await api(`/api/application/${id}?reactivate=true`, { method: 'PUT' });
    expect(((await reactivated.json()) as { application: { active: boolean } }).application.active).toBe(true);
    await client.deleteApplication(id);
    expect((await failure(client.retrieveApplication(id))).statusCode).toBe(404);
    const raw = await api(`/api/application/${id}?hardDelete=true`, { method: 'DELETE' });
    expect(raw.status).toBe(404);
  });

  it('lists the FusionAuth admin application a fresh instance has', async () => {
    const names = (await client.retrieveApplications()).response.applications?.map((a) => a.name);
    expect(names).toContain('FusionAuth');
  });

  it('searches names case-insensitively with * wildcards, a bare word matching anywhere', async () => {
    for (const name of ['Search Alpha', 'search beta', 'Other']) {
      await client.createApplication(null as never, { application: { name, oauthConfiguration: oauth() } });
    }
    const names = async (search: string): Promise<string[]> =>
      ((await client.searchApplications({ search: { name: search } })).response.applications ?? [])
        .map((a) => a.name ?? '')
        .sort();
    expect(await names('search*')).toEqual(['Search Alpha', 'search beta']);
    expect(await names('alpha')).toEqual(['Search Alpha']);
    expect(await names('*beta')).toEqual(['search beta']);
    expect(await names('Search Alpha')).toEqual(['Search Alpha']);
    expect(await names('nothing-like-it')).toEqual([]);
    const { response } = await client.searchApplications({ search: { name: 'search*' } });
    expect(response.total).toBe(2);
  });

  it('takes a read–edit–PUT of the redirect URLs and keeps the secret', async () => {
    const created = (
      await client.createApplication(null as never, { application: { name: 'put me', oauthConfiguration: oauth() } })
    ).response.application;
    const id = created?.id ?? '';
    const current = (await client.retrieveApplication(id)).response.application;
    const urls = [
      ...(current?.oauthConfiguration?.authorizedRedirectURLs ?? []),
      'https://idp.ngrok.com/oauth2/callback',
    ];
    const put = await client.updateApplication(id, {
      application: { ...current, oauthConfiguration: { ...current?.oauthConfiguration, authorizedRedirectURLs: urls } },
    });
    expect(put.response.application?.oauthConfiguration?.authorizedRedirectURLs).toEqual(urls);
    expect(put.response.application?.oauthConfiguration?.clientSecret).toBe(created?.oauthConfiguration?.clientSecret);
  });

  it('does not replace arrays on an application/json PATCH, but does on a merge-patch', async () => {
    const id =
      (
        await client.createApplication(null as never, {
          application: { name: 'patch me', oauthConfiguration: oauth(['https://a.example/cb']) },
        })
      ).response.application?.id ?? '';
    const patched = await client.patchApplication(id, {
      application: { oauthConfiguration: { authorizedRedirectURLs: ['https://b.example/cb'] } },
    });
    expect(patched.response.application?.oauthConfiguration?.authorizedRedirectURLs).toEqual([
      'https://a.example/cb',
      'https://b.example/cb',
    ]);
    const merged = await api(`/api/application/${id}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/merge-patch+json' },
      body: JSON.stringify({
        application: { oauthConfiguration: { authorizedRedirectURLs: ['https://c.example/cb'] } },
      }),
    });
    expect(merged.status).toBe(200);
    const body = (await merged.json()) as {
      application: { name: string; oauthConfiguration: { authorizedRedirectURLs: string[] } };
    };
    expect(body.application.oauthConfiguration.authorizedRedirectURLs).toEqual(['https://c.example/cb']);
    expect(body.application.name).toBe('patch me');
  });
});

describe('users and registrations', () => {
  it('finds the demo user by email and registers them once', async () => {
    const user = (await client.retrieveUserByEmail(idp.demoUser.email)).response.user;
    expect(user?.id).toBe(idp.demoUser.id);
    expect((await failure(client.retrieveUserByEmail('nobody@example.com'))).statusCode).toBe(404);

    const appId =
      (
        await client.createApplication(null as never, {
          application: { name: 'register me', oauthConfiguration: oauth() },
        })
      ).response.application?.id ?? '';
    const registered = await client.register(idp.demoUser.id, { registration: { applicationId: appId } });
    expect(registered.response.registration?.applicationId).toBe(appId);
    expect((await client.retrieveRegistration(idp.demoUser.id, appId)).response.registration?.applicationId).toBe(
      appId,
    );
    const again = await failure(client.register(idp.demoUser.id, { registration: { applicationId: appId } }));
    expect(again.statusCode).toBe(400);
    expect(again.exception?.fieldErrors?.['registration.applicationId']?.[0]?.code).toBe(
      '[duplicate]registration.applicationId',
    );
    const unknownApp = await failure(
      client.register(idp.demoUser.id, { registration: { applicationId: '00000000-0000-4000-8000-000000000002' } }),
    );
    expect(unknownApp.exception?.fieldErrors?.['registration.applicationId']?.[0]?.code).toBe(
      '[invalid]registration.applicationId',
    );
  });
});

describe('webhooks', () => {
  it('requires the URL and both timeouts', async () => {
    const rejected = await failure(
      client.createWebhook(null as never, { webhook: { eventsEnabled: { 'user.login.success': true } as never } }),
    );
    expect(rejected.statusCode).toBe(400);
    expect(Object.keys(rejected.exception?.fieldErrors ?? {}).sort()).toEqual([
      'webhook.connectTimeout',
      'webhook.readTimeout',
      'webhook.url',
    ]);
  });

  it('creates, lists, updates and deletes one', async () => {
    const created = await client.createWebhook(null as never, {
      webhook: {
        url: 'http://127.0.0.1:9/hook',
        connectTimeout: 1000,
        readTimeout: 2000,
        global: true,
        eventsEnabled: { 'user.login.success': true } as never,
      },
    });
    const webhook = created.response.webhook;
    const id = webhook?.id ?? '';
    expect(webhook?.global).toBe(true);
    expect((await client.retrieveWebhooks()).response.webhooks?.map((w) => w.id)).toContain(id);
    const updated = await client.updateWebhook(id, {
      webhook: { ...webhook, global: false, tenantIds: [idp.tenantId] },
    });
    expect(updated.response.webhook?.tenantIds).toEqual([idp.tenantId]);
    const badTenant = await failure(
      client.updateWebhook(id, { webhook: { ...webhook, tenantIds: ['00000000-0000-4000-8000-000000000003'] } }),
    );
    expect(badTenant.exception?.fieldErrors?.['webhook.tenantIds']?.[0]?.code).toBe('[invalid]webhook.tenantIds');
    await client.deleteWebhook(id);
    expect((await failure(client.retrieveWebhook(id))).statusCode).toBe(404);
  });
});
