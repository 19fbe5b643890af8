// Before You Start: the ngrok agent (v3) with an authtoken, python3, and a FusionAuth instance on a
// public URL whose issuer is right.
import { agentVersion, authtokenFinding, authtokenState, ngrokBin, pythonFinding, versionFinding } from '../core/agent';
import { checkKey, describeKeySource, fusionauthUrlFindings, hasExternalKey, openSession } from '../core/fusionauth';
import { errorFinding, finding, hasErrors, type Finding } from '../core/findings';
import {
  NgrokApi,
  describeNgrokKeySource,
  hasExternalNgrokKey,
  ngrokApiUrlFor,
  ngrokKeyFor,
  reserveFusionAuthDomain,
} from '../core/ngrok';
import { fusionauthUrl, isPrivateHost } from '../core/validate';
import { fusionauthUrlFor, ngrokModeFor } from '../core/settings';
import { row, type ApplyResult, type Step, type StepContext } from './types';
import { labelOf, SECTION_EXPLAIN, SECTION_TITLES } from './catalog';

/** A check that ends in a finding: its UserError is the error finding; the user's stop stays a stop. */
async function asFinding(ctx: StepContext, check: () => Promise<Finding>): Promise<Finding> {
  try {
    return await check();
  } catch (error) {
    if (ctx.signal.aborted) throw error;
    return errorFinding(error);
  }
}

/**
 * Each key given outside the wizard (flag or environment) shown to its API with the cheapest call that
 * needs a key, before any section changes anything: a wrong ngrok key found only at Set Up ngrok would
 * leave the FusionAuth application made before it. FusionAuth: GET /api/system/version, which needs a
 * key (shared/reference/fusionauth-openapi.yaml: the document-wide `security: ApiKeyAuth`, not lifted
 * for this path). ngrok: GET /reserved_domains?limit=1. Keys typed into the wizard are checked on the
 * screen they are typed on; the ngrok key is not asked for when the mode does not use it (agent).
 */
async function keyFindings(ctx: StepContext, url: string | undefined): Promise<Finding[]> {
  const checks: Array<Promise<Finding>> = [];
  if (url && hasExternalKey(ctx)) {
    checks.push(
      asFinding(ctx, async () => {
        const { api, key } = await openSession(ctx, url);
        return finding.ok(`FusionAuth ${await checkKey(api)} accepts ${describeKeySource(key.source)}`);
      }),
    );
  }
  if (hasExternalNgrokKey(ctx) && ngrokModeFor(ctx) !== 'agent') {
    checks.push(
      asFinding(ctx, async () => {
        const key = ngrokKeyFor(ctx, undefined)!;
        await new NgrokApi({ apiKey: key.key, baseUrl: ngrokApiUrlFor(ctx.env), signal: ctx.signal }).checkKey();
        return finding.ok(`ngrok accepts the API key (${describeNgrokKeySource(key)})`);
      }),
    );
  }
  return Promise.all(checks);
}

async function findings(ctx: StepContext, fusionauthUrl: string | undefined) {
  const bin = ngrokBin(ctx.env);
  const [version, token, python] = await Promise.all([
    agentVersion(bin, ctx.signal),
    authtokenState(bin, ctx.env, ctx.signal),
    pythonFinding(ctx.signal),
  ]);
  // The mode's floor once a mode is chosen (flag or store); before that, a warning for edge-only agents.
  const list = [versionFinding(version, bin, ctx.options.ngrokMode ?? ctx.store.values.ngrokMode)];
  if (version.found) list.push(authtokenFinding(token));
  list.push(python);
  const urlFindings = fusionauthUrl
    ? await fusionauthUrlFindings(fusionauthUrl, ctx.signal, {
        sandbox: ctx.options.sandbox,
        privateInSandbox: ctx.sandboxPrivateFusionAuth,
        publishedAt: ctx.store.values.fusionauthPublicUrl,
      })
    : [finding.info('FusionAuth URL not given yet.')];
  list.push(...urlFindings);
  // A FusionAuth that cannot be reached has been said above: its key is not tried too.
  list.push(...(await keyFindings(ctx, hasErrors(urlFindings) ? undefined : fusionauthUrl)));
  return list;
}

/**
 * Whether ngrok's cloud cannot reach FusionAuth at this URL: a loopback or private address (in the
 * sandbox, only when it models a FusionAuth that only this machine reaches).
 */
function cloudCannotReach(ctx: StepContext, url: string): boolean {
  if (!isPrivateHost(new URL(url).hostname)) return false;
  return !ctx.options.sandbox || Boolean(ctx.sandboxPrivateFusionAuth);
}

const PUBLISH_QUESTION = {
  key: 'publishFusionAuth',
  prompt:
    "ngrok's cloud cannot reach FusionAuth here. Publish it on a second ngrok domain (paid plan) and make that its issuer?",
  choices: [
    { key: 'p', label: 'yes, publish it', value: 'yes' },
    { key: 'k', label: 'no, keep it local', value: 'no' },
  ],
} as const;

/**
 * FusionAuth published through ngrok: its public domain reserved (or found again) through the ngrok
 * API, recorded for `destroy`. The agent that serves it starts where it is needed: Set Up FusionAuth
 * (the issuer proven through it), Test It Out, `tunnel` and `verify`.
 */
