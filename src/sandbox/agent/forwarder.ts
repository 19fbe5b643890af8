// The agent's local forwarder: the cloud sends it each request for one of this agent's tunnels
// (tunnel id in a header); it proxies the request to that tunnel's upstream, records it for
// /api/requests/http, and logs it as ngrok does: "join connections" with the local address once the
// site answered the dial, or "failed to open private leg" and then "join connections l=nil" when it
// did not (https://github.com/inconshreveable/ngrok/issues/244 and /739 show both).
import { randomBytes } from 'node:crypto';
import {
  createServer,
  request as httpRequest,
  type IncomingHttpHeaders,
  type OutgoingHttpHeaders,
  type Server,
} from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { AddressInfo } from 'node:net';
import { TUNNEL_HEADER } from '../ngrok/protocol';
import type { Logger } from './log';

export interface CapturedRequest {
  uri: string;
  id: string;
  tunnel_name: string;
  remote_addr: string;
  start: string;
  /** Nanoseconds, as ngrok's agent API reports it. */
  duration: number;
  request: { method: string; proto: string; headers: Record<string, string[]>; uri: string };
  response: { status: string; status_code: number; proto: string; headers: Record<string, string[]> } | null;
}

export interface ForwardTarget {
  name: string;
  addr: string;
}

const HOP_BY_HOP = ['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer'];
const MAX_CAPTURED = 500;

function headerLists(headers: IncomingHttpHeaders): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || name === TUNNEL_HEADER) continue;
    const canonical = name.replace(/(^|-)([a-z])/g, (_, dash: string, c: string) => dash + c.toUpperCase());
    out[canonical] = Array.isArray(value) ? value : [value];
  }
  return out;
}

const errorPage = (addr: string, detail: string) => `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Failed to complete tunnel connection</title></head>
<body><h1>Failed to complete tunnel connection</h1>
<p>The connection to ${addr} was successfully tunneled to your ngrok client, but the client failed to establish a connection to the local address ${addr}.</p>
<p>Make sure that a web service is running on ${addr} and that it is a valid address. (${detail})</p>
<p><strong>ERR_NGROK_8012</strong></p></body></html>
`;

export class Forwarder {
  readonly captured: CapturedRequest[] = [];
  private targets = new Map<string, ForwardTarget>();
  private server?: Server;
  url = '';

  constructor(private readonly log: Logger) {}

  /** The tunnels of the current session (ids change on every reconnect). */
  setTargets(targets: Map<string, ForwardTarget>): void {
    this.targets = targets;
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const target = this.targets.get(String(req.headers[TUNNEL_HEADER] ?? ''));
      if (!target) {
        res.writeHead(502, { 'content-type': 'text/plain' }).end('unknown tunnel');
        return;
      }
      const started = process.hrtime.bigint();
      const upstream = new URL(target.addr);
      const remote = String(req.headers['x-forwarded-for'] ?? req.socket.remoteAddress ?? '');
      const capture: CapturedRequest = {
        uri: '',
        id: `airt_${randomBytes(12).toString('hex')}`,
        tunnel_name: target.name,
        remote_addr: remote,
        start: new Date().toISOString(),
        duration: 0,
        request: {
          method: req.method ?? 'GET',
          proto: `HTTP/${req.httpVersion}`,
          headers: headerLists(req.headers),
          uri: req.url ?? '/',
        },
        response: null,
      };
      capture.uri = `/api/requests/http/${capture.id}`;
      this.record(capture);
      const join = (local: string) =>
        this.log.info('join connections', {
          obj: 'join',
          id: randomBytes(6).toString('hex'),
          l: local,
          r: `${remote}:${req.socket.remotePort ?? 0}`,
        });

      // Each header line as it came: a header the cloud appended to (add-headers) stays two lines.
      const headers: OutgoingHttpHeaders = Object.fromEntries(
        Object.entries(req.headersDistinct).map(([name, values]) => [name, values?.length === 1 ? values[0] : values]),
      );
      delete headers[TUNNEL_HEADER];
      for (const name of HOP_BY_HOP) delete headers[name];
      const send = upstream.protocol === 'https:' ? httpsRequest : httpRequest;
      const out = send(
        {
          hostname: upstream.hostname.replace(/^\[|\]$/g, ''),
          port: upstream.port,
          path: req.url,
          method: req.method,
          headers,
          rejectUnauthorized: false,
          agent: false,
        },
        (answer) => {
          const responseHeaders: OutgoingHttpHeaders = { ...answer.headers };
          for (const name of HOP_BY_HOP) delete responseHeaders[name];
          capture.response = {
            status: `${answer.statusCode} ${answer.statusMessage ?? ''}`.trim(),
            status_code: answer.statusCode ?? 0,
            proto: `HTTP/${answer.httpVersion}`,
            headers: headerLists(answer.headers),
          };
          res.writeHead(answer.statusCode ?? 502, answer.statusMessage, responseHeaders);
          answer.pipe(res);
          answer.on('end', () => (capture.duration = Number(process.hrtime.bigint() - started)));
        },
      );
      let joined = false;
      out.on('socket', (socket) =>
        socket.once('connect', () => {
          joined = true;
          join(`${socket.remoteAddress ?? upstream.hostname}:${socket.remotePort ?? upstream.port}`);
        }),
      );
      out.on('error', (error: NodeJS.ErrnoException) => {
        const detail = `dial tcp ${upstream.host}: connect: ${error.code === 'ECONNREFUSED' ? 'connection refused' : error.message}`;
        this.log.warn('failed to open private leg', {
          id: capture.id,
          typ: 'proxy',
          privaddr: upstream.host,
          err: detail,
        });
        if (!joined) join('nil');
        const body = errorPage(upstream.host, detail);
        capture.response = {
          status: '502 Bad Gateway',
          status_code: 502,
          proto: 'HTTP/1.1',
          headers: { 'Content-Type': ['text/html'] },
        };
        capture.duration = Number(process.hrtime.bigint() - started);
        if (res.headersSent) res.destroy();
        else
          res
            .writeHead(502, {
              'content-type': 'text/html; charset=utf-8',
              'ngrok-error-code': 'ERR_NGROK_8012',
              'content-length': Buffer.byteLength(body),
            })
            .end(body);
      });
      res.on('close', () => out.destroy());
      req.pipe(out);
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(0, '127.0.0.1', () => resolve());
    });
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  private record(capture: CapturedRequest): void {
    this.captured.unshift(capture);
    if (this.captured.length > MAX_CAPTURED) this.captured.pop();
  }

  close(): void {
    this.server?.close();
    this.server?.closeAllConnections();
  }
}
