// The ngrok stand-in as strict as ngrok about what the docs allow and refuse: internal cloud
// endpoints (allowed), pools of cloud and agent endpoints (allowed only when every member pools:
// ERR_NGROK_18016/18017 from the API, 334 from the agent), and a Free account (cloud endpoints 18008,
// internal bindings 9027, reserving 401, custom subdomains 313). Sources are cited in
// src/sandbox/ngrok/plan.ts, hosts.ts and api/endpoints.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNgrok, type NgrokSandbox } from '../../src/sandbox/ngrok/index';
import { apiCall, runAgent, startPythonSite, type AgentProcess, type Site } from './ngrok-helpers';

let ngrok: NgrokSandbox;
let site: Site;
let call: ReturnType<typeof apiCall>;
const agents: AgentProcess[] = [];

const start = (args: string[]) => {
  const proc = runAgent(ngrok.agentPath, args);
  agents.push(proc);
  return proc;
};

beforeAll(async () => {
  [ngrok, site] = await Promise.all([
    startNgrok({ rateLimit: { max: 100_000, windowMs: 60_000 } }),
    startPythonSite('<h1>Protected page</h1>'),
  ]);
  call = apiCall(ngrok);
});
afterAll(async () => {
  await Promise.all(agents.map((a) => a.stop('SIGKILL')));
  await Promise.all([ngrok.close(), site.stop()]);
});

const respond = (body: string) =>
  `on_http_request:\n  - actions:\n      - type: custom-response\n        config: { status_code: 200, body: ${body} }\n`;
const forwardTo = (url: string) =>
  `on_http_request:\n  - actions:\n      - type: forward-internal\n        config: { url: ${url} }\n`;

const publicGet = async (host: string) => {
  const base = ngrok.publicUrlFor(host);
  if (!base) throw new Error(`no listener for ${host}`);
  const res = await fetch(base, { redirect: 'manual' });
  return { status: res.status, body: await res.text(), code: res.headers.get('ngrok-error-code') };
};

const expectCode = (
  res: { status: number; json?: Record<string, any> },
  status: number,
  code: string | undefined,
  msg?: string,
) => {
  expect(res.status, JSON.stringify(res.json)).toBe(status);
  expect(res.json!.error_code).toBe(code);
  if (msg) expect(res.json!.msg).toBe(msg);
};

describe('internal cloud endpoints', () => {
  it('creates one on a .internal URL without a reserved domain, and forward-internal reaches it', async () => {
    const internal = await call('POST', '/endpoints', {
      type: 'cloud',
      url: 'https://svc.internal',
      traffic_policy: respond('from-internal-cloud'),
    });
    expect(internal.status, internal.text).toBe(201);
    expect(internal.json).toMatchObject({ type: 'cloud', url: 'https://svc.internal', bindings: ['internal'] });
    expect(internal.json).not.toHaveProperty('domain');
    // Internal URLs get no public listener.
    expect(ngrok.publicUrlFor('svc.internal')).toBeUndefined();

    await call('POST', '/reserved_domains', { domain: 'front-of-cloud.ngrok.app' });
    expect(
      (
        await call('POST', '/endpoints', {
          url: 'https://front-of-cloud.ngrok.app',
          traffic_policy: forwardTo('https://svc.internal'),
        })
      ).status,
    ).toBe(201);
    expect(await publicGet('front-of-cloud.ngrok.app')).toMatchObject({ status: 200, body: 'from-internal-cloud' });
  });

  it('checks the binding against the URL: 9029, 15005, and no public binding on .internal', async () => {
    await call('POST', '/reserved_domains', { domain: 'bindings.ngrok.app' });
    const policy = respond('x');
    expectCode(
      await call('POST', '/endpoints', {
        url: 'https://bindings.ngrok.app',
        bindings: ['internal'],
        traffic_policy: policy,
      }),
      400,
      'ERR_NGROK_9029',
      'Failed to start endpoint with https://bindings.ngrok.app. Endpoints with a "internal" binding must have a url that ends in ".internal".',
    );
    expectCode(
      await call('POST', '/endpoints', {
        url: 'https://bindings.ngrok.app',
        bindings: ['everyone'],
        traffic_policy: policy,
      }),
      400,
      'ERR_NGROK_15005',
      'The binding everyone is invalid.',
    );
    expectCode(
      await call('POST', '/endpoints', { url: 'https://b.internal', bindings: ['public'], traffic_policy: policy }),
      400,
      undefined,
    );
    expect(
      (await call('POST', '/endpoints', { url: 'https://b.internal', bindings: ['internal'], traffic_policy: policy }))
        .status,
    ).toBe(201);
  });
});