async function publish(ctx: StepContext): Promise<Finding[]> {
  const key = ngrokKeyFor(ctx, undefined);
  if (!key)
    return [
      finding.error(
        'Publishing FusionAuth reserves its domain through the ngrok API, and no ngrok API key is given.',
        'Set NGROK_API_KEY or --ngrok-api-key-file (ngrok dashboard → API Keys), then run this again.',
      ),
    ];
  return asFinding(ctx, async () => {
    const api = new NgrokApi({ apiKey: key.key, baseUrl: ngrokApiUrlFor(ctx.env), signal: ctx.signal });
    const { publicUrl, findings } = await reserveFusionAuthDomain(api, ctx.store);
    return findings.length ? findings[0]! : finding.ok(`FusionAuth's public URL is ${publicUrl}`);
  }).then((f) => [
    f,
    ...(f.level === 'ok'
      ? [
          finding.info(
            `Set Up FusionAuth makes ${ctx.store.values.fusionauthPublicUrl} the tenant's issuer and proves it through ngrok.`,
          ),
        ]
      : []),
  ]);
}

/** Before You Start's answer for a FusionAuth that ngrok's cloud cannot reach: publish it, ask, or warn. */
async function publishOrAsk(ctx: StepContext, input: Record<string, string>, list: Finding[]): Promise<ApplyResult> {
  const wanted =
    ctx.options.publishFusionAuth || input.publishFusionAuth === 'yes' || Boolean(ctx.store.values.fusionauthPublicUrl);
  if (!wanted && input.publishFusionAuth !== 'no' && !ctx.options.noInput && !ctx.store.values.keepFusionAuthLocal)
    return { status: 'ask', question: PUBLISH_QUESTION, findings: list };
  if (input.publishFusionAuth === 'no') ctx.store.setValues({ keepFusionAuthLocal: true });
  if (!wanted) return { status: 'done', findings: list };
  if (ctx.store.values.keepFusionAuthLocal) ctx.store.setValues({ keepFusionAuthLocal: undefined });
  const before = ctx.store.values.fusionauthPublicUrl;
  const published = await publish(ctx);
  if (hasErrors(published)) return { status: 'failed', findings: [...list, ...published] };
  // Newly published: the findings again, now measured against the public URL (the issuer to be).
  const now = before === ctx.store.values.fusionauthPublicUrl ? list : await findings(ctx, fusionauthUrlFor(ctx));
  const all = [...now, ...published];
  return { status: hasErrors(all) ? 'failed' : 'done', findings: all };
}

export const prereqs: Step = {
  id: 'prereqs',
  title: SECTION_TITLES.prereqs,
  explain: SECTION_EXPLAIN.prereqs,
  instructions: () => [
    'Have the URL of your FusionAuth instance at hand, e.g. https://auth.example.com (FusionAuth Cloud, or any server reachable from the internet).',
    'Test that ngrok is installed: `ngrok -v` prints "ngrok version 3.x".',
  ],
  fields: [
    {
      kind: 'text',
      key: 'fusionauthUrl',
      label: 'FusionAuth URL',
      flag: '--fusionauth-url',
      placeholder: 'https://auth.example.com',
      help: 'The address of your FusionAuth instance, with https://.',
      initial: fusionauthUrlFor,
      validate: (text) => fusionauthUrl(text),
    },
  ],
  async check(ctx) {
    const url = fusionauthUrlFor(ctx);
    const list = await findings(ctx, url);
    // A FusionAuth ngrok's cloud cannot reach is done once published, or (--no-input without the flag) as a warning.
    // Not done until published, or kept local: the wizard asks once (the answer is remembered), the
    // flag publishes, and --no-input without it applies the step to say which flag would.
    const v = ctx.store.values;
    const unpublished = Boolean(url) && cloudCannotReach(ctx, url!) && !v.fusionauthPublicUrl && !v.keepFusionAuthLocal;
    const done = Boolean(url) && !hasErrors(list) && !unpublished;
    // A URL given by flag or env is recorded like a typed one: the store holds every value in use.
    if (done && url !== ctx.store.values.fusionauthUrl) ctx.store.setValues({ fusionauthUrl: url });
    return { done, findings: list };
  },
  async apply(ctx, input) {
    const url = fusionauthUrl(input.fusionauthUrl ?? '');
    if (!url.ok) return { status: 'failed', findings: [finding.error(url.message)] };
    // Another URL than the published one's upstream: its public URL no longer applies (its domain stays recorded for destroy).
    if (url.value !== ctx.store.values.fusionauthUrl && ctx.store.values.fusionauthPublicUrl)
      ctx.store.setValues({ fusionauthPublicUrl: undefined });
    ctx.store.setValues({ fusionauthUrl: url.value });
    const list = await findings(ctx, url.value);
    if (hasErrors(list)) return { status: 'failed', findings: list };
    if (cloudCannotReach(ctx, url.value)) return publishOrAsk(ctx, input, list);
    if (ctx.store.values.fusionauthPublicUrl) ctx.store.setValues({ fusionauthPublicUrl: undefined });
    return { status: 'done', findings: list };
  },
  summary: (v) => [
    ...row(labelOf('fusionauthUrl'), v.fusionauthUrl),
    ...row(labelOf('fusionauthPublicUrl'), v.fusionauthPublicUrl),
  ],
};
