// /api/user (retrieve by id or by email) and /api/user/registration (register an existing user to
// an application, retrieve a registration). Users belong to a tenant: looking one up by email on an
// instance with several tenants needs the tenant, as in FusionAuth.
import { randomUUID } from 'node:crypto';
import type { ApiCall, ApiResult } from './api-call';
import { ApiError, FieldErrorList } from './http';
import { clone, getString, isJsonObject, type JsonObject } from './json';

function visibleUser(call: ApiCall, id: string): JsonObject | undefined {
  const user = call.state.user(id);
  const scope = call.tenantScope();
  return user && (!scope || user['tenantId'] === scope) ? user : undefined;
}

function registrationsOf(user: JsonObject): JsonObject[] {
  const registrations = user['registrations'];
  return Array.isArray(registrations) ? registrations.filter(isJsonObject) : [];
}

export async function usersApi(call: ApiCall, segments: string[]): Promise<ApiResult> {
  if (call.method !== 'GET') return { status: 405 };
  const [id, ...rest] = segments;
  if (rest.length > 0) return { status: 404 };
  if (id !== undefined) {
    const user = visibleUser(call, id);
    return user ? { status: 200, body: { user } } : { status: 404 };
  }
  const email = call.query.get('email') ?? call.query.get('loginId');
  if (!email) return { status: 404 };
  const user = call.state.userByEmail(call.requireTenant(), email);
  return user ? { status: 200, body: { user } } : { status: 404 };
}

async function register(call: ApiCall, userId: string): Promise<ApiResult> {
  const user = visibleUser(call, userId);
  const body = (await call.json()) ?? {};
  if (!user) {
    // Without an existing user FusionAuth reads the call as "create this user and register them",
    // which needs the user in the body; the stand-in does not create users.
    const message = isJsonObject(body['user'])
      ? 'The sandbox IdP does not create users; register an existing user (the demo user).'
      : 'Your request is missing the User information as JSON in the entity-body.';
    throw ApiError.fields({
      user: [{ code: isJsonObject(body['user']) ? '[unsupported]user' : '[missing]user', message }],
    });
  }
  const input = await call.requestObject('registration', 'Registration');
  const errors = new FieldErrorList();
  const applicationId = getString(input, 'applicationId');
  const app = applicationId ? call.state.application(applicationId) : undefined;
  if (!applicationId)
    errors.add('registration.applicationId', 'blank', 'You must specify the [applicationId] property.');
  else if (!app || app['tenantId'] !== user['tenantId']) {
    errors.add(
      'registration.applicationId',
      'invalid',
      `The Application Id [${applicationId}] is not valid for this user's tenant.`,
    );
  } else if (registrationsOf(user).some((r) => r['applicationId'] === applicationId)) {
    errors.add('registration.applicationId', 'duplicate', 'The user is already registered for this application.');
  }
  const roles = input['roles'];
  if (roles !== undefined && (!Array.isArray(roles) || roles.some((role) => typeof role !== 'string'))) {
    errors.invalidJson('registration.roles', 'Expected an array of role names.');
  }
  errors.throwIfAny();
  const now = Date.now();
  const registration: JsonObject = {
    data: {},
    preferredLanguages: [],
    tokens: {},
    roles: [],
    ...clone(input),
    id: randomUUID(),
    applicationId: applicationId ?? '',
    verified: true,
    usernameStatus: 'ACTIVE',
    insertInstant: now,
    lastUpdateInstant: now,
  };
  const updated = clone(user);
  updated['registrations'] = [...registrationsOf(user), registration];
  call.state.putUser(updated);
  return { status: 200, body: { registration, user: updated } };
}

export async function registrationsApi(call: ApiCall, segments: string[]): Promise<ApiResult> {
  const [userId, applicationId, ...rest] = segments;
  if (rest.length > 0) return { status: 404 };
  if (call.method === 'POST' && userId !== undefined && applicationId === undefined) return register(call, userId);
  if (call.method === 'POST' && userId === undefined) {
    throw ApiError.general(
      '[unsupported]',
      'The sandbox IdP does not create users; POST /api/user/registration/{userId} to register an existing user.',
    );
  }
  if (call.method === 'GET' && userId !== undefined && applicationId !== undefined) {
    const user = visibleUser(call, userId);
    const registration = user && registrationsOf(user).find((r) => r['applicationId'] === applicationId);
    return registration ? { status: 200, body: { registration } } : { status: 404 };
  }
  return { status: 405 };
}
