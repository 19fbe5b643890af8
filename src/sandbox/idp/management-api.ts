// The management API router: authorise the key (401 with an empty body, as FusionAuth), dispatch
// to the resource handlers, and write their results and FusionAuth-shaped errors.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { applicationsApi } from './api-applications';
import { ApiCall, type ApiHandler } from './api-call';
import type { ApiKeyGate } from './api-keys';
import { tenantsApi } from './api-tenants';
import { registrationsApi, usersApi } from './api-users';
import { webhooksApi } from './api-webhooks';
import { ApiError, sendEmpty, sendJson } from './http';
import { FUSIONAUTH_VERSION } from './model';
import type { IdpState } from './state';

const version: ApiHandler = async (call, segments) => {
  if (segments.length > 0) return { status: 404 };
  return call.method === 'GET' ? { status: 200, body: { version: FUSIONAUTH_VERSION } } : { status: 405 };
};

/** Path prefix (after /api/) → handler, most specific first. */
const ROUTES: Array<[string[], ApiHandler]> = [
  [['system', 'version'], version],
  [['application'], applicationsApi],
  [['tenant'], tenantsApi],
  [['user', 'registration'], registrationsApi],
  [['user'], usersApi],
  [['webhook'], webhooksApi],
];

export function createManagementApi(state: IdpState, gate: ApiKeyGate, log: (message: string) => void) {
  return async function handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    try {
      const key = gate.authorize(req, url.pathname, method);
      if (!key) {
        sendEmpty(res, 401);
        return;
      }
      const parts = url.pathname.split('/').filter(Boolean).slice(1).map(decodeURIComponent);
      const route = ROUTES.find(([prefix]) => prefix.every((part, i) => parts[i] === part));
      if (!route) {
        sendEmpty(res, 404);
        return;
      }
      const [prefix, handler] = route;
      const result = await handler(new ApiCall(req, method, url, key, state, gate), parts.slice(prefix.length));
      if (result.body === undefined) sendEmpty(res, result.status);
      else sendJson(res, result.status, result.body);
    } catch (error) {
      if (error instanceof ApiError) {
        if (error.body) sendJson(res, error.status, error.body);
        else sendEmpty(res, error.status);
        return;
      }
      log(`management API ${method} ${url.pathname} failed: ${(error as Error).stack ?? String(error)}`);
      sendJson(res, 500, { generalErrors: [{ code: '[ServerError]', message: (error as Error).message }] });
    }
  };
}
