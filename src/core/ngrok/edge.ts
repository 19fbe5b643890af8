// Mode `edge`, the guide exactly: an HTTPS edge on the domain, a tunnel-group backend labelled
// `edge=<edge id>`, and the route `/` with that backend and the OIDC module; Next Steps add the IP
// restriction and header modules and a second path routed to a second tunnel, whose labels share
// nothing with the site's (agent/command.ts, secondAppLabels). Every id is
// verified when stored, adopted when found, created once and recorded the moment ngrok answers.
import { isDeepStrictEqual } from 'node:util';
import { finding, type Finding } from '../findings';
import { secondAppLabels } from '../agent';
import { UserError } from '../errors';
import { durationSeconds, hasHeaderEdits, headerCountProblem, type Extras, type HeaderEdits } from './next-steps';
import type { Backend, NgrokApi, OidcModule, Route, RouteModules } from './api';
import { reconcileIpPolicy } from './ip-policy';
import { deleteIfThere } from '../http';
import { findOrCreate, mark, verifyStored, whose, type Answers } from './ownership';
import { DEFAULT_SCOPES, type OidcSettings } from './policy';
import type { SetupOwner, Store } from '../store';

export interface EdgePlan {
  domain: string;
  oidc: OidcSettings;
  extras: Extras;
}

export function oidcModule(oidc: OidcSettings, extras: Extras): OidcModule {
  return {
    issuer: oidc.issuerUrl,
    clientId: oidc.clientId,
    clientSecret: oidc.clientSecret,
    scopes: oidc.scopes ?? DEFAULT_SCOPES,
    inactivityTimeout: extras.sessionInactivity ? durationSeconds(extras.sessionInactivity) : 0,
    maximumDuration: extras.sessionMaxDuration ? durationSeconds(extras.sessionMaxDuration) : 0,
  };
}

/** The second app's route and backend, beside the site's own (recorded with this role). */
const SECOND = 'second';

export async function reconcileEdge(
  api: NgrokApi,
  store: Store,
  plan: EdgePlan,
  answers: Answers,
): Promise<{ edgeId: string; findings: Finding[] }> {
  const findings: Finding[] = [];
  const { domain, extras } = plan;
  // Settings stored in another mode may hold more headers than a route's modules take (ERR_NGROK_7015).
  const tooMany = headerCountProblem(extras, 'edge');
  if (tooMany)
    throw new UserError(tooMany, { hint: 'Remove some in Next Steps → ngrok settings, then run this again.' });
  const hostport = `${domain}:443`;
  const owner = store.owner();

  // 1. The edge: the stored one (moved to the domain if it is ours), else the one on the domain, else a new one.
  const recordedId = store.ownedId('ngrok-edge');
  const storedId = recordedId ?? (store.values.ngrokMode === 'edge' ? store.values.edgeId : undefined);
  let edge = storedId
    ? await verifyStored(
        () => api.getEdge(storedId),
        `The edge ${storedId}`,
        answers,
        () => store.forgetObject('ngrok-edge', storedId),
      )
    : undefined;
  if (edge && !edge.hostports.includes(hostport)) {
    // Only an edge this setup recorded is moved; one pasted on the manual path is the person's.
    if (edge.id === recordedId) {
      edge = await api.updateEdgeHostports(edge.id, [hostport]);
      findings.push(finding.ok(`Edge ${edge.id} moved to ${hostport}`));
    } else edge = undefined;
  }
  if (edge) findings.push(finding.ok(`Edge ${edge.id} on ${hostport}`));
  else {
    const { item, how } = await findOrCreate(
      api,
      async () => (await api.listEdges()).find((e) => e.hostports.includes(hostport)),
      () => api.createEdge([hostport], mark(owner, `HTTPS edge for ${domain}`, domain)),
      (id) => store.recordObject({ kind: 'ngrok-edge', id }),
      { what: `The edge on ${hostport}`, owner, answers, canCreateBeside: false },
    );
    edge = how === 'created' ? item : await api.getEdge(item.id);
    findings.push(finding.ok(`Edge ${edge.id} ${how === 'created' ? 'created' : 'found'} on ${hostport}`));
  }
  const edgeId = edge.id;

  // 2. The IP policy (Next Steps), before the routes that name it.
  let ipPolicyIds: string[] | null = null;
  if (extras.allowCidrs.length) {
    const ip = await reconcileIpPolicy(api, store, domain, extras.allowCidrs, answers);
    findings.push(...ip.findings);
    ipPolicyIds = [ip.policyId];
  }
  const modules = (backendId: string): Required<RouteModules> => ({
    backendId,
    oidc: oidcModule(plan.oidc, extras),
    ipPolicyIds,
    requestHeaders: headersOrNull(extras.request),
    responseHeaders: headersOrNull(extras.response),
  });

  // 3. The backend labelled edge=<id> and the route / (the guide's "Start a Tunnel" and OIDC tab).
  const backend = await reconcileBackend(api, store, owner, { edge: edgeId }, undefined, domain, answers, findings);
  await reconcileRoute(api, store, owner, edgeId, '/', undefined, modules(backend.id), domain, answers, findings);

  // 4. A second path to a second local app (Next Steps), or its removal.
  if (extras.second) {
    // A stored setup's second backend (labelled edge=<id>, app=<slug> before) is relabelled here.
    const second = await reconcileBackend(
      api,
      store,
      owner,
      secondAppLabels(edgeId, extras.second.slug),
      SECOND,
      domain,
      answers,
      findings,
    );
    await reconcileRoute(
      api,
      store,
      owner,
      edgeId,
      extras.second.path,
      SECOND,
      modules(second.id),
      domain,
      answers,
      findings,
    );
  } else {
    await removeSecondPath(api, store, edgeId, findings);
  }
  return { edgeId, findings };
}

