// `setup` (the default command): the wizard, or with --no-input the same steps without a prompt, both
// run by the lifecycle root (lifecycle.ts).
import { type ExitCode, UsageError } from '../core/errors';
import { checkGivenKeyFiles } from '../core/key-file';
import type { SetupOptions } from '../steps/types';
import type { GlobalOptions } from './global-options';
import { runCommand, type CommandContext } from './lifecycle';

export async function setupCommand(globals: GlobalOptions, options: SetupOptions): Promise<number> {
  return runCommand(globals, {
    command: 'setup',
    // A person at the wizard sees who holds the store and waits; a script is told at once (exit 1).
    whenBusy: options.noInput ? 'fail' : 'wait',
    options,
    // Before the sandbox starts: a wizard that cannot be shown, or a key file that cannot be read,
    // needs nothing started (and nothing written) to say so.
    preflight() {
      if (!options.noInput && (!process.stdin.isTTY || !process.stdout.isTTY)) {
        throw new UsageError(
          'The wizard needs an interactive terminal, and this is not one.',
          'Run it in a terminal, or pass --no-input to take every value from flags, env and the store.',
        );
      }
      checkGivenKeyFiles(options);
      return undefined;
    },
    run,
  });
}

async function run(ctx: CommandContext): Promise<ExitCode> {
  // Each front end loads only itself: the wizard's first frame does not wait for the headless runner.
  if (ctx.options.noInput) return (await import('./setup-headless')).runHeadless(ctx);
  const { runWizard } = await import('../ui/run');
  return runWizard(ctx);
}
