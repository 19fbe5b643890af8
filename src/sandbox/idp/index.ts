// The FusionAuth stand-in of the sandbox: FusionAuth's management API and an OpenID Provider on
// FusionAuth's paths, on 127.0.0.1, behaving like a fresh FusionAuth 1.69 instance (one tenant
// whose issuer is "acme.com", the FusionAuth admin application, one demo user). It is strict where
// FusionAuth is strict: it exists to catch our client's mistakes.
import { createServer } from 'node:http';
import { listen } from '../net';
import type { ApiTapCounter } from '../api-tap';
import { ApiKeyGate } from './api-keys';
import { getString } from './json';
import { OidcProviders } from './oidc';
import { OidcStore } from './oidc-store';
import { createRequestHandler } from './server';
import { IdpState, type ApiKeyOptions } from './state';
import { WebhookSender, type WebhookDelivery } from './webhooks';

export type { ApiKeyOptions } from './state';
export type { WebhookDelivery } from './webhooks';

const DEMO_EMAIL = 'demo@example.com';
const DEMO_PASSWORD = 'sandbox-demo-1';

export interface IdpOptions {
  /** 0 (the default): an ephemeral port. */
  port?: number;
  /** Persist the state as JSON here and reload it on the next start. */
  dataDir?: string;
  /** The main API key (all permissions, all tenants); generated if absent and nothing is persisted. */
  apiKey?: string;
  /** More keys: tenant-scoped, with limited endpoint permissions, or 401 for their first N calls. */
  apiKeys?: ApiKeyOptions[];
  /** Make it a multi-tenant instance: a second tenant (with its own copy of the demo user). */
  secondTenant?: boolean | { id?: string; name?: string; issuer?: string };
  /** Where server-side failures are reported; by default stderr when NGROK_FUSIONAUTH_DEBUG is set. */
  log?: (message: string) => void;
  /** Sees (and may hold) each management API request as it arrives; see ../api-tap.ts. */
  tap?: ApiTapCounter;
}

export interface Idp {
  /** http://127.0.0.1:PORT */
  url: string;
  apiKey: string;
  /** The default tenant. */
  tenantId: string;
  /** The second tenant, when `secondTenant` was asked for. */
  secondTenantId: string | undefined;
  demoUser: { email: string; password: string; id: string };
  /** Every webhook delivery attempted so far, in order. */
  webhookDeliveries: readonly WebhookDelivery[];
  /** Adds (or replaces) an API key while running, e.g. one scoped to `secondTenantId`. */
  addApiKey(key: ApiKeyOptions): void;
  /** Resolves once the webhook deliveries under way have finished. */
  webhooksSettled(): Promise<void>;
  close(): Promise<void>;
}

function defaultLog(message: string): void {
  if (process.env['NGROK_FUSIONAUTH_DEBUG']) process.stderr.write(`[sandbox idp] ${message}\n`);
}

export async function startIdp(options: IdpOptions = {}): Promise<Idp> {
  const log = options.log ?? defaultLog;
  const state = IdpState.open({
    dataDir: options.dataDir,
    apiKey: options.apiKey,
    apiKeys: options.apiKeys,
    secondTenant: options.secondTenant,
    demoEmail: DEMO_EMAIL,
    demoPassword: DEMO_PASSWORD,
  });
  const server = createServer();
  // A remembered port must be had (the issuer and every URL FusionAuth gave out name it): taken, the
  // sandbox starts again on fresh ports as a whole (sandbox/index.ts).
  const port = await listen(server, options.port, options.port !== undefined);
  const url = `http://127.0.0.1:${port}`;
  const store = new OidcStore();
  const webhooks = new WebhookSender(state, log);
  const providers = new OidcProviders({ state, store, baseUrl: url, log });
  const demoHint = { email: DEMO_EMAIL, password: DEMO_PASSWORD };
  server.on(
    'request',
    createRequestHandler({
      state,
      gate: new ApiKeyGate(state),
      store,
      providers,
      webhooks,
      demoHint,
      log,
      tap: options.tap,
    }),
  );

  const tenantId = state.defaultTenantId;
  const secondTenantId = getString(state.tenants()[1], 'id');
  return {
    url,
    apiKey: options.apiKey ?? state.apiKeys[0]?.key ?? '',
    tenantId,
    secondTenantId,
    demoUser: {
      email: DEMO_EMAIL,
      password: DEMO_PASSWORD,
      id: getString(state.userByEmail(tenantId, DEMO_EMAIL), 'id') ?? '',
    },
    webhookDeliveries: webhooks.deliveries,
    addApiKey: (key) => {
      state.putApiKey(key);
      state.save();
    },
    webhooksSettled: () => webhooks.idle(),
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await Promise.all([closed, webhooks.idle()]);
    },
  };
}
