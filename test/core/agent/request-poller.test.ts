// The request poller against a real HTTP server on 127.0.0.1 that answers as the agent's local API
// (`GET /api/requests/http`, https://ngrok.com/docs/agent/api/): each request counted once, only changes told, an API that stops
// answering told once, and a stopped series that asks no more, even with a fetch still out.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { RequestPoller } from '../../../src/core/agent';

interface Captured {
  id: string;
  status?: number;
}

/** The agent's local API: lists `requests`; answers `failWith` instead when set; each answer after `delayMs`. */
async function agentApi() {
  const api = { requests: [] as Captured[], failWith: undefined as number | undefined, delayMs: 0, hits: 0 };
  const server = http.createServer((req, res) => {
    api.hits++;
    expect(req.url).toBe('/api/requests/http?limit=50');
    setTimeout(() => {
      if (api.failWith) {
        res.writeHead(api.failWith).end();
        return;
      }
      const requests = api.requests.map((r) => ({
        id: r.id,
        start: '2026-01-01T00:00:00Z',
        duration: 2e6,
        request: { method: 'GET', uri: `/${r.id}` },
        response: r.status ? { status_code: r.status } : null,
      }));
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ requests }));
    }, api.delayMs);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  servers.push(server);
  return { api, addr };
}

const servers: http.Server[] = [];
const pollers: RequestPoller[] = [];
afterEach(async () => {
  pollers.splice(0).forEach((p) => p.teardown());
  await Promise.all(
    servers.splice(0).map((s) => {
      // The poller's fetch keeps its connection alive: closed here, not after its idle timeout.
      s.closeAllConnections();
      return new Promise((r) => s.close(r));
    }),
  );
});

function poller(target: () => string | undefined, everyMs = 20) {
  const changes: Array<{ fresh: number; reachable: boolean }> = [];
  const p = new RequestPoller({ everyMs, target, onChange: (c) => changes.push(c) });
  pollers.push(p);
  return { poller: p, changes };
}

async function until(test: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!test()) {
    if (Date.now() > deadline) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Lets `n` more polls be answered and read. */
async function polls(api: { hits: number }, n: number): Promise<void> {
  const target = api.hits + n + 1;
  await until(() => api.hits >= target);
}

describe('the request poller', () => {
  it('counts each request once, keeps the list newest first, and tells only what changed', async () => {
    const { api, addr } = await agentApi();
    api.requests = [{ id: 'b' }, { id: 'a', status: 200 }];
    const { poller: p, changes } = poller(() => addr);
    p.start();
    await until(() => changes.length === 1);
    expect(changes).toEqual([{ fresh: 2, reachable: true }]);
    expect(p.recent.map((r) => [r.method, r.path, r.status])).toEqual([
      ['GET', '/b', undefined],
      ['GET', '/a', 200],
    ]);

    await polls(api, 3);
    expect(changes).toHaveLength(1);

    // The pending one's response came back: a change with nothing new to count.
    api.requests = [
      { id: 'b', status: 302 },
      { id: 'a', status: 200 },
    ];
    await until(() => changes.length === 2);
    expect(changes[1]).toEqual({ fresh: 0, reachable: true });
    api.requests = [{ id: 'c', status: 200 }, ...api.requests];
    await until(() => changes.length === 3);
    expect(changes[2]).toEqual({ fresh: 1, reachable: true });
    expect(p.recent.map((r) => r.id)).toEqual(['c', 'b', 'a']);
  });

  it('an API that stops answering is told once, and again when it answers', async () => {
    const { api, addr } = await agentApi();
    const { poller: p, changes } = poller(() => addr);
    api.failWith = 500;
    p.start();
    await until(() => changes.length === 1);
    await polls(api, 3);
    expect(changes).toEqual([{ fresh: 0, reachable: false }]);
    api.failWith = undefined;
    await until(() => changes.length === 2);
    expect(changes[1]).toEqual({ fresh: 0, reachable: true });
  });

  it('stop() ends the series even while a fetch is out, and start() begins one series, not two', async () => {
    const { api, addr } = await agentApi();
    api.delayMs = 100;
    const { poller: p } = poller(() => addr, 20);
    p.start();
    await until(() => api.hits === 1);
    // The first answer is still 100 ms away: the series it belongs to must not go on after it.
    p.stop();
    await new Promise((r) => setTimeout(r, 400));
    expect(api.hits).toBe(1);

    // Two starts in a row: the first series' answer (still out) schedules nothing.
    p.start();
    p.start();
    await until(() => api.hits === 3);
    const settled = api.hits;
    await new Promise((r) => setTimeout(r, 350));
    // One series: one fetch out at a time, each 100 ms + 20 ms apart, so at most 3 more in 350 ms.
    expect(api.hits - settled).toBeLessThanOrEqual(3);
    p.teardown();
    const final = api.hits;
    p.start();
    await new Promise((r) => setTimeout(r, 200));
    expect(api.hits).toBe(final);
  });

  it('asks nothing while there is no target, and a target that goes away ends the series until start()', async () => {
    const { api, addr } = await agentApi();
    let online = false;
    const { poller: p } = poller(() => (online ? addr : undefined));
    p.start();
    await new Promise((r) => setTimeout(r, 100));
    expect(api.hits).toBe(0);
    online = true;
    p.start();
    await polls(api, 2);
    online = false;
    await new Promise((r) => setTimeout(r, 60));
    const last = api.hits;
    // Back again: the owner starts a new series when it wants one (the agent online again).
    online = true;
    await new Promise((r) => setTimeout(r, 200));
    expect(api.hits).toBe(last);
    p.start();
    await polls(api, 1);
  });
});
