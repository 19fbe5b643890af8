// A real HTTP proxy on 127.0.0.1 in front of the sandbox's ngrok API, for the ngrok tests: it records
// every request that reaches the wire (so a test can see that a rerun writes nothing, or how many
// pages a list took) and can answer the way a troubled api.ngrok.com does — an HTML 502 from a load
// balancer, a 5xx, a hang, an error code the sandbox has no switch for (7098).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Seen {
  method: string;
  path: string;
  status?: number;
}

export interface Fault {
  match(req: { method: string; path: string; body: string }): boolean;
  /** How many matching requests get the fault (default: all). */
  times?: number;
  status?: number;
  headers?: Record<string, string>;
  body?: string;
  /** Never answer (the client's deadline must end it). */
  hang?: boolean;
  /** Let the request reach ngrok first, then answer with the fault (a create whose answer is lost). */
  forwardFirst?: boolean;
}

export interface ApiProxy {
  url: string;
  seen: Seen[];
  /** Requests other than GET: what changed something on ngrok. */
  writes(): Seen[];
  fault(fault: Fault): void;
  /** Called after each forwarded answer (e.g. to interrupt a run right after a create). */
  onAnswer(listener: (seen: Seen) => void): void;
  reset(): void;
  close(): Promise<void>;
}

async function body(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function startApiProxy(target: string): Promise<ApiProxy> {
  const seen: Seen[] = [];
  let faults: Array<Fault & { left: number }> = [];
  let listeners: Array<(s: Seen) => void> = [];
  const hanging = new Set<() => void>();

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const data = await body(req);
    const entry: Seen = { method: req.method ?? 'GET', path: req.url ?? '/' };
    seen.push(entry);
    const fault = faults.find(
      (f) => f.left > 0 && f.match({ method: entry.method, path: entry.path, body: data.toString('utf8') }),
    );
    const headers: Record<string, string> = {};
    for (const [key, value] of Object.entries(req.headers))
      if (typeof value === 'string' && key !== 'host' && key !== 'content-length') headers[key] = value;
    const forward = () =>
      fetch(`${target}${entry.path}`, { method: entry.method, headers, body: data.length ? data : undefined });
    if (fault) {
      fault.left--;
      if (fault.hang) {
        hanging.add(() => res.destroy());
        return;
      }
      if (fault.forwardFirst) await (await forward()).arrayBuffer();
      entry.status = fault.status ?? 500;
      res.writeHead(entry.status, fault.headers ?? {}).end(fault.body ?? '');
      return;
    }
    const answer = await forward();
    const text = await answer.text();
    entry.status = answer.status;
    const out: Record<string, string> = {};
    for (const key of ['content-type', 'retry-after']) {
      const value = answer.headers.get(key);
      if (value) out[key] = value;
    }
    // The API writes absolute URIs of the sandbox; a client paging through the proxy must stay on it.
    res.writeHead(answer.status, out).end(text.split(target).join(url));
    for (const listener of listeners) listener(entry);
  };
  // node:http drops a handler's promise: a forward that fails (the sandbox closed under a hanging
  // request) ends that request like a dropped connection, not as an unhandled rejection in whichever
  // test runs next.
  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    seen,
    writes: () => seen.filter((s) => s.method !== 'GET'),
    fault: (fault) => faults.push({ ...fault, left: fault.times ?? Number.POSITIVE_INFINITY }),
    onAnswer: (listener) => listeners.push(listener),
    reset() {
      seen.length = 0;
      faults = [];
      listeners = [];
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const end of hanging) end();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export const json = (
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): Pick<Fault, 'status' | 'headers' | 'body'> => ({
  status,
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
});

export const HTML_502 = {
  status: 502,
  headers: { 'content-type': 'text/html' },
  body: '<html><body><h1>502 Bad Gateway</h1></body></html>',
};
