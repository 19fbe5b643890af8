// The key check, the tenant, and the issuer: read it, set it, then prove it the way ngrok will see it
// (discovery's `issuer`, character for character).
import type { Tenant } from '@fusionauth/typescript-client';
import { UserError } from '../errors';
import { ANSWERS } from './answers';
import type { FusionAuthApi } from './client';
import { fetchDiscovery, issuerMismatch } from './discovery';
import { retry } from '../http';

export interface TenantInfo {
  id: string;
  name: string;
  issuer: string;
}

const info = (tenant: Tenant): TenantInfo => ({
  id: tenant.id ?? '',
  name: tenant.name ?? '',
  issuer: tenant.issuer ?? '',
});

/** GET /api/system/version: the cheapest call that proves the key; a fresh key's 401 is retried. */
export async function checkKey(api: FusionAuthApi): Promise<string> {
  const answer = await api.call(
    { action: 'checking the API key', method: 'GET', endpoint: '/api/system/version' },
    (c) => c.retrieveVersion(),
    { freshKey: true, answer: ANSWERS.version },
  );
  return answer.version ?? 'unknown';
}

/** The tenants this key sees: all of them, or only its own when the key is tenant-scoped. */
export async function listTenants(api: FusionAuthApi): Promise<TenantInfo[]> {
  const answer = await api.call(
    { action: 'listing the tenants', method: 'GET', endpoint: '/api/tenant' },
    (c) => c.retrieveTenants(),
    { answer: ANSWERS.tenants },
  );
  return (answer.tenants ?? []).map(info).filter((t) => t.id);
}

export async function readTenant(api: FusionAuthApi, tenantId: string): Promise<Tenant> {
  const answer = await api.call(
    { action: 'reading the tenant', method: 'GET', endpoint: '/api/tenant' },
    (c) => c.retrieveTenant(tenantId),
    { answer: ANSWERS.tenant },
  );
  if (!answer.tenant) throw new UserError(`FusionAuth returned no tenant ${tenantId}.`);
  return answer.tenant;
}

/** PATCH only the issuer: nothing else of the tenant is touched. */
export async function setIssuer(api: FusionAuthApi, tenantId: string, issuer: string): Promise<void> {
  await api.call(
    { action: "setting the tenant's issuer", method: 'PATCH', endpoint: '/api/tenant' },
    (c) => c.patchTenant(tenantId, { tenant: { issuer } }),
    { answer: ANSWERS.unread },
  );
}

export type IssuerProof = { ok: true; issuer: string } | { ok: false; issuer: string; message: string };

class StaleIssuer extends Error {
  constructor(
    message: string,
    readonly issuer: string,
  ) {
    super(message);
  }
}

/**
 * Fetches discovery as ngrok will (`<url>/.well-known/openid-configuration`) and compares its issuer
 * with the URL exactly. Right after a change a FusionAuth cluster may answer from a cache for a moment:
 * `settle` retries a mismatch briefly.
 */
/**
 * `via`: where this machine fetches the document from when that is not `url` itself: FusionAuth
 * published through ngrok is proven through its public endpoint (in the sandbox, the loopback port
 * of its stand-in cloud), the way ngrok's cloud will read it.
 */
export async function proveIssuer(url: string, signal: AbortSignal, settle = false, via = url): Promise<IssuerProof> {
  try {
    const issuer = await retry(
      async () => {
        const discovery = await fetchDiscovery(via, signal);
        const mismatch = issuerMismatch(url, discovery.issuer);
        if (mismatch) throw new StaleIssuer(mismatch, discovery.issuer);
        return discovery.issuer;
      },
      {
        signal,
        attempts: settle ? 4 : 1,
        baseMs: 300,
        retryAfter: (error) => (error instanceof StaleIssuer ? 0 : undefined),
      },
    );
    return { ok: true, issuer };
  } catch (error) {
    if (error instanceof StaleIssuer) return { ok: false, issuer: error.issuer, message: error.message };
    throw error;
  }
}
