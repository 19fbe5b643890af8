// `--sandbox` for the commands that work on a store set up with `setup --sandbox` (setup, tunnel,
// verify, destroy; the lifecycle root in lifecycle.ts runs them inside it): the stand-ins run in this process from the store's own `<configDir>/sandbox` data dir, so
// they come back with the same ports, keys and objects that setup created.
import path from 'node:path';
import type { StepContext } from '../steps/types';

export type BaseContext = Omit<StepContext, 'signal'>;

export const SANDBOX_DIR_NAME = 'sandbox';

/** Whether this store was set up against the sandbox (or the command was told to use it). */
export const usesSandbox = (ctx: BaseContext): boolean => Boolean(ctx.options.sandbox || ctx.store.values.sandbox);

/** Starts the sandbox from the store's data dir, runs `run` with a context pointed at it, and closes it. */
export async function withStoreSandbox<T>(ctx: BaseContext, run: (ctx: BaseContext) => Promise<T>): Promise<T> {
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
