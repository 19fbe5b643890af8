// Every HTTP answer we read is read bounded (src/core/http/body-limit.ts): against a real server on
// 127.0.0.1 that streams an endless body (or announces 2 GB), each client of ours — plain requests
// (discovery, probes), the browser, the ngrok API on both of its paths, the FusionAuth client — ends
// quickly with "<who> answered with N MB, more than expected" instead of reading gigabytes and then
// saying "Could not reach". Memory is judged by what the server managed to send before the client
// hung up: the limit plus what the kernel's socket buffers hold, not more.
import http from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { checkKey, fetchDiscovery, FusionAuthApi } from '../../../src/core/fusionauth';
import { BODY_LIMIT_BYTES, Browser, httpGet } from '../../../src/core/http';
import { NgrokApi } from '../../../src/core/ngrok';
import { mostSentFor, startHugeServer, type HugeServer } from '../../helpers/huge-server';

const servers: HugeServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function huge(options: Parameters<typeof startHugeServer>[0] = {}): Promise<HugeServer> {
  const server = await startHugeServer(options);
  servers.push(server);
  return server;
}

/** Runs `call` against an endless body: it must fail with `message`, quickly, with the bytes bounded. */
async function expectRefused(server: HugeServer, call: () => Promise<unknown>, message: string): Promise<void> {
  const started = Date.now();
  const error = await call().then(
    () => new Error('the call succeeded'),
    (e: unknown) => e as Error,
  );
  const ms = Date.now() - started;
  expect(error.message).toBe(message);
  // A few MB over loopback: far below the 10-20 s deadlines of the calls, which must not be what ended them.
  expect(ms).toBeLessThan(5000);
  await server.settled();
  expect(server.bytesSent).toBeLessThanOrEqual(mostSentFor(BODY_LIMIT_BYTES));
}

const endless = (who: string) => `${who} answered with more than 4 MB, more than expected.`;

describe('an endless body', () => {
  it('httpGet (discovery, probes): refused at the limit', async () => {
    const server = await huge();
    await expectRefused(server, () => httpGet(`${server.url}/`), endless(server.url));
  });

  it('the discovery document: the sentence, not "did not answer JSON" nor "Could not reach"', async () => {
    const server = await huge();
    await expectRefused(server, () => fetchDiscovery(server.url), endless(server.url));
  });

  it('the browser of the login check', async () => {
    const server = await huge({ contentType: 'text/html' });
    await expectRefused(server, () => new Browser().go(`${server.url}/login`), endless(server.url));
  });

  it('the ngrok API, through fetch (checkKey) and through the client (a reserved domain)', async () => {
    const server = await huge();
    const api = new NgrokApi({ apiKey: 'ngrok-key-0123456789', baseUrl: server.url, attempts: 1 });
    await expectRefused(server, () => api.checkKey(), endless('ngrok'));
    await expectRefused(server, () => api.getReservedDomain('rd_1'), endless('ngrok'));
  });

  it('the FusionAuth client', async () => {
    const server = await huge();
    const api = await FusionAuthApi.connect({
      url: server.url,
      apiKey: 'fa-key-0123456789',
      signal: new AbortController().signal,
    });
    await expectRefused(server, () => checkKey(api), endless('FusionAuth'));
  });
});

describe('a Content-Length over the limit', () => {
  it('is refused from the header, naming the size, with (almost) nothing read', async () => {
    const server = await huge({ declaredBytes: 2 * 1024 ** 3 });
    await expectRefused(
      server,
      () => httpGet(`${server.url}/`),
      `${server.url} answered with 2048 MB, more than expected (the limit is 4 MB).`,
    );
  });
});

describe('the limit is exact', () => {
  async function sized(bytes: number, chunked: boolean) {
    const server = http.createServer((_req, res) => {
      res.writeHead(200, chunked ? {} : { 'content-length': String(bytes) });
      res.end(Buffer.alloc(bytes, 'x'));
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    try {
      return await httpGet(url).then(
        async (response) => (await response.text()).length,
        (error: Error) => error.message,
      );
    } finally {
      server.close();
    }
  }

  it.each([false, true])('4 MB is read whole, a byte more is refused (chunked: %s)', async (chunked) => {
    expect(await sized(BODY_LIMIT_BYTES, chunked)).toBe(BODY_LIMIT_BYTES);
    expect(await sized(BODY_LIMIT_BYTES + 1, chunked)).toMatch(
      chunked
        ? /answered with more than 4 MB, more than expected\.$/
        : /answered with 4194305 bytes, more than expected \(the limit is 4 MB\)\.$/,
    );
  });
});
