// Hands a public request to the agent that serves it: an HTTP request to the agent's local forwarder
// naming the tunnel, with the headers ngrok adds (X-Forwarded-For/Proto/Host). The agent forwards
// it to its upstream and records it; the answer streams back unchanged apart from policy headers.
import { request, type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http';
import type { AgentSession, OnlineTunnel } from '../registry';
import { TUNNEL_HEADER } from '../protocol';
import { pages, sendPage } from './pages';
import type { Exchange } from './exchange';

const HOP_BY_HOP = [
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'upgrade',
  'te',
  'trailer',
  'proxy-authorization',
];

function stripHopByHop(headers: IncomingHttpHeaders | OutgoingHttpHeaders): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = { ...headers };
  for (const name of HOP_BY_HOP) delete out[name];
  return out;
}

export function forwardToAgent(ex: Exchange, session: AgentSession, tunnel: OnlineTunnel): void {
  const target = new URL(`${ex.url.pathname}${ex.url.search}`, session.forwardUrl);
  const headers: OutgoingHttpHeaders = {
    ...stripHopByHop(ex.headers),
    // The public hostname, unless a policy or module added `host` (which replaces it, as on ngrok).
    host: ex.headers.host ?? ex.host,
    'x-forwarded-for': ex.clientIp,
    'x-forwarded-proto': 'https',
    'x-forwarded-host': ex.host,
    [TUNNEL_HEADER]: tunnel.id,
  };
  // A fresh connection per request: a pooled keep-alive socket to a forwarder that just closed it
  // would turn into a spurious 502.
  const upstream = request(target, { method: ex.req.method, headers, agent: false }, (answer) => {
    const responseHeaders = stripHopByHop(answer.headers);
    for (const op of ex.responseOps) op(responseHeaders);
    ex.res.writeHead(answer.statusCode ?? 502, answer.statusMessage, responseHeaders);
    answer.pipe(ex.res);
  });
  upstream.on('error', (error) => sendPage(ex.res, pages.agentUnreachable(error.message)));
  ex.res.on('close', () => upstream.destroy());
  ex.req.pipe(upstream);
}
