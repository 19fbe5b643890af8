// Broken FusionAuths for the error tests: tiny local servers that answer 500, drop the connection,
// never answer, or answer over TLS with a certificate nobody trusts; and a proxy in front of the
// sandbox IdP that can break one chosen exchange after the IdP has acted on it. They stand in for a
// broken FusionAuth or network, not for our code.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { tempDir } from './cli';

export interface FaultyServer {
  url: string;
  /** Requests seen so far. */
  readonly requests: Array<{ method: string; path: string }>;
  close(): Promise<void>;
}

async function listen(server: Server, scheme: 'http' | 'https'): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `${scheme}://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function closer(server: Server): () => Promise<void> {
  return () =>
    new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
}

/** A server whose every request goes to `handle`, which gets the request number (1-based). */
export async function faultyServer(
  handle: (req: IncomingMessage, res: ServerResponse, n: number) => void,
): Promise<FaultyServer> {
  const requests: FaultyServer['requests'] = [];
  const server = createServer((req, res) => {
    requests.push({ method: req.method ?? 'GET', path: req.url ?? '/' });
    req.resume();
    handle(req, res, requests.length);
  });
  return { url: await listen(server, 'http'), requests, close: closer(server) };
}

export const answer500 = (_req: IncomingMessage, res: ServerResponse) => {
  res.writeHead(500, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ generalErrors: [{ code: '[ServerError]', message: 'Something broke.' }] }));
};

export const dropConnection = (req: IncomingMessage) => req.socket.destroy();

export const neverAnswer = () => {};

export const version = (_req: IncomingMessage, res: ServerResponse) => {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ version: '1.69.0' }));
};

/** An https server with a self-signed certificate (made with openssl for this run). */
export async function selfSignedServer(): Promise<FaultyServer> {
  const dir = tempDir();
  const key = path.join(dir, 'key.pem');
  const cert = path.join(dir, 'cert.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
    ],
    { stdio: 'ignore' },
  );
  const requests: FaultyServer['requests'] = [];
  const server = createTlsServer({ key: readFileSync(key), cert: readFileSync(cert) }, (req, res) => {
    requests.push({ method: req.method ?? 'GET', path: req.url ?? '/' });
    version(req, res);
  });
  return { url: await listen(server, 'https'), requests, close: closer(server) };
}

/**
 * A proxy to `target`. `breakWhen(method, path)` picks exchanges to break: the request still reaches
 * the target (which acts on it), then `onBroken` runs and the client's connection is destroyed instead
 * of getting the answer — a FusionAuth that did the work but whose answer was lost.
 */
export async function breakingProxy(
  target: string,
  breakWhen: (method: string, path: string, n: number) => boolean,
  onBroken: () => void = () => {},
): Promise<FaultyServer & { broken: number }> {
  const requests: FaultyServer['requests'] = [];
  const state = { broken: 0 };
  const upstream = new URL(target);
  const server = createServer((req, res) => {
    const method = req.method ?? 'GET';
    const url = req.url ?? '/';
    requests.push({ method, path: url });
    const breakThis = breakWhen(method, url, requests.length);
    const forward = request(
      { host: upstream.hostname, port: upstream.port, method, path: url, headers: req.headers },
      (answer) => {
        if (breakThis) {
          state.broken++;
          answer.resume();
          answer.on('end', () => {
            onBroken();
            req.socket.destroy();
          });
          return;
        }
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on('error', () => req.socket.destroy());
    req.pipe(forward);
  });
  const url = await listen(server, 'http');
  return {
    url,
    requests,
    get broken() {
      return state.broken;
    },
    close: closer(server),
  };
}
