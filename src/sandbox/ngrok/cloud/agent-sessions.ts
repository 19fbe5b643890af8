// The agent side of the cloud: checks an agent's registration the way ngrok's tunnel server does
// (authtoken, labels, URLs, policies), then keeps the session open for as long as the agent's
// request stays open. See ../protocol.ts for the wire protocol.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseEndpointUrl } from '../endpoint-url';
import { errors, NgrokError } from '../errors';
import { hostUse, poolConflict, urlsForLabels } from '../hosts';
import { newId } from '../ids';
import { nowRfc3339 } from '../model';
import { checkAgentEndpointPlan } from '../plan';
import { checkPolicy } from '../policy/check';
import type { CloudNet } from './discovery';
import type { RegisterError, RegisterRequest, SessionMessage, TunnelSpec } from '../protocol';
import type { AgentSession, OnlineTunnel, Registry } from '../registry';
import type { Account } from '../state';
import type { Switches } from '../api/context';
import { isLoopbackHost } from './discovery';

export interface AgentSessionDeps {
  account: Account;
  registry: Registry;
  /** The account's plan, read at each registration (a test may switch it). */
  flags: Pick<Switches, 'plan'>;
  heartbeatMs: number;
  /** How the cloud reaches an OpenID issuer (./discovery.ts). */
  net?: CloudNet;
  /** Opens listeners for hostnames that just came online. */
  sync: () => Promise<void>;
}

class TunnelError extends Error {
  constructor(
    readonly tunnel: string,
    readonly error: NgrokError,
  ) {
    super(error.message);
  }
}

function checkAuthtoken(header: string | undefined, account: Account): void {
  const token = /^Bearer\s+(\S+)$/i.exec(header ?? '')?.[1];
  if (!token) throw errors.noAuthtoken();
  if (token === account.authtoken) return;
  if (!/^[A-Za-z0-9_]{20,}$/.test(token)) throw errors.malformedAuthtoken(token);
  throw errors.invalidAuthtoken(token);
}

async function readBody(req: IncomingMessage): Promise<RegisterRequest> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as RegisterRequest;
  if (!body || !Array.isArray(body.tunnels) || typeof body.forward_url !== 'string')
    throw errors.invalid('malformed registration');
  const forward = new URL(body.forward_url);
  if (forward.protocol !== 'http:' || !isLoopbackHost(forward.hostname))
    throw errors.invalid('the forwarder must listen on 127.0.0.1');
  return body;
}

async function bindTunnel(
  spec: TunnelSpec,
  sessionId: string,
  deps: AgentSessionDeps,
  claimed: Map<string, boolean>,
): Promise<OnlineTunnel> {
  const { account, registry } = deps;
  const base = {
    id: newId('tn'),
    name: spec.name,
    sessionId,
    addr: spec.addr,
    pooling: Boolean(spec.pooling_enabled),
    startedAt: nowRfc3339(),
  };
  if (spec.labels && Object.keys(spec.labels).length > 0) {
    for (const [key, value] of Object.entries(spec.labels)) {
      if (!key || !value) throw errors.invalid(`The label '${key}=${value}' needs a key and a value.`);
      if (key.includes('=') || value.includes('=')) throw errors.labelEquals(`${key}=${value}`);
    }
    const edgeId = spec.labels.edge;
    if (edgeId !== undefined && !account.httpsEdges.has(edgeId)) throw errors.edgeNotFound(edgeId);
    return { ...base, labels: spec.labels };
  }
  if (spec.proto !== 'http') throw errors.noProtocolOrLabels();
  const u = parseEndpointUrl(spec.url || `https://${account.devDomain}`);
  // A Free account: its dev domain only, and no internal URL (../plan.ts).
  checkAgentEndpointPlan(deps.flags.plan, u, account);
  if (!u.internal && !account.reservedDomainFor(u.host)) throw errors.domainRequired();
  // Endpoint pooling (https://ngrok.com/docs/universal-gateway/endpoint-pooling, "Conflicts"): a second
  // endpoint on a URL needs pooling enabled on it *and* on every endpoint already there, else ngrok
  // refuses it, for agents with ERR_NGROK_334 ("The endpoint URL is already online. Either stop your
  // existing endpoint first, or start both endpoints with --pooling-enabled",
  // https://ngrok.com/docs/errors/err_ngrok_334). Pooled, they share the traffic (Registry.pick).
  const use = hostUse(account, registry, u.host);
  const pooledHere = claimed.get(u.host);
  if (use.edgeId || pooledHere === false || (pooledHere && !base.pooling)) throw errors.endpointOnline(u.url);
  // Agents pool with agents and with cloud endpoints on the same URL when all of them pool: cloud
  // endpoints "may also pool with themselves and with Agent Endpoints" (https://ngrok.com/docs/endpoints/cloud-endpoints/,
  // "Protocols, binding and pooling"); the rule itself is in ../hosts.ts.
  const others = [...use.agents, ...use.cloudEndpoints.map((ep) => ({ pooling: ep.pooling_enabled }))];
  if (poolConflict(others, base.pooling)) throw errors.endpointOnline(u.url);
  claimed.set(u.host, base.pooling);
  const policy = spec.traffic_policy ? await checkPolicy(spec.traffic_policy, account, 'agent', deps.net) : undefined;
  return { ...base, endpointId: newId('ep'), url: u.url, host: u.host, policyText: spec.traffic_policy, policy };
}

