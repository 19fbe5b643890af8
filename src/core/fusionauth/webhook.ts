// A webhook fired when a user logs in. FusionAuth sends an event to a webhook only when three switches
// agree: the tenant has the event enabled, the webhook covers the tenant (global or listed), and the
// webhook has the event enabled. Each is brought in line by read–compare–write, then read back.
import { randomUUID } from 'node:crypto';
import type { EventType, TransactionType, Webhook } from '@fusionauth/typescript-client';
import { UserError } from '../errors';
import { ANSWERS } from './answers';
import type { FusionAuthApi } from './client';
import { FusionAuthError } from './errors';
import { CREATED_BY } from './application';
import { MAX_DIR_IN_MARK, whoseMark } from '../ownership';
import type { SetupOwner } from '../store';
import { readTenant } from './tenant';

export const LOGIN_EVENT = 'user.login.success' as EventType;
/** FusionAuth's admin screen defaults; the API requires both. */
export const CONNECT_TIMEOUT_MS = 1000;
export const READ_TIMEOUT_MS = 2000;

const WEBHOOK = (action: string, method: string) => ({ action, method, endpoint: '/api/webhook' });

async function tenantEventEnabled(api: FusionAuthApi, tenantId: string): Promise<boolean> {
  const tenant = await readTenant(api, tenantId);
  return tenant.eventConfiguration?.events?.[LOGIN_EVENT]?.enabled === true;
}

/** Switch 1: the tenant emits user.login.success. PATCH touches only that event. Returns whether it changed. */
export async function ensureTenantEvent(api: FusionAuthApi, tenantId: string): Promise<boolean> {
  if (await tenantEventEnabled(api, tenantId)) return false;
  const events = { [LOGIN_EVENT]: { enabled: true, transactionType: 'None' as TransactionType } } as Record<
    EventType,
    { enabled: boolean; transactionType: TransactionType }
  >;
  await api.call(
    { action: 'enabling the login event on the tenant', method: 'PATCH', endpoint: '/api/tenant' },
    (c) => c.patchTenant(tenantId, { tenant: { eventConfiguration: { events } } }),
    { answer: ANSWERS.unread },
  );
  return true;
}

export async function retrieveWebhook(api: FusionAuthApi, id: string): Promise<Webhook | undefined> {
  try {
    return (
      await api.call(WEBHOOK('reading the webhook', 'GET'), (c) => c.retrieveWebhook(id), { answer: ANSWERS.webhook })
    ).webhook;
  } catch (error) {
    if (error instanceof FusionAuthError && error.status === 404) return undefined;
    throw error;
  }
}

/** One sending to `url`: this setup's first (a create whose answer was lost), else any (it is used, never recorded). */
async function webhookWithUrl(api: FusionAuthApi, url: string, owner: SetupOwner): Promise<Webhook | undefined> {
  const answer = await api.call(WEBHOOK('listing the webhooks', 'GET'), (c) => c.retrieveWebhooks(), {
    answer: ANSWERS.webhooks,
  });
  const same = (answer.webhooks ?? []).filter((w) => w.url === url);
  const mine = (w: Webhook) => {
    const data = w.data as Record<string, unknown> | undefined;
    return whoseMark(data && { tool: data['createdBy'], setupId: data['setupId'] }, CREATED_BY, owner).kind === 'mine';
  };
  return same.find(mine) ?? same[0];
}

/** Switches 2 and 3, and what FusionAuth requires of every webhook; empty when all hold. */
export function webhookDrift(webhook: Webhook, url: string, tenantId: string): string[] {
  const drift: string[] = [];
  if (webhook.url !== url) drift.push(`send to ${url}`);
  if (!webhook.global && !(webhook.tenantIds ?? []).includes(tenantId)) drift.push('cover the tenant');
  if (webhook.eventsEnabled?.[LOGIN_EVENT] !== true) drift.push('enable user.login.success');
  if (!(Number(webhook.connectTimeout) > 0) || !(Number(webhook.readTimeout) > 0)) drift.push('set its timeouts');
  return drift;
}

