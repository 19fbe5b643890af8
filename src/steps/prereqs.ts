// Before You Start: the ngrok agent (v3) with an authtoken, python3, and a FusionAuth instance on a
// public URL whose issuer is right.
import { agentVersion, authtokenFinding, authtokenState, ngrokBin, pythonFinding, versionFinding } from '../core/agent';
import { checkKey, describeKeySource, fusionauthUrlFindings, hasExternalKey, openSession } from '../core/fusionauth';
import { errorFinding, finding, hasErrors, type Finding } from '../core/findings';
import { NgrokApi, describeNgrokKeySource, hasExternalNgrokKey, ngrokApiUrlFor, ngrokKeyFor } from '../core/ngrok';
import { fusionauthUrl } from '../core/validate';
import { fusionauthUrlFor, ngrokModeFor } from '../core/settings';
import { row, type Step, type StepContext } from './types';
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
    ? await fusionauthUrlFindings(fusionauthUrl, ctx.signal, { sandbox: ctx.options.sandbox })
    : [finding.info('FusionAuth URL not given yet.')];
  list.push(...urlFindings);
  // A FusionAuth that cannot be reached has been said above: its key is not tried too.
  list.push(...(await keyFindings(ctx, hasErrors(urlFindings) ? undefined : fusionauthUrl)));
  return list;
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
    const done = Boolean(url) && !hasErrors(list);
    // A URL given by flag or env is recorded like a typed one: the store holds every value in use.
    if (done && url !== ctx.store.values.fusionauthUrl) ctx.store.setValues({ fusionauthUrl: url });
    return { done, findings: list };
  },
  async apply(ctx, input) {
    const url = fusionauthUrl(input.fusionauthUrl ?? '');
    if (!url.ok) return { status: 'failed', findings: [finding.error(url.message)] };
    ctx.store.setValues({ fusionauthUrl: url.value });
    const list = await findings(ctx, url.value);
    return { status: hasErrors(list) ? 'failed' : 'done', findings: list };
  },
  summary: (v) => row(labelOf('fusionauthUrl'), v.fusionauthUrl),
};