const headersOrNull = (edits: HeaderEdits) => (hasHeaderEdits(edits) ? { add: edits.add, remove: edits.remove } : null);

async function reconcileBackend(
  api: NgrokApi,
  store: Store,
  owner: SetupOwner,
  labels: Record<string, string>,
  role: string | undefined,
  domain: string,
  answers: Answers,
  findings: Finding[],
): Promise<Backend> {
  const shown = Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
  const storedId = store.ownedId('ngrok-backend', role);
  let backend = storedId
    ? await verifyStored(
        () => api.getTunnelGroupBackend(storedId),
        `The backend ${storedId}`,
        answers,
        () => store.forgetObject('ngrok-backend', storedId),
      )
    : undefined;
  if (backend && !isDeepStrictEqual(backend.labels, labels)) {
    backend = await api.updateTunnelGroupBackend(backend.id, labels);
    // A tunnel keeps the labels it was started with: one started by the old command still carries them.
    findings.push(
      role === SECOND
        ? finding.warn(
            `Backend ${backend.id} relabelled ${shown}`,
            "Restart the second app's tunnel with the command shown below: one started with edge=<edge id> also serves the site's own path.",
          )
        : finding.ok(`Backend ${backend.id} relabelled ${shown}`),
    );
    return backend;
  }
  if (backend) {
    findings.push(finding.ok(`Backend ${backend.id} labelled ${shown}`));
    return backend;
  }
  const { item, how } = await findOrCreate(
    api,
    async () => {
      // This setup's first: a retried create whose answer was lost finds its own backend, not another setup's.
      const same = (await api.listTunnelGroupBackends()).filter((b) => isDeepStrictEqual(b.labels, labels));
      return same.find((b) => whose(b.metadata, owner).kind === 'mine') ?? same[0];
    },
    () => api.createTunnelGroupBackend(labels, mark(owner, `tunnels labelled ${shown}`, domain)),
    (id) => store.recordObject({ kind: 'ngrok-backend', id, role }),
    { what: `The backend labelled ${shown}`, owner, answers, canCreateBeside: true },
  );
  findings.push(finding.ok(`Backend ${item.id} ${how === 'created' ? 'created' : 'found'}, labelled ${shown}`));
  return item;
}

