// A finished setup, made the way a person (or the wizard) makes it, by raw HTTP to the sandbox's
// management APIs: the tenant's issuer, a FusionAuth application, a reserved domain, a cloud endpoint
// (endpoint mode) or a policy file (agent mode), the guide's site folder, and the store's values.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { agentCommandLine } from '../../src/core/agent';
import { GUIDE_INDEX_HTML } from '../../src/core/site';
import { Store, type Values } from '../../src/core/store';
import { unusedPort } from './ports';

export interface IdpWorld {
  url: string;
  apiKey: string;
  tenantId: string;
}

export interface NgrokWorld {
  apiUrl: string;
  apiKey: string;
  redirectUri: string;
}

export async function fusionauthCall(
  idp: IdpWorld,
  method: string,
  pathname: string,
  body?: unknown,
): Promise<Record<string, any>> {
  const res = await fetch(`${idp.url}${pathname}`, {
    method,
    headers: { authorization: idp.apiKey, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${pathname}: ${res.status} ${text}`);
  return text ? (JSON.parse(text) as Record<string, any>) : {};
}

export async function ngrokCall(
  ngrok: NgrokWorld,
  method: string,
  pathname: string,
  body?: unknown,
): Promise<Record<string, any>> {
  const res = await fetch(`${ngrok.apiUrl}${pathname}`, {
    method,
    headers: {
      authorization: `Bearer ${ngrok.apiKey}`,
      'ngrok-version': '2',
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${pathname}: ${res.status} ${text}`);
  return text ? (JSON.parse(text) as Record<string, any>) : {};
}

export const setIssuer = (idp: IdpWorld, issuer: string) =>
  fusionauthCall(idp, 'PATCH', `/api/tenant/${idp.tenantId}`, { tenant: { issuer } });

export function oidcPolicy(
  issuer: string,
  client: { clientId: string; clientSecret: string },
  forwardTo?: string,
): string {
  const actions: unknown[] = [
    {
      type: 'openid-connect',
      config: {
        issuer_url: issuer,
        client_id: client.clientId,
        client_secret: client.clientSecret,
        scopes: ['openid', 'profile', 'email'],
      },
    },
  ];
  if (forwardTo) actions.push({ type: 'forward-internal', config: { url: forwardTo } });
  return JSON.stringify({ on_http_request: [{ actions }] });
}

export interface ProtectedSetup {
  store: Store;
  values: Values;
  clientId: string;
  applicationId: string;
  publicHost: string;
}

/**
 * Makes the world of a finished setup named `name` (the endpoint is https://NAME.ngrok.app) and writes
 * its values into the store at `configDir`. `registerRedirect: false` leaves ngrok's redirect URI out
 * of the application's Authorized redirect URLs.
 */
export async function prepareProtectedSite(
  idp: IdpWorld,
  ngrok: NgrokWorld,
  options: { name: string; configDir: string; mode?: 'endpoint' | 'agent'; registerRedirect?: boolean },
): Promise<ProtectedSetup> {
  const mode = options.mode ?? 'endpoint';
  const host = `${options.name}.ngrok.app`;
  const endpointUrl = `https://${host}`;
  await setIssuer(idp, idp.url);
  const { application } = await fusionauthCall(idp, 'POST', '/api/application', {
    application: {
      name: `protected ${options.name}`,
      oauthConfiguration: {
        enabledGrants: ['authorization_code', 'refresh_token'],
        authorizedRedirectURLs:
          options.registerRedirect === false ? ['https://elsewhere.example.com/callback'] : [ngrok.redirectUri],
        clientAuthenticationPolicy: 'Required',
      },
    },
  });
  const client = {
    clientId: application.oauthConfiguration.clientId as string,
    clientSecret: application.oauthConfiguration.clientSecret as string,
  };
  await ngrokCall(ngrok, 'POST', '/reserved_domains', { domain: host });

  const store = Store.open(options.configDir);
  const siteDir = path.join(options.configDir, '..', `${options.name}-site`);
  mkdirSync(siteDir, { recursive: true });
  writeFileSync(path.join(siteDir, 'index.html'), GUIDE_INDEX_HTML);
  const sitePort = await unusedPort();
  const values: Values = {
    fusionauthUrl: idp.url,
    tenantId: idp.tenantId,
    clientId: client.clientId,
    clientSecret: client.clientSecret,
    redirectUri: ngrok.redirectUri,
    ngrokMode: mode,
    endpointUrl,
    siteDir,
    sitePort,
  };
  if (mode === 'endpoint') {
    const internalUrl = `https://${options.name}.internal`;
    await ngrokCall(ngrok, 'POST', '/endpoints', {
      type: 'cloud',
      url: endpointUrl,
      traffic_policy: oidcPolicy(idp.url, client, internalUrl),
    });
    Object.assign(values, { internalUrl, agentCommand: agentCommandLine({ mode, port: sitePort, internalUrl }) });
  } else {
    // Recorded as the tool's own, as setup records the policy it writes (and the folder made with it).
    const policyFile = store.ownFile('traffic-policy.yml');
    writeFileSync(policyFile, oidcPolicy(idp.url, client), { mode: 0o600 });
    Object.assign(values, {
      policyFile,
      agentCommand: agentCommandLine({ mode, port: sitePort, endpointUrl, policyFile }),
    });
  }
  store.setValues(values);
  return { store, values, clientId: client.clientId, applicationId: application.id as string, publicHost: host };
}
