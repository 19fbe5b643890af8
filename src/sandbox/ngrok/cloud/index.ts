// ngrok's cloud in the sandbox: the control listener (the OIDC callback that stands in for
// https://idp.ngrok.com/oauth2/callback, and the agents' server_addr) plus one listener per public
// hostname, which dispatch requests to policies, edges and agents.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { closeServer, listen } from '../../net';
import { publicHosts } from '../hosts';
import { DROP_SESSIONS_PATH, PUBLIC_URLS_PATH, SESSION_PATH } from '../protocol';
import type { Registry } from '../registry';
import type { Account } from '../state';
import type { Switches } from '../api/context';
import { handleAgentSession } from './agent-sessions';
import { Dispatcher } from './dispatch';
import { HostListeners } from './listeners';
import { OidcGate } from './oidc';
import type { CloudNet } from './discovery';
import { sendPage } from './pages';

export interface CloudOptions {
  account: Account;
  registry: Registry;
  flags: Pick<Switches, 'plan' | 'privateIdp'>;
  port?: number;
  heartbeatMs?: number;
  /** Told the whole hostname → loopback origin map at start and whenever a listener opens. */
  onPublicUrls?(urls: Record<string, string>): void;
}

export interface Cloud {
  port: number;
  /** The cloud's OIDC callback, to register at the IdP. */
  redirectUri: string;
  /** host:port the agent connects to (its server_addr). */
  serverAddr: string;
  publicUrlFor(hostOrUrl: string): string | undefined;
  /** How this cloud reaches an OpenID issuer; the API checks policies with it (./discovery.ts). */
  net: CloudNet;
  /**
   * Opens listeners for hostnames that appeared (after API changes and agent registrations) and saves
   * the account when a port was assigned, or always with `persist` (the API's changes).
   */
  sync(persist?: boolean): Promise<void>;
  close(): Promise<void>;
}

function hostFromInput(hostOrUrl: string): string {
  const text = hostOrUrl.trim().toLowerCase();
  if (text.includes('://')) {
    try {
      return new URL(text).hostname;
    } catch {
      return text;
    }
  }
  return text.replace(/\/.*$/, '').replace(/:\d+$/, '');
}

export async function startCloud(options: CloudOptions): Promise<Cloud> {
  const { account, registry } = options;
  // The control listener comes first: its port makes the redirect URI the OIDC gate needs.
  let gate: OidcGate | undefined;
  // How this cloud reaches an OpenID issuer, at login and when a policy is checked (./discovery.ts).
  const net: CloudNet = {
    ownHost: (hostname) => listeners.originFor(hostname.toLowerCase()),
    privateIdp: () => options.flags.privateIdp,
  };
  let sync: (persist?: boolean) => Promise<void> = async () => undefined;
  const control: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const fail = (error: unknown) =>
      sendPage(res, { status: 500, title: 'ngrok sandbox error', message: (error as Error).message });
    if (req.method === 'GET' && path === '/oauth2/callback' && gate) return void gate.callback(req, res).catch(fail);
    if (req.method === 'POST' && path === SESSION_PATH) {
      return void handleAgentSession(req, res, {
        account,
        registry,
        flags: options.flags,
        heartbeatMs: options.heartbeatMs ?? 5000,
        net,
        sync,
      }).catch(fail);
    }
    if (req.method === 'POST' && path === DROP_SESSIONS_PATH) {
      if (req.headers.authorization !== `Bearer ${account.authtoken}`)
        return sendPage(res, { status: 401, title: 'Unauthorized', message: 'Send the authtoken as a Bearer token.' });
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ dropped: dropAgentSessions() }));
      return;
    }
    if (req.method === 'GET' && path === PUBLIC_URLS_PATH) {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(listeners.all()));
      return;
    }
    sendPage(res, { status: 404, title: 'Not found', message: 'Nothing here.' });
  });
  // Behind DROP_SESSIONS_PATH only (tests drop sessions over HTTP, as an outage would).
  const dropAgentSessions = () => {
    const count = registry.sessions.size;
    registry.closeAll();
    return count;
  };
  const port = await listen(control, options.port);
  const redirectUri = `http://127.0.0.1:${port}/oauth2/callback`;
  gate = new OidcGate(redirectUri, net);
  const dispatcher = new Dispatcher(account, registry, gate);

  const listeners = new HostListeners(account.ports.hosts, (host, origin, req, res) => {
    const clientIp = (req.socket.remoteAddress ?? '').replace(/^::ffff:/, '');
    const exchange = {
      req,
      res,
      host,
      origin,
      url: new URL(req.url ?? '/', origin),
      clientIp,
      headers: { ...req.headers, host },
      responseOps: [],
    };
    dispatcher.handle(exchange).catch((error: unknown) => {
      sendPage(res, { status: 500, title: 'ngrok sandbox error', message: (error as Error).message });
    });
  });
  sync = async (persist = false) => {
    // New listeners' ports are remembered; an agent coming online opens none, so writes nothing.
    const opened = await listeners.ensure(publicHosts(account, registry));
    if (opened) options.onPublicUrls?.(listeners.all());
    if (opened || persist) account.save();
  };
  await sync(true);
  options.onPublicUrls?.(listeners.all());

  return {
    port,
    redirectUri,
    serverAddr: `127.0.0.1:${port}`,
    publicUrlFor: (hostOrUrl) => listeners.originFor(hostFromInput(hostOrUrl)),
    net,
    sync,
    async close() {
      registry.closeAll();
      await Promise.all([listeners.closeAll(), closeServer(control)]);
    },
  };
}
