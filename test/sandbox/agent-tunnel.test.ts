// The agent stand-in serving a real `python3 -m http.server` through the sandbox cloud: an agent
// endpoint (`http --url`), the guide's labeled tunnel (`tunnel --label edge=…`), an internal endpoint
// behind a cloud endpoint, the local agent API, SIGTERM, lost sessions and injected crashes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { startNgrok, type NgrokSandbox } from '../../src/sandbox/ngrok/index';
import { apiCall, runAgent, startPythonSite, tempDir, waitFor, type AgentProcess, type Site } from './ngrok-helpers';

let ngrok: NgrokSandbox;
let site: Site;
let call: ReturnType<typeof apiCall>;
const agents: AgentProcess[] = [];

const start = (args: string[], env: Record<string, string> = {}) => {
  const proc = runAgent(ngrok.agentPath, args, env);
  agents.push(proc);
  return proc;
};

beforeAll(async () => {
  [ngrok, site] = await Promise.all([startNgrok({}), startPythonSite('<h1>Protected page</h1>')]);
  call = apiCall(ngrok);
});
afterAll(async () => {
  await Promise.all(agents.map((a) => a.stop('SIGKILL')));
  await Promise.all([ngrok.close(), site.stop()]);
});

const publicGet = async (host: string, pathname = '/') => {
  const base = ngrok.publicUrlFor(host);
  if (!base) throw new Error(`no listener for ${host}`);
  const res = await fetch(`${base}${pathname}`, { redirect: 'manual' });
  return { status: res.status, body: await res.text(), headers: res.headers };
};

