// Test It Out: start the tunnel, visit the endpoint as a stranger, get the FusionAuth login — proven
// by the checks of core/tunnel instead of taken on trust. The wizard shows it live (TestItOutScreen);
// `check` verifies what runs now; `apply` (the non-interactive path) starts the tunnel for the check.
import { finding } from '../core/findings';
import { checkFindings, verifySetup, verifyWithTunnel } from '../core/tunnel';
import { row, type ApplyResult, type Step } from './types';
import { SECTION_EXPLAIN, SECTION_TITLES } from './catalog';
import { selfCommandQuoted } from '../core/text';

/** ngrok's code for an endpoint that no agent serves (https://ngrok.com/docs/errors/err_ngrok_3200). */
const ENDPOINT_OFFLINE = 'ERR_NGROK_3200';
const tunnelStopped = (): string => `The tunnel is not running: ${selfCommandQuoted('tunnel')} starts it.`;

export const testItOut: Step = {
  id: 'test',
  title: SECTION_TITLES.test,
  explain: SECTION_EXPLAIN.test,
  instructions: (ctx) => [
    `Start the tunnel: ${ctx.store.values.agentCommand ?? '(the agent command from Set Up ngrok Cloud Edge)'} (this screen does it, and watches it).`,
    `Open an incognito window and visit ${ctx.store.values.endpointUrl ?? 'the endpoint'}.`,
    'You are prompted to log into FusionAuth; after logging in you see the protected application.',
  ],
  fields: [],
  async check(ctx) {
    const report = await verifySetup(ctx);
    // Every failure is ngrok's "no agent serves this endpoint": the tunnel is not running (stopped on
    // exit, as the tunnel of a check always is), which is no failure of a setup proven before.
    const failed = report.checks.filter((c) => c.status === 'fail');
    if (!ctx.tunnelRunsHere && failed.length && failed.every((c) => c.code === ENDPOINT_OFFLINE)) {
      return {
        done: false,
        idle: true,
        findings: [
          ...checkFindings({ ...report, checks: report.checks.filter((c) => c.status !== 'fail') }),
          finding.info(tunnelStopped()),
        ],
      };
    }
    return { done: report.ok, findings: checkFindings(report) };
  },
  async apply(ctx): Promise<ApplyResult> {
    const { report, findings } = await verifyWithTunnel(ctx);
    return { status: report.ok ? 'done' : 'failed', findings: [...findings, ...checkFindings(report)] };
  },
  summary: (v) => row('Visit', v.endpointUrl, false, 'endpointUrl'),
};
