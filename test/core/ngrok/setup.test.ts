// src/core/ngrok/setup.ts in each mode against the sandbox's ngrok API (behind a recording proxy): the
// resources have the shapes of ngrok's API reference (https://ngrok.com/docs/api/), a rerun writes nothing,
// a run interrupted halfway or whose answer was lost is adopted on the rerun, a stored id that 404s is a
// question, and the Next Steps settings become route modules or policy actions.
import { readFileSync, statSync } from 'node:fs';
import YAML from 'yaml';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { NgrokApiError } from '../../../src/core/ngrok';
import { NEW_DOMAIN, NeedsAnswer, type Answers } from '../../../src/core/ngrok';
import { setUpNgrok, checkNgrok, type NgrokSetupRequest } from '../../../src/core/ngrok';
import { secretReference, vaultNameFor, VAULT_SECRET_NAME } from '../../../src/core/ngrok';
import type { NgrokMode, Store } from '../../../src/core/store';
import { startNgrok } from '../../../src/sandbox/ngrok/index';
import { freshStore, startWorld, type World } from './fixture';
import { HTML_502 } from './proxy';
import { forgetSlots, slots } from '../../helpers/created';

let world: World;

beforeAll(async () => {
  world = await startWorld();
});
afterAll(() => world.close());
afterEach(() => {
  world.proxy.reset();
  world.ngrok.setEdgesSunset(false);
});

const KEY = () => ({ key: world.ngrok.apiKey, source: 'env' as const });

function run(store: Store, mode: NgrokMode, options: Partial<NgrokSetupRequest> & { answers?: Answers } = {}) {
  return setUpNgrok({
    store,
    mode,
    key: mode === 'agent' ? undefined : KEY(),
    apiUrl: world.proxy.url,
    signal: new AbortController().signal,
    port: 8000,
    fusionauthUrl: world.idp.url,
    redirectUri: world.ngrok.redirectUri,
    answers: {},
    apiOptions: { baseDelayMs: 10 },
    ...options,
  });
}

const reject = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  );
const list = async (path: string, key: string) =>
  (await world.raw('GET', `${path}?limit=100`)).json![key] as Array<Record<string, any>>;
const edgesOn = async (domain: string) =>
  (await list('/edges/https', 'https_edges')).filter((e) => e.hostports.includes(`${domain}:443`));
const backendsFor = async (edgeId: string) =>
  (await list('/backends/tunnel_group', 'backends')).filter((b) => b.labels.edge === edgeId);
const cloudEndpointsAt = async (url: string) =>
  (await list('/endpoints', 'endpoints')).filter((e) => e.type === 'cloud' && e.url === url);

