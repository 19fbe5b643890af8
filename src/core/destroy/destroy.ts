// Deleting exactly what this tool created (the ids in the store's `Created`), in dependency order:
// ngrok routes before their edge, rules before their policy, the domain last; then FusionAuth's
// webhook and application. "Already gone" counts as deleted, so a rerun finishes what a failed run
// left. The tenant's issuer is left as it is: other applications may rely on it.
import { finding, type Finding } from '../findings';
import { isAbortError, UserError } from '../errors';
import { openSession } from '../fusionauth';
import { fusionauthKeyFor } from '../fusionauth';
import { NgrokApi } from '../ngrok';
import { removeVaultSecret, retireEndpoint } from '../ngrok';
import { ngrokApiUrlFor, ngrokKeyFor } from '../ngrok';
import { deleteIfThere } from '../http';
import { plannedRemovals, type Removal } from './removals';
import type { Store } from '../store';

export interface DestroyContext {
  store: Store;
  options: { fusionauthApiKeyFile?: string; ngrokApiKeyFile?: string; fusionauthUrl?: string };
  env: NodeJS.ProcessEnv;
  signal: AbortSignal;
}

export interface DestroyResult {
  findings: Finding[];
  /** What is still there (kept in the store for the next try). */
  left: string[];
}

export async function destroyRemote(ctx: DestroyContext): Promise<DestroyResult> {
  const findings: Finding[] = [];
  const left: string[] = [];
  const attempt = async (label: string, run: () => Promise<void>) => {
    try {
      await run();
      findings.push(finding.ok(`Deleted the ${label}`));
    } catch (error) {
      if (isAbortError(error) || ctx.signal.aborted) throw error;
      const message = error instanceof UserError ? error.message : (error as Error).message;
      findings.push(
        finding.error(`Could not delete the ${label}: ${message}`, error instanceof UserError ? error.hint : undefined),
      );
      left.push(label);
    }
  };

  const planned = plannedRemovals(ctx.store.created);
  const labelsOf = (service: Removal['service']) => planned.filter((r) => r.service === service).map((r) => r.label);
  if (labelsOf('ngrok').length) {
    const key = ngrokKeyFor(ctx, ctx.store.values.ngrokApiKey);
    if (!key) {
      findings.push(
        finding.error(
          'ngrok objects were created, but there is no ngrok API key to delete them with.',
          'Set NGROK_API_KEY (or pass --ngrok-api-key-file) and run destroy again.',
        ),
      );
      left.push(...labelsOf('ngrok'));
    } else {
      const api = new NgrokApi({ apiKey: key.key, baseUrl: ngrokApiUrlFor(ctx.env), signal: ctx.signal });
      await destroyNgrok(api, ctx.store, attempt);
    }
  }

  const { fusionauthWebhookId, fusionauthApplicationId } = ctx.store.created;
  if (fusionauthWebhookId || fusionauthApplicationId) {
    const url = ctx.options.fusionauthUrl || ctx.env.FUSIONAUTH_URL || ctx.store.values.fusionauthUrl;
    if (!fusionauthKeyFor(ctx)) {
      findings.push(
        finding.error(
          'A FusionAuth application was created, but there is no FusionAuth API key to delete it with.',
          'Set FUSIONAUTH_API_KEY (or pass --fusionauth-api-key-file) and run destroy again.',
        ),
      );
      left.push(...labelsOf('FusionAuth'));
    } else {
      const session = await openSession(ctx, url, ctx.store.values.tenantId);
      if (fusionauthWebhookId) {
        await attempt(`login webhook ${fusionauthWebhookId}`, async () => {
          await deleteIfThere(() =>
            session.api.call(
              { action: 'deleting the login webhook', method: 'DELETE', endpoint: '/api/webhook' },
              (c) => c.deleteWebhook(fusionauthWebhookId),
              { emptyBody: true },
            ),
          );
          ctx.store.setCreated({ fusionauthWebhookId: undefined });
        });
      }
      if (fusionauthApplicationId) {
        await attempt(`FusionAuth application ${fusionauthApplicationId}`, async () => {
          await deleteIfThere(() =>
            session.api.call(
              { action: 'deleting the application', method: 'DELETE', endpoint: '/api/application' },
              (c) => c.deleteApplication(fusionauthApplicationId),
              { emptyBody: true },
            ),
          );
          // The redirect URLs this tool added went with the application.
          ctx.store.setCreated({ fusionauthApplicationId: undefined, fusionauthRedirectUrls: undefined });
        });
      }
    }
  }
  if (ctx.store.values.fusionauthUrl)
    findings.push(finding.info("The tenant's issuer was left as it is: other applications may rely on it."));
  return { findings, left };
}

async function destroyNgrok(
  api: NgrokApi,
  store: Store,
  attempt: (label: string, run: () => Promise<void>) => Promise<void>,
): Promise<void> {
  const c = store.created;
  if (c.edgeId) {
    const edgeId = c.edgeId;
    await attempt(`HTTPS edge ${edgeId} and its routes`, async () => {
      for (const key of ['secondRouteId', 'routeId'] as const) {
        const id = store.created[key];
        if (id) await deleteIfThere(() => api.deleteRoute(edgeId, id));
        store.setCreated({ [key]: undefined });
      }
      await deleteIfThere(() => api.deleteEdge(edgeId));
      store.setCreated({ edgeId: undefined });
    });
  }
  for (const key of ['secondBackendId', 'backendId'] as const) {
    const id = store.created[key];
    if (id)
      await attempt(`tunnel-group backend ${id}`, async () => {
        await deleteIfThere(() => api.deleteTunnelGroupBackend(id));
        store.setCreated({ [key]: undefined });
      });
  }
  const endpointId = store.created.endpointId;
  if (endpointId)
    await attempt(`cloud endpoint ${endpointId}`, async () => void (await retireEndpoint(api, store, endpointId)));
  // After the endpoint whose policy reads it: the secret, then its vault.
  if (store.created.vaultId || store.created.vaultSecretId)
    await attempt(`vault ${store.created.vaultId ?? ''} and its client secret`.replace('  ', ' '), () =>
      removeVaultSecret(api, store),
    );
  const { ipPolicyId, ipPolicyRuleIds } = store.created;
  if (ipPolicyId || ipPolicyRuleIds?.length)
    await attempt(`IP policy ${ipPolicyId ?? ''}`.trim(), async () => {
      for (const rule of ipPolicyRuleIds ?? []) {
        await deleteIfThere(() => api.deleteIpPolicyRule(rule));
        store.setCreated({ ipPolicyRuleIds: (store.created.ipPolicyRuleIds ?? []).filter((r) => r !== rule) });
      }
      store.setCreated({ ipPolicyRuleIds: undefined });
      if (ipPolicyId) await deleteIfThere(() => api.deleteIpPolicy(ipPolicyId));
      store.setCreated({ ipPolicyId: undefined });
    });
  const domainId = store.created.reservedDomainId;
  if (domainId)
    await attempt(`reserved domain ${domainId}`, async () => {
      await deleteIfThere(() => api.deleteReservedDomain(domainId));
      store.setCreated({ reservedDomainId: undefined });
    });
}
