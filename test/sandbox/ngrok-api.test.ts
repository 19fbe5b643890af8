// The ngrok management API stand-in over raw HTTP: the strict cases (auth, headers, error shapes,
// 204s, paging, limits) and each resource family's create/get/list/update/delete shapes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNgrok, type NgrokSandbox } from '../../src/sandbox/ngrok/index';
import { apiCall } from './ngrok-helpers';

let ngrok: NgrokSandbox;
let call: ReturnType<typeof apiCall>;

beforeAll(async () => {
  ngrok = await startNgrok({ rateLimit: { max: 100_000, windowMs: 60_000 } });
  call = apiCall(ngrok);
});
afterAll(() => ngrok.close());

const expectError = (res: { status: number; json?: Record<string, any> }, status: number, code?: string) => {
  expect(res.status).toBe(status);
  expect(res.json).toMatchObject({
    status_code: status,
    msg: expect.any(String),
    details: { operation_id: expect.stringMatching(/^op_/) },
  });
  if (code) expect(res.json!.error_code).toBe(code);
  else expect(res.json!.error_code).toBeUndefined();
};

describe('authentication and headers', () => {
  it('answers 401 ERR_NGROK_200 without an Authorization header', async () => {
    const res = await fetch(`${ngrok.apiUrl}/reserved_domains`, { headers: { 'ngrok-version': '2' } });
    expectError({ status: res.status, json: (await res.json()) as Record<string, any> }, 401, 'ERR_NGROK_200');
  });

  it('refuses the agent authtoken as an API key (ERR_NGROK_207)', async () => {
    expectError(
      await call('GET', '/reserved_domains', undefined, { authorization: `Bearer ${ngrok.authtoken}` }),
      401,
      'ERR_NGROK_207',
    );
  });

  it('refuses a wrong key (203) and an unparseable header (201)', async () => {
    expectError(
      await call('GET', '/reserved_domains', undefined, { authorization: 'Bearer nope_nope' }),
      401,
      'ERR_NGROK_203',
    );
    expectError(await call('GET', '/reserved_domains', undefined, { authorization: 'Token x' }), 401, 'ERR_NGROK_201');
  });

  it('accepts the key as Basic auth username, like curl -u KEY:', async () => {
    const res = await call('GET', '/reserved_domains', undefined, {
      authorization: `Basic ${Buffer.from(`${ngrok.apiKey}:`).toString('base64')}`,
    });
    expect(res.status).toBe(200);
  });

  it('requires Ngrok-Version: 2', async () => {
    const missing = await fetch(`${ngrok.apiUrl}/reserved_domains`, {
      headers: { authorization: `Bearer ${ngrok.apiKey}` },
    });
    expectError({ status: missing.status, json: (await missing.json()) as Record<string, any> }, 400, 'ERR_NGROK_218');
    expectError(await call('GET', '/reserved_domains', undefined, { 'ngrok-version': '1' }), 400, 'ERR_NGROK_217');
  });

  it('answers unknown ids and paths with a 404 in ngrok error shape', async () => {
    expectError(await call('GET', '/reserved_domains/rd_doesnotexist'), 404);
    expectError(await call('GET', '/no_such_thing'), 404);
  });

  it('answers invalid JSON with 400', async () => {
    const res = await fetch(`${ngrok.apiUrl}/reserved_domains`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ngrok.apiKey}`, 'ngrok-version': '2', 'content-type': 'application/json' },
      body: '{nope',
    });
    expect(res.status).toBe(400);
  });
});

describe('reserved domains', () => {
  it('creates NAME.ngrok.app when no domain is given, and a requested one otherwise', async () => {
    const random = await call('POST', '/reserved_domains', {});
    expect(random.status).toBe(201);
    expect(random.json!.domain).toMatch(/^[a-z0-9]+\.ngrok\.app$/);
    expect(random.json!.id).toMatch(/^rd_[0-9A-Za-z]{27}$/);
    const res = await call('POST', '/reserved_domains', { domain: 'my-site.ngrok.app', description: 'guide' });
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({
      domain: 'my-site.ngrok.app',
      description: 'guide',
      uri: `${ngrok.apiUrl}/reserved_domains/${res.json!.id}`,
      created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      cname_target: null,
      certificate: null,
    });
    expect(res.json).not.toHaveProperty('metadata');
  });

  it('refuses a domain reserved twice (ERR_NGROK_413) and invalid names', async () => {
    await call('POST', '/reserved_domains', { domain: 'twice.ngrok.app' });
    expectError(await call('POST', '/reserved_domains', { domain: 'twice.ngrok.app' }), 400, 'ERR_NGROK_413');
    expectError(await call('POST', '/reserved_domains', { domain: 'not a host' }), 400);
    expectError(await call('POST', '/reserved_domains', { description: 'x'.repeat(256) }), 400);
  });

  it('gets, updates, lists and deletes (204, empty body)', async () => {
    const { json: rd } = await call('POST', '/reserved_domains', { domain: 'crud.ngrok.app' });
    expect((await call('GET', `/reserved_domains/${rd!.id}`)).json).toMatchObject({
      id: rd!.id,
      domain: 'crud.ngrok.app',
    });
    expect((await call('PATCH', `/reserved_domains/${rd!.id}`, { metadata: '{"k":1}' })).json).toMatchObject({
      metadata: '{"k":1}',
    });
    const list = await call('GET', '/reserved_domains');
    expect(list.json).toMatchObject({ uri: `${ngrok.apiUrl}/reserved_domains`, next_page_uri: null });
    expect(list.json!.reserved_domains.map((d: { id: string }) => d.id)).toContain(rd!.id);
    const dev = list.json!.reserved_domains.find((d: { is_dev: boolean }) => d.is_dev);
    expect(dev.domain).toMatch(/\.ngrok-free\.app$/);
    const del = await call('DELETE', `/reserved_domains/${rd!.id}`);
    expect(del.status).toBe(204);
    expect(del.text).toBe('');
    expect((await call('GET', `/reserved_domains/${rd!.id}`)).status).toBe(404);
  });
});

describe('list paging', () => {
  it('pages newest first with limit/before_id and ends with next_page_uri null past 100 items', async () => {
    const mine = new Set<string>();
    for (let i = 0; i < 105; i++) mine.add((await call('POST', '/ip_policies', { description: `p${i}` })).json!.id);
    const seen: string[] = [];
    let next: string | null = `${ngrok.apiUrl}/ip_policies`;
    let pages = 0;
    while (next) {
      const res = await fetch(next, { headers: { authorization: `Bearer ${ngrok.apiKey}`, 'ngrok-version': '2' } });
      const body = (await res.json()) as { ip_policies: Array<{ id: string }>; next_page_uri: string | null };
      seen.push(...body.ip_policies.map((p) => p.id));
      next = body.next_page_uri;
      pages++;
      expect(pages).toBeLessThan(10);
    }
    expect(pages).toBe(2);
    expect(new Set(seen).size).toBe(seen.length);
    for (const id of mine) expect(seen).toContain(id);
    expect([...seen].sort().reverse()).toEqual(seen);
    const small = await call('GET', '/ip_policies?limit=10');
    expect(small.json!.ip_policies).toHaveLength(10);
    expect(small.json!.next_page_uri).toBe(
      `${ngrok.apiUrl}/ip_policies?before_id=${small.json!.ip_policies[9].id}&limit=10`,
    );
    // An unknown parameter (the client's `beforeId=`) is ignored: the same first page again.
    const ignored = await call('GET', `/ip_policies?limit=10&beforeId=${small.json!.ip_policies[9].id}`);
    expect(ignored.json!.ip_policies).toEqual(small.json!.ip_policies);
    expectError(await call('GET', '/ip_policies?limit=101'), 400);
  });
});

describe('HTTPS edges, backends, routes and modules', () => {
  it('creates the guide objects with ngrok ids and shapes', async () => {
    await call('POST', '/reserved_domains', { domain: 'edge-guide.ngrok.app' });
    const edge = await call('POST', '/edges/https', {
      hostports: ['edge-guide.ngrok.app:443'],
      description: 'guide edge',
    });
    expect(edge.status).toBe(201);
    expect(edge.json).toMatchObject({
      id: expect.stringMatching(/^edghts_/),
      hostports: ['edge-guide.ngrok.app:443'],
      routes: [],
      mutual_tls: null,
      tls_termination: null,
    });
    const backend = await call('POST', '/backends/tunnel_group', { labels: { edge: edge.json!.id } });
    expect(backend.json).toMatchObject({
      id: expect.stringMatching(/^bkdtg_/),
      labels: { edge: edge.json!.id },
      tunnels: [],
    });
    const route = await call('POST', `/edges/https/${edge.json!.id}/routes`, {
      match_type: 'path_prefix',
      match: '/',
      backend: { enabled: true, backend_id: backend.json!.id },
      oidc: {
        issuer: 'http://127.0.0.1:9/',
        client_id: 'cid',
        client_secret: 'sec',
        scopes: ['openid', 'profile', 'email'],
      },
    });
    expect(route.status).toBe(201);
    expect(route.json).toMatchObject({
      id: expect.stringMatching(/^edghtsrt_/),
      edge_id: edge.json!.id,
      backend: {
        enabled: true,
        backend: { id: backend.json!.id, uri: `${ngrok.apiUrl}/backends/tunnel_group/${backend.json!.id}` },
      },
      oidc: {
        enabled: true,
        issuer: 'http://127.0.0.1:9/',
        client_id: 'cid',
        cookie_prefix: '',
        inactivity_timeout: 0,
      },
      ip_restriction: null,
      saml: null,
      uri: `${ngrok.apiUrl}/edges/https/${edge.json!.id}/routes/${route.json!.id}`,
    });
    const got = await call('GET', `/edges/https/${edge.json!.id}`);
    expect(got.json!.routes).toHaveLength(1);
  });

  it('checks edge hostports: reserved (ERR_NGROK_7117), port 443', async () => {
    expectError(await call('POST', '/edges/https', { hostports: ['unreserved.ngrok.app:443'] }), 400, 'ERR_NGROK_7117');
    await call('POST', '/reserved_domains', { domain: 'port.ngrok.app' });
    expectError(await call('POST', '/edges/https', { hostports: ['port.ngrok.app:80'] }), 400);
  });

  it('refuses labels with "=" (ERR_NGROK_6531) and no labels at all', async () => {
    expectError(await call('POST', '/backends/tunnel_group', { labels: { edge: 'a=b' } }), 400, 'ERR_NGROK_6531');
    expectError(await call('POST', '/backends/tunnel_group', { labels: {} }), 400);
  });

  it('validates OIDC modules (7088/7089/7090) on routes and through the module sub-resource', async () => {
    const edge = (await call('POST', '/edges/https', {})).json!;
    const route = (await call('POST', `/edges/https/${edge.id}/routes`, { match_type: 'path_prefix', match: '/' }))
      .json!;
    const base = `/edges/https/${edge.id}/routes/${route.id}`;
    expectError(await call('PATCH', base, { oidc: { client_id: 'a', client_secret: 'b' } }), 400, 'ERR_NGROK_7088');
    expectError(
      await call('PUT', `${base}/oidc`, { issuer: 'http://127.0.0.1:1', client_secret: 'b' }),
      400,
      'ERR_NGROK_7089',
    );
    expectError(
      await call('PUT', `${base}/oidc`, { issuer: 'http://127.0.0.1:1', client_id: 'a' }),
      400,
      'ERR_NGROK_7090',
    );
    // The wrapped form {edge_id, id, module} carries no module fields.
    expectError(
      await call('PUT', `${base}/oidc`, {
        edge_id: edge.id,
        id: route.id,
        module: { issuer: 'http://127.0.0.1:1', client_id: 'a', client_secret: 'b' },
      }),
      400,
      'ERR_NGROK_7088',
    );
    const put = await call('PUT', `${base}/oidc`, {
      issuer: 'http://127.0.0.1:1',
      client_id: 'a',
      client_secret: 'b',
      scopes: ['openid'],
    });
    expect(put.status).toBe(200);
    expect(put.json).toMatchObject({ enabled: true, issuer: 'http://127.0.0.1:1', scopes: ['openid'] });
    expect((await call('GET', `${base}/oidc`)).json).toEqual(put.json);
    expect((await call('GET', base)).json!.oidc).toEqual(put.json);
    const del = await call('DELETE', `${base}/oidc`);
    expect(del.status).toBe(204);
    expect(del.text).toBe('');
    expect((await call('GET', base)).json!.oidc).toBeNull();
    expect((await call('GET', `${base}/oidc`)).status).toBe(404);
    expectError(await call('PATCH', base, { oauth: { provider: {} } }), 400);
    expectError(
      await call('PATCH', base, { oidc: { issuer: 'x', client_id: 'a', client_secret: 'b' }, saml: {} }),
      400,
      'ERR_NGROK_7079',
    );
  });

  it('header modules: at most 5 added and 5 removed (7015); request headers refuse user-agent and removing host alone', async () => {
    const edge = (await call('POST', '/edges/https', {})).json!;
    const route = (await call('POST', `/edges/https/${edge.id}/routes`, { match_type: 'path_prefix', match: '/h' }))
      .json!;
    const request = `/edges/https/${edge.id}/routes/${route.id}/request_headers`;
    const response = `/edges/https/${edge.id}/routes/${route.id}/response_headers`;
    const names = (n: number) => Array.from({ length: n }, (_, i) => `x-h${i}`);
    const six = await call('PUT', request, { add: Object.fromEntries(names(6).map((h) => [h, 'v'])) });
    expectError(six, 400, 'ERR_NGROK_7015');
    expect(six.json!.msg).toBe('The edge module exceeds the max number of headers. You specified 6, the maximum is 5.');
    expectError(await call('PUT', response, { remove: names(6) }), 400, 'ERR_NGROK_7015');
    expectError(await call('PUT', request, { add: { 'x y': 'v' } }), 400, 'ERR_NGROK_7023');
    expectError(await call('PUT', request, { add: { 'X-A': '1', 'x-a': '2' } }), 400, 'ERR_NGROK_7069');
    expect((await call('PUT', request, { add: { 'User-Agent': 'bot' } })).json!.msg).toBe(
      'You may not add the user-agent header.',
    );
    expect((await call('PUT', request, { remove: ['user-agent'] })).json!.msg).toBe(
      'You may not remove the user-agent header.',
    );
    expect((await call('PUT', request, { remove: ['Host'] })).json!.msg).toBe(
      'You may not remove the host header without adding it with a different value.',
    );
    expect((await call('PUT', request, { add: { 'ngrok-skip-browser-warning': '1' } })).status).toBe(400);
    // Five each way, and host replaced by adding it, are fine.
    const five = await call('PUT', request, {
      add: { host: 'app.internal', ...Object.fromEntries(names(4).map((h) => [h, 'v'])) },
      remove: names(5),
    });
    expect(five.status).toBe(200);
    expect(five.json).toMatchObject({ enabled: true, add: { host: 'app.internal' }, remove: names(5) });
  });

  it('IP restriction module: needs existing IP policies', async () => {
    const edge = (await call('POST', '/edges/https', {})).json!;
    const route = (await call('POST', `/edges/https/${edge.id}/routes`, { match_type: 'exact_path', match: '/x' }))
      .json!;
    const base = `/edges/https/${edge.id}/routes/${route.id}/ip_restriction`;
    expectError(await call('PUT', base, { ip_policy_ids: ['ipp_missing'] }), 400);
    const policy = (await call('POST', '/ip_policies', {})).json!;
    const put = await call('PUT', base, { ip_policy_ids: [policy.id] });
    expect(put.json).toEqual({
      enabled: true,
      ip_policies: [{ id: policy.id, uri: `${ngrok.apiUrl}/ip_policies/${policy.id}` }],
    });
  });

  it('answers ERR_NGROK_7008 to edge creation while the sunset switch is on', async () => {
    ngrok.setEdgesSunset(true);
    try {
      expectError(await call('POST', '/edges/https', {}), 400, 'ERR_NGROK_7008');
      // Existing edges remain manageable.
      expect((await call('GET', '/edges/https')).status).toBe(200);
    } finally {
      ngrok.setEdgesSunset(false);
    }
    expect((await call('POST', '/edges/https', {})).status).toBe(201);
  });
});

describe('cloud endpoints', () => {
  const policy =
    'on_http_request:\n  - actions:\n      - type: custom-response\n        config: { status_code: 200, body: hello }\n';

  it('creates, gets, lists, updates and deletes a cloud endpoint', async () => {
    await call('POST', '/reserved_domains', { domain: 'cloud-ep.ngrok.app' });
    const created = await call('POST', '/endpoints', {
      type: 'cloud',
      url: 'https://cloud-ep.ngrok.app:443',
      traffic_policy: policy,
      description: 'ep',
    });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({
      id: expect.stringMatching(/^ep_/),
      type: 'cloud',
      url: 'https://cloud-ep.ngrok.app',
      public_url: 'https://cloud-ep.ngrok.app',
      hostport: 'cloud-ep.ngrok.app:443',
      proto: 'https',
      bindings: ['public'],
      traffic_policy: policy,
      pooling_enabled: false,
      domain: { id: expect.stringMatching(/^rd_/) },
    });
    const id = created.json!.id as string;
    expect((await call('GET', `/endpoints/${id}`)).json!.id).toBe(id);
    const listed = await call('GET', `/endpoints?urls=https://cloud-ep.ngrok.app`);
    expect(listed.json!.endpoints.map((e: { id: string }) => e.id)).toEqual([id]);
    const patched = await call('PATCH', `/endpoints/${id}`, { description: 'changed' });
    expect(patched.json).toMatchObject({ description: 'changed' });
    expect((await call('DELETE', `/endpoints/${id}`)).status).toBe(204);
    expect((await call('GET', `/endpoints/${id}`)).status).toBe(404);
  });

  it('refuses unreserved domains, invalid policies and unsupported CEL at creation', async () => {
    expectError(
      await call('POST', '/endpoints', { url: 'https://not-mine.ngrok.app', traffic_policy: policy }),
      400,
      'ERR_NGROK_7117',
    );
    await call('POST', '/reserved_domains', { domain: 'bad-policy.ngrok.app' });
    const url = 'https://bad-policy.ngrok.app';
    expectError(
      await call('POST', '/endpoints', { url, traffic_policy: 'on_http_request: [' }),
      400,
      'ERR_NGROK_18002',
    );
    expectError(
      await call('POST', '/endpoints', {
        url,
        traffic_policy: 'on_http_request:\n  - actions:\n      - type: no-such-action\n',
      }),
      400,
      'ERR_NGROK_18002',
    );
    const cel = await call('POST', '/endpoints', {
      url,
      traffic_policy: `on_http_request:\n  - expressions: ["req.headers['x'].size() > 0"]\n    actions:\n      - type: deny\n`,
    });
    expectError(cel, 400, 'ERR_NGROK_18002');
    expect(cel.json!.msg).toContain('expressions[0]');
    expectError(await call('POST', '/endpoints', { url, traffic_policy: policy, type: 'agent' }), 400);
  });

  it('discovers openid-connect issuers at creation: ERR_NGROK_2227 when there is no valid document', async () => {
    await call('POST', '/reserved_domains', { domain: 'oidc-bad.ngrok.app' });
    const oidcPolicy = JSON.stringify({
      on_http_request: [
        {
          actions: [
            {
              type: 'openid-connect',
              config: { issuer_url: 'http://127.0.0.1:9', client_id: 'a', client_secret: 'b' },
            },
          ],
        },
      ],
    });
    const res = await call('POST', '/endpoints', { url: 'https://oidc-bad.ngrok.app', traffic_policy: oidcPolicy });
    expectError(res, 400, 'ERR_NGROK_2227');
    expect(res.json!.msg).toContain('on_http_request[0].actions[0].config.issuer_url');
    const acme = await call('POST', '/endpoints', {
      url: 'https://oidc-bad.ngrok.app',
      traffic_policy: oidcPolicy.replace('http://127.0.0.1:9', 'acme.com'),
    });
    expectError(acme, 400, 'ERR_NGROK_2227');
  });
});

