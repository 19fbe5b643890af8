// src/core/ngrok/api.ts against the sandbox's ngrok API, over real HTTP. Each known defect of
// @ngrok/ngrok-api 0.11 (listed at the top of api.ts) is pinned twice: the raw client still shows it, and
// the wrapper does not. Then the errors a user can meet, each as one sentence; none leaks as a SyntaxError
// or a hang.
import { Ngrok } from '@ngrok/ngrok-api';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../../src/core/errors';
import { NgrokApi, type OidcModule } from '../../../src/core/ngrok';
import { NgrokApiError } from '../../../src/core/ngrok';
import { startNgrok, type NgrokSandbox } from '../../../src/sandbox/ngrok/index';
import { apiCall, freePort } from '../../sandbox/ngrok-helpers';
import { HTML_502, json, startApiProxy, type ApiProxy } from './proxy';

let ngrok: NgrokSandbox;
let proxy: ApiProxy;
let raw: ReturnType<typeof apiCall>;
let client: Ngrok;

const oidc: OidcModule = {
  issuer: 'http://127.0.0.1:9',
  clientId: 'cid',
  clientSecret: 'the-client-secret',
  scopes: ['openid', 'profile', 'email'],
  inactivityTimeout: 0,
  maximumDuration: 0,
};
const api = (options: Partial<ConstructorParameters<typeof NgrokApi>[0]> = {}) =>
  new NgrokApi({ apiKey: ngrok.apiKey, baseUrl: proxy.url, baseDelayMs: 10, ...options });
const reject = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  );

beforeAll(async () => {
  ngrok = await startNgrok({ rateLimit: { max: 100_000, windowMs: 60_000 } });
  proxy = await startApiProxy(ngrok.apiUrl);
  raw = apiCall(ngrok);
  client = new Ngrok({ apiToken: ngrok.apiKey, baseUrl: ngrok.apiUrl });
});
afterAll(async () => {
  await proxy.close();
  await ngrok.close();
});
afterEach(() => {
  proxy.reset();
  ngrok.setRateLimit({ max: 100_000, windowMs: 60_000 });
  ngrok.setEdgesSunset(false);
});

async function edgeWithRoute(name: string) {
  await raw('POST', '/reserved_domains', { domain: `${name}.ngrok.app` });
  const edge = (await raw('POST', '/edges/https', { hostports: [`${name}.ngrok.app:443`] })).json!;
  const backend = (await raw('POST', '/backends/tunnel_group', { labels: { edge: edge.id } })).json!;
  const route = (
    await raw('POST', `/edges/https/${edge.id}/routes`, {
      match_type: 'path_prefix',
      match: '/',
      backend: { enabled: true, backend_id: backend.id },
    })
  ).json!;
  return { edgeId: edge.id as string, routeId: route.id as string, backendId: backend.id as string };
}