describe('http --url: an agent endpoint', () => {
  it('serves the site through the cloud URL, logs like ngrok, and records requests', async () => {
    await call('POST', '/reserved_domains', { domain: 'agent-site.ngrok.app' });
    // Offline first: ngrok's ERR_NGROK_3200.
    const offline = await publicGet('agent-site.ngrok.app');
    expect(offline.status).toBe(404);
    expect(offline.headers.get('ngrok-error-code')).toBe('ERR_NGROK_3200');
    expect(offline.body).toContain('ERR_NGROK_3200');

    const proc = start([
      'http',
      String(site.port),
      '--url',
      'https://agent-site.ngrok.app',
      '--log',
      'stdout',
      '--log-format',
      'logfmt',
    ]);
    const started = await proc.line(/msg="started tunnel"/);
    expect(started).toMatch(
      new RegExp(
        `lvl=info msg="started tunnel" obj=tunnels name=command_line addr=http://localhost:${site.port} url=https://agent-site.ngrok.app$`,
      ),
    );
    expect(proc.stdout.join('\n')).toMatch(/lvl=info msg="starting web service" obj=web addr=127\.0\.0\.1:\d+/);
    // As a real agent logs them (inconshreveable/ngrok#66): the tunnel session, then the client session.
    expect(proc.stdout.join('\n')).toMatch(
      /lvl=info msg="tunnel session started" obj=tunnels\.session\n.*lvl=info msg="client session established" obj=csess id=[0-9a-f]{12}/,
    );

    const page = await publicGet('agent-site.ngrok.app', '/');
    expect(page.status).toBe(200);
    expect(page.body).toContain('<h1>Protected page</h1>');
    await proc.line(/msg="join connections" obj=join/);

    const webAddr = /addr=(127\.0\.0\.1:\d+)/.exec(proc.stdout.find((l) => l.includes('starting web service'))!)![1]!;
    const requests = (await (await fetch(`http://${webAddr}/api/requests/http`)).json()) as {
      requests: Array<Record<string, any>>;
    };
    expect(requests.requests[0]).toMatchObject({
      tunnel_name: 'command_line',
      request: { method: 'GET', uri: '/' },
      response: { status_code: 200 },
      duration: expect.any(Number),
    });
    const tunnels = (await (await fetch(`http://${webAddr}/api/tunnels`)).json()) as {
      tunnels: Array<Record<string, any>>;
    };
    expect(tunnels.tunnels[0]).toMatchObject({
      name: 'command_line',
      public_url: 'https://agent-site.ngrok.app',
      config: { addr: `http://localhost:${site.port}` },
    });
    const endpoints = (await (await fetch(`http://${webAddr}/api/endpoints`)).json()) as {
      endpoints: Array<Record<string, any>>;
    };
    expect(endpoints.endpoints[0]).toMatchObject({ url: 'https://agent-site.ngrok.app' });
    expect(((await (await fetch(`http://${webAddr}/api/status`)).json()) as { status: string }).status).toBe('online');

    // The API lists it as an agent endpoint, with its tunnel.
    const listed = await call('GET', '/endpoints?urls=https://agent-site.ngrok.app');
    expect(listed.json!.endpoints[0]).toMatchObject({
      type: 'ephemeral',
      url: 'https://agent-site.ngrok.app',
      upstream_url: `http://localhost:${site.port}`,
    });
    expect((await call('GET', '/tunnels')).json!.tunnels.map((t: { forwards_to: string }) => t.forwards_to)).toContain(
      `http://localhost:${site.port}`,
    );

    // The wrapper exec'd node: one process, no children.
    const pid = proc.child.pid!;
    expect(readFileSync(`/proc/${pid}/cmdline`, 'utf8')).toContain('sandbox-agent.js');
    expect((await execa('pgrep', ['-P', String(pid)], { reject: false })).stdout).toBe('');
    // SIGTERM: exit 0 promptly, endpoint offline again, nothing left running.
    const stopping = Date.now();
    const exit = await proc.stop('SIGTERM');
    expect(exit).toEqual({ code: 0, signal: null });
    expect(Date.now() - stopping).toBeLessThan(2000);
    expect(existsSync(`/proc/${pid}`)).toBe(false);
    await waitFor(async () => (await publicGet('agent-site.ngrok.app')).status === 404, 5000, 'endpoint offline');
    expect((await call('GET', '/tunnels')).json!.tunnels).toEqual([]);
  });

  it('refuses a second agent on the same URL unless both pool (ERR_NGROK_334)', async () => {
    await call('POST', '/reserved_domains', { domain: 'pooled.ngrok.app' });
    const a = start(['http', String(site.port), '--url', 'pooled.ngrok.app', '--pooling-enabled', '--log', 'stdout']);
    await a.line(/started tunnel/);
    const b = start(['http', String(site.port), '--url', 'pooled.ngrok.app', '--log', 'stdout']);
    expect((await b.exited).code).toBe(1);
    expect(b.stderr.join('\n')).toContain('ERR_NGROK_334');
    const c = start(['http', String(site.port), '--url', 'pooled.ngrok.app', '--pooling-enabled', '--log', 'stdout']);
    await c.line(/started tunnel/);
    for (let i = 0; i < 4; i++) expect((await publicGet('pooled.ngrok.app')).status).toBe(200);
    // Both agents served some of them.
    expect(a.stdout.some((l) => l.includes('join connections'))).toBe(true);
    expect(c.stdout.some((l) => l.includes('join connections'))).toBe(true);
    await Promise.all([a.stop(), c.stop()]);
  });

  it('refuses unreserved domains; without --url uses the dev domain', async () => {
    const refused = start(['http', String(site.port), '--url', 'https://nobody.ngrok.app']);
    expect((await refused.exited).code).toBe(1);
    expect(refused.stderr.join('\n')).toContain('ERR_NGROK_15002');
    const dev = start(['http', String(site.port), '--log', 'stdout', '--log-format', 'json']);
    const line = JSON.parse(await dev.line(/"started tunnel"/)) as { url: string };
    expect(line.url).toMatch(/^https:\/\/sandbox-[a-z0-9]+\.ngrok-free\.app$/);
    expect((await publicGet(line.url)).status).toBe(200);
    await dev.stop();
  });

  it('reports an upstream that is down as ERR_NGROK_8012 (502)', async () => {
    await call('POST', '/reserved_domains', { domain: 'down.ngrok.app' });
    const proc = start(['http', '1', '--url', 'down.ngrok.app', '--log', 'stdout']);
    await proc.line(/started tunnel/);
    const res = await publicGet('down.ngrok.app');
    expect(res.status).toBe(502);
    expect(res.headers.get('ngrok-error-code')).toBe('ERR_NGROK_8012');
    await proc.line(/failed to open private leg/);
    await proc.stop();
  });
});

