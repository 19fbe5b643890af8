// The management API router: authorise the key (401 with an empty body, as FusionAuth), dispatch
// to the resource handlers, and write their results and FusionAuth-shaped errors.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiTapCounter } from '../api-tap';
import { applicationsApi } from './api-applications';
import { ApiCall, type ApiHandler, type ApiResult } from './api-call';
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

export function createManagementApi(
  state: IdpState,
  gate: ApiKeyGate,
  log: (message: string) => void,
  tap?: ApiTapCounter,
) {
  async function result(req: IncomingMessage, url: URL, method: string): Promise<ApiResult> {
    try {
      const key = gate.authorize(req, url.pathname, method);
      if (!key) return { status: 401 };
      const parts = url.pathname.split('/').filter(Boolean).slice(1).map(decodeURIComponent);
      const route = ROUTES.find(([prefix]) => prefix.every((part, i) => parts[i] === part));
      if (!route) return { status: 404 };
      const [prefix, handler] = route;
      return await handler(new ApiCall(req, method, url, key, state, gate), parts.slice(prefix.length));
    } catch (error) {
      if (error instanceof ApiError) return { status: error.status, body: error.body };
      log(`management API ${method} ${url.pathname} failed: ${(error as Error).stack ?? String(error)}`);
      return { status: 500, body: { generalErrors: [{ code: '[ServerError]', message: (error as Error).message }] } };
    }
  }

  return async function handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    // A tap (tests) may hold the call, drop it (no answer at all), or hold only its answer.
    const turn = tap ? await tap.arrive('fusionauth', req).catch(() => undefined) : undefined;
    if (tap && !turn) return void res.destroy();
    const answer = await result(req, url, method);
    await turn?.answering();
    if (answer.body === undefined) sendEmpty(res, answer.status);
    else sendJson(res, answer.status, answer.body);
    turn?.answered(answer.status);
  };
}
