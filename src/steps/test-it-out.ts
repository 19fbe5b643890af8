// Test It Out: start the tunnel, visit the endpoint as a stranger, get the FusionAuth login.
import { finding } from '../core/findings';
import { probeProtection } from '../core/verify';
import { fusionauthUrlFor, redirectUriFor } from './defaults';
import { row, type ApplyResult, type Step, type StepContext } from './types';

async function probe(ctx: StepContext) {
  const v = ctx.store.values;
  const fusionauthUrl = fusionauthUrlFor(ctx);
  if (!v.endpointUrl || !fusionauthUrl || !v.clientId) return undefined;
  const endpointUrl = ctx.reach ? ctx.reach(v.endpointUrl) : v.endpointUrl;
  if (!endpointUrl) return { ok: false, message: `${v.endpointUrl} is not served by the sandbox's ngrok cloud.` };
  return probeProtection({ endpointUrl, fusionauthUrl, clientId: v.clientId, redirectUri: redirectUriFor(ctx), signal: ctx.signal });
}

export const testItOut: Step = {
  id: 'test',
  title: 'Test It Out',
  explain: 'Start the ngrok tunnel and visit the endpoint from a browser that is not logged in: you are asked to log into FusionAuth, and only then see the application.',
  instructions: (ctx) => [
    `In another terminal, start the tunnel: ${ctx.store.values.agentCommand ?? '(the agent command from Set Up ngrok Cloud Edge)'}`,
    `Open an incognito window and visit ${ctx.store.values.endpointUrl ?? 'the endpoint'}.`,
    'You are prompted to log into FusionAuth; after logging in you see the protected application.',
  ],
  fields: [],
  async check(ctx) {
    const result = await probe(ctx);
    return { done: Boolean(result?.ok), findings: result ? [result.ok ? finding.ok(result.message) : finding.info(result.message)] : [] };
  },
  async apply(ctx, input): Promise<ApplyResult> {
    const result = await probe(ctx);
    if (result?.ok) return { status: 'done', findings: [finding.ok(result.message)] };
    const findings = result ? [finding.warn(result.message)] : [];
    if (input.sawLogin === 'yes') return { status: 'done', findings: [...findings, finding.info('You saw the FusionAuth login yourself.')] };
    if (input.sawLogin === 'no') return { status: 'failed', findings };
    return {
      status: 'ask',
      findings,
      question: { key: 'sawLogin', prompt: 'Did the endpoint ask you to log into FusionAuth?', choices: [{ key: 'y', label: 'yes', value: 'yes' }, { key: 'n', label: 'no', value: 'no' }] },
    };
  },
  summary: (v) => row('Visit', v.endpointUrl),
};