function inLine(webhook: Webhook, url: string, tenantId: string): Webhook {
  const next: Webhook = structuredClone(webhook);
  next.url = url;
  if (!next.global && !(next.tenantIds ?? []).includes(tenantId))
    next.tenantIds = [...(next.tenantIds ?? []), tenantId];
  next.eventsEnabled = { ...(next.eventsEnabled ?? {}), [LOGIN_EVENT]: true } as Webhook['eventsEnabled'];
  if (!(Number(next.connectTimeout) > 0)) next.connectTimeout = CONNECT_TIMEOUT_MS;
  if (!(Number(next.readTimeout) > 0)) next.readTimeout = READ_TIMEOUT_MS;
  return next;
}

export interface LoginWebhook {
  webhook: Webhook;
  created: boolean;
  /** What was changed on an existing webhook (empty: nothing to do). */
  changed: string[];
  tenantEventChanged: boolean;
}

/**
 * The login webhook in line: the stored one (even if its URL changed), else one already sending to
 * this URL, else a new one whose id `onCreated` receives the moment FusionAuth answers.
 */
export async function ensureLoginWebhook(
  api: FusionAuthApi,
  wanted: { url: string; tenantId: string; storedId?: string; owner: SetupOwner },
  onCreated: (webhook: Webhook) => void,
): Promise<LoginWebhook> {
  const tenantEventChanged = await ensureTenantEvent(api, wanted.tenantId);
  const existing =
    (wanted.storedId && (await retrieveWebhook(api, wanted.storedId))) ||
    (await webhookWithUrl(api, wanted.url, wanted.owner));
  if (existing?.id) {
    const changed = webhookDrift(existing, wanted.url, wanted.tenantId);
    if (!changed.length) return { webhook: existing, created: false, changed, tenantEventChanged };
    const id = existing.id;
    const answer = await api.call(
      WEBHOOK('updating the webhook', 'PUT'),
      (c) => c.updateWebhook(id, { webhook: inLine(existing, wanted.url, wanted.tenantId) }),
      { answer: ANSWERS.webhook },
    );
    return { webhook: answer.webhook ?? existing, created: false, changed, tenantEventChanged };
  }
  const id = randomUUID();
  const webhook: Webhook = {
    url: wanted.url,
    description: 'ngrok-fusionauth: user logins',
    data: {
      createdBy: CREATED_BY,
      setupId: wanted.owner.setupId,
      configDir: wanted.owner.dir.slice(0, MAX_DIR_IN_MARK),
    },
    global: false,
    tenantIds: [wanted.tenantId],
    eventsEnabled: { [LOGIN_EVENT]: true } as Webhook['eventsEnabled'],
    connectTimeout: CONNECT_TIMEOUT_MS,
    readTimeout: READ_TIMEOUT_MS,
  };
  let created: Webhook | undefined;
  try {
    created = (
      await api.call(WEBHOOK('creating the webhook', 'POST'), (c) => c.createWebhook(id, { webhook }), {
        answer: ANSWERS.webhook,
      })
    ).webhook;
  } catch (error) {
    if (!(error instanceof FusionAuthError && error.has('[duplicate]webhookId'))) throw error;
    created = await retrieveWebhook(api, id);
  }
  if (!created?.id) throw new UserError(`FusionAuth did not return the webhook it created (${id}).`);
  onCreated(created);
  return { webhook: created, created: true, changed: [], tenantEventChanged };
}

/** Reads all three switches back; returns what does not hold (empty: a login fires the webhook). */
export async function loginWebhookProblems(
  api: FusionAuthApi,
  webhookId: string,
  url: string,
  tenantId: string,
): Promise<string[]> {
  const problems: string[] = [];
  if (!(await tenantEventEnabled(api, tenantId))) problems.push('the tenant does not emit user.login.success');
  const webhook = await retrieveWebhook(api, webhookId);
  if (!webhook) return [...problems, `webhook ${webhookId} does not exist`];
  return [...problems, ...webhookDrift(webhook, url, tenantId).map((d) => `the webhook does not ${d}`)];
}
