// Every FusionAuth answer this tool reads, answered with the wrong types by a server on 127.0.0.1: each
// call ends in one sentence naming FusionAuth, what we were doing and the field, never a TypeError (which
// the CLI can only call an unexpected failure) and never a wrong value passed on as if it were right.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../../src/core/errors';
import {
  FusionAuthApi,
  checkKey,
  createApplication,
  findByName,
  listTenants,
  readTenant,
  registerByEmail,
  retrieveApplication,
  retrieveWebhook,
  setIssuer,
} from '../../../src/core/fusionauth';
import { faultyServer, type FaultyServer } from '../../helpers/fusionauth-faults';

const TEST_OWNER = { setupId: '00000000-0000-4000-8000-00000000a11a', dir: '/tmp/own-test' };

/** What the server answers next: status 200, JSON. */
let body: unknown;
let server: FaultyServer;
beforeAll(async () => {
  server = await faultyServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  });
});
afterAll(() => server.close());

const connect = () =>
  FusionAuthApi.connect({ url: server.url, apiKey: 'k'.repeat(40), signal: new AbortController().signal });
const UUID = '1f0e6c4a-8d2b-4b6e-9a3f-5c7d8e9f0a1b';

/** [call, what it does, the answer, the field and what it is not] */
const CASES: Array<[string, (api: FusionAuthApi) => Promise<unknown>, string, unknown, string]> = [
  ['checkKey', (api) => checkKey(api), 'checking the API key', { version: 1.69 }, 'version is not a string'],
  ['listTenants', (api) => listTenants(api), 'listing the tenants', { tenants: 'x' }, 'tenants is not a list'],
  [
    'listTenants, a tenant without an id',
    (api) => listTenants(api),
    'listing the tenants',
    { tenants: [{ name: 'Default' }] },
    'tenants[0].id is not there',
  ],
  ['readTenant', (api) => readTenant(api, UUID), 'reading the tenant', { tenant: [] }, 'tenant is not an object'],
  [
    'readTenant, an event map of the wrong kind',
    (api) => readTenant(api, UUID),
    'reading the tenant',
    { tenant: { id: UUID, eventConfiguration: { events: { 'user.login.success': { enabled: 'yes' } } } } },
    'tenant.eventConfiguration.events.user.login.success.enabled is not true or false',
  ],
  [
    'setIssuer',
    (api) => setIssuer(api, UUID, 'https://auth.example.com'),
    "setting the tenant's issuer",
    [],
    'the answer is not an object',
  ],
  [
    'retrieveApplication',
    (api) => retrieveApplication(api, UUID),
    'reading the application',
    { application: { id: UUID, oauthConfiguration: { enabledGrants: 'authorization_code' } } },
    'application.oauthConfiguration.enabledGrants is not a list',
  ],
  [
    'findByName',
    (api) => findByName(api, 'ngrok', undefined),
    'searching applications by name',
    { applications: { name: 'ngrok' } },
    'applications is not a list',
  ],
  [
    'createApplication',
    (api) => createApplication(api, 'ngrok', TEST_OWNER, () => {}),
    'creating the application',
    { application: { id: 7 } },
    'application.id is not a string',
  ],
  [
    'retrieveWebhook',
    (api) => retrieveWebhook(api, UUID),
    'reading the webhook',
    { webhook: { id: UUID, connectTimeout: '1000' } },
    'webhook.connectTimeout is not a number',
  ],
  [
    'registerByEmail',
    (api) => registerByEmail(api, 'demo@example.com', UUID),
    'looking up the user',
    { user: { id: 5 } },
    'user.id is not a string',
  ],
];

describe(`${CASES.length} FusionAuth answers with the wrong types`, () => {
  it.each(CASES)('%s: one sentence naming the call and the field', async (_name, call, action, answer, problem) => {
    body = answer;
    const error = await call(await connect()).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toBe(
      `FusionAuth answered ${action} with something this tool cannot use: ${problem}.`,
    );
    expect((error as UserError).hint).toContain(server.url);
  });

  it('an answer with fields this tool does not read, or without the optional ones, passes', async () => {
    body = {
      tenants: [{ id: UUID, name: 'Default', issuer: 'acme.com', somethingNew: { deep: [1, 2] } }, { id: UUID }],
    };
    expect(await listTenants(await connect())).toEqual([
      { id: UUID, name: 'Default', issuer: 'acme.com' },
      { id: UUID, name: '', issuer: '' },
    ]);
  });
});