describe('IP policies and rules', () => {
  it('creates, updates, lists and deletes rules', async () => {
    const policy = (await call('POST', '/ip_policies', { description: 'office' })).json!;
    expect(policy).toMatchObject({ id: expect.stringMatching(/^ipp_/), description: 'office' });
    const rule = await call('POST', '/ip_policy_rules', {
      ip_policy_id: policy.id,
      cidr: '10.0.0.0/8',
      action: 'allow',
    });
    expect(rule.status).toBe(201);
    expect(rule.json).toMatchObject({
      id: expect.stringMatching(/^ipr_/),
      cidr: '10.0.0.0/8',
      action: 'allow',
      ip_policy: { id: policy.id, uri: `${ngrok.apiUrl}/ip_policies/${policy.id}` },
    });
    expect((await call('PATCH', `/ip_policy_rules/${rule.json!.id}`, { cidr: '::1/128' })).json).toMatchObject({
      cidr: '::1/128',
    });
    expectError(
      await call('POST', '/ip_policy_rules', { ip_policy_id: policy.id, cidr: '10.0.0.0/33', action: 'allow' }),
      400,
    );
    expectError(
      await call('POST', '/ip_policy_rules', { ip_policy_id: policy.id, cidr: '10.0.0.0/8', action: 'maybe' }),
      400,
    );
    expect((await call('GET', '/ip_policy_rules')).json!.ip_policy_rules.map((r: { id: string }) => r.id)).toContain(
      rule.json!.id,
    );
    expect((await call('DELETE', `/ip_policies/${policy.id}`)).status).toBe(204);
    expect((await call('GET', `/ip_policy_rules/${rule.json!.id}`)).status).toBe(404);
  });
});

describe('rate limit', () => {
  it('answers 429 ERR_NGROK_226 past the limit', async () => {
    ngrok.setRateLimit({ max: 3, windowMs: 60_000 });
    try {
      const codes: number[] = [];
      for (let i = 0; i < 5; i++) codes.push((await call('GET', '/reserved_domains')).status);
      expect(codes.filter((c) => c === 429).length).toBeGreaterThanOrEqual(2);
      const res = await call('GET', '/reserved_domains');
      expectError(res, 429, 'ERR_NGROK_226');
      expect(res.headers.get('retry-after')).toBe('60');
    } finally {
      ngrok.setRateLimit({ max: 100_000, windowMs: 60_000 });
    }
  });
});
