// Set Up FusionAuth: the tenant's issuer is the instance URL; an application with the Authorization
// Code and Refresh Token grants; its Client Id and secret kept in the store. Two ways through the same
// screen: by hand (the user clicks in FusionAuth and pastes the Client Id and secret), or with an API
// key (FUSIONAUTH_API_KEY, --fusionauth-api-key-file, or typed here), when the wizard does it all
// (fusionauth-auto.ts). Leaving the Client Id empty is how a user without a key in the environment
// says "I have a key".
import { ISSUER_WHY, fetchDiscovery, issuerMismatch, probeAuthorize, probeClientSecret } from '../core/fusionauth';
import { DEFAULT_APPLICATION_NAME } from '../core/fusionauth';
import { hasExternalKey, hasFusionAuthKey } from '../core/fusionauth';
import { errorFinding, finding, hasErrors, type Finding } from '../core/findings';
import { apiKey, applicationName, clientId, clientSecret, optional } from '../core/validate';
import { fusionauthUrlFor, redirectUriFor } from '../core/settings';
import { applyWithKey, checkWithKey } from './fusionauth-auto';
import { row, type Input, type Step, type StepContext } from './types';
import { labelOf, SECTION_EXPLAIN, SECTION_TITLES } from './catalog';

const typedClientId = (input: Input) => Boolean(input.clientId?.trim());
/** The wizard does the work: a key from outside, or none typed as Client Id and a key typed instead. */
const automated = (input: Input, ctx: StepContext) =>
  hasExternalKey(ctx) || (!typedClientId(input) && Boolean(input.apiKey?.trim()));

/** The issuer, as discovery (and so ngrok) sees it. */
async function issuerFindings(ctx: StepContext, url: string): Promise<{ findings: Finding[]; tokenEndpoint?: string }> {
  try {
    const discovery = await fetchDiscovery(url, ctx.signal);
    const mismatch = issuerMismatch(url, discovery.issuer);
    return {
      findings: [
        mismatch
          ? finding.error(mismatch, `Tenants → Your Tenant → Issuer: set it to ${url} and save. ${ISSUER_WHY}`)
          : finding.ok(`Issuer is ${url}`),
      ],
      tokenEndpoint: discovery.token_endpoint,
    };
  } catch (error) {
    return { findings: [errorFinding(error)] };
  }
}

/** FusionAuth's opinion of the client, asked the way ngrok will: authorize, then the secret at the token endpoint. */
async function clientFindings(
  ctx: StepContext,
  url: string,
  id: string,
  secret: string | undefined,
  tokenEndpoint: string | undefined,
): Promise<Finding[]> {
  const list: Finding[] = [];
  const authorize = await probeAuthorize(url, id, redirectUriFor(ctx), ctx.signal);
  if (!authorize.ok && authorize.reason === 'invalid_client_id') {
    list.push(finding.error(authorize.message, 'Copy the Client Id from Applications → your application → OAuth tab.'));
    return list;
  }
  if (!authorize.ok && authorize.reason === 'grant_type_disabled')
    list.push(
      finding.error(
        authorize.message,
        'Edit the application → OAuth tab → Enabled grants: tick Authorization Code and Refresh Token, then Save.',
      ),
    );
  else list.push(finding.ok(`FusionAuth knows the application ${id}`));
  if (secret && tokenEndpoint) {
    const verdict = await probeClientSecret(tokenEndpoint, id, secret, redirectUriFor(ctx), ctx.signal);
    if (verdict === 'invalid')
      list.push(
        finding.error(
          'FusionAuth rejects this Client secret.',
          "Copy the Client secret again from the application's OAuth tab.",
        ),
      );
    else if (verdict === 'valid') list.push(finding.ok('FusionAuth accepts the Client secret'));
  }
  return list;
}

/** Reads discovery and FusionAuth's opinion of the client; never changes anything. */
async function verify(
  ctx: StepContext,
  id: string | undefined,
  secret: string | undefined,
  withIssuer = true,
): Promise<Finding[]> {
  const url = fusionauthUrlFor(ctx);
  if (!url) return [finding.error('No FusionAuth URL yet.', 'Go back to Before You Start and enter it.')];
  const issuer = withIssuer ? await issuerFindings(ctx, url) : { findings: [], tokenEndpoint: undefined };
  if (withIssuer && !issuer.tokenEndpoint && hasErrors(issuer.findings)) return issuer.findings;
  const tokenEndpoint =
    issuer.tokenEndpoint ?? (await fetchDiscovery(url, ctx.signal).catch(() => undefined))?.token_endpoint;
  return [...issuer.findings, ...(id ? await clientFindings(ctx, url, id, secret, tokenEndpoint) : [])];
}

