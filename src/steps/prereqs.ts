// Before You Start: the ngrok agent (v3) with an authtoken, python3, and a FusionAuth instance on a
// public URL whose issuer is right.
import { agentVersion, authtokenFinding, authtokenState, ngrokBin, pythonFinding, versionFinding } from '../core/agent';
import { fusionauthUrlFindings } from '../core/fusionauth';
import { finding, hasErrors } from '../core/findings';
import { fusionauthUrl } from '../core/validate';
import { fusionauthUrlFor } from '../core/settings';
import { row, type Step, type StepContext } from './types';
import { labelOf, SECTION_EXPLAIN, SECTION_TITLES } from './catalog';

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
  if (fusionauthUrl) list.push(...(await fusionauthUrlFindings(fusionauthUrl, ctx.signal, { sandbox: ctx.options.sandbox })));
  else list.push(finding.info('FusionAuth URL not given yet.'));
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
