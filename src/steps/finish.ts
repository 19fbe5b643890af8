// Finishing Up With FusionAuth: ngrok's redirect URI in the application's Authorized redirect URLs.
import { probeAuthorize } from '../core/fusionauth';
import { finding, type Finding } from '../core/findings';
import { UserError } from '../core/errors';
import { fusionauthUrlFor, redirectUriFor } from './defaults';
import { row, type Step, type StepContext } from './types';

async function verify(ctx: StepContext): Promise<{ done: boolean; findings: Finding[] }> {
  const url = fusionauthUrlFor(ctx);
  const { clientId } = ctx.store.values;
  if (!url || !clientId) return { done: false, findings: [finding.error('The FusionAuth URL and Client Id are needed first.', 'Finish Set Up FusionAuth.')] };
  const redirect = redirectUriFor(ctx);
  try {
    const verdict = await probeAuthorize(url, clientId, redirect, ctx.signal);
    if (verdict.ok) return { done: true, findings: [finding.ok(`FusionAuth accepts ${redirect} as a redirect URI`)] };
    return { done: false, findings: [finding.error(verdict.message, verdict.reason === 'invalid_redirect_uri' ? `Add ${redirect} to the Authorized redirect URLs and Save.` : undefined)] };
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    return { done: false, findings: [finding.error(error.message, error.hint)] };
  }
}

export const finish: Step = {
  id: 'finish',
  title: 'Finishing Up With FusionAuth',
  explain: 'FusionAuth only sends users back to URLs it knows: add ngrok\'s Redirect URI to the application\'s Authorized redirect URLs.',
  instructions: (ctx) => [
    `In FusionAuth, edit the application ${ctx.store.values.clientId ?? ''} → OAuth tab.`,
    `Add ${redirectUriFor(ctx)} to the Authorized redirect URLs field.`,
    'Save the updated configuration, then press Enter: the wizard asks FusionAuth whether it accepts it.',
  ],
  fields: [],
  check: verify,
  async apply(ctx) {
    ctx.store.setValues({ redirectUri: redirectUriFor(ctx) });
    const result = await verify(ctx);
    return { status: result.done ? 'done' : 'failed', findings: result.findings };
  },
  summary: (v) => row('Authorized redirect URL', v.redirectUri),
};
