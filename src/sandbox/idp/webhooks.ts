// Event delivery to webhooks, with FusionAuth's three switches: an event goes to a webhook only when
// the tenant has the event enabled, the webhook covers the tenant (global or listed), and the webhook
// has the event enabled. Delivery is a JSON POST, as FusionAuth sends it; the sandbox only ever
// sends to loopback addresses.
import { randomUUID } from 'node:crypto';
import type { JsonObject } from './json';
import { tenantEventEnabled, viewWebhook } from './model';
import type { IdpState } from './state';

export interface WebhookDelivery {
  webhookId: string;
  url: string;
  event: JsonObject;
  /** The receiver's HTTP status; absent when it was not reached. */
  status?: number;
  error?: string;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

export class WebhookSender {
  readonly deliveries: WebhookDelivery[] = [];
  readonly #pending = new Set<Promise<void>>();

  constructor(
    private readonly state: IdpState,
    private readonly log: (message: string) => void,
  ) {}

  /** Sends `{event}` to every webhook the three switches allow; returns at once. */
  fire(tenantId: string, type: string, fields: JsonObject): void {
    const tenant = this.state.tenant(tenantId);
    if (!tenant || !tenantEventEnabled(tenant, type)) return;
    const event: JsonObject = { id: randomUUID(), type, createInstant: Date.now(), tenantId, ...fields };
    for (const webhook of this.state.webhooks().map(viewWebhook)) {
      if (webhook.eventsEnabled[type] !== true) continue;
      if (!webhook.global && !webhook.tenantIds.includes(tenantId)) continue;
      const delivery: WebhookDelivery = { webhookId: webhook.id, url: webhook.url, event };
      this.deliveries.push(delivery);
      const sending = this.#send(delivery, webhook.headers, webhook.username, webhook.password).finally(() =>
        this.#pending.delete(sending),
      );
      this.#pending.add(sending);
    }
  }

  /** Resolves once every delivery under way has finished. */
  async idle(): Promise<void> {
    while (this.#pending.size > 0) await Promise.allSettled([...this.#pending]);
  }

  async #send(
    delivery: WebhookDelivery,
    headers: Record<string, string>,
    username?: string,
    password?: string,
  ): Promise<void> {
    const url = URL.parse(delivery.url);
    if (!url || !LOOPBACK.has(url.hostname)) {
      delivery.error = 'not sent: the sandbox IdP only delivers webhooks to loopback addresses';
      return;
    }
    const auth =
      username !== undefined
        ? { Authorization: `Basic ${Buffer.from(`${username}:${password ?? ''}`).toString('base64')}` }
        : {};
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { ...headers, ...auth, 'Content-Type': 'application/json' },
        body: JSON.stringify({ event: delivery.event }),
        signal: AbortSignal.timeout(10_000),
      });
      delivery.status = response.status;
      await response.body?.cancel();
    } catch (error) {
      delivery.error = (error as Error).message;
      this.log(`webhook ${delivery.url} failed: ${delivery.error}`);
    }
  }
}