describe('mode edge: the guide, through the API', () => {
  it('reserves the domain, creates the edge, the labelled backend and the route / with the OIDC module; all recorded', async () => {
    const store = freshStore(world);
    const findings = await run(store, 'edge', { domain: 'https://guide-edge.ngrok.app' });
    const c = slots(store.created);
    expect(c).toMatchObject({
      reservedDomainId: expect.stringMatching(/^rd_/),
      edgeId: expect.stringMatching(/^edghts_/),
      backendId: expect.stringMatching(/^bkdtg_/),
      routeId: expect.stringMatching(/^edghtsrt_/),
    });

    const domain = (await world.raw('GET', `/reserved_domains/${c.reservedDomainId}`)).json!;
    expect(domain).toMatchObject({
      domain: 'guide-edge.ngrok.app',
    });
    // The mark names this setup: its id and its folder (a second setup on the account tells it is not its own).
    expect(JSON.parse(domain.metadata)).toEqual({
      created_by: 'ngrok-fusionauth',
      setup_id: store.created.setupId,
      config_dir: store.dir,
      domain: 'guide-edge.ngrok.app',
    });
    const edge = (await world.raw('GET', `/edges/https/${c.edgeId}`)).json!;
    expect(edge.hostports).toEqual(['guide-edge.ngrok.app:443']);
    const backend = (await world.raw('GET', `/backends/tunnel_group/${c.backendId}`)).json!;
    expect(backend.labels).toEqual({ edge: c.edgeId });
    const route = (await world.raw('GET', `/edges/https/${c.edgeId}/routes/${c.routeId}`)).json!;
    expect(route).toMatchObject({
      match_type: 'path_prefix',
      match: '/',
      backend: { enabled: true, backend: { id: c.backendId } },
      oidc: {
        enabled: true,
        issuer: world.idp.url,
        client_id: world.app.clientId,
        client_secret: world.app.clientSecret,
        scopes: ['openid', 'profile', 'email'],
      },
      ip_restriction: null,
      request_headers: null,
    });

    expect(store.values).toMatchObject({
      ngrokMode: 'edge',
      domain: 'guide-edge.ngrok.app',
      endpointUrl: 'https://guide-edge.ngrok.app',
      edgeId: c.edgeId,
      agentCommand: `ngrok tunnel --label edge=${c.edgeId} http://localhost:8000`,
      redirectUri: world.ngrok.redirectUri,
    });
    expect(findings.map((f) => f.title)).toContain(
      `Agent command: ngrok tunnel --label edge=${c.edgeId} http://localhost:8000`,
    );
    expect(findings.every((f) => f.level === 'ok')).toBe(true);
    expect(
      (
        await checkNgrok({
          store,
          key: KEY(),
          apiUrl: world.proxy.url,
          signal: new AbortController().signal,
          fusionauthUrl: world.idp.url,
        })
      ).done,
    ).toBe(true);

    // A rerun only reads.
    world.proxy.reset();
    await run(store, 'edge', { domain: 'https://guide-edge.ngrok.app' });
    expect(world.proxy.writes()).toEqual([]);
    expect(slots(store.created)).toEqual(c);
  });

  it('interrupted right after the backend was created, the rerun adopts the edge and the backend and creates one route', async () => {
    const store = freshStore(world);
    const controller = new AbortController();
    world.proxy.onAnswer(
      (seen) => seen.method === 'POST' && seen.path === '/backends/tunnel_group' && controller.abort(),
    );
    const interrupted = await reject(
      run(store, 'edge', { domain: 'halfway-edge.ngrok.app', signal: controller.signal }),
    );
    expect((interrupted as Error).name).toBe('AbortError');
    expect(slots(store.created).routeId).toBeUndefined();

    world.proxy.reset();
    await run(store, 'edge', { domain: 'halfway-edge.ngrok.app' });
    const edges = await edgesOn('halfway-edge.ngrok.app');
    expect(edges).toHaveLength(1);
    expect(await backendsFor(edges[0]!.id)).toHaveLength(1);
    expect(edges[0]!.routes).toHaveLength(1);
    expect(world.proxy.writes().map((w) => `${w.method} ${w.path.replace(/edghts_\w+/, 'EDGE')}`)).toEqual([
      'POST /edges/https/EDGE/routes',
    ]);
  });

  it('a create whose answer was lost (id never recorded) is found by its mark and recorded, not made twice', async () => {
    const store = freshStore(world);
    await run(store, 'edge', { domain: 'lost-answer.ngrok.app' });
    const before = slots(store.created);
    forgetSlots(store, 'edgeId', 'backendId', 'routeId');
    store.setValues({ edgeId: undefined });
    world.proxy.reset();
    await run(store, 'edge', { domain: 'lost-answer.ngrok.app' });
    expect(world.proxy.writes()).toEqual([]);
    expect(slots(store.created)).toEqual(before);
  });

  it('a stored id that ngrok no longer knows is a question; answered, it is created again and recorded', async () => {
    const store = freshStore(world);
    await run(store, 'edge', { domain: 'stale-route.ngrok.app' });
    const { edgeId, routeId } = slots(store.created);
    await world.raw('DELETE', `/edges/https/${edgeId}/routes/${routeId}`);
    const asked = await reject(run(store, 'edge'));
    expect(asked).toBeInstanceOf(NeedsAnswer);
    expect(asked).toMatchObject({ ask: { kind: 'recreate', missing: [`The route ${routeId}`] } });
    expect(
      (
        await checkNgrok({
          store,
          key: KEY(),
          apiUrl: world.proxy.url,
          signal: new AbortController().signal,
          fusionauthUrl: world.idp.url,
        })
      ).done,
    ).toBe(false);

    await run(store, 'edge', { answers: { recreate: true } });
    expect(slots(store.created).routeId).not.toBe(routeId);
    expect((await edgesOn('stale-route.ngrok.app'))[0]!.routes).toHaveLength(1);
  });

  it('another domain typed on a rerun: the edge this tool made moves to it, nothing new beside the domain', async () => {
    const store = freshStore(world);
    await run(store, 'edge', { domain: 'move-from.ngrok.app' });
    const before = slots(store.created);
    world.proxy.reset();
    await run(store, 'edge', { domain: 'move-to.ngrok.app' });
    expect(world.proxy.writes().map((w) => `${w.method} ${w.path}`)).toEqual([
      'POST /reserved_domains',
      `PATCH /edges/https/${before.edgeId}`,
    ]);
    expect((await world.raw('GET', `/edges/https/${before.edgeId}`)).json!.hostports).toEqual([
      'move-to.ngrok.app:443',
    ]);
    expect(slots(store.created)).toMatchObject({
      edgeId: before.edgeId,
      backendId: before.backendId,
      routeId: before.routeId,
    });
    expect(store.values).toMatchObject({ domain: 'move-to.ngrok.app', endpointUrl: 'https://move-to.ngrok.app' });
  });

  it('on an account after the sunset, edge creation fails with ERR_NGROK_7008 and nothing else is created', async () => {
    world.ngrok.setEdgesSunset(true);
    const store = freshStore(world);
    const error = await reject(run(store, 'edge', { domain: 'sunset-edge.ngrok.app' }));
    expect(error).toBeInstanceOf(NgrokApiError);
    expect(error).toMatchObject({ code: 'ERR_NGROK_7008' });
    expect(slots(store.created).edgeId).toBeUndefined();
    expect(await edgesOn('sunset-edge.ngrok.app')).toHaveLength(0);
  });

  it('Next Steps become modules: session limits, an IP policy, headers, a second labelled backend and route; cleared, they go', async () => {
    const store = freshStore(world);
    await run(store, 'edge', { domain: 'extras-edge.ngrok.app' });
    store.setValues({
      sessionInactivity: '30m',
      sessionMaxDuration: '24h',
      allowCidrs: ['127.0.0.0/8', '10.0.0.0/8'],
      addHeaders: { 'X-Site': 'demo', 'response:X-Frame-Options': 'DENY' },
      removeHeaders: ['X-Powered-By'],
      secondPath: '/api',
      secondPort: 8001,
    });
    const findings = await run(store, 'edge');
    const c = slots(store.created);
    const route = (await world.raw('GET', `/edges/https/${c.edgeId}/routes/${c.routeId}`)).json!;
    expect(route.oidc).toMatchObject({ inactivity_timeout: 1800, maximum_duration: 86400 });
    expect(route.ip_restriction).toMatchObject({ enabled: true, ip_policies: [{ id: c.ipPolicyId }] });
    expect(route.request_headers).toMatchObject({ add: { 'X-Site': 'demo' }, remove: ['X-Powered-By'] });
    expect(route.response_headers).toMatchObject({ add: { 'X-Frame-Options': 'DENY' }, remove: [] });
    const rules = (await list('/ip_policy_rules', 'ip_policy_rules')).filter((r) => r.ip_policy.id === c.ipPolicyId);
    expect(rules.map((r) => [r.cidr, r.action]).sort()).toEqual([
      ['10.0.0.0/8', 'allow'],
      ['127.0.0.0/8', 'allow'],
    ]);
    expect([...c.ipPolicyRuleIds!].sort()).toEqual(rules.map((r) => r.id).sort());
    // Labels disjoint from the site's edge=<id>: ngrok would put a tunnel carrying edge=<id> in / too.
    expect((await world.raw('GET', `/backends/tunnel_group/${c.secondBackendId}`)).json!.labels).toEqual({
      'for-edge': c.edgeId,
      app: 'api',
    });
    const second = (await world.raw('GET', `/edges/https/${c.edgeId}/routes/${c.secondRouteId}`)).json!;
    expect(second).toMatchObject({
      match: '/api',
      backend: { backend: { id: c.secondBackendId } },
      oidc: { client_id: world.app.clientId },
      ip_restriction: { ip_policies: [{ id: c.ipPolicyId }] },
    });
    expect(findings.map((f) => f.title)).toContain(
      `Second app (/api): ngrok tunnel --label for-edge=${c.edgeId} --label app=api http://localhost:8001`,
    );

    world.proxy.reset();
    await run(store, 'edge');
    expect(world.proxy.writes()).toEqual([]);

    // A setup stored before, with the second backend labelled edge=<id>, app=api: the rerun relabels it
    // and says to restart the second tunnel, which still carries the old labels.
    await world.raw('PATCH', `/backends/tunnel_group/${c.secondBackendId}`, { labels: { edge: c.edgeId, app: 'api' } });
    const relabelled = await run(store, 'edge');
    expect((await world.raw('GET', `/backends/tunnel_group/${c.secondBackendId}`)).json!.labels).toEqual({
      'for-edge': c.edgeId,
      app: 'api',
    });
    expect(relabelled).toContainEqual(
      expect.objectContaining({
        level: 'warn',
        title: `Backend ${c.secondBackendId} relabelled for-edge=${c.edgeId},app=api`,
        fix: expect.stringContaining('Restart the second app'),
      }),
    );

    store.setValues({
      sessionInactivity: undefined,
      sessionMaxDuration: undefined,
      allowCidrs: ['10.0.0.0/8'],
      addHeaders: undefined,
      removeHeaders: undefined,
      secondPath: undefined,
      secondPort: undefined,
    });
    await run(store, 'edge');
    const after = (await world.raw('GET', `/edges/https/${c.edgeId}/routes/${c.routeId}`)).json!;
    expect(after.oidc).toMatchObject({ inactivity_timeout: 0, maximum_duration: 0 });
    expect(after.request_headers).toBeNull();
    expect(after.response_headers).toBeNull();
    expect(
      (await list('/ip_policy_rules', 'ip_policy_rules'))
        .filter((r) => r.ip_policy.id === c.ipPolicyId)
        .map((r) => r.cidr),
    ).toEqual(['10.0.0.0/8']);
    expect((await world.raw('GET', `/edges/https/${c.edgeId}/routes/${c.secondRouteId}`)).status).toBe(404);
    expect((await world.raw('GET', `/backends/tunnel_group/${c.secondBackendId}`)).status).toBe(404);
    expect(slots(store.created).secondRouteId).toBeUndefined();
    expect(slots(store.created).secondBackendId).toBeUndefined();
  });
});

