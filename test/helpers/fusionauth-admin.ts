// For the FusionAuth step tests: what a person sees in FusionAuth's admin screens, read (and sometimes
// changed) over the sandbox IdP's management API with raw fetch, independently of the client under
// test; and a step context pointed at an IdP with an API key.
import { expect } from 'vitest';
import { Store } from '../../src/core/store';
import type { StepContext } from '../../src/steps/types';
import type { Idp } from '../../src/sandbox/idp/index';
import { tempDir } from './cli';

export const REDIRECT = 'https://idp.ngrok.com/oauth2/callback';

export type Json = Record<string, any>;

export function admin(idp: Idp) {
  const call = async (method: string, path: string, body?: unknown): Promise<Json> => {
    const response = await fetch(`${idp.url}${path}`, {
      method,
      headers: { authorization: idp.apiKey, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    expect(response.status, `${method} ${path}`).toBeLessThan(300);
    return response.headers.get('content-type')?.startsWith('application/json')
      ? ((await response.json()) as Json)
      : {};
  };
  return {
    call,
    applications: async (): Promise<Json[]> => (await call('GET', '/api/application')).applications,
    application: async (id: string): Promise<Json> => (await call('GET', `/api/application/${id}`)).application,
    tenant: async (id = idp.tenantId): Promise<Json> => (await call('GET', `/api/tenant/${id}`)).tenant,
    webhooks: async (): Promise<Json[]> => (await call('GET', '/api/webhook')).webhooks,
    async discoveryIssuer(): Promise<string> {
      return ((await (await fetch(`${idp.url}/.well-known/openid-configuration`)).json()) as Json).issuer;
    },
    createApplication: async (name: string, redirect: string[] = []): Promise<Json> =>
      (
        await call('POST', '/api/application', {
          application: {
            name,
            oauthConfiguration: { enabledGrants: ['authorization_code'], authorizedRedirectURLs: redirect },
          },
        })
      ).application,
    async addRedirect(id: string, uri: string) {
      const application = (await call('GET', `/api/application/${id}`)).application;
      application.oauthConfiguration.authorizedRedirectURLs = [
        ...(application.oauthConfiguration.authorizedRedirectURLs ?? []),
        uri,
      ];
      await call('PUT', `/api/application/${id}`, { application });
    },
  };
}

export interface ContextOptions {
  url?: string;
  apiKey?: string | null;
  configDir?: string;
  signal?: AbortSignal;
  options?: StepContext['options'];
}

/** A step context for the IdP with its key in FUSIONAUTH_API_KEY (null: no key in the environment). */
export function contextFor(idp: Idp, options: ContextOptions = {}): StepContext {
  const env: NodeJS.ProcessEnv = { FUSIONAUTH_URL: options.url ?? idp.url, NGROK_OIDC_REDIRECT_URI: REDIRECT };
  if (options.apiKey !== null) env.FUSIONAUTH_API_KEY = options.apiKey ?? idp.apiKey;
  return {
    store: Store.open(options.configDir ?? tempDir()),
    options: options.options ?? {},
    env,
    signal: options.signal ?? new AbortController().signal,
  };
}

/** The state that must not change on a rerun: every object's id and last update. */
export async function snapshot(idp: Idp): Promise<Json> {
  const a = admin(idp);
  const apps = await a.applications();
  const tenants = (await a.call('GET', '/api/tenant')).tenants as Json[];
  return {
    applications: apps.map((app) => [app.id, app.lastUpdateInstant, app.oauthConfiguration.clientSecret]),
    tenants: tenants.map((t) => [t.id, t.lastUpdateInstant, t.issuer]),
    webhooks: (await a.webhooks()).map((w) => [w.id, w.lastUpdateInstant]),
  };
}
