// `--sandbox` for the commands that work on a store set up with `setup --sandbox` (setup, tunnel,
// verify, destroy; the lifecycle root in lifecycle.ts runs them inside it): the stand-ins run in this
// process from the store's own `<configDir>/sandbox` data dir, so they come back with the same ports,
// keys and objects that setup created. One sandbox per store: only the command holding the store's
// lock starts it; `verify` beside a running `tunnel` joins that tunnel's sandbox over 127.0.0.1. With
// the export lines of a running `ngrok-fusionauth sandbox` in the environment, that one serves the run.
import path from 'node:path';
import { UsageError, UserError } from '../core/errors';
import { describeHolder, type LockHolder } from '../core/process';
import { readReachFile, reachIn, SANDBOX_REACH_ENV } from '../sandbox/reach';
import type { StepContext } from '../steps/types';
import { selfCommandQuoted } from '../core/text';

export type BaseContext = Omit<StepContext, 'signal'>;

export const SANDBOX_DIR_NAME = 'sandbox';

/** Whether this store was set up against the sandbox (or the command was told to use it, or a running one). */
export const usesSandbox = (ctx: BaseContext): boolean =>
  Boolean(ctx.options.sandbox || ctx.store.values.sandbox || ctx.env[SANDBOX_REACH_ENV]);

/** Starts the sandbox from the store's data dir, runs `run` with a context pointed at it, and closes it. */
export async function withStoreSandbox<T>(ctx: BaseContext, run: (ctx: BaseContext) => Promise<T>): Promise<T> {
  // A sandbox running elsewhere (its export lines are in the environment) serves this run: start none.
  const reachFile = ctx.env[SANDBOX_REACH_ENV];
  if (reachFile) return run(runningSandboxContext(ctx, reachFile));
  const { startSandbox } = await import('../sandbox/index');
  // The store's folder first, made and checked as the store makes it: the sandbox's own mkdir of its data dir is neither.
  ctx.store.ensureFolder();
  const sandbox = await startSandbox({ dataDir: path.join(ctx.store.dir, SANDBOX_DIR_NAME) });
  // Remembered, so that `verify`, `tunnel` and `destroy` find the sandbox without being told.
  if (!ctx.store.values.sandbox) ctx.store.setValues({ sandbox: true });
  try {
    return await run({
      ...ctx,
      env: { ...ctx.env, ...sandbox.env },
      options: { ...ctx.options, sandbox: true, fusionauthUrl: ctx.options.fusionauthUrl ?? sandbox.fusionauth.url },
      reach: (url) => sandbox.publicUrlFor(url),
      sandboxLogin: sandbox.demoUser,
    });
  } finally {
    await sandbox.close();
  }
}

/**
 * The context for a sandbox that another process runs (`ngrok-fusionauth sandbox`): its URLs and keys
 * come from the environment like real ones; its public URLs are reached through its map, which it
 * keeps current. The store is not marked as a sandbox setup: without the variable, a later run
 * must not start a sandbox of its own in place of the one that holds what setup created.
 */
function runningSandboxContext(ctx: BaseContext, reachFile: string): BaseContext {
  const first = readReachFile(reachFile);
  if (!first) {
    throw new UsageError(
      `${SANDBOX_REACH_ENV} names ${reachFile}, and there is no such file: the sandbox that printed it is not running.`,
      `Start ${selfCommandQuoted('sandbox')} and paste the export lines it prints, or unset the variable.`,
    );
  }
  let known = first;
  return {
    ...ctx,
    options: { ...ctx.options, sandbox: true },
    // A hostname keeps its port while the sandbox runs: read the file again only for one not seen yet.
    reach: (url) => reachIn(known, url) ?? reachIn((known = readReachFile(reachFile) ?? known), url),
    sandboxLogin: first.login,
  };
}

/**
 * Runs `run` against the sandbox that `holder` (the running `tunnel`) started from this store's data
 * dir: its URLs and keys from `<configDir>/sandbox/running.json`, its public URLs from its cloud.
 * Nothing is started, and the store is not written.
 */
export async function joinStoreSandbox<T>(
  ctx: BaseContext,
  holder: LockHolder,
  signal: AbortSignal,
  run: (ctx: BaseContext) => Promise<T>,
): Promise<T> {
  const { joinSandbox } = await import('../sandbox/index');
  const sandbox = await joinSandbox(path.join(ctx.store.dir, SANDBOX_DIR_NAME), holder.pid, signal);
  if (!sandbox)
    throw new UserError(`${describeHolder(holder)} has not started its sandbox yet.`, {
      hint: 'Run this again once the tunnel is online.',
    });
  return run({
    ...ctx,
    env: { ...ctx.env, ...sandbox.env },
    options: { ...ctx.options, sandbox: true, fusionauthUrl: ctx.options.fusionauthUrl ?? sandbox.fusionauthUrl },
    reach: (url) => sandbox.publicUrlFor(url),
    sandboxLogin: sandbox.demoUser,
  });
}