describe('mode endpoint: a cloud endpoint with openid-connect then forward-internal', () => {
  it('creates the endpoint with the exact policy; the agent command uses the internal URL; a rerun only reads', async () => {
    const store = freshStore(world);
    const findings = await run(store, 'endpoint', { domain: 'https://guide-endpoint.ngrok.app' });
    const id = slots(store.created).endpointId!;
    const endpoint = (await world.raw('GET', `/endpoints/${id}`)).json!;
    expect(endpoint).toMatchObject({
      type: 'cloud',
      url: 'https://guide-endpoint.ngrok.app',
    });
    expect(JSON.parse(endpoint.metadata)).toEqual({
      created_by: 'ngrok-fusionauth',
      setup_id: store.created.setupId,
      config_dir: store.dir,
      domain: 'guide-endpoint.ngrok.app',
    });
    expect(YAML.parse(endpoint.traffic_policy)).toEqual({
      on_http_request: [
        {
          actions: [
            {
              type: 'openid-connect',
              config: {
                issuer_url: world.idp.url,
                client_id: world.app.clientId,
                client_secret: secretReference(vaultNameFor('guide-endpoint.ngrok.app'), VAULT_SECRET_NAME),
                scopes: ['openid', 'profile', 'email'],
              },
            },
          ],
        },
        { actions: [{ type: 'forward-internal', config: { url: 'https://guide-endpoint.internal' } }] },
      ],
    });
    expect(store.values).toMatchObject({
      ngrokMode: 'endpoint',
      endpointUrl: 'https://guide-endpoint.ngrok.app',
      internalUrl: 'https://guide-endpoint.internal',
      agentCommand: 'ngrok http 8000 --url https://guide-endpoint.internal --pooling-enabled',
    });
    expect(store.values.policyFile).toBeUndefined();
    // The policy ngrok stores names the secret; the secret itself is only in the vault.
    expect(endpoint.traffic_policy).not.toContain(world.app.clientSecret);
    const secret = (await world.raw('GET', `/vault_secrets/${slots(store.created).vaultSecretId}`)).json!;
    expect(secret).toMatchObject({ name: VAULT_SECRET_NAME, vault: { id: slots(store.created).vaultId } });
    expect(findings.map((f) => f.title)).toContain(
      'Agent command: ngrok http 8000 --url https://guide-endpoint.internal --pooling-enabled',
    );

    world.proxy.reset();
    await run(store, 'endpoint');
    expect(world.proxy.writes()).toEqual([]);
    expect(await cloudEndpointsAt('https://guide-endpoint.ngrok.app')).toHaveLength(1);
  });

  it("interrupted after the domain was reserved, or with the endpoint's answer lost: the rerun makes exactly one", async () => {
    const store = freshStore(world);
    const controller = new AbortController();
    world.proxy.onAnswer((seen) => seen.method === 'POST' && seen.path === '/reserved_domains' && controller.abort());
    expect(
      (
        (await reject(
          run(store, 'endpoint', { domain: 'halfway-endpoint.ngrok.app', signal: controller.signal }),
        )) as Error
      ).name,
    ).toBe('AbortError');
    world.proxy.reset();
    await run(store, 'endpoint', { domain: 'halfway-endpoint.ngrok.app' });
    // Whether or not the interrupted run got to record the domain, it is ours and recorded now.
    // The vault for the client secret comes first: the endpoint's policy names it.
    expect(world.proxy.writes().map((w) => `${w.method} ${w.path}`)).toEqual([
      'POST /vaults',
      'POST /vault_secrets',
      'POST /endpoints',
    ]);
    const domains = (await list('/reserved_domains', 'reserved_domains')).filter(
      (d) => d.domain === 'halfway-endpoint.ngrok.app',
    );
    expect(domains).toHaveLength(1);
    expect(slots(store.created).reservedDomainId).toBe(domains[0]!.id);

    forgetSlots(store, 'endpointId');
    world.proxy.reset();
    await run(store, 'endpoint', { domain: 'halfway-endpoint.ngrok.app' });
    expect(world.proxy.writes()).toEqual([]);
    expect(slots(store.created).endpointId).toMatch(/^ep_/);
    expect(await cloudEndpointsAt('https://halfway-endpoint.ngrok.app')).toHaveLength(1);
  });

  it('another domain typed on a rerun: the endpoint moves to it, its policy forwarding to the new internal URL', async () => {
    const store = freshStore(world);
    await run(store, 'endpoint', { domain: 'ep-move-from.ngrok.app' });
    const id = slots(store.created).endpointId!;
    await run(store, 'endpoint', { domain: 'ep-move-to.ngrok.app' });
    const moved = (await world.raw('GET', `/endpoints/${id}`)).json!;
    expect(moved.url).toBe('https://ep-move-to.ngrok.app');
    expect(YAML.parse(moved.traffic_policy).on_http_request.at(-1).actions[0].config.url).toBe(
      'https://ep-move-to.internal',
    );
    expect(await cloudEndpointsAt('https://ep-move-from.ngrok.app')).toHaveLength(0);
    expect(store.values.agentCommand).toBe('ngrok http 8000 --url https://ep-move-to.internal --pooling-enabled');
  });

  it('a create that happened but whose answer was an HTML 502: the retry finds it instead of making a second', async () => {
    const store = freshStore(world);
    await run(store, 'endpoint', { domain: 'flaky-create.ngrok.app' });
    await world.raw('DELETE', `/endpoints/${slots(store.created).endpointId}`);
    forgetSlots(store, 'endpointId');
    world.proxy.reset();
    world.proxy.fault({
      match: (r) => r.method === 'POST' && r.path === '/endpoints',
      times: 1,
      forwardFirst: true,
      ...HTML_502,
    });
    await run(store, 'endpoint');
    expect(world.proxy.writes().map((w) => `${w.method} ${w.path} ${w.status}`)).toEqual(['POST /endpoints 502']);
    const endpoints = await cloudEndpointsAt('https://flaky-create.ngrok.app');
    expect(endpoints).toHaveLength(1);
    expect(slots(store.created).endpointId).toBe(endpoints[0]!.id);
  });

  it('Next Steps become policy actions: restrict-ips, session durations, headers, a second path with forward-internal', async () => {
    const store = freshStore(world);
    store.setValues({
      sessionInactivity: '30m',
      sessionMaxDuration: '24h',
      userinfoRefresh: '15m',
      allowCidrs: ['127.0.0.0/8'],
      addHeaders: { 'X-Site': 'demo', 'response:X-Frame-Options': 'DENY' },
      removeHeaders: ['response:Server'],
      secondPath: '/api',
      secondPort: 8001,
    });
    const findings = await run(store, 'endpoint', { domain: 'extras-endpoint.ngrok.app' });
    const endpoint = (await world.raw('GET', `/endpoints/${slots(store.created).endpointId}`)).json!;
    expect(YAML.parse(endpoint.traffic_policy)).toEqual({
      on_http_request: [
        {
          actions: [
            { type: 'restrict-ips', config: { enforce: true, allow: ['127.0.0.0/8'] } },
            {
              type: 'openid-connect',
              config: {
                issuer_url: world.idp.url,
                client_id: world.app.clientId,
                client_secret: secretReference(vaultNameFor('extras-endpoint.ngrok.app'), VAULT_SECRET_NAME),
                scopes: ['openid', 'profile', 'email'],
                idle_session_duration: '30m',
                max_session_duration: '24h',
                userinfo_refresh_interval: '15m',
              },
            },
            { type: 'add-headers', config: { headers: { 'X-Site': 'demo' } } },
          ],
        },
        {
          expressions: ["req.url.path == '/api' || req.url.path.startsWith('/api/')"],
          actions: [{ type: 'forward-internal', config: { url: 'https://extras-endpoint-api.internal' } }],
        },
        { actions: [{ type: 'forward-internal', config: { url: 'https://extras-endpoint.internal' } }] },
      ],
      on_http_response: [
        {
          actions: [
            { type: 'remove-headers', config: { headers: ['Server'] } },
            { type: 'add-headers', config: { headers: { 'X-Frame-Options': 'DENY' } } },
          ],
        },
      ],
    });
    expect(findings.map((f) => f.title)).toContain(
      'Second app (/api): ngrok http 8001 --url https://extras-endpoint-api.internal --pooling-enabled',
    );
  });
});

