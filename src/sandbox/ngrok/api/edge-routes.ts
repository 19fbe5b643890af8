// /edges/https/{edge_id}/routes and the module sub-resources
// /edges/https/{edge_id}/routes/{id}/{oidc|ip_restriction|backend|request_headers|response_headers|traffic_policy}.
import { errors } from '../errors';
import { newId } from '../ids';
import {
  nowRfc3339,
  ROUTE_MODULES,
  UNSUPPORTED_ROUTE_MODULES,
  type HttpsEdgeRoute,
  type RouteModuleName,
} from '../model';
import { created, noContent, ok, type ApiDeps, mustGet } from './context';
import { EDGES_PATH } from './edges';
import { parseModule } from './route-modules';
import type { Router } from './router';
import { describe, optObject, optString } from './validate';

type Body = Record<string, unknown>;

function checkMatch(matchType: string | undefined, match: string | undefined): void {
  if (matchType !== undefined && matchType !== 'exact_path' && matchType !== 'path_prefix') {
    throw errors.invalid(`The match_type '${matchType}' is invalid. Valid values are "exact_path" and "path_prefix".`);
  }
  if (match !== undefined && !match.startsWith('/'))
    throw errors.unsupported(`The route selector '${match}' (host selectors)`);
}

/** Applies the modules present in `body` to `route`; checks the combinations ngrok refuses. */
async function applyModules(route: HttpsEdgeRoute, body: Body, deps: ApiDeps): Promise<void> {
  const oidcSet = body.oidc !== undefined && body.oidc !== null;
  if (oidcSet && ((body.oauth ?? null) !== null || (body.saml ?? null) !== null)) throw errors.conflictingAuth();
  if (oidcSet && !route.match.startsWith('/')) throw errors.oidcNeedsPathRoute();
  for (const name of UNSUPPORTED_ROUTE_MODULES) {
    if (body[name] !== undefined && body[name] !== null) throw errors.unsupported(`The ${name} module`);
  }
  for (const name of ROUTE_MODULES) {
    // null is "not specified": modules are removed only through their DELETE sub-resource.
    const value = optObject(body, name);
    if (value === undefined || value === null) continue;
    const parsed = await parseModule(name, value, deps);
    (route as unknown as Record<string, unknown>)[name] = parsed;
  }
}

export function edgeRouteRoutes(router: Router, deps: ApiDeps): void {
  const { account } = deps;
  const findEdge = (id: string) => mustGet(account.httpsEdges, id);
  const findRoute = (edgeId: string, id: string): HttpsEdgeRoute => {
    const route = findEdge(edgeId).routes.find((r) => r.id === id);
    if (!route) throw errors.notFound();
    return route;
  };
  const routesPath = (edgeId: string) => `${EDGES_PATH}/${edgeId}/routes`;

  router.add('POST', `${EDGES_PATH}/{edge_id}/routes`, async ({ params, body }) => {
    const edge = findEdge(params.edge_id!);
    const matchType = optString(body, 'match_type');
    const match = optString(body, 'match');
    if (!matchType) throw errors.invalid("The field 'match_type' is required.");
    if (match === undefined || match === '') throw errors.invalid("The field 'match' is required.");
    if (body.oidc !== undefined && body.oidc !== null && !match.startsWith('/')) throw errors.oidcNeedsPathRoute();
    checkMatch(matchType, match);
    if (edge.routes.some((r) => r.match_type === matchType && r.match === match)) {
      throw errors.invalid(`A route with ${matchType} '${match}' already exists on this edge.`);
    }
    const { description, metadata } = describe(body);
    const id = newId('edghtsrt');
    const route: HttpsEdgeRoute & { policy: null } = {
      edge_id: edge.id,
      id,
      created_at: nowRfc3339(),
      match_type: matchType as HttpsEdgeRoute['match_type'],
      match,
      uri: `${routesPath(edge.id)}/${id}`,
      description: description ?? '',
      metadata: metadata ?? '',
      backend: null,
      ip_restriction: null,
      circuit_breaker: null,
      compression: null,
      request_headers: null,
      response_headers: null,
      webhook_verification: null,
      oauth: null,
      saml: null,
      oidc: null,
      websocket_tcp_converter: null,
      user_agent_filter: null,
      traffic_policy: null,
      policy: null,
    };
    await applyModules(route, body, deps);
    edge.routes.push(route);
    return created(route);
  });

  router.add('GET', `${EDGES_PATH}/{edge_id}/routes/{id}`, ({ params }) => ok(findRoute(params.edge_id!, params.id!)));

  router.add('PATCH', `${EDGES_PATH}/{edge_id}/routes/{id}`, async ({ params, body }) => {
    const route = findRoute(params.edge_id!, params.id!);
    const matchType = optString(body, 'match_type');
    const match = optString(body, 'match');
    checkMatch(matchType, match);
    const { description, metadata } = describe(body);
    // Validate everything on a copy first: a refused update must change nothing.
    const next: HttpsEdgeRoute = structuredClone(route);
    if (matchType) next.match_type = matchType as HttpsEdgeRoute['match_type'];
    if (match) next.match = match;
    if (description !== undefined) next.description = description;
    if (metadata !== undefined) next.metadata = metadata;
    await applyModules(next, body, deps);
    Object.assign(route, next);
    return ok(route);
  });

  router.add('DELETE', `${EDGES_PATH}/{edge_id}/routes/{id}`, ({ params }) => {
    const edge = findEdge(params.edge_id!);
    const route = findRoute(edge.id, params.id!);
    edge.routes = edge.routes.filter((r) => r !== route);
    return noContent;
  });

  for (const name of ROUTE_MODULES) moduleRoutes(router, deps, name, findRoute);
}

function moduleRoutes(
  router: Router,
  deps: ApiDeps,
  name: RouteModuleName,
  findRoute: (edgeId: string, id: string) => HttpsEdgeRoute,
): void {
  const path = `${EDGES_PATH}/{edge_id}/routes/{id}/${name}`;
  router.add('GET', path, ({ params }) => {
    const module = findRoute(params.edge_id!, params.id!)[name];
    if (!module) throw errors.notFound();
    return ok(module);
  });
  router.add('PUT', path, async ({ params, body }) => {
    const route = findRoute(params.edge_id!, params.id!);
    if (name === 'oidc' && !route.match.startsWith('/')) throw errors.oidcNeedsPathRoute();
    const module = await parseModule(name, body, deps);
    (route as unknown as Record<string, unknown>)[name] = module;
    return ok(module);
  });
  router.add('DELETE', path, ({ params }) => {
    const route = findRoute(params.edge_id!, params.id!);
    (route as unknown as Record<string, unknown>)[name] = null;
    return noContent;
  });
}
