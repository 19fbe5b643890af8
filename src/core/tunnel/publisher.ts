// FusionAuth on this machine, published through ngrok (core/ngrok/fusionauth-domain.ts): the agent
// that serves its public URL. A second agent beside the site's, not a second endpoint in one config:
// Set Up FusionAuth must prove the issuer through the public URL before the site's endpoint exists,
// and the site's agent keeps its own command line (the one the guide has users paste). Both pool
// their URLs (--pooling-enabled), so the run during setup and a running tunnel can overlap. A second
// agent session is within every plan that can reserve the second domain (Pay-as-you-go: no limit on
// concurrent agents; https://ngrok.com/docs/pricing-limits/, "Concurrent Agents").
import { writeFileSync } from 'node:fs';
import { AgentSupervisor, fusionauthPublisherArgs, ngrokBin, type SupervisorOptions } from '../agent';
import type { RunContext } from '../context';
import { UserError } from '../errors';
import { FUSIONAUTH_POLICY_FILE_NAME } from '../constants';
import { fusionauthProxyPolicy } from '../ngrok';
import { knownSecrets } from '../secrets';
import { fusionauthUrlFor } from '../settings';

/** How to run the publishing agent, or undefined when FusionAuth is not published. */
export function fusionauthPublisherPlan(ctx: RunContext): SupervisorOptions | undefined {
  const publicUrl = ctx.store.values.fusionauthPublicUrl;
  const upstream = fusionauthUrlFor(ctx);
  if (!publicUrl || !upstream) return undefined;
  return {
    bin: ngrokBin(ctx.env),
    args: fusionauthPublisherArgs({
      upstream,
      publicUrl,
      policyFile: ctx.store.ownFile(FUSIONAUTH_POLICY_FILE_NAME),
    }),
    env: ctx.env,
    publicUrl,
    secrets: () => knownSecrets(ctx),
  };
}

/**
 * The publishing agent, not started yet (its policy file written), for a caller that watches it (the
 * live view); undefined when FusionAuth is not published.
 */
export function fusionauthPublisher(ctx: RunContext): AgentSupervisor | undefined {
  const plan = fusionauthPublisherPlan(ctx);
  if (!plan) return undefined;
  // A few hundred bytes, written at once so that a screen can build the supervisor in a render.
  writeFileSync(ctx.store.ownFile(FUSIONAUTH_POLICY_FILE_NAME), fusionauthProxyPolicy(), { mode: 0o600 });
  return new AgentSupervisor(plan);
}

/**
 * Starts the publishing agent (its policy file written first) and waits until it is online; undefined
 * when FusionAuth is not published. The caller stops it. A failure to come online is a UserError with
 * the agent's own reason.
 */
export async function startFusionAuthPublisher(
  ctx: RunContext,
  onlineTimeoutMs = 30_000,
): Promise<AgentSupervisor | undefined> {
  const publisher = fusionauthPublisher(ctx);
  if (!publisher) return undefined;
  try {
    await publisher.start();
    await publisher
      .waitFor((s) => s.kind === 'online' || s.kind === 'failed', onlineTimeoutMs, ctx.signal)
      .catch((error: unknown) => {
        if (ctx.signal.aborted) throw error;
      });
    const state = publisher.status.state;
    if (state.kind !== 'online') {
      const problem = state.kind === 'failed' ? state.problem : publisher.status.lastProblem;
      throw new UserError(
        `The agent publishing FusionAuth at ${publisher.status.publicUrl} is not online${problem ? `: ${problem.message}` : ` after ${Math.round(onlineTimeoutMs / 1000)} s`}.`,
        { hint: problem?.fix ?? `Its command: ${publisher.commandLine}` },
      );
    }
    return publisher;
  } catch (error) {
    await publisher.stop();
    throw error;
  }
}

/** Runs `run` with FusionAuth published (when it is), and stops the publishing agent after. */
export async function withFusionAuthPublished<T>(ctx: RunContext, run: () => Promise<T>): Promise<T> {
  const publisher = await startFusionAuthPublisher(ctx);
  try {
    return await run();
  } finally {
    await publisher?.stop();
  }
}