describe('mode agent with an API key: the policy file names the vault secret', () => {
  it('keeps the client secret in the vault, not in the file; a rerun only reads', async () => {
    const store = freshStore(world);
    const findings = await run(store, 'agent', { key: KEY(), domain: 'https://agent-vault.ngrok.app' });
    const text = readFileSync(store.values.policyFile!, 'utf8');
    expect(text).not.toContain(world.app.clientSecret);
    expect(YAML.parse(text).on_http_request[0].actions[0].config.client_secret).toBe(
      secretReference(vaultNameFor('agent-vault.ngrok.app'), VAULT_SECRET_NAME),
    );
    expect(slots(store.created).vaultId).toMatch(/^vault_/);
    expect(findings.map((f) => f.title)).toContain(
      `Traffic policy written to ${store.values.policyFile} (it names the vault secret)`,
    );
    world.proxy.reset();
    await run(store, 'agent', { key: KEY(), domain: 'https://agent-vault.ngrok.app' });
    expect(world.proxy.writes()).toEqual([]);
    expect(readFileSync(store.values.policyFile!, 'utf8')).toBe(text);
  });
});

describe('mode agent: no API key, a policy file', () => {
  it('writes the policy (0600, in the config dir) and the agent command', async () => {
    const store = freshStore(world);
    store.setValues({ allowCidrs: ['127.0.0.0/8'] });
    const findings = await run(store, 'agent', { domain: 'https://agent-mode.ngrok.app' });
    const file = store.values.policyFile!;
    expect(file.startsWith(store.dir)).toBe(true);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const doc = YAML.parse(readFileSync(file, 'utf8'));
    expect(doc.on_http_request[0].actions.map((a: { type: string }) => a.type)).toEqual([
      'restrict-ips',
      'openid-connect',
    ]);
    expect(doc.on_http_request[0].actions[1].config).toMatchObject({
      issuer_url: world.idp.url,
      client_id: world.app.clientId,
      client_secret: world.app.clientSecret,
    });
    expect(store.values.agentCommand).toBe(
      `ngrok http 8000 --url https://agent-mode.ngrok.app --traffic-policy-file ${file} --pooling-enabled`,
    );
    expect(findings.map((f) => f.title)).toContain(`Agent command: ${store.values.agentCommand}`);
    expect(world.proxy.seen).toEqual([]);
    // A rerun leaves the file as it is and says so; changed settings rewrite it and say to restart.
    const text = readFileSync(file, 'utf8');
    expect((await run(store, 'agent', { domain: 'https://agent-mode.ngrok.app' }))[0]!.title).toBe(
      `Traffic policy in ${file} (it holds the client secret: mode 0600)`,
    );
    expect(readFileSync(file, 'utf8')).toBe(text);
    store.setValues({ allowCidrs: undefined });
    const changed = await run(store, 'agent', { domain: 'https://agent-mode.ngrok.app' });
    expect(changed.map((f) => f.title)).toContain('The policy changed: restart the agent for it to take effect.');
  });
});