/** POST /_sandbox/agent/session */
export async function handleAgentSession(
  req: IncomingMessage,
  res: ServerResponse,
  deps: AgentSessionDeps,
): Promise<void> {
  const refuse = (error: NgrokError, tunnel?: string) => {
    const body: RegisterError = {
      ...(error.code ? { error_code: error.code } : {}),
      msg: error.message,
      ...(tunnel ? { tunnel } : {}),
    };
    res.writeHead(error.status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  };
  let registration: RegisterRequest;
  const sessionId = newId('ts');
  const tunnels: OnlineTunnel[] = [];
  try {
    checkAuthtoken(req.headers.authorization, deps.account);
    registration = await readBody(req);
    const claimed = new Map<string, boolean>();
    for (const spec of registration.tunnels) {
      try {
        tunnels.push(await bindTunnel(spec, sessionId, deps, claimed));
      } catch (error) {
        if (error instanceof NgrokError) throw new TunnelError(spec.name, error);
        throw error;
      }
    }
    // No tunnels at all is `ngrok start --none`: a session that serves nothing yet.
  } catch (error) {
    if (error instanceof TunnelError) return refuse(error.error, error.tunnel);
    if (error instanceof NgrokError) return refuse(error);
    return refuse(errors.invalid(`malformed registration: ${(error as Error).message}`));
  }

  let heartbeat: NodeJS.Timeout | undefined;
  const session: AgentSession = {
    id: sessionId,
    forwardUrl: registration.forward_url,
    agentVersion: registration.agent_version,
    region: registration.region || 'us',
    startedAt: nowRfc3339(),
    tunnels,
    // The cloud going away looks like a dropped connection to the agent, as a network failure would.
    close: () => res.destroy(),
  };
  deps.registry.add(session);
  res.on('close', () => {
    clearInterval(heartbeat);
    deps.registry.remove(sessionId);
  });
  await deps.sync();

  const message: SessionMessage = {
    type: 'session',
    session_id: sessionId,
    region: session.region,
    heartbeat_ms: deps.heartbeatMs,
    tunnels: tunnels.map((t) => ({
      name: t.name,
      id: t.id,
      addr: t.addr,
      url: t.url ?? (t.labels ? urlsForLabels(deps.account, t.labels)[0] : undefined),
      labels: t.labels,
    })),
  };
  res.socket?.setKeepAlive(true, 10_000);
  res.writeHead(200, { 'content-type': 'application/x-ndjson', 'cache-control': 'no-store' });
  res.write(`${JSON.stringify(message)}\n`);
  heartbeat = setInterval(() => res.write(`${JSON.stringify({ type: 'heartbeat' })}\n`), deps.heartbeatMs);
  heartbeat.unref();
}
