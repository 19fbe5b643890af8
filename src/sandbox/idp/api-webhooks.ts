// /api/webhook: create, list, retrieve, update (PUT), patch, delete. Webhooks belong to the instance,
// not to a tenant, so a tenant-scoped key may not manage them.
import { randomUUID } from 'node:crypto';
import type { ApiCall, ApiResult } from './api-call';
import { ApiError } from './http';
import { withDefaults, type JsonObject } from './json';
import { validateWebhook } from './validate';

function defaults(): JsonObject {
  return {
    data: {},
    eventsEnabled: {},
    global: false,
    headers: {},
    tenantIds: [],
    signatureConfiguration: { enabled: false },
  };
}

function store(call: ApiCall, webhook: JsonObject, id: string, existing: JsonObject | undefined): ApiResult {
  webhook['id'] = id;
  webhook['insertInstant'] = existing?.['insertInstant'] ?? Date.now();
  webhook['lastUpdateInstant'] = Date.now();
  validateWebhook(webhook, (tenantId) => call.state.tenant(tenantId) !== undefined);
  call.state.putWebhook(webhook);
  return { status: 200, body: { webhook } };
}

export async function webhooksApi(call: ApiCall, segments: string[]): Promise<ApiResult> {
  if (call.key.tenantId) throw new ApiError(401);
  const [id, ...rest] = segments;
  if (rest.length > 0) return { status: 404 };
  if (id === undefined) {
    if (call.method === 'GET') return { status: 200, body: { webhooks: call.state.webhooks() } };
    if (call.method !== 'POST') return { status: 405 };
  }
  const existing = id === undefined ? undefined : call.state.webhook(id);
  switch (call.method) {
    case 'POST': {
      const newId = id ?? randomUUID();
      if (existing) {
        throw ApiError.fields({
          webhookId: [{ code: '[duplicate]webhookId', message: `A Webhook with Id [${newId}] already exists.` }],
        });
      }
      const input = await call.requestObject('webhook', 'Webhook');
      return store(call, withDefaults(defaults(), input), newId, undefined);
    }
    case 'GET':
      return existing ? { status: 200, body: { webhook: existing } } : { status: 404 };
    case 'PUT': {
      if (!existing || id === undefined) return { status: 404 };
      const input = await call.requestObject('webhook', 'Webhook');
      return store(call, withDefaults(defaults(), input), id, existing);
    }
    case 'PATCH': {
      if (!existing || id === undefined) return { status: 404 };
      const input = await call.requestObject('webhook', 'Webhook');
      return store(call, call.patch(existing, input), id, existing);
    }
    case 'DELETE':
      if (!existing || id === undefined) return { status: 404 };
      call.state.deleteWebhook(id);
      return { status: 200 };
    default:
      return { status: 405 };
  }
}