describe("tunnel --label: the guide's labeled tunnel behind an HTTPS edge", () => {
  it('serves the site through the edge, and the backend lists the tunnel', async () => {
    await call('POST', '/reserved_domains', { domain: 'guide-edge.ngrok.app' });
    const edge = (await call('POST', '/edges/https', { hostports: ['guide-edge.ngrok.app:443'] })).json!;
    const backend = (await call('POST', '/backends/tunnel_group', { labels: { edge: edge.id } })).json!;
    await call('POST', `/edges/https/${edge.id}/routes`, {
      match_type: 'path_prefix',
      match: '/',
      backend: { backend_id: backend.id },
    });
    expect((await publicGet('guide-edge.ngrok.app')).headers.get('ngrok-error-code')).toBe('ERR_NGROK_3200');

    const proc = start([
      'tunnel',
      '--label',
      `edge=${edge.id}`,
      '--region',
      'us',
      `http://localhost:${site.port}`,
      '--log',
      'stdout',
      '--log-format',
      'logfmt',
    ]);
    const started = await proc.line(/msg="started tunnel"/);
    expect(started).toContain(`name=command_line addr=http://localhost:${site.port} url=https://guide-edge.ngrok.app`);
    const page = await publicGet('guide-edge.ngrok.app', '/index.html');
    expect(page.status).toBe(200);
    expect(page.body).toContain('Protected page');
    const listed = (await call('GET', `/backends/tunnel_group/${backend.id}`)).json!;
    expect(listed.tunnels).toHaveLength(1);
    expect(listed.tunnels[0].id).toMatch(/^tn_/);
    const sessions = (await call('GET', '/tunnel_sessions')).json!.tunnel_sessions;
    expect(sessions).toContainEqual(
      expect.objectContaining({ agent_version: '3.36.0', region: 'us', id: expect.stringMatching(/^ts_/) }),
    );

    // The route's IP restriction module: only 10.0.0.0/8 may pass, so this client may not.
    const route = (await call('GET', `/edges/https/${edge.id}`)).json!.routes[0];
    const policy = (await call('POST', '/ip_policies', { description: 'office' })).json!;
    await call('POST', '/ip_policy_rules', { ip_policy_id: policy.id, cidr: '10.0.0.0/8', action: 'allow' });
    await call('PUT', `/edges/https/${edge.id}/routes/${route.id}/ip_restriction`, { ip_policy_ids: [policy.id] });
    expect((await publicGet('guide-edge.ngrok.app')).headers.get('ngrok-error-code')).toBe('ERR_NGROK_3205');
    await call('DELETE', `/edges/https/${edge.id}/routes/${route.id}/ip_restriction`);
    expect((await publicGet('guide-edge.ngrok.app')).status).toBe(200);
    await proc.stop();
    await waitFor(
      async () => (await call('GET', `/backends/tunnel_group/${backend.id}`)).json!.tunnels.length === 0,
      5000,
      'tunnel offline',
    );
  });

  it('a backend takes in every tunnel that carries all of its labels, extra labels or not, as ngrok matches them', async () => {
    const other = await startPythonSite('<h1>Other app</h1>');
    try {
      await call('POST', '/reserved_domains', { domain: 'label-match.ngrok.app' });
      const edge = (await call('POST', '/edges/https', { hostports: ['label-match.ngrok.app:443'] })).json!;
      const main = (await call('POST', '/backends/tunnel_group', { labels: { edge: edge.id } })).json!;
      const narrow = (await call('POST', '/backends/tunnel_group', { labels: { edge: edge.id, app: 'api' } })).json!;
      await call('POST', `/edges/https/${edge.id}/routes`, {
        match_type: 'path_prefix',
        match: '/',
        backend: { backend_id: main.id },
      });
      const plain = start([
        'tunnel',
        '--label',
        `edge=${edge.id}`,
        `http://localhost:${site.port}`,
        '--log',
        'stdout',
        '--log-format',
        'logfmt',
      ]);
      const extra = start([
        'tunnel',
        '--label',
        `edge=${edge.id}`,
        '--label',
        'app=api',
        `http://localhost:${other.port}`,
        '--log',
        'stdout',
        '--log-format',
        'logfmt',
      ]);
      const onlyApp = start([
        'tunnel',
        '--label',
        'app=api',
        `http://localhost:${other.port}`,
        '--log',
        'stdout',
        '--log-format',
        'logfmt',
      ]);
      await Promise.all([plain, extra, onlyApp].map((p) => p.line(/msg="started tunnel"/)));

      const tunnelsOf = async (id: string) =>
        ((await call('GET', `/backends/tunnel_group/${id}`)).json!.tunnels as Array<{ id: string }>).map((t) => t.id);
      const all = (await call('GET', '/tunnels')).json!.tunnels as Array<{
        id: string;
        labels: Record<string, string>;
      }>;
      const idOf = (labels: Record<string, string>) =>
        all.find((t) => JSON.stringify(t.labels) === JSON.stringify(labels))!.id;
      // {edge} ⊆ {edge, app}: the tunnel with the extra label is in the main backend too; {app} alone is in neither.
      expect((await tunnelsOf(main.id)).sort()).toEqual(
        [idOf({ edge: edge.id }), idOf({ edge: edge.id, app: 'api' })].sort(),
      );
      expect(await tunnelsOf(narrow.id)).toEqual([idOf({ edge: edge.id, app: 'api' })]);

      // So `/` is balanced over both tunnels: the other app answers every second request.
      const bodies = await Promise.all([1, 2, 3, 4].map(async () => (await publicGet('label-match.ngrok.app')).body));
      expect(bodies.filter((b) => b.includes('Other app'))).toHaveLength(2);
      expect(bodies.filter((b) => b.includes('Protected page'))).toHaveLength(2);
      await Promise.all([plain, extra, onlyApp].map((p) => p.stop()));
    } finally {
      await other.stop();
    }
  });

  it("`ngrok start --all` runs a version 2 file's labeled tunnel next to a command-line one: the edge balances both", async () => {
    await call('POST', '/reserved_domains', { domain: 'start-edge.ngrok.app' });
    const edge = (await call('POST', '/edges/https', { hostports: ['start-edge.ngrok.app:443'] })).json!;
    const backend = (await call('POST', '/backends/tunnel_group', { labels: { edge: edge.id } })).json!;
    await call('POST', `/edges/https/${edge.id}/routes`, {
      match_type: 'path_prefix',
      match: '/',
      backend: { backend_id: backend.id },
    });
    const cli = start([
      'tunnel',
      '--label',
      `edge=${edge.id}`,
      `http://localhost:${site.port}`,
      '--log',
      'stdout',
      '--log-format',
      'logfmt',
    ]);
    await cli.line(/started tunnel/);
    const temp = tempDir('start-v2-');
    const file = path.join(temp.dir, 'ngrok.yml');
    writeFileSync(
      file,
      `version: "2"\nauthtoken: ${ngrok.authtoken}\ntunnels:\n  protected-site:\n    labels:\n      - edge=${edge.id}\n    addr: http://localhost:${site.port}\n`,
    );
    const fromFile = start(['start', '--all', '--config', file, '--log', 'stdout', '--log-format', 'logfmt']);
    expect(await fromFile.line(/msg="started tunnel"/)).toContain(
      `name=protected-site addr=http://localhost:${site.port} url=https://start-edge.ngrok.app`,
    );
    expect((await call('GET', `/backends/tunnel_group/${backend.id}`)).json!.tunnels).toHaveLength(2);
    for (let i = 0; i < 4; i++) expect((await publicGet('start-edge.ngrok.app')).status).toBe(200);
    expect(cli.stdout.some((l) => l.includes('join connections'))).toBe(true);
    expect(fromFile.stdout.some((l) => l.includes('join connections'))).toBe(true);
    await Promise.all([cli.stop(), fromFile.stop()]);
    temp.remove();
  });

  it('refuses "=" in a label (6531), no labels (394) and an unknown edge (7000)', async () => {
    const equals = start(['tunnel', '--label', 'edge=a=b', '8000']);
    expect((await equals.exited).code).toBe(1);
    expect(equals.stderr.join('\n')).toContain('ERR_NGROK_6531');
    const none = start(['tunnel', '8000', '--log', 'stdout', '--log-format', 'logfmt']);
    expect((await none.exited).code).toBe(1);
    expect(none.stdout.join('\n')).toMatch(
      /lvl=eror msg="failed to start tunnel" obj=tunnels name=command_line err="failed to start tunnel: Each tunnel must specify either a protocol or labels/,
    );
    expect(none.stderr.at(-1)).toBe('ERROR:  ERR_NGROK_394');
    const unknown = start(['tunnel', '--label', 'edge=edghts_unknown', '8000']);
    expect((await unknown.exited).code).toBe(1);
    expect(unknown.stderr.join('\n')).toContain('ERR_NGROK_7000');
  });
});

