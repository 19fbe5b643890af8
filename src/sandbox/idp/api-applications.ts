// /api/application: create, retrieve, list, search, update (PUT), patch, soft and hard delete.
import { randomUUID } from 'node:crypto';
import type { ApiCall, ApiResult } from './api-call';
import { ApiError } from './http';
import { clone, getObject, getString, withDefaults, type JsonObject } from './json';
import { applicationDefaults, newSecret } from './model';
import { validateApplication } from './validate';

const NOT_FOUND: ApiResult = { status: 404 };

/** The application if this call may see it: a tenant-scoped call sees only its tenant's. */
function visible(call: ApiCall, id: string): JsonObject | undefined {
  const app = call.state.application(id);
  if (!app) return undefined;
  const scope = call.tenantScope();
  return scope && app['tenantId'] !== scope ? undefined : app;
}

/**
 * FusionAuth keeps the old boolean and the newer policy in step: a request that sets only one of
 * them gets the other derived from it.
 */
function syncClientAuthentication(stored: JsonObject, requested: JsonObject | undefined): void {
  const oauth = getObject(stored, 'oauthConfiguration');
  if (!oauth) return;
  const input = requested ?? {};
  if (typeof input['clientAuthenticationPolicy'] === 'string') {
    oauth['requireClientAuthentication'] = input['clientAuthenticationPolicy'] === 'Required';
  } else if (typeof input['requireClientAuthentication'] === 'boolean') {
    oauth['clientAuthenticationPolicy'] = input['requireClientAuthentication'] ? 'Required' : 'NotRequired';
  }
}

/** What never changes through the API: id, tenant, clientId (= id), creation time. */
function pin(
  stored: JsonObject,
  fixed: { id: string; tenantId: string; insertInstant: number; clientSecret: string },
): void {
  stored['id'] = fixed.id;
  stored['tenantId'] = fixed.tenantId;
  stored['insertInstant'] = fixed.insertInstant;
  stored['lastUpdateInstant'] = Date.now();
  const oauth = getObject(stored, 'oauthConfiguration');
  if (oauth) {
    oauth['clientId'] = fixed.id;
    if (typeof oauth['clientSecret'] !== 'string' || oauth['clientSecret'] === '')
      oauth['clientSecret'] = fixed.clientSecret;
  }
}

function siblings(call: ApiCall, tenantId: string): JsonObject[] {
  return call.state.applications().filter((app) => app['tenantId'] === tenantId);
}

type Pinned = Parameters<typeof pin>[1];

/** The end of every write: what the server owns pinned, validated, client authentication synced, stored. */
function commit(call: ApiCall, stored: JsonObject, input: JsonObject, fixed: Pinned): ApiResult {
  pin(stored, fixed);
  validateApplication(stored, { siblings: siblings(call, fixed.tenantId), selfId: fixed.id });
  syncClientAuthentication(stored, getObject(input, 'oauthConfiguration'));
  call.state.putApplication(stored);
  return { status: 200, body: { application: stored } };
}

/** What an update keeps of the stored application: its id, tenant, creation time and secret. */
function pinnedFrom(existing: JsonObject): Pinned {
  const secret = getString(getObject(existing, 'oauthConfiguration') ?? {}, 'clientSecret') ?? newSecret();
  return {
    id: getString(existing, 'id') ?? '',
    tenantId: getString(existing, 'tenantId') ?? '',
    insertInstant: Number(existing['insertInstant']),
    clientSecret: secret,
  };
}

async function create(call: ApiCall, requestedId: string | undefined): Promise<ApiResult> {
  const tenantId = call.requireTenant();
  const input = await call.requestObject('application', 'Application');
  const id = requestedId ?? randomUUID();
  if (call.state.application(id)) {
    throw ApiError.fields({
      applicationId: [{ code: '[duplicate]applicationId', message: `An Application with Id [${id}] already exists.` }],
    });
  }
  const stored = withDefaults(applicationDefaults(), input);
  stored['active'] = true;
  stored['state'] = 'Active';
  return commit(call, stored, input, { id, tenantId, insertInstant: Date.now(), clientSecret: newSecret() });
}

