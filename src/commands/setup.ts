// `setup` (the default command): the wizard, or with --no-input the same steps without a prompt.
import { UsageError } from '../core/errors';
import type { SetupOptions, StepContext } from '../steps/types';
import type { GlobalOptions } from './global-options';
import { openStore } from './open-store';
import { usesSandbox, withStoreSandbox } from './sandbox-context';

export async function setupCommand(globals: GlobalOptions, options: SetupOptions): Promise<number> {
  const store = openStore(globals);
  const ctx: Omit<StepContext, 'signal'> = { store, options, env: { ...process.env } };
  if (!options.noInput && (!process.stdin.isTTY || !process.stdout.isTTY)) {
    throw new UsageError('The wizard needs an interactive terminal, and this is not one.', 'Run it in a terminal, or pass --no-input to take every value from flags, env and the store.');
  }
  // A setup begun with --sandbox resumes against the sandbox even when the flag is not repeated.
  if (!usesSandbox(ctx)) return run(ctx);
  // The stand-ins run in this process; their state (and ports) live beside the store, so a resumed
  // sandbox setup finds what it created.
  return withStoreSandbox(ctx, run);
}

async function run(ctx: Omit<StepContext, 'signal'>): Promise<number> {
  // Each front end loads only itself: the wizard's first frame does not wait for the headless runner.
  if (ctx.options.noInput) return (await import('./setup-headless')).runHeadless(ctx);
  const { runWizard } = await import('../ui/run');
  return runWizard(ctx);
}