describe('a cloud endpoint in front of an internal agent endpoint (endpoint mode without OIDC)', () => {
  it('forwards to https://NAME.internal and applies header actions', async () => {
    await call('POST', '/reserved_domains', { domain: 'cloud-front.ngrok.app' });
    const policy = [
      'on_http_request:',
      '  - expressions: ["req.url.path.startsWith(\'/blocked\')"]',
      '    actions:',
      '      - type: custom-response',
      '        config: { status_code: 418, body: "no tea" }',
      '  - actions:',
      '      - type: forward-internal',
      '        config: { url: https://front.internal }',
      'on_http_response:',
      '  - actions:',
      '      - type: add-headers',
      '        config: { headers: { x-served-by: sandbox } }',
    ].join('\n');
    const created = await call('POST', '/endpoints', {
      type: 'cloud',
      url: 'https://cloud-front.ngrok.app',
      traffic_policy: policy,
    });
    expect(created.status).toBe(201);
    expect((await publicGet('cloud-front.ngrok.app')).headers.get('ngrok-error-code')).toBe('ERR_NGROK_3200');
    const proc = start(['http', String(site.port), '--url', 'https://front.internal', '--log', 'stdout']);
    await proc.line(/started tunnel.*url=https:\/\/front\.internal/);
    const page = await publicGet('cloud-front.ngrok.app');
    expect(page.status).toBe(200);
    expect(page.body).toContain('Protected page');
    expect(page.headers.get('x-served-by')).toBe('sandbox');
    const blocked = await publicGet('cloud-front.ngrok.app', '/blocked/x');
    expect(blocked).toMatchObject({ status: 418, body: 'no tea' });
    expect(ngrok.publicUrlFor('front.internal')).toBeUndefined();
    await proc.stop();
  });

  it('add-headers appends to a header the request has, and replaces Host, as ngrok documents', async () => {
    // An upstream that answers with the header lines it received, repeats included.
    const echo = createServer((req, res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(req.rawHeaders)),
    );
    await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
    try {
      await call('POST', '/reserved_domains', { domain: 'add-headers.ngrok.app' });
      const policy =
        'on_http_request:\n  - actions:\n      - type: add-headers\n        config: { headers: { host: app.example, x-tag: added } }\n      - type: forward-internal\n        config: { url: https://add-headers.internal }\n';
      expect(
        (await call('POST', '/endpoints', { url: 'https://add-headers.ngrok.app', traffic_policy: policy })).status,
      ).toBe(201);
      const proc = start([
        'http',
        String((echo.address() as AddressInfo).port),
        '--url',
        'https://add-headers.internal',
        '--log',
        'stdout',
      ]);
      await proc.line(/started tunnel/);
      const res = await fetch(ngrok.publicUrlFor('add-headers.ngrok.app')!, { headers: { 'x-tag': 'original' } });
      const raw = (await res.json()) as string[];
      const lines = raw.flatMap((v, i) => (i % 2 === 0 ? [[v.toLowerCase(), raw[i + 1]!]] : []));
      expect(lines.filter(([name]) => name === 'x-tag').map(([, value]) => value)).toEqual(['original', 'added']);
      expect(lines.filter(([name]) => name === 'host')).toEqual([['host', 'app.example']]);
      await proc.stop();
    } finally {
      await new Promise((resolve) => echo.close(resolve));
    }
  });

  it('restrict-ips denies 127.0.0.1 with a 403', async () => {
    await call('POST', '/reserved_domains', { domain: 'deny-local.ngrok.app' });
    const policy =
      'on_http_request:\n  - actions:\n      - type: restrict-ips\n        config: { deny: ["127.0.0.0/8"] }\n      - type: custom-response\n        config: { body: hi }\n';
    expect(
      (await call('POST', '/endpoints', { url: 'https://deny-local.ngrok.app', traffic_policy: policy })).status,
    ).toBe(201);
    const res = await publicGet('deny-local.ngrok.app');
    expect(res.status).toBe(403);
    expect(res.headers.get('ngrok-error-code')).toBe('ERR_NGROK_3205');
  });
});