describe('the domain', () => {
  it('several domains and none given: a question; picked or new, it is used; without a prompt the only one is taken', async () => {
    const ngrok = await startNgrok({});
    try {
      const store = freshStore(world);
      const call = (options: Partial<NgrokSetupRequest>) =>
        run(store, 'endpoint', { apiUrl: ngrok.apiUrl, key: { key: ngrok.apiKey, source: 'env' }, ...options });
      // A fresh account has its dev domain only: without a prompt, that is the one.
      const headless = freshStore(world);
      await expect(
        reject(
          setUpNgrok({
            store: headless,
            mode: 'edge',
            key: { key: ngrok.apiKey, source: 'env' },
            apiUrl: ngrok.apiUrl,
            signal: new AbortController().signal,
            port: 8000,
            fusionauthUrl: world.idp.url,
            redirectUri: 'https://idp.ngrok.com/oauth2/callback',
            answers: {},
            noInput: true,
          }),
        ),
      ).resolves.toBeUndefined();
      expect(headless.values.domain).toMatch(/^sandbox-\w+\.ngrok-free\.app$/);

      const asked = await reject(call({}));
      expect(asked).toMatchObject({ ask: { kind: 'pick-domain', domains: [headless.values.domain] } });
      await call({ answers: { domain: NEW_DOMAIN } });
      expect(store.values.domain).toMatch(/^[a-z0-9]{8}\.ngrok\.app$/);
      expect(slots(store.created).reservedDomainId).toMatch(/^rd_/);
    } finally {
      await ngrok.close();
    }
  });
});

