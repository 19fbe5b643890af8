// ngrok Traffic Policy documents for the `endpoint` and `agent` modes (NGROK.md, "openid-connect").
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import YAML from 'yaml';

export interface OidcSettings {
  issuerUrl: string;
  clientId: string;
  clientSecret: string;
  scopes?: string[];
}

export const DEFAULT_SCOPES = ['openid', 'profile', 'email'];

export function trafficPolicy(oidc: OidcSettings, forwardInternalUrl?: string): string {
  const actions: unknown[] = [
    {
      type: 'openid-connect',
      config: { issuer_url: oidc.issuerUrl, client_id: oidc.clientId, client_secret: oidc.clientSecret, scopes: oidc.scopes ?? DEFAULT_SCOPES },
    },
  ];
  if (forwardInternalUrl) actions.push({ type: 'forward-internal', config: { url: forwardInternalUrl } });
  return YAML.stringify({ on_http_request: [{ actions }] });
}

/** The policy holds the client secret: 0600, like the store. */
export async function writePolicyFile(file: string, policy: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  await writeFile(file, policy, { mode: 0o600 });
  await chmod(file, 0o600);
}