export const fusionauth: Step = {
  id: 'fusionauth',
  title: SECTION_TITLES.fusionauth,
  explain: SECTION_EXPLAIN.fusionauth,
  instructions: (ctx, input) => {
    const url = fusionauthUrlFor(ctx) ?? 'https://your-fusionauth';
    if (automated(input, ctx)) {
      return [
        `The wizard checks the API key, then shows the tenant's issuer beside ${url} and sets it to ${url} when you agree.`,
        'It proves the issuer by reading discovery exactly as ngrok will.',
        'It creates the application (or finds the one it made before) with the Authorization Code and Refresh Token grants, and keeps its Client Id and secret.',
      ];
    }
    return [
      `Open ${url}/admin and sign in.`,
      `Tenants → Your Tenant → Issuer: change it to ${url} and Save.`,
      'Applications → Add (+): fill out Name (e.g. "ngrok"), then the OAuth tab.',
      'Enabled grants: tick Authorization Code and Refresh Token. Save.',
      'Edit the new application: copy the Client Id and the Client secret below.',
      'Or leave the Client Id empty and give a FusionAuth API key (Settings → API Keys): the wizard then does all of this.',
    ];
  },
  fields: [
    {
      kind: 'text',
      key: 'clientId',
      label: 'Client Id',
      placeholder: 'xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx',
      when: (_input, ctx) => !hasExternalKey(ctx),
      // After a run with a typed key, the key (not a Client Id) is what the screen starts from.
      initial: (ctx) => (ctx.store.values.fusionauthApiKey ? '' : ctx.store.values.clientId),
      validate: optional(clientId),
    },
    {
      kind: 'text',
      key: 'clientSecret',
      label: 'Client secret',
      secret: true,
      when: (input, ctx) => !hasExternalKey(ctx) && typedClientId(input),
      initial: (ctx) => ctx.store.values.clientSecret,
      validate: (t) => clientSecret(t),
    },
    {
      kind: 'text',
      key: 'apiKey',
      label: 'FusionAuth API key',
      secret: true,
      help: 'FusionAuth → Settings → API Keys. No key? Press esc and enter the Client Id and secret instead.',
      when: (input, ctx) => !hasExternalKey(ctx) && !typedClientId(input),
      initial: (ctx) => ctx.store.values.fusionauthApiKey ?? '',
      validate: (t) =>
        t.trim()
          ? apiKey(t, 'The FusionAuth API key')
          : {
              ok: false,
              message:
                'Enter the Client Id and Client secret of the application, or a FusionAuth API key (FUSIONAUTH_API_KEY, --fusionauth-api-key-file) to have the wizard create it.',
            },
    },
    {
      kind: 'text',
      key: 'applicationName',
      label: 'Application name',
      help: 'The application the wizard creates in FusionAuth (or finds again) for ngrok.',
      when: automated,
      // Each profile its own application (`ngrok (shop)`): one site's setup never adopts another's.
      initial: (ctx) =>
        ctx.store.values.applicationName ??
        (ctx.profile ? `${DEFAULT_APPLICATION_NAME} (${ctx.profile})` : DEFAULT_APPLICATION_NAME),
      validate: (t) => applicationName(t),
    },
  ],
  async check(ctx) {
    if (hasFusionAuthKey(ctx)) return checkWithKey(ctx);
    const { clientId: id, clientSecret: secret } = ctx.store.values;
    const list = await verify(ctx, id, secret);
    return { done: Boolean(id && secret) && !hasErrors(list), findings: list };
  },
  async apply(ctx, input) {
    if (automated(input, ctx)) {
      const name = applicationName(input.applicationName ?? '');
      if (!name.ok) return { status: 'failed', findings: [finding.error(name.message)] };
      const typedKey = hasExternalKey(ctx) ? undefined : apiKey(input.apiKey ?? '', 'The FusionAuth API key');
      if (typedKey && !typedKey.ok) return { status: 'failed', findings: [finding.error(typedKey.message)] };
      // Kept before anything is tried: what the user typed survives a failure.
      ctx.store.setValues({
        applicationName: name.value,
        ...(typedKey?.ok ? { fusionauthApiKey: typedKey.value } : {}),
      });
      const result = await applyWithKey(ctx, input, name.value);
      if (result.status !== 'done') return result;
      const { clientId: id, clientSecret: secret } = ctx.store.values;
      const checks = await verify(ctx, id, secret, false);
      return { status: hasErrors(checks) ? 'failed' : 'done', findings: [...result.findings, ...checks] };
    }
    const id = clientId(input.clientId ?? '');
    const secret = clientSecret(input.clientSecret ?? '');
    if (!id.ok || !secret.ok)
      return { status: 'failed', findings: [id, secret].flatMap((r) => (r.ok ? [] : [finding.error(r.message)])) };
    // Saved before checking: what the user pasted is never lost, even if FusionAuth is down. Choosing
    // the manual way drops a key typed earlier, so the later sections do not automate with it.
    ctx.store.setValues({ clientId: id.value, clientSecret: secret.value, fusionauthApiKey: undefined });
    const list = await verify(ctx, id.value, secret.value);
    return { status: hasErrors(list) ? 'failed' : 'done', findings: list };
  },
  summary: (v) => [
    ...row(labelOf('applicationName'), v.applicationName),
    ...row(labelOf('clientId'), v.clientId),
    ...row(labelOf('clientSecret'), v.clientSecret, true),
  ],
};