describe('pools', () => {
  it('pools cloud endpoints that all enable pooling and balances between them; refuses the others (18016/18017)', async () => {
    await call('POST', '/reserved_domains', { domain: 'pool.ngrok.app' });
    const url = 'https://pool.ngrok.app';
    const a = await call('POST', '/endpoints', { url, traffic_policy: respond('a'), pooling_enabled: true });
    const b = await call('POST', '/endpoints', { url, traffic_policy: respond('b'), pooling_enabled: true });
    expect([a.status, b.status]).toEqual([201, 201]);
    const bodies = new Set<string>();
    for (let i = 0; i < 4; i++) bodies.add((await publicGet('pool.ngrok.app')).body);
    expect([...bodies].sort()).toEqual(['a', 'b']);
    expectCode(
      await call('POST', '/endpoints', { url, traffic_policy: respond('c') }),
      400,
      'ERR_NGROK_18017',
      'The provided cloud endpoint was invalid because pooling was set to disabled when another endpoint exists for this url.',
    );

    await call('POST', '/reserved_domains', { domain: 'alone.ngrok.app' });
    expect(
      (await call('POST', '/endpoints', { url: 'https://alone.ngrok.app', traffic_policy: respond('alone') })).status,
    ).toBe(201);
    expectCode(
      await call('POST', '/endpoints', {
        url: 'https://alone.ngrok.app',
        traffic_policy: respond('d'),
        pooling_enabled: true,
      }),
      400,
      'ERR_NGROK_18016',
      'The provided cloud endpoint was invalid because pooling was set to enabled when another endpoint exists for this url that has pooling disabled.',
    );
  });

  it('refuses a pooling change that breaks the pool, or a move onto an unpooled URL, on update', async () => {
    await call('POST', '/reserved_domains', { domain: 'pool-update.ngrok.app' });
    const url = 'https://pool-update.ngrok.app';
    const a = await call('POST', '/endpoints', { url, traffic_policy: respond('a'), pooling_enabled: true });
    await call('POST', '/endpoints', { url, traffic_policy: respond('b'), pooling_enabled: true });
    expectCode(await call('PATCH', `/endpoints/${a.json!.id}`, { pooling_enabled: false }), 400, 'ERR_NGROK_18017');
    expect((await call('GET', `/endpoints/${a.json!.id}`)).json!.pooling_enabled).toBe(true);

    await call('POST', '/reserved_domains', { domain: 'unpooled.ngrok.app' });
    await call('POST', '/endpoints', { url: 'https://unpooled.ngrok.app', traffic_policy: respond('u') });
    expectCode(
      await call('PATCH', `/endpoints/${a.json!.id}`, { url: 'https://unpooled.ngrok.app', pooling_enabled: true }),
      400,
      'ERR_NGROK_18016',
    );
    expect((await call('GET', `/endpoints/${a.json!.id}`)).json!.url).toBe(url);

    // Alone on its URL, an endpoint may change its pooling.
    await call('POST', '/reserved_domains', { domain: 'single.ngrok.app' });
    const single = await call('POST', '/endpoints', { url: 'https://single.ngrok.app', traffic_policy: respond('s') });
    expect(
      (await call('PATCH', `/endpoints/${single.json!.id}`, { pooling_enabled: true })).json!.pooling_enabled,
    ).toBe(true);
  });

  it('an agent joins a pooled cloud endpoint only with --pooling-enabled (else ERR_NGROK_334)', async () => {
    await call('POST', '/reserved_domains', { domain: 'mixed.ngrok.app' });
    expect(
      (
        await call('POST', '/endpoints', {
          url: 'https://mixed.ngrok.app',
          traffic_policy: respond('cloud'),
          pooling_enabled: true,
        })
      ).status,
    ).toBe(201);
    const lone = start(['http', String(site.port), '--url', 'https://mixed.ngrok.app', '--log', 'stdout']);
    expect((await lone.exited).code).toBe(1);
    expect(lone.stderr.join('\n')).toContain('ERR_NGROK_334');
    const pooled = start([
      'http',
      String(site.port),
      '--url',
      'https://mixed.ngrok.app',
      '--pooling-enabled',
      '--log',
      'stdout',
    ]);
    await pooled.line(/started tunnel/);
    const bodies = new Set<string>();
    for (let i = 0; i < 4; i++)
      bodies.add((await publicGet('mixed.ngrok.app')).body.includes('Protected page') ? 'agent' : 'cloud');
    expect([...bodies].sort()).toEqual(['agent', 'cloud']);
    await pooled.stop();
  });
});

