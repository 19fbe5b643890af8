// Set Up FusionAuth: the tenant's issuer is the instance URL; an application with the Authorization
// Code and Refresh Token grants; its Client Id and secret kept in the store.
import { ISSUER_WHY, fetchDiscovery, issuerMismatch, probeAuthorize, probeClientSecret } from '../core/fusionauth';
import { finding, hasErrors, type Finding } from '../core/findings';
import { UserError } from '../core/errors';
import { clientId, clientSecret } from '../core/validate';
import { fusionauthUrlFor, redirectUriFor } from './defaults';
import { row, type Step, type StepContext } from './types';

/** Reads discovery and FusionAuth's opinion of the client; never changes anything. */
async function verify(ctx: StepContext, id: string | undefined, secret: string | undefined): Promise<Finding[]> {
  const url = fusionauthUrlFor(ctx);
  if (!url) return [finding.error('No FusionAuth URL yet.', 'Go back to Before You Start and enter it.')];
  const list: Finding[] = [];
  let tokenEndpoint: string | undefined;
  try {
    const discovery = await fetchDiscovery(url, ctx.signal);
    tokenEndpoint = discovery.token_endpoint;
    const mismatch = issuerMismatch(url, discovery.issuer);
    list.push(mismatch ? finding.error(mismatch, `Tenants → Your Tenant → Issuer: set it to ${url} and save. ${ISSUER_WHY}`) : finding.ok(`Issuer is ${url}`));
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    return [finding.error(error.message, error.hint)];
  }
  if (!id) return list;
  const authorize = await probeAuthorize(url, id, redirectUriFor(ctx), ctx.signal);
  if (!authorize.ok && authorize.reason === 'invalid_client_id') {
    list.push(finding.error(authorize.message, 'Copy the Client Id from Applications → your application → OAuth tab.'));
    return list;
  }
  if (!authorize.ok && authorize.reason === 'grant_type_disabled') list.push(finding.error(authorize.message, 'Edit the application → OAuth tab → Enabled grants: tick Authorization Code and Refresh Token, then Save.'));
  else list.push(finding.ok(`FusionAuth knows the application ${id}`));
  if (secret && tokenEndpoint) {
    const verdict = await probeClientSecret(tokenEndpoint, id, secret, redirectUriFor(ctx), ctx.signal);
    if (verdict === 'invalid') list.push(finding.error('FusionAuth rejects this Client secret.', 'Copy the Client secret again from the application\'s OAuth tab.'));
    else if (verdict === 'valid') list.push(finding.ok('FusionAuth accepts the Client secret'));
  }
  return list;
}

export const fusionauth: Step = {
  id: 'fusionauth',
  title: 'Set Up FusionAuth',
  explain: 'Make the tenant\'s issuer the URL of your FusionAuth instance, then create an application for ngrok with the Authorization Code and Refresh Token grants; ngrok logs users in with its Client Id and secret.',
  instructions: (ctx) => {
    const url = fusionauthUrlFor(ctx) ?? 'https://your-fusionauth';
    return [
      `Open ${url}/admin and sign in.`,
      `Tenants → Your Tenant → Issuer: change it to ${url} and Save.`,
      'Applications → Add (+): fill out Name (e.g. "ngrok"), then the OAuth tab.',
      'Enabled grants: tick Authorization Code and Refresh Token. Save.',
      'Edit the new application: copy the Client Id and the Client secret below.',
    ];
  },
  fields: [
    { kind: 'text', key: 'clientId', label: 'Client Id', placeholder: 'xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx', initial: (ctx) => ctx.store.values.clientId, validate: (t) => clientId(t) },
    { kind: 'text', key: 'clientSecret', label: 'Client secret', secret: true, initial: (ctx) => ctx.store.values.clientSecret, validate: (t) => clientSecret(t) },
  ],
  async check(ctx) {
    const { clientId: id, clientSecret: secret } = ctx.store.values;
    const list = await verify(ctx, id, secret);
    return { done: Boolean(id && secret) && !hasErrors(list), findings: list };
  },
  async apply(ctx, input) {
    const id = clientId(input.clientId ?? '');
    const secret = clientSecret(input.clientSecret ?? '');
    if (!id.ok || !secret.ok) return { status: 'failed', findings: [id, secret].flatMap((r) => (r.ok ? [] : [finding.error(r.message)])) };
    // Saved before checking: what the user pasted is never lost, even if FusionAuth is down.
    ctx.store.setValues({ clientId: id.value, clientSecret: secret.value });
    const list = await verify(ctx, id.value, secret.value);
    return { status: hasErrors(list) ? 'failed' : 'done', findings: list };
  },
  summary: (v) => [...row('Client Id', v.clientId), ...row('Client secret', v.clientSecret, true)],
};