function list(call: ApiCall): ApiResult {
  const scope = call.tenantScope();
  const inactive = call.query.get('inactive') === 'true';
  const applications = call.state
    .applications()
    .filter((app) => (!scope || app['tenantId'] === scope) && (app['active'] !== false) !== inactive);
  return { status: 200, body: { applications } };
}

async function update(call: ApiCall, id: string): Promise<ApiResult> {
  const existing = visible(call, id);
  if (!existing) return NOT_FOUND;
  if (call.query.get('reactivate') === 'true') {
    const reactivated = { ...clone(existing), active: true, state: 'Active', lastUpdateInstant: Date.now() };
    call.state.putApplication(reactivated);
    return { status: 200, body: { application: reactivated } };
  }
  const input = await call.requestObject('application', 'Application');
  const stored = withDefaults(applicationDefaults(), input);
  stored['active'] = existing['active'] ?? true;
  stored['state'] = existing['state'] ?? 'Active';
  return commit(call, stored, input, pinnedFrom(existing));
}

async function patch(call: ApiCall, id: string): Promise<ApiResult> {
  const existing = visible(call, id);
  if (!existing) return NOT_FOUND;
  const input = await call.requestObject('application', 'Application');
  return commit(call, call.patch(existing, input), input, pinnedFrom(existing));
}

function remove(call: ApiCall, id: string): ApiResult {
  const existing = visible(call, id);
  if (!existing) return NOT_FOUND;
  if (call.query.get('hardDelete') === 'true') {
    call.state.deleteApplication(id);
  } else {
    // A soft delete only deactivates: the application is still retrievable by id and listed with
    // ?inactive=true, its name is still taken, and it can no longer be used to log in.
    call.state.putApplication({ ...clone(existing), active: false, state: 'Inactive', lastUpdateInstant: Date.now() });
  }
  return { status: 200 };
}

/** FusionAuth's name criteria: case-insensitive, `*` a wildcard, no wildcard at all means `*value*`. */
function nameMatcher(criteria: string | undefined): (name: string) => boolean {
  if (!criteria || criteria.trim() === '') return () => true;
  const pattern = criteria.includes('*') ? criteria : `*${criteria}*`;
  const regex = new RegExp(
    `^${pattern
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
    'i',
  );
  return (name) => regex.test(name);
}

async function search(call: ApiCall): Promise<ApiResult> {
  const criteria = await call.requestObject('search', 'Search');
  const scope = call.tenantScope();
  const matches = nameMatcher(getString(criteria, 'name'));
  const tenantId = getString(criteria, 'tenantId');
  const state = getString(criteria, 'state');
  const found = call.state
    .applications()
    .filter((app) => (!scope || app['tenantId'] === scope) && (!tenantId || app['tenantId'] === tenantId))
    .filter((app) => (!state || app['state'] === state) && matches(getString(app, 'name') ?? ''))
    .sort((a, b) => (getString(a, 'name') ?? '').localeCompare(getString(b, 'name') ?? ''));
  if (/\bdesc\b/i.test(getString(criteria, 'orderBy') ?? '')) found.reverse();
  const startRow = typeof criteria['startRow'] === 'number' ? criteria['startRow'] : 0;
  const numberOfResults = typeof criteria['numberOfResults'] === 'number' ? criteria['numberOfResults'] : 25;
  return {
    status: 200,
    body: { applications: found.slice(startRow, startRow + numberOfResults), total: found.length },
  };
}

export async function applicationsApi(call: ApiCall, segments: string[]): Promise<ApiResult> {
  const [first, ...rest] = segments;
  if (rest.length > 0) return NOT_FOUND;
  if (first === 'search') {
    if (call.method !== 'POST') return { status: 405 };
    return search(call);
  }
  if (first === undefined) {
    if (call.method === 'POST') return create(call, undefined);
    if (call.method === 'GET') return list(call);
    return { status: 405 };
  }
  switch (call.method) {
    case 'POST':
      return create(call, first);
    case 'GET': {
      const app = visible(call, first);
      return app ? { status: 200, body: { application: app } } : NOT_FOUND;
    }
    case 'PUT':
      return update(call, first);
    case 'PATCH':
      return patch(call, first);
    case 'DELETE':
      return remove(call, first);
    default:
      return { status: 405 };
  }
}