describe('the defects of @ngrok/ngrok-api 0.11, pinned', () => {
  it('1. Map labels are dropped by the client; the wrapper sends them, keys untouched', async () => {
    const dropped = await reject(
      client.backends.tunnelGroupBackends.create({ labels: new Map([['edge', 'edghts_x']]) }),
    );
    expect(dropped).toMatchObject({ statusCode: 400, msg: expect.stringContaining('at least one label') });

    const backend = await api().createTunnelGroupBackend(
      { edge: 'edghts_labels', my_app: 'Site_A' },
      { description: 'd' },
    );
    const stored = await raw('GET', `/backends/tunnel_group/${backend.id}`);
    expect(stored.json!.labels).toEqual({ edge: 'edghts_labels', my_app: 'Site_A' });
    expect(backend.labels).toEqual({ edge: 'edghts_labels', my_app: 'Site_A' });
  });

  it('2. delete rejects with a SyntaxError on 204 in the client; the wrapper deletes cleanly', async () => {
    const one = (await raw('POST', '/reserved_domains', { domain: 'del-client.ngrok.app' })).json!;
    expect(await reject(client.reservedDomains.delete(one.id))).toBeInstanceOf(SyntaxError);
    expect((await raw('GET', `/reserved_domains/${one.id}`)).status).toBe(404);

    const two = (await raw('POST', '/reserved_domains', { domain: 'del-wrapper.ngrok.app' })).json!;
    await expect(api().deleteReservedDomain(two.id)).resolves.toBeUndefined();
    expect((await raw('GET', `/reserved_domains/${two.id}`)).status).toBe(404);
    expect(proxy.seen.filter((s) => s.method === 'DELETE')).toEqual([
      { method: 'DELETE', path: `/reserved_domains/${two.id}`, status: 204 },
    ]);
  });

  it('3. the client pages with beforeId= and never ends; the wrapper pages past 100 with before_id= and stops', async () => {
    const before = (await api().listIpPolicies()).length;
    for (let i = 0; i < 150; i++) await raw('POST', '/ip_policies', { description: `page ${i}` });
    proxy.reset();
    const all = await api().listIpPolicies();
    expect(all).toHaveLength(before + 150);
    expect(new Set(all.map((p) => p.id)).size).toBe(all.length);
    expect(proxy.seen.map((s) => s.path)).toEqual([
      '/ip_policies?limit=100',
      expect.stringMatching(/^\/ip_policies\?before_id=ipp_\w+&limit=100$/),
    ]);

    ngrok.setRateLimit({ max: 6, windowMs: 60_000 });
    // The client asks for page one again and again until the rate limit stops it.
    expect(await reject(client.ipPolicies.list())).toMatchObject({ errorCode: 'ERR_NGROK_226', statusCode: 429 });
  });

  it('4. the client has no endpoints.create; the wrapper creates a cloud endpoint with its policy', async () => {
    expect('create' in client.endpoints).toBe(false);
    await raw('POST', '/reserved_domains', { domain: 'cloud-ep.ngrok.app' });
    const policy =
      'on_http_request:\n  - actions:\n      - type: custom-response\n        config: { status_code: 200, body: hi }\n';
    const endpoint = await api().createCloudEndpoint('https://cloud-ep.ngrok.app', policy, {
      description: 'from the wrapper',
      metadata: '{"m":1}',
    });
    const stored = (await raw('GET', `/endpoints/${endpoint.id}`)).json!;
    expect(stored).toMatchObject({
      type: 'cloud',
      url: 'https://cloud-ep.ngrok.app',
      traffic_policy: policy,
      description: 'from the wrapper',
      metadata: '{"m":1}',
    });
    expect(proxy.writes()).toEqual([{ method: 'POST', path: '/endpoints', status: 201 }]);
    await api().deleteEndpoint(endpoint.id);
    expect((await raw('GET', `/endpoints/${endpoint.id}`)).status).toBe(404);
  });

  it('5a. the client rejects with plain objects; the wrapper with a UserError that keeps status and code', async () => {
    const plain = await reject(client.reservedDomains.get('rd_missing'));
    expect(plain).not.toBeInstanceOf(Error);
    expect(plain).toMatchObject({ statusCode: 404 });

    const error = await reject(api().getReservedDomain('rd_missing'));
    expect(error).toBeInstanceOf(NgrokApiError);
    expect(error).toMatchObject({
      status: 404,
      message: 'ngrok does not know what we asked for while reading the reserved domain rd_missing: Resource not found',
    });
  });

  it('5b. a non-JSON body is a bare SyntaxError in the client; the wrapper says what answered, after retrying a 5xx', async () => {
    proxy.fault({ match: (r) => r.path.startsWith('/reserved_domains/rd_html'), ...HTML_502 });
    const viaClient = new Ngrok({ apiToken: ngrok.apiKey, baseUrl: proxy.url });
    expect(await reject(viaClient.reservedDomains.get('rd_html'))).toBeInstanceOf(SyntaxError);
    proxy.seen.length = 0;

    const error = await reject(api({ attempts: 3 }).getReservedDomain('rd_html'));
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toBe(
      'ngrok answered HTTP 502 with a page that is not JSON while reading the reserved domain rd_html.',
    );
    expect(proxy.seen).toHaveLength(3);
    // The same through fetch (a list): one sentence, no SyntaxError.
    proxy.fault({ match: (r) => r.path.startsWith('/edges/https?'), ...HTML_502 });
    expect(((await reject(api({ attempts: 1 }).listEdges())) as Error).message).toContain(
      'HTTP 502 with a page that is not JSON while listing your HTTPS edges',
    );
  });

  it('5c. a refused connection is a bare SyntaxError in the client; the wrapper names it', async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    const viaClient = new Ngrok({ apiToken: ngrok.apiKey, baseUrl: closed });
    expect(await reject(viaClient.reservedDomains.get('rd_x'))).toBeInstanceOf(SyntaxError);
    for (const call of [(a: NgrokApi) => a.getReservedDomain('rd_x'), (a: NgrokApi) => a.listReservedDomains()]) {
      const error = await reject(call(new NgrokApi({ apiKey: ngrok.apiKey, baseUrl: closed })));
      expect(error).toBeInstanceOf(UserError);
      expect((error as UserError).message).toBe(`Nothing is listening at ${closed} (connection refused).`);
      expect((error as UserError).hint).toContain(`NGROK_API_URL: ${closed}`);
    }
  });

  it('5d. a server that never answers ends at the deadline, through the client and through fetch', async () => {
    proxy.fault({ match: () => true, hang: true });
    for (const call of [(a: NgrokApi) => a.getEdge('edghts_hang'), (a: NgrokApi) => a.listEdges()]) {
      const started = Date.now();
      const error = await reject(call(api({ timeoutMs: 1000 })));
      expect(Date.now() - started).toBeLessThan(4000);
      expect(error).toBeInstanceOf(UserError);
      expect((error as UserError).message).toBe(`${proxy.url} did not answer within 1 s.`);
    }
  });

  it('6. module replace wraps the module and is refused; the wrapper sets it with a route update, fields really set', async () => {
    const { edgeId, routeId } = await edgeWithRoute('module-replace');
    const wrapped = await reject(
      client.edgeModules.edgeRouteOidcModule.replace({
        edgeId,
        id: routeId,
        module: {
          enabled: true,
          optionsPassthrough: false,
          cookiePrefix: '',
          inactivityTimeout: 0,
          maximumDuration: 0,
          issuer: oidc.issuer,
          clientId: 'a',
          clientSecret: 'b',
          scopes: [],
        },
      }),
    );
    expect(wrapped).toMatchObject({ errorCode: 'ERR_NGROK_7088' });

    await api().updateRoute(edgeId, routeId, { oidc: { ...oidc, inactivityTimeout: 1800, maximumDuration: 86400 } });
    const stored = (await raw('GET', `/edges/https/${edgeId}/routes/${routeId}`)).json!;
    expect(stored.oidc).toMatchObject({
      enabled: true,
      issuer: oidc.issuer,
      client_id: 'cid',
      client_secret: 'the-client-secret',
      scopes: ['openid', 'profile', 'email'],
      inactivity_timeout: 1800,
      maximum_duration: 86400,
    });
  });

  it('7. the client renames header-map keys both ways; the wrapper keeps them, and removes modules with DELETE', async () => {
    const { edgeId, routeId } = await edgeWithRoute('header-keys');
    await client.edges.edgesHttpsRoutes.update({
      edgeId,
      id: routeId,
      matchType: 'path_prefix',
      match: '/',
      requestHeaders: { enabled: true, add: { 'X-Site': 'demo' } as unknown as Map<string, string>, remove: [] },
    });
    expect((await raw('GET', `/edges/https/${edgeId}/routes/${routeId}`)).json!.request_headers.add).toEqual({
      '_x-_site': 'demo',
    });

    await api().updateRoute(edgeId, routeId, {
      requestHeaders: { add: { 'X-Site': 'demo' }, remove: ['X-Powered-By'] },
      responseHeaders: { add: { 'X-Frame-Options': 'DENY' }, remove: [] },
    });
    const route = await api().getRoute(edgeId, routeId);
    expect(route.requestHeaders).toEqual({ add: { 'X-Site': 'demo' }, remove: ['X-Powered-By'] });
    expect(route.responseHeaders).toEqual({ add: { 'X-Frame-Options': 'DENY' }, remove: [] });

    await api().updateRoute(edgeId, routeId, { requestHeaders: null });
    const stored = (await raw('GET', `/edges/https/${edgeId}/routes/${routeId}`)).json!;
    expect(stored.request_headers).toBeNull();
    expect(stored.response_headers).toMatchObject({ add: { 'X-Frame-Options': 'DENY' } });
  });

  it('the calls that go through the client send what the spec says (a route with backend and OIDC module)', async () => {
    const { edgeId, backendId } = await edgeWithRoute('client-route');
    const policy = await api().createIpPolicy({ description: 'x' });
    const created = await api().createRoute(edgeId, {
      matchType: 'path_prefix',
      match: '/api',
      backendId,
      oidc,
      ipPolicyIds: [policy.id],
      description: 'desc',
      metadata: 'meta',
    });
    const stored = (await raw('GET', `/edges/https/${edgeId}/routes/${created.id}`)).json!;
    expect(stored).toMatchObject({
      match_type: 'path_prefix',
      match: '/api',
      description: 'desc',
      metadata: 'meta',
      backend: { enabled: true, backend: { id: backendId } },
      oidc: {
        enabled: true,
        issuer: oidc.issuer,
        client_id: 'cid',
        client_secret: 'the-client-secret',
        scopes: ['openid', 'profile', 'email'],
      },
      ip_restriction: { enabled: true, ip_policies: [{ id: policy.id }] },
    });
  });
});

