// Ctrl-C at destroy's question, in a terminal: readline hears it as a key, and the lifecycle root
// takes it as the first Ctrl-C. Nothing is deleted, it says so, and it exits 130 (it used to end in
// "unexpected failure: Aborted with Ctrl+C", exit 1).
import { afterEach, expect, it } from 'vitest';
import { Store } from '../../src/core/store';
import { BIN } from '../helpers/cli';
import { cliEnv, killStrays, newWorld, runSandboxSetup, type World } from '../reliability/kill-harness';
import { runInPty, type PtyRun } from '../reliability/pty';
import { slots } from '../helpers/created';

let world: World | undefined;
afterEach(() => {
  if (world) killStrays(world.root);
  world = undefined;
});

it.each([
  ['the Ctrl-C key', (run: PtyRun): void => run.press('\u0003')],
  ['SIGINT', (run: PtyRun): void => void process.kill(run.cliPid()!, 'SIGINT')],
] as const)("%s at destroy's question deletes nothing, says so, and exits 130", async (_name, interrupt) => {
  world = await newWorld('endpoint');
  const setup = await runSandboxSetup(world);
  expect(setup.exitCode, setup.output).toBe(0);
  const created = Store.open(world.configDir).created;
  expect(slots(created).fusionauthApplicationId).toBeTruthy();

  const run = runInPty([process.execPath, BIN, '--config-dir', world.configDir, 'destroy'], cliEnv());
  try {
    await run.waitFor('Delete all of this? [y/N]');
    interrupt(run);
    const result = await run.child;
    expect(result.exitCode, run.screen()).toBe(130);
    expect(run.screen()).toContain('Nothing was deleted.');
    expect(run.screen()).not.toMatch(/unexpected failure|error:/);
    expect(Store.open(world.configDir).created).toEqual(created);
  } finally {
    run.child.kill('SIGKILL');
  }
});
