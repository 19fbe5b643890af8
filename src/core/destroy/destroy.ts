// Deleting exactly what this tool created (the objects in the store's `Created`), in dependency order
// (kinds.ts): ngrok routes before their edge, rules before their policy, the domain last; then
// FusionAuth's webhook and application. Each deletion is reported, and forgotten the moment it is
// done; "already gone" counts as deleted, so a rerun finishes what a failed run left. The tenant's
// issuer is left as it is: other applications may rely on it. A mode switch retires the objects of
// the old mode through the same `removeObjects`.
import { finding, type Finding } from '../findings';
import { isAbortError, UserError } from '../errors';
import { openSession } from '../fusionauth';
import { fusionauthKeyFor } from '../fusionauth';
import { forgetVaultValues, NgrokApi } from '../ngrok';
import { ngrokApiUrlFor, ngrokKeyFor } from '../ngrok';
import { deleteIfThere } from '../http';
import { KINDS, type Service, type Services } from './kinds';
import { plannedRemovals, removalOrder } from './removals';
import type { CreatedObject, Store } from '../store';
import { selfCommandQuoted } from '../text';

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

const whoseName = (service: Service) => (service === 'FusionAuth' ? 'FusionAuth ' : '');

/**
 * Deletes `objects` (in dependency order), each through its kind's entry, reporting each; a deleted
 * one is forgotten at once. One that fails is reported and left recorded; an interruption is thrown.
 */
export async function removeObjects(
  services: Services,
  store: Store,
  objects: CreatedObject[],
  signal: AbortSignal,
): Promise<DestroyResult> {
  const findings: Finding[] = [];
  const left: string[] = [];
  for (const object of removalOrder({ objects })) {
    const kind = KINDS[object.kind];
    const label = `${whoseName(kind.service)}${kind.label(object)}`;
    try {
      if (!services.ngrok && kind.service === 'ngrok') throw new UserError('no ngrok API key');
      if (!services.fusionauth && kind.service === 'FusionAuth') throw new UserError('no FusionAuth API key');
      await deleteIfThere(() => kind.remove(services as Required<Services>, object));
      store.forgetObject(object.kind, object.id);
      // The redirect URLs this tool added went with the application.
      if (object.kind === 'fusionauth-application') store.setCreated({ fusionauthRedirectUrls: undefined });
      // FusionAuth's public domain (core/ngrok/fusionauth-domain.ts): its endpoint is the agent's and ended with it.
      if (object.kind === 'ngrok-reserved-domain' && object.role === 'fusionauth')
        store.setValues({ fusionauthPublicUrl: undefined });
      // The settings that name the vault secret went with the vault.
      if (object.kind === 'ngrok-vault') forgetVaultValues(store);
      findings.push(finding.ok(`Deleted the ${label}`));
    } catch (error) {
      if (isAbortError(error) || signal.aborted) throw error;
      const message = error instanceof UserError ? error.message : (error as Error).message;
      findings.push(
        finding.error(`Could not delete the ${label}: ${message}`, error instanceof UserError ? error.hint : undefined),
      );
      left.push(kind.label(object));
    }
  }
  return { findings, left };
}

export async function destroyRemote(ctx: DestroyContext): Promise<DestroyResult> {
  const findings: Finding[] = [];
  const planned = plannedRemovals(ctx.store.created);
  const needs = (service: Service) => planned.some((r) => r.service === service);
  const services: Services = {};
  if (needs('ngrok')) {
    const key = ngrokKeyFor(ctx, ctx.store.values.ngrokApiKey);
    if (key) services.ngrok = new NgrokApi({ apiKey: key.key, baseUrl: ngrokApiUrlFor(ctx.env), signal: ctx.signal });
    else
      findings.push(
        finding.error(
          'ngrok objects were created, but there is no ngrok API key to delete them with.',
          `Set NGROK_API_KEY (or pass --ngrok-api-key-file) and run ${selfCommandQuoted('destroy')} again.`,
        ),
      );
  }
  if (needs('FusionAuth')) {
    const url = ctx.options.fusionauthUrl || ctx.env.FUSIONAUTH_URL || ctx.store.values.fusionauthUrl;
    if (fusionauthKeyFor(ctx)) services.fusionauth = (await openSession(ctx, url, ctx.store.values.tenantId)).api;
    else
      findings.push(
        finding.error(
          'A FusionAuth application was created, but there is no FusionAuth API key to delete it with.',
          `Set FUSIONAUTH_API_KEY (or pass --fusionauth-api-key-file) and run ${selfCommandQuoted('destroy')} again.`,
        ),
      );
  }
  // Without a client for a service, its objects are left as they are, said once above rather than per object.
  const reachable = planned.filter((r) => (r.service === 'ngrok' ? services.ngrok : services.fusionauth));
  const left = planned.filter((r) => !reachable.includes(r)).map((r) => r.label);
  const result = await removeObjects(
    services,
    ctx.store,
    reachable.map((r) => r.object),
    ctx.signal,
  );
  findings.push(...result.findings);
  if (ctx.store.values.fusionauthUrl)
    findings.push(finding.info("The tenant's issuer was left as it is: other applications may rely on it."));
  return { findings, left: [...left, ...result.left] };
}