describe('errors, each as one sentence', () => {
  it('a wrong key: rejected, and the key itself is never in the message', async () => {
    const wrongKey = '2WrongKeyWrongKeyWrongKey_abcdefghijklmnop';
    const error = await reject(new NgrokApi({ apiKey: wrongKey, baseUrl: ngrok.apiUrl }).checkKey());
    expect(error).toMatchObject({ status: 401, code: 'ERR_NGROK_203' });
    expect((error as UserError).message).toMatch(/^ngrok rejected the API key while checking the API key/);
    expect((error as UserError).message).not.toContain(wrongKey);
    expect((error as UserError).hint).toContain('API Keys');
  });

  it('the agent authtoken used as an API key is recognised and explained', async () => {
    const error = await reject(new NgrokApi({ apiKey: ngrok.authtoken, baseUrl: ngrok.apiUrl }).checkKey());
    expect(error).toMatchObject({
      status: 401,
      code: 'ERR_NGROK_207',
      message: 'That is your ngrok agent authtoken, not an API key (ERR_NGROK_207).',
    });
    expect((error as UserError).hint).toContain('API Keys');
    expect(`${(error as UserError).message} ${(error as UserError).hint}`).not.toContain(ngrok.authtoken);
  });

  it('403: the account or key may not do it, in one sentence', async () => {
    proxy.fault({
      match: () => true,
      ...json(403, {
        error_code: 'ERR_NGROK_216',
        status_code: 403,
        msg: 'Your API key does not have permission to access this resource.',
        details: { operation_id: 'op_x' },
      }),
    });
    const error = await reject(api().listEdges());
    expect(error).toMatchObject({
      status: 403,
      message:
        'ngrok does not allow listing your HTTPS edges: Your API key does not have permission to access this resource. (ERR_NGROK_216)',
      hint: 'Your account or key lacks the permission for it.',
    });
  });

  it('a secret that ngrok echoes back in an error is masked', async () => {
    proxy.fault({
      match: () => true,
      ...json(400, {
        error_code: 'ERR_NGROK_18002',
        status_code: 400,
        msg: 'The provided cloud endpoint traffic policy configuration is invalid: client_secret the-client-secret is wrong',
        details: {},
      }),
    });
    const error = (await reject(
      api({ secrets: ['the-client-secret'] }).createCloudEndpoint('https://x.ngrok.app', 'p', {}),
    )) as UserError;
    expect(error.message).not.toContain('the-client-secret');
    expect(error.message).toContain('••••••••cret');
  });

  it('edges retired (7008) on creation: a plain explanation', async () => {
    ngrok.setEdgesSunset(true);
    await raw('POST', '/reserved_domains', { domain: 'sunset.ngrok.app' });
    const error = await reject(api().createEdge(['sunset.ngrok.app:443'], {}));
    expect(error).toMatchObject({
      code: 'ERR_NGROK_7008',
      message: expect.stringContaining('no longer offers Edges to this account'),
    });
    expect((error as UserError).hint).toContain('Endpoint mode');
  });

  it('a plan without OIDC (7098): a plain explanation', async () => {
    const { edgeId, routeId } = await edgeWithRoute('no-oidc-plan');
    proxy.fault({
      match: (r) => r.method === 'PATCH',
      ...json(400, {
        error_code: 'ERR_NGROK_7098',
        status_code: 400,
        msg: 'Your account is not authorized to use OIDC.',
        details: { operation_id: 'op_x' },
      }),
    });
    const error = await reject(api().updateRoute(edgeId, routeId, { oidc }));
    expect(error).toMatchObject({
      code: 'ERR_NGROK_7098',
      message: expect.stringContaining('plan does not include OpenID Connect'),
    });
  });

  it('429: waits for Retry-After, then succeeds; a wait longer than allowed fails at once, naming it', async () => {
    ngrok.setRateLimit({ max: 2, windowMs: 1000 });
    const a = api();
    const started = Date.now();
    for (let i = 0; i < 3; i++) await a.listEdges();
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(proxy.seen.filter((s) => s.status === 429).length).toBeGreaterThan(0);

    proxy.fault({
      match: () => true,
      times: 1,
      ...json(
        429,
        {
          error_code: 'ERR_NGROK_226',
          status_code: 429,
          msg: 'Your account is rate limited to 120 API requests per 1m.',
        },
        { 'retry-after': '600' },
      ),
    });
    const error = await reject(api().listEdges());
    expect(error).toMatchObject({ status: 429, hint: 'ngrok asks to wait 600 s; try again then.' });
  });

  it('5xx on a read is retried with backoff; on a create it is not (the caller looks first)', async () => {
    proxy.fault({
      match: (r) => r.method === 'GET',
      times: 2,
      ...json(503, { status_code: 503, msg: 'Service Unavailable' }),
    });
    await expect(api().listReservedDomains()).resolves.toEqual(expect.any(Array));
    expect(proxy.seen.map((s) => s.status)).toEqual([503, 503, 200]);

    proxy.reset();
    // An error body without `details` trips the client itself (a TypeError in its onRejected).
    proxy.fault({
      match: (r) => r.method === 'POST',
      times: 2,
      ...json(500, { status_code: 500, msg: 'An internal server error occurred' }),
    });
    expect(
      await reject(new Ngrok({ apiToken: ngrok.apiKey, baseUrl: proxy.url }).ipPolicies.create({})),
    ).toBeInstanceOf(TypeError);
    proxy.seen.length = 0;
    const error = await reject(api().createIpPolicy({}));
    expect(error).toMatchObject({
      status: 500,
      message: expect.stringContaining('ngrok had an internal error (HTTP 500) while creating the IP policy'),
    });
    expect(proxy.seen).toHaveLength(1);
  });

  it("the caller's AbortSignal cancels a call (no sentence: the user asked)", async () => {
    proxy.fault({ match: () => true, hang: true });
    const controller = new AbortController();
    const pending = reject(api({ signal: controller.signal }).getEdge('edghts_abort'));
    setTimeout(() => controller.abort(), 100);
    const error = await pending;
    expect(error).not.toBeInstanceOf(UserError);
    expect((error as Error).name).toBe('AbortError');
  });
});
