// The stand-in through the real @ngrok/ngrok-api 0.11 client, so that the client's known defects
// (listed at the top of src/core/ngrok/api.ts) show up here exactly as they would against api.ngrok.com.
import { Ngrok } from '@ngrok/ngrok-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNgrok, type NgrokSandbox } from '../../src/sandbox/ngrok/index';
import { apiCall } from './ngrok-helpers';

const oidcDefaults = {
  enabled: true,
  optionsPassthrough: false,
  cookiePrefix: '',
  inactivityTimeout: 0,
  maximumDuration: 0,
};

let ngrok: NgrokSandbox;
let client: Ngrok;

beforeAll(async () => {
  ngrok = await startNgrok({ rateLimit: { max: 100_000, windowMs: 60_000 } });
  client = new Ngrok({ apiToken: ngrok.apiKey, baseUrl: ngrok.apiUrl });
});
afterAll(() => ngrok.close());

describe('@ngrok/ngrok-api against the stand-in', () => {
  it('creates, gets and lists reserved domains (camelCase on the client side)', async () => {
    const rd = await client.reservedDomains.create({
      domain: 'client.ngrok.app',
      region: '',
      description: 'from the client',
    });
    expect(rd).toMatchObject({
      id: expect.stringMatching(/^rd_/),
      domain: 'client.ngrok.app',
      description: 'from the client',
      createdAt: expect.any(String),
    });
    expect((await client.reservedDomains.get(rd.id)).domain).toBe('client.ngrok.app');
    const all = await client.reservedDomains.list();
    expect(all.map((d) => d.id)).toContain(rd.id);
  });

  it('creates an edge, a backend and a route with the OIDC module (route update sends the documented shape)', async () => {
    await client.reservedDomains.create({ domain: 'client-edge.ngrok.app', region: '' });
    const edge = await client.edges.edgesHttps.create({ hostports: ['client-edge.ngrok.app:443'] });
    expect(edge.id).toMatch(/^edghts_/);
    const route = await client.edges.edgesHttpsRoutes.create({ edgeId: edge.id, matchType: 'path_prefix', match: '/' });
    const updated = await client.edges.edgesHttpsRoutes.update({
      edgeId: edge.id,
      id: route.id,
      matchType: 'path_prefix',
      match: '/',
      oidc: {
        ...oidcDefaults,
        issuer: 'http://127.0.0.1:9',
        clientId: 'cid',
        clientSecret: 'secret',
        scopes: ['openid', 'profile', 'email'],
      },
    });
    expect(updated.oidc).toMatchObject({ issuer: 'http://127.0.0.1:9', clientId: 'cid' });
  });

  it('defect 1: Map labels serialise to {} and the backend is refused', async () => {
    const error = await client.backends.tunnelGroupBackends
      .create({ labels: new Map([['edge', 'edghts_x']]) })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ statusCode: 400, msg: expect.stringContaining('label') });
    // Defect 5: a plain object, not an Error.
    expect(error).not.toBeInstanceOf(Error);
    // A plain object (cast) gets through with its label.
    const ok = await client.backends.tunnelGroupBackends.create({
      labels: { edge: 'edghts_x' } as unknown as Map<string, string>,
    });
    expect(ok.labels).toEqual({ edge: 'edghts_x' });
  });

  it('defect 2: delete rejects with a SyntaxError although the API answered 204 and deleted', async () => {
    const rd = await client.reservedDomains.create({ domain: 'deleted-by-client.ngrok.app', region: '' });
    const error = await client.reservedDomains.delete(rd.id).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SyntaxError);
    const res = await apiCall(ngrok)('GET', `/reserved_domains/${rd.id}`);
    expect(res.status).toBe(404);
  });

  it('defect 3: list() sends beforeId=, gets page one again and loops until the rate limit stops it', async () => {
    const call = apiCall(ngrok);
    for (let i = 0; i < 101; i++) await call('POST', '/ip_policies', { description: `loop ${i}` });
    ngrok.setRateLimit({ max: 8, windowMs: 60_000 });
    try {
      const error = await client.ipPolicies.list().catch((e: unknown) => e);
      // Two pages exist; the client asked until the 9th request was refused.
      expect(error).toMatchObject({ errorCode: 'ERR_NGROK_226', statusCode: 429 });
    } finally {
      ngrok.setRateLimit({ max: 100_000, windowMs: 60_000 });
    }
  });

  it('defect 6: module replace wraps the module and is refused (ERR_NGROK_7088)', async () => {
    const edge = await client.edges.edgesHttps.create({});
    const route = await client.edges.edgesHttpsRoutes.create({ edgeId: edge.id, matchType: 'path_prefix', match: '/' });
    const error = await client.edgeModules.edgeRouteOidcModule
      .replace({
        edgeId: edge.id,
        id: route.id,
        module: { ...oidcDefaults, issuer: 'http://127.0.0.1:9', clientId: 'a', clientSecret: 'b', scopes: [] },
      })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ errorCode: 'ERR_NGROK_7088', statusCode: 400 });
  });

  it('errors are ngrok error objects with camelCase keys; the authtoken is refused', async () => {
    const wrong = new Ngrok({ apiToken: ngrok.authtoken, baseUrl: ngrok.apiUrl });
    const error = await wrong.reservedDomains.list().catch((e: unknown) => e);
    expect(error).toMatchObject({ errorCode: 'ERR_NGROK_207', statusCode: 401 });
    const missing = await client.reservedDomains.get('rd_missing').catch((e: unknown) => e);
    expect(missing).toMatchObject({ statusCode: 404, msg: 'Resource not found' });
  });
});
