// The agent's local API on web_addr (default 127.0.0.1:4040, next ports when taken, as ngrok does):
// GET /api/status, /api/tunnels, /api/endpoints, /api/requests/http (the captured requests).
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { standInVersion } from './version';
import type { Forwarder } from './forwarder';

export interface AgentTunnelState {
  name: string;
  id?: string;
  /** Agent endpoints: the URL; labeled tunnels: the first edge URL, if any. */
  url?: string;
  addr: string;
  labels?: Record<string, string>;
  trafficPolicy?: string;
  pooling: boolean;
}

export interface AgentState {
  status: 'connecting' | 'online' | 'reconnecting';
  sessionId?: string;
  region: string;
  tunnels: AgentTunnelState[];
  forwarder: Forwarder;
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) }).end(text);
}

function tunnelView(t: AgentTunnelState) {
  const publicUrl = t.labels || !t.url ? '' : t.url;
  return {
    name: t.name,
    ID: t.id ?? '',
    uri: `/api/tunnels/${encodeURIComponent(t.name)}`,
    public_url: publicUrl,
    proto: publicUrl ? new URL(publicUrl).protocol.slice(0, -1) : '',
    config: { addr: t.addr, inspect: true },
    ...(t.labels ? { labels: t.labels } : {}),
    metrics: { conns: { count: 0, gauge: 0 }, http: { count: 0 } },
  };
}

function endpointView(t: AgentTunnelState) {
  return {
    id: t.id ?? '',
    name: t.name,
    uri: `/api/endpoints/${encodeURIComponent(t.name)}`,
    url: t.url ?? '',
    upstream: { url: t.addr, protocol: 'http1' },
    traffic_policy: t.trafficPolicy ?? '',
    pooling_enabled: t.pooling,
  };
}

export async function startLocalApi(
  state: AgentState,
  host: string,
  port: number,
  attempts: number,
): Promise<{ server: Server; addr: string }> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://agent');
    const path = url.pathname.replace(/\/$/, '') || '/';
    const method = req.method ?? 'GET';
    if (method === 'GET' && path === '/api/status') {
      return json(res, 200, {
        status: state.status,
        version: standInVersion(),
        region: state.region,
        session: { id: state.sessionId ?? '', status: state.status },
        tunnels: state.tunnels.length,
      });
    }
    if (method === 'GET' && path === '/api/tunnels')
      return json(res, 200, { tunnels: state.tunnels.filter((t) => t.id).map(tunnelView), uri: '/api/tunnels' });
    if (method === 'GET' && path.startsWith('/api/tunnels/')) {
      const tunnel = state.tunnels.find((t) => t.name === decodeURIComponent(path.slice('/api/tunnels/'.length)));
      return tunnel
        ? json(res, 200, tunnelView(tunnel))
        : json(res, 404, { error_code: 102, status_code: 404, msg: 'tunnel not found' });
    }
    if (method === 'GET' && path === '/api/endpoints') {
      return json(res, 200, {
        endpoints: state.tunnels.filter((t) => t.id && !t.labels).map(endpointView),
        uri: '/api/endpoints',
      });
    }
    if (path === '/api/requests/http') {
      if (method === 'DELETE') {
        state.forwarder.captured.length = 0;
        res.writeHead(204).end();
        return;
      }
      if (method === 'GET') {
        const limit = Math.max(1, Math.min(Number(url.searchParams.get('limit') ?? 50) || 50, 500));
        const name = url.searchParams.get('tunnel_name');
        const requests = state.forwarder.captured.filter((c) => !name || c.tunnel_name === name).slice(0, limit);
        return json(res, 200, { uri: '/api/requests/http', requests });
      }
    }
    if (method === 'GET' && path.startsWith('/api/requests/http/')) {
      const capture = state.forwarder.captured.find((c) => c.id === path.slice('/api/requests/http/'.length));
      return capture
        ? json(res, 200, capture)
        : json(res, 404, { error_code: 100, status_code: 404, msg: 'request not found' });
    }
    if (method === 'GET' && path === '/') {
      res
        .writeHead(200, { 'content-type': 'text/html' })
        .end(
          '<!DOCTYPE html><title>ngrok</title><p>ngrok agent (sandbox stand-in): see /api/tunnels and /api/requests/http</p>',
        );
      return;
    }
    json(res, 404, { error_code: 100, status_code: 404, msg: 'not found' });
  });
  for (let i = 0; i < attempts; i++) {
    const candidate = port === 0 ? 0 : port + i;
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(candidate, host, () => {
          server.off('error', reject);
          resolve();
        });
      });
      const bound = (server.address() as AddressInfo).port;
      return { server, addr: `${host}:${bound}` };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || i === attempts - 1) throw error;
    }
  }
  throw new Error('unreachable');
}