describe('a Free account (plan: free)', () => {
  let free: NgrokSandbox;
  let freeCall: ReturnType<typeof apiCall>;
  beforeAll(async () => {
    free = await startNgrok({ plan: 'free' });
    freeCall = apiCall(free);
  });
  afterAll(() => free.close());

  it('the API refuses cloud endpoints (18008), internal bindings (9027) and reserving domains (401)', async () => {
    const dev = (await freeCall('GET', '/reserved_domains')).json!.reserved_domains[0].domain as string;
    expectCode(
      await freeCall('POST', '/endpoints', { url: `https://${dev}`, traffic_policy: respond('x') }),
      400,
      'ERR_NGROK_18008',
      'This account does not have access to Cloud Endpoints. Upgrade or switch to a pay-as-you-go plan for access.',
    );
    expectCode(
      await freeCall('POST', '/endpoints', { url: 'https://x.internal', traffic_policy: respond('x') }),
      400,
      'ERR_NGROK_9027',
      'Your account is not authorized to use internal bindings.',
    );
    const reserve = await freeCall('POST', '/reserved_domains', { domain: 'mine.ngrok.app' });
    expectCode(reserve, 400, 'ERR_NGROK_401');
    expect(reserve.json!.msg).toMatch(/^Only accounts on paid plans can reserve domains\./);
  });

  it('the agent is refused an internal URL (9027) and a custom subdomain (313), and serves the dev domain', async () => {
    const internal = runAgent(free.agentPath, ['http', String(site.port), '--url', 'https://site.internal']);
    agents.push(internal);
    expect((await internal.exited).code).toBe(1);
    expect(internal.stderr.join('\n')).toContain('ERR_NGROK_9027');
    const custom = runAgent(free.agentPath, ['http', String(site.port), '--url', 'https://my-name.ngrok.app']);
    agents.push(custom);
    expect((await custom.exited).code).toBe(1);
    expect(custom.stderr.join('\n')).toContain('ERR_NGROK_313');
    expect(custom.stderr.join('\n')).toContain('custom subdomain my-name');
    const dev = runAgent(free.agentPath, ['http', String(site.port), '--log', 'stdout', '--log-format', 'json']);
    agents.push(dev);
    const line = JSON.parse(await dev.line(/"started tunnel"/)) as { url: string };
    const res = await fetch(free.publicUrlFor(line.url)!);
    expect(await res.text()).toContain('Protected page');
    await dev.stop();
  });

  it('switches plan at run time (setPlan), as an upgraded account would', async () => {
    free.setPlan('pay-as-you-go');
    try {
      expect(
        (await freeCall('POST', '/endpoints', { url: 'https://upgraded.internal', traffic_policy: respond('x') }))
          .status,
      ).toBe(201);
    } finally {
      free.setPlan('free');
    }
    expectCode(
      await freeCall('POST', '/endpoints', { url: 'https://again.internal', traffic_policy: respond('x') }),
      400,
      'ERR_NGROK_9027',
    );
  });
});
