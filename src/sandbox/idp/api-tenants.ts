// /api/tenant: list, retrieve, create, update (PUT) and patch. The OpenID Provider reads the tenant's
// issuer on every request, so a changed issuer takes effect on the next one.
import { randomUUID } from 'node:crypto';
import type { ApiCall, ApiResult } from './api-call';
import { ApiError } from './http';
import { getString, withDefaults, type JsonObject } from './json';
import { newTenant } from './model';
import { validateTenant } from './validate';

/** The tenant if this call may touch it; a key scoped to another tenant is not authorised (401). */
function reachable(call: ApiCall, id: string): JsonObject | undefined {
  if (call.key.tenantId && call.key.tenantId !== id) throw new ApiError(401);
  return call.state.tenant(id);
}

function checkUniqueName(call: ApiCall, tenant: JsonObject): void {
  const name = getString(tenant, 'name');
  if (name && call.state.tenants().some((other) => other['id'] !== tenant['id'] && other['name'] === name)) {
    throw ApiError.fields({
      'tenant.name': [{ code: '[duplicate]tenant.name', message: `A Tenant with name [${name}] already exists.` }],
    });
  }
}

function store(call: ApiCall, tenant: JsonObject, existing: JsonObject | undefined): ApiResult {
  tenant['insertInstant'] = existing?.['insertInstant'] ?? Date.now();
  tenant['lastUpdateInstant'] = Date.now();
  validateTenant(tenant);
  checkUniqueName(call, tenant);
  call.state.putTenant(tenant);
  return { status: 200, body: { tenant } };
}

async function create(call: ApiCall, requestedId: string | undefined): Promise<ApiResult> {
  if (call.key.tenantId) throw new ApiError(401);
  const input = await call.requestObject('tenant', 'Tenant');
  const id = requestedId ?? randomUUID();
  if (call.state.tenant(id)) {
    throw ApiError.fields({
      tenantId: [{ code: '[duplicate]tenantId', message: `A Tenant with Id [${id}] already exists.` }],
    });
  }
  // A new tenant starts like the default one (issuer acme.com, every event off) under what was sent.
  const tenant = withDefaults(newTenant({ id, name: '', issuer: 'acme.com' }), input);
  tenant['id'] = id;
  return store(call, tenant, undefined);
}

async function update(call: ApiCall, id: string): Promise<ApiResult> {
  const existing = reachable(call, id);
  if (!existing) return { status: 404 };
  const input = await call.requestObject('tenant', 'Tenant');
  const tenant = withDefaults(newTenant({ id, name: '', issuer: '' }), input);
  tenant['id'] = id;
  return store(call, tenant, existing);
}

async function patch(call: ApiCall, id: string): Promise<ApiResult> {
  const existing = reachable(call, id);
  if (!existing) return { status: 404 };
  const input = await call.requestObject('tenant', 'Tenant');
  const tenant = call.patch(existing, input);
  tenant['id'] = id;
  return store(call, tenant, existing);
}

export async function tenantsApi(call: ApiCall, segments: string[]): Promise<ApiResult> {
  const [id, ...rest] = segments;
  if (rest.length > 0) return { status: 404 };
  if (id === undefined) {
    if (call.method === 'GET') {
      const tenants = call.state.tenants().filter((tenant) => !call.key.tenantId || tenant['id'] === call.key.tenantId);
      return { status: 200, body: { tenants } };
    }
    if (call.method === 'POST') return create(call, undefined);
    return { status: 405 };
  }
  switch (call.method) {
    case 'GET': {
      const tenant = reachable(call, id);
      return tenant ? { status: 200, body: { tenant } } : { status: 404 };
    }
    case 'POST':
      return create(call, id);
    case 'PUT':
      return update(call, id);
    case 'PATCH':
      return patch(call, id);
    default:
      return { status: 405 };
  }
}
