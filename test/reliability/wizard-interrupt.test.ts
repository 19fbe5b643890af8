// The wizard in a terminal, interrupted while it runs a child (the site server of "Set Up The
// Application"): by the Ctrl-C key (Ink holds the terminal in raw mode, so it is a key, not a signal)
// and by SIGINT from outside. Both take the lifecycle root's one road: exit 130, progress saved, the
// wizard and everything it started gone, checked by pid.
import { afterEach, describe, expect, it } from 'vitest';
import { BIN } from '../helpers/cli';
import { cliEnv, killStrays, newWorld, type World } from './kill-harness';
import { descendants, isSiteServer } from './process-tree';
import { runInPty, type PtyRun } from './pty';
import { expectAllGone } from './watch-tree';

let world: World | undefined;
afterEach(() => {
  if (world) killStrays(world.root);
  world = undefined;
});

const ENTER = '\r';

describe.each([
  ['the Ctrl-C key', (run: PtyRun): void => run.press('\u0003')],
  ['SIGINT', (run: PtyRun): void => void process.kill(run.cliPid()!, 'SIGINT')],
] as const)('%s in the wizard while the site server runs', (_name, interrupt) => {
  it('exits 130 with the progress saved, and no child is left', async () => {
    world = await newWorld('endpoint');
    const run = runInPty(
      [
        process.execPath,
        BIN,
        '--config-dir',
        world.configDir,
        '--sandbox',
        '--site-dir',
        world.siteDir,
        '--port',
        String(world.port),
      ],
      cliEnv(),
    );
    try {
      for (const text of ['enter continue', 'Folder:', 'Port:', 'When the wizard exits']) {
        await run.waitFor(text);
        run.press(ENTER);
      }
      await run.waitFor('returns the page');
      const cli = run.cliPid();
      expect(cli).toBeDefined();
      const started = descendants(cli!);
      expect(started.filter(isSiteServer), JSON.stringify(started)).toHaveLength(1);

      interrupt(run);
      const result = await run.child;
      expect(result.exitCode, run.screen().slice(-2000)).toBe(130);
      expect(run.screen()).toContain(`Progress saved in ${world.configDir}`);
      await expectAllGone([{ pid: cli!, ppid: 0, argv: ['ngrok-fusionauth'] }, ...started]);
    } finally {
      run.child.kill('SIGKILL');
    }
  });
});
