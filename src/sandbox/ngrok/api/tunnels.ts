// /tunnels and /tunnel_sessions (list, get): the agents online now and their tunnels, as ngrok reports them.
import { errors } from '../errors';
import type { AgentSession, OnlineTunnel } from '../registry';
import { ok, ref, type ApiDeps } from './context';
import { paginate } from './paging';
import type { Router } from './router';

export function tunnelRoutes(router: Router, deps: ApiDeps): void {
  const { account, registry } = deps;
  const view = (t: OnlineTunnel) => ({
    id: t.id,
    public_url: t.url && !t.url.endsWith('.internal') ? t.url : '',
    started_at: t.startedAt,
    proto: t.url ? new URL(t.url).protocol.slice(0, -1) : '',
    region: registry.session(t.sessionId)?.region ?? 'us',
    tunnel_session: ref('/tunnel_sessions', t.sessionId),
    ...(t.endpointId ? { endpoint: ref('/endpoints', t.endpointId) } : {}),
    ...(t.labels
      ? {
          labels: t.labels,
          backends: [...account.tunnelGroupBackends.values()]
            .filter((b) => registry.byLabels(b.labels).includes(t))
            .map((b) => ref('/backends/tunnel_group', b.id)),
        }
      : {}),
    forwards_to: t.addr,
    uri: `/tunnels/${t.id}`,
  });

  const sessionView = (s: AgentSession) => ({
    agent_version: s.agentVersion,
    credential: { id: 'cr_sandbox', uri: '' },
    id: s.id,
    ip: '127.0.0.1',
    os: process.platform,
    region: s.region,
    started_at: s.startedAt,
    transport: 'ngrok/v2',
    uri: `/tunnel_sessions/${s.id}`,
  });
  router.add('GET', '/tunnel_sessions', ({ query }) =>
    paginate([...registry.sessions.values()].map(sessionView), query, '/tunnel_sessions', 'tunnel_sessions'),
  );
  router.add('GET', '/tunnel_sessions/{id}', ({ params }) => {
    const session = registry.session(params.id!);
    if (!session) throw errors.notFound();
    return ok(sessionView(session));
  });

  router.add('GET', '/tunnels', ({ query }) => paginate(registry.tunnels().map(view), query, '/tunnels', 'tunnels'));
  router.add('GET', '/tunnels/{id}', ({ params }) => {
    const tunnel = registry.tunnels().find((t) => t.id === params.id);
    if (!tunnel) throw errors.notFound();
    return ok(view(tunnel));
  });
}
