// `setup` (the default command): the wizard, or with --no-input the same steps without a prompt, both
// run by the lifecycle root (lifecycle.ts).
import { ExitCode, UsageError } from '../core/errors';
import { DEFAULT_PROFILE, PROFILE_ENV, baseConfigDirOf, listProfiles } from '../core/store';
import { checkGivenKeyFiles } from '../core/key-file';
import type { SetupOptions } from '../steps/types';
import type { GlobalOptions } from './global-options';
import { runCommand, type CommandContext } from './lifecycle';

/**
 * The wizard started without a profile while the config folder keeps several setups (or only named
 * ones): its first screen asks which site (core/store/profiles.ts). The profile picked, the globals
 * unchanged when there is nothing to ask, or undefined when the person quit there.
 */
async function withPickedProfile(globals: GlobalOptions, options: SetupOptions): Promise<GlobalOptions | undefined> {
  const interactive = !options.noInput && process.stdin.isTTY && process.stdout.isTTY;
  if (!interactive || globals.profile !== undefined || process.env[PROFILE_ENV]) return globals;
  const base = baseConfigDirOf(globals.configDir);
  const kept = listProfiles(base);
  if (kept.length === 0 || (kept.length === 1 && kept[0]!.name === DEFAULT_PROFILE)) return globals;
  const [{ profileRows, profileStateText }, { pickProfile }] = await Promise.all([
    import('./profiles'),
    import('../ui/pick-profile'),
  ]);
  const rows = profileRows(base);
  if (rows.length === 0 || (rows.length === 1 && rows[0]!.name === DEFAULT_PROFILE)) return globals;
  const pick = await pickProfile(
    base,
    rows.map((r) => ({ name: r.name, state: profileStateText(r), publicUrl: r.publicUrl })),
  );
  if (pick === 'interrupted') return undefined;
  return { ...globals, profile: pick.profile };
}

export async function setupCommand(globals: GlobalOptions, options: SetupOptions): Promise<number> {
  const picked = await withPickedProfile(globals, options);
  if (!picked) return ExitCode.interrupted;
  return runCommand(picked, {
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