describe('sessions', () => {
  it('logs "failed to reconnect session" and reconnects when the cloud comes back', async () => {
    const temp = tempDir('ngrok-restart-');
    const dataDir = temp.dir;
    const first = await startNgrok({ dataDir });
    await apiCall(first)('POST', '/reserved_domains', { domain: 'comeback.ngrok.app' });
    const agent = runAgent(first.agentPath, [
      'http',
      String(site.port),
      '--url',
      'comeback.ngrok.app',
      '--log',
      'stdout',
      '--log-format',
      'logfmt',
    ]);
    agents.push(agent);
    await agent.line(/started tunnel/);
    const port = new URL(first.publicUrlFor('comeback.ngrok.app')!).port;
    await first.close();
    // ngrok-go's words (internal/tunnel/client/reconnecting.go): the drop once, then each failed try.
    await agent.line(/lvl=eror msg="session closed, starting reconnect loop" obj=csess id=[0-9a-f]{12} err=/);
    await agent.line(
      /lvl=eror msg="failed to reconnect session" obj=csess id=[0-9a-f]{12} err="dial tcp 127\.0\.0\.1:\d+: connect: connection refused"/,
    );
    // Same data dir: same keys, same ports; the agent comes back on its own.
    const second = await startNgrok({ dataDir });
    try {
      expect(new URL(second.publicUrlFor('comeback.ngrok.app')!).port).toBe(port);
      await waitFor(
        () => agent.stdout.filter((l) => l.includes('client session established')).length >= 2,
        15_000,
        'reconnect',
      );
      const res = await fetch(second.publicUrlFor('comeback.ngrok.app')!);
      expect(res.status).toBe(200);
      // The tunnels were rebound, not started anew: one "started tunnel" in the agent's whole life.
      expect(agent.stdout.filter((l) => l.includes('msg="started tunnel"'))).toHaveLength(1);
      expect(agent.stdout.filter((l) => l.includes('msg="tunnel session started"'))).toHaveLength(2);
    } finally {
      await agent.stop();
      await second.close();
      temp.remove();
    }
  });

  it('NGROK_SANDBOX_FAULT=crash-after:…|exit-code:… crashes after the session is up', async () => {
    await call('POST', '/reserved_domains', { domain: 'crashy.ngrok.app' });
    const proc = start(['http', String(site.port), '--url', 'crashy.ngrok.app', '--log', 'stdout'], {
      NGROK_SANDBOX_FAULT: 'crash-after:300ms|exit-code:3',
    });
    await proc.line(/started tunnel/);
    expect((await proc.exited).code).toBe(3);
    await waitFor(async () => (await publicGet('crashy.ngrok.app')).status === 404, 5000, 'offline after crash');
  });
});

