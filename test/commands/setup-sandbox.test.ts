// A setup begun with --sandbox is remembered: running setup again without the flag resumes against the
// sandbox (from <configDir>/sandbox), instead of against a FusionAuth that is no longer there.
import path from 'node:path';
import { expect, it } from 'vitest';
import { Store } from '../../src/core/store';
import { runCli, tempDir } from '../helpers/cli';
import { unusedPort } from '../helpers/ports';

it('setup without --sandbox resumes a sandbox setup against the sandbox', async () => {
  const dir = tempDir();
  const args = [
    '--config-dir',
    dir,
    'setup',
    '--no-input',
    '--site-dir',
    path.join(dir, 'site'),
    '--port',
    String(await unusedPort()),
  ];
  const first = await runCli([...args, '--sandbox'], { timeout: 60_000 });
  expect(first.exitCode, first.stdout + first.stderr).toBe(0);
  expect(Store.open(dir).values.sandbox).toBe(true);

  const again = await runCli(args, { timeout: 60_000 });
  expect(again.exitCode, again.stdout + again.stderr).toBe(0);
  expect(again.stdout).toContain(`FusionAuth answers at ${Store.open(dir).values.fusionauthUrl}`);
  expect(again.stdout).not.toMatch(/Nothing is listening/);
});
