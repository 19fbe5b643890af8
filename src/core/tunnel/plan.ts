// The tunnel of a finished setup: how to run it (the agent argv of its mode, the site to serve) and
// the proof that it protects the site (verify.ts), with the tunnel started for the check when needed.
// Used by Test It Out, `tunnel`, `verify` and the non-interactive setup.
import path from 'node:path';
import { AGENT_LOG_FILE } from '../constants';
import { agentArgs } from '../agent';
import { ngrokBin } from '../agent';
import { AgentSupervisor, type SupervisorOptions } from '../agent';
import type { AgentLogLine } from '../agent';
import type { RunContext as StepContext } from '../context';
import { UsageError } from '../errors';
import { knownSecrets } from '../secrets';
import { finding, type Finding } from '../findings';
import { sitePageText } from '../site';
import { fusionauthUrlFor, redirectUriFor, siteDirFor, sitePortFor } from '../settings';
import type { Values } from '../store';
import { verifyProtection, type VerifyCheck, type VerifyReport } from './verify';
import { selfCommandQuoted } from '../text';

/** What is still missing to start the tunnel, named as the section that provides it. */
function missingForTunnel(v: Values): string[] {
  const mode = v.ngrokMode;
  const missing: string[] = [];
  if (!mode) missing.push('the ngrok mode');
  if (!v.endpointUrl) missing.push('the public URL');
  if (mode === 'edge' && !v.edgeId) missing.push('the edge id');
  if (mode === 'endpoint' && !v.internalUrl) missing.push('the internal URL');
  if (mode === 'agent' && !v.policyFile) missing.push('the traffic-policy file');
  return missing;
}

/** How to run the tunnel for this setup: the agent argv of its mode, and the site to serve. */
export function tunnelPlan(ctx: StepContext): SupervisorOptions {
  const v = ctx.store.values;
  const missing = missingForTunnel(v);
  if (missing.length) {
    throw new UsageError(
      `The tunnel cannot start yet: ${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} not set.`,
      `Finish Set Up ngrok Cloud Edge first (run ${selfCommandQuoted()}).`,
    );
  }
  const port = sitePortFor(ctx);
  return {
    bin: ngrokBin(ctx.env),
    args: agentArgs({
      // The mode the setup was made in, never one only asked for (`--ngrok-mode` before the switch ran):
      // the stored values are that mode's (an agent command from an edge setup had an empty policy file).
      mode: v.ngrokMode!,
      port,
      edgeId: v.edgeId,
      region: v.region,
      internalUrl: v.internalUrl,
      endpointUrl: v.endpointUrl,
      policyFile: v.policyFile,
    }),
    // The run's environment (the sandbox's included): core/process passes on only what the agent reads.
    env: ctx.env,
    publicUrl: v.endpointUrl,
    // The store's folder: the web server setup started (and recorded there) is used, no other (core/site).
    site: { dir: path.resolve(siteDirFor(ctx)), port, recordIn: ctx.store.dir },
    // Recorded as this tool's when it makes it: reset and destroy delete it then, and only then.
    logFile: ctx.store.ownFile(AGENT_LOG_FILE),
    // The run's one list (core/secrets.ts), ngrok's config file included: read when the agent starts.
    secrets: () => knownSecrets(ctx),
  };
}

/** Runs the checks against what is running now. Throws a UserError when values are missing. */
function requireVerifiable(ctx: StepContext): void {
  const v = ctx.store.values;
  const missing = [
    !fusionauthUrlFor(ctx) && 'the FusionAuth URL',
    !v.clientId && 'the Client Id',
    !v.endpointUrl && 'the public URL',
  ].filter(Boolean);
  if (missing.length)
    throw new UsageError(
      `Nothing to verify yet: ${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} not set.`,
      `Run ${selfCommandQuoted()} to finish the setup first.`,
    );
}

export async function verifySetup(ctx: StepContext, onCheck?: (check: VerifyCheck) => void): Promise<VerifyReport> {
  requireVerifiable(ctx);
  const v = ctx.store.values;
  const fusionauthUrl = fusionauthUrlFor(ctx);
  const reachUrl = ctx.reach ? ctx.reach(v.endpointUrl!) : v.endpointUrl;
  const page = ctx.sandboxLogin ? sitePageText(path.resolve(siteDirFor(ctx))) : undefined;
  return verifyProtection({
    fusionauthUrl: fusionauthUrl!,
    clientId: v.clientId!,
    redirectUri: redirectUriFor(ctx),
    endpointUrl: v.endpointUrl!,
    reachUrl: reachUrl ?? null,
    login: ctx.sandboxLogin && { ...ctx.sandboxLogin, page },
    signal: ctx.signal,
    onCheck,
  });
}

/**
 * Verifies with the tunnel running: starts it for the duration of the check (and stops it after).
 * An earlier `tunnel` pools with ours (both run --pooling-enabled); an agent that holds the URL
 * without pooling makes ours meet ERR_NGROK_334, which it would retry for minutes: then that agent
 * is the one checked, at once. For `verify` and the non-interactive setup.
 */
export async function verifyWithTunnel(
  ctx: StepContext,
  options: {
    onLine?: (line: AgentLogLine) => void;
    onCheck?: (check: VerifyCheck) => void;
    onlineTimeoutMs?: number;
  } = {},
): Promise<{ report: VerifyReport; tunnel: AgentSupervisor; findings: Finding[] }> {
  requireVerifiable(ctx);
  const tunnel = new AgentSupervisor(tunnelPlan(ctx));
  if (options.onLine) tunnel.onLine(options.onLine);
  const findings: Finding[] = [];
  try {
    await tunnel.start();
    const heldElsewhere = () => tunnel.status.lastProblem?.code === 'ERR_NGROK_334';
    await tunnel
      .waitFor(
        (s) => s.kind === 'online' || s.kind === 'failed' || heldElsewhere(),
        options.onlineTimeoutMs ?? 30_000,
        ctx.signal,
      )
      .catch((error: unknown) => {
        if (ctx.signal.aborted) throw error;
      });
    const state = tunnel.status.state;
    if (state.kind === 'online')
      findings.push(finding.info('The tunnel was started for the check, and is stopped after it.'));
    else if (heldElsewhere())
      findings.push(
        finding.info('The tunnel already runs elsewhere without pooling (ERR_NGROK_334): that one is checked.'),
      );
    else if (state.kind === 'failed')
      findings.push(finding.error(`The agent did not start: ${state.problem.message}`, state.problem.fix));
    else
      findings.push(
        finding.error(
          `The agent is still ${state.kind} after ${Math.round((options.onlineTimeoutMs ?? 30_000) / 1000)} s.`,
          tunnel.status.lastProblem?.fix,
        ),
      );
    return { report: await verifySetup(ctx, options.onCheck), tunnel, findings };
  } finally {
    await tunnel.stop();
  }
}

export function checkFindings(report: VerifyReport): Finding[] {
  return report.checks.map((c) => {
    const title = `${c.title}: ${c.message}`;
    if (c.status === 'pass') return finding.ok(title);
    if (c.status === 'skip') return finding.info(title);
    return finding.error(title, c.fix);
  });
}