describe("ownership: only this setup's marks are adopted", () => {
  /** A cloud endpoint (and its reserved domain) made as another setup, or an older version, marks them. */
  async function madeElsewhere(domain: string, metadata: Record<string, unknown>) {
    const reserved = await world.raw('POST', '/reserved_domains', { domain, metadata: JSON.stringify(metadata) });
    expect(reserved.status).toBe(201);
    const endpoint = await world.raw('POST', '/endpoints', {
      type: 'cloud',
      url: `https://${domain}`,
      traffic_policy: JSON.stringify({ on_http_request: [{ actions: [{ type: 'deny' }] }] }),
      metadata: JSON.stringify(metadata),
    });
    expect(endpoint.status, JSON.stringify(endpoint.json)).toBe(201);
    return { domainId: reserved.json!.id as string, endpointId: endpoint.json!.id as string };
  }

  it("another setup's domain and endpoint are a question naming its folder; used when answered, never recorded", async () => {
    const other = {
      created_by: 'ngrok-fusionauth',
      setup_id: '9d2f6c1e-0000-4000-8000-000000000001',
      config_dir: '/home/a/first',
    };
    const made = await madeElsewhere('other-setup.ngrok.app', { ...other, domain: 'other-setup.ngrok.app' });
    const store = freshStore(world);
    world.proxy.reset();
    const asked = await reject(run(store, 'endpoint', { domain: 'other-setup.ngrok.app' }));
    expect(asked).toBeInstanceOf(NeedsAnswer);
    expect(asked).toMatchObject({
      ask: {
        kind: 'others',
        what: 'The domain other-setup.ngrok.app',
        owner: 'owned by another setup of this tool in /home/a/first',
      },
    });
    expect(world.proxy.writes()).toEqual([]);

    await run(store, 'endpoint', { domain: 'other-setup.ngrok.app', answers: { others: 'use' } });
    // Used (its policy now this setup's), but not taken: destroy here leaves both. What is recorded is
    // only what this setup made itself: the vault and secret its policy reads the client secret from.
    expect((store.created.objects ?? []).map((o) => o.kind)).toEqual(['ngrok-vault', 'ngrok-vault-secret']);
    expect((await world.raw('GET', `/endpoints/${made.endpointId}`)).status).toBe(200);
  });

  it('a mark without a setup id (an earlier version) is a question too, not adopted: the setup that made it may still rely on it', async () => {
    await madeElsewhere('old-mark.ngrok.app', { created_by: 'ngrok-fusionauth', domain: 'old-mark.ngrok.app' });
    const store = freshStore(world);
    const asked = await reject(run(store, 'endpoint', { domain: 'old-mark.ngrok.app' }));
    expect(asked).toMatchObject({
      ask: {
        kind: 'others',
        owner: 'marked by an earlier version of this tool, which did not record which setup made it',
      },
    });
    expect(store.created.objects ?? []).toEqual([]);
  });

  it("--create-new cannot put a second endpoint on another setup's URL: it says to pick another domain", async () => {
    const other = {
      created_by: 'ngrok-fusionauth',
      setup_id: '9d2f6c1e-0000-4000-8000-000000000002',
      config_dir: '/home/b/first',
    };
    await madeElsewhere('no-beside.ngrok.app', { ...other, domain: 'no-beside.ngrok.app' });
    const store = freshStore(world);
    const refused = await reject(run(store, 'endpoint', { domain: 'no-beside.ngrok.app', answers: { others: 'new' } }));
    expect(refused).toMatchObject({
      message:
        'The domain no-beside.ngrok.app is owned by another setup of this tool in /home/b/first, and a second one cannot share it.',
    });
    expect((refused as { hint?: string }).hint).toContain('--url');
  });
});