describe('more faults', () => {
  it('fail-start exits before connecting; ignore-sigterm survives SIGTERM until SIGKILL', async () => {
    const failing = start(['http', String(site.port), '--log', 'stdout'], {
      NGROK_SANDBOX_FAULT: 'fail-start,exit-code:7',
    });
    expect((await failing.exited).code).toBe(7);
    expect(failing.stdout.join('\n')).not.toContain('client session established');
    const stubborn = start(['http', String(site.port), '--log', 'stdout'], { NGROK_SANDBOX_FAULT: 'ignore-sigterm' });
    await stubborn.line(/started tunnel/);
    stubborn.child.kill('SIGTERM');
    await stubborn.line(/ignoring stop request/);
    await new Promise((r) => setTimeout(r, 300));
    expect(stubborn.child.exitCode).toBeNull();
    expect(await stubborn.stop('SIGKILL')).toEqual({ code: null, signal: 'SIGKILL' });
    const bad = start(['version'], { NGROK_SANDBOX_FAULT: 'explode' });
    expect((await bad.exited).code).toBe(1);
  });
});

describe('traffic policy files (agent mode)', () => {
  it("applies the agent's own policy and refuses an invalid one (ERR_NGROK_9026)", async () => {
    await call('POST', '/reserved_domains', { domain: 'agent-policy.ngrok.app' });
    const temp = tempDir('policy-');
    const dir = temp.dir;
    const good = path.join(dir, 'good.yml');
    writeFileSync(
      good,
      'on_http_request:\n  - actions:\n      - type: add-headers\n        config: { headers: { x-from-policy: "yes" } }\non_http_response:\n  - actions:\n      - type: add-headers\n        config: { headers: { x-policy: applied } }\n',
    );
    const bad = path.join(dir, 'bad.yml');
    writeFileSync(bad, 'on_http_request:\n  - actions:\n      - type: basic-auth\n');
    const refused = start(['http', String(site.port), '--url', 'agent-policy.ngrok.app', '--traffic-policy-file', bad]);
    expect((await refused.exited).code).toBe(1);
    expect(refused.stderr.join('\n')).toContain('ERR_NGROK_9026');
    const proc = start([
      'http',
      String(site.port),
      '--url',
      'agent-policy.ngrok.app',
      '--traffic-policy-file',
      good,
      '--log',
      'stdout',
    ]);
    await proc.line(/started tunnel/);
    const res = await publicGet('agent-policy.ngrok.app');
    expect(res.status).toBe(200);
    expect(res.headers.get('x-policy')).toBe('applied');
    await proc.stop();
    temp.remove();
  });
});