async function reconcileRoute(
  api: NgrokApi,
  store: Store,
  owner: SetupOwner,
  edgeId: string,
  match: string,
  role: string | undefined,
  wanted: Required<RouteModules>,
  domain: string,
  answers: Answers,
  findings: Finding[],
): Promise<Route> {
  const recorded = store.objectsOf('ngrok-edge-route', role).findLast((o) => o.parent === edgeId);
  const storedId = recorded?.id;
  let route = storedId
    ? await verifyStored(
        () => api.getRoute(edgeId, storedId),
        `The route ${storedId}`,
        answers,
        () => store.forgetObject('ngrok-edge-route', storedId),
      )
    : undefined;
  if (route && route.match !== match) {
    // The second path changed: the old route goes (it is ours: its id was recorded), the new one comes.
    await deleteIfThere(() => api.deleteRoute(edgeId, route!.id));
    store.forgetObject('ngrok-edge-route', route.id);
    findings.push(finding.ok(`Route ${route.match} removed`));
    route = undefined;
  }
  if (!route) {
    const { item, how } = await findOrCreate(
      api,
      async () => {
        const ref = (await api.getEdge(edgeId)).routes.find((r) => r.matchType === 'path_prefix' && r.match === match);
        return ref ? api.getRoute(edgeId, ref.id) : undefined;
      },
      () =>
        api.createRoute(edgeId, {
          matchType: 'path_prefix',
          match,
          backendId: wanted.backendId,
          oidc: wanted.oidc,
          ipPolicyIds: wanted.ipPolicyIds ?? undefined,
          ...mark(owner, `route ${match}`, domain),
        }),
      (id) => store.recordObject({ kind: 'ngrok-edge-route', id, parent: edgeId, role }),
      { what: `The route ${match} of edge ${edgeId}`, owner, answers, canCreateBeside: false },
    );
    // A found route was read whole to check its mark; a created one comes back as its id only.
    route = how === 'found' ? (item as Route) : await api.getRoute(edgeId, item.id);
    findings.push(finding.ok(`Route ${match} ${how === 'created' ? 'created' : 'found'} (${route.id})`));
  }
  const changes = routeChanges(route, wanted);
  const changed = Object.keys(changes);
  if (changed.length) {
    await api.updateRoute(edgeId, route.id, changes);
    findings.push(
      finding.ok(
        `Route ${match}: ${changed.map((k) => MODULE_NAMES[k as keyof RouteModules]).join(', ')} ${changed.length === 1 ? 'is' : 'are'} now set`,
      ),
    );
  }
  const oidc = wanted.oidc;
  findings.push(
    finding.ok(
      `Route ${match} logs visitors in with OIDC: issuer ${oidc.issuer}, client ${oidc.clientId}, scopes ${oidc.scopes.join(' ')}`,
    ),
  );
  return route;
}

const MODULE_NAMES: Record<keyof RouteModules, string> = {
  backendId: 'the backend',
  oidc: 'the OIDC module',
  ipPolicyIds: 'the IP restriction',
  requestHeaders: 'the request headers',
  responseHeaders: 'the response headers',
};

/** What differs between a route and the wanted modules; null marks a module to remove. */
export function routeChanges(route: Route, wanted: Required<RouteModules>): RouteModules {
  const changes: RouteModules = {};
  if (route.backendId !== wanted.backendId) changes.backendId = wanted.backendId;
  if (!route.oidc || !isDeepStrictEqual(route.oidc, wanted.oidc)) changes.oidc = wanted.oidc;
  if (
    wanted.ipPolicyIds === null
      ? route.ipPolicyIds.length > 0
      : !isDeepStrictEqual(route.ipPolicyIds, wanted.ipPolicyIds)
  )
    changes.ipPolicyIds = wanted.ipPolicyIds;
  for (const key of ['requestHeaders', 'responseHeaders'] as const) {
    const want = wanted[key];
    if (want === null ? route[key] !== undefined : !isDeepStrictEqual(route[key], want)) changes[key] = want;
  }
  return changes;
}

async function removeSecondPath(api: NgrokApi, store: Store, edgeId: string, findings: Finding[]): Promise<void> {
  for (const route of store.objectsOf('ngrok-edge-route', SECOND)) {
    await deleteIfThere(() => api.deleteRoute(route.parent ?? edgeId, route.id));
    store.forgetObject(route.kind, route.id);
    findings.push(finding.ok(`Second path removed (route ${route.id})`));
  }
  for (const backend of store.objectsOf('ngrok-backend', SECOND)) {
    await deleteIfThere(() => api.deleteTunnelGroupBackend(backend.id));
    store.forgetObject(backend.kind, backend.id);
  }
}
