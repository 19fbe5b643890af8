// A finished setup opened again in the wizard, after `setup --no-input --sandbox` stopped its web server
// on exit (the default): it is finished, not "in progress"; checking it again lands on the summary,
// every step still done, and `status` afterwards shows no ✘ — the stopped server is "not running,
// `tunnel` starts it", not a step that failed.
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { stopAll } from '../../src/core/process';
import { Store } from '../../src/core/store';
import { startSandbox, type Sandbox } from '../../src/sandbox/index';
import type { StepContext } from '../../src/steps/types';
import { App, type ExitReason } from '../../src/ui/App';
import { runCli, tempDir } from '../helpers/cli';
import { press, render, waitFor, type TestApp } from '../helpers/ink';
import { unusedPort } from '../helpers/ports';

let sandbox: Sandbox | undefined;
let app: TestApp | undefined;
afterEach(async () => {
  app?.unmount();
  await stopAll();
  await sandbox?.close();
  app = sandbox = undefined;
});

/** The context `setup` builds for a store set up with --sandbox (commands/sandbox-context.ts). */
function sandboxContext(configDir: string, running: Sandbox): Omit<StepContext, 'signal'> {
  const store = Store.open(configDir);
  return {
    store,
    options: { sandbox: true, fusionauthUrl: running.fusionauth.url },
    env: { ...process.env, ...running.env },
    reach: (url) => running.publicUrlFor(url),
    sandboxLogin: running.demoUser,
  };
}

describe('a finished setup, reopened', () => {
  it('says it is finished; checking it again ends on the summary with every step done, and status shows no ✘', async () => {
    const root = tempDir('resume-finished-');
    const configDir = path.join(root, 'config');
    const port = await unusedPort();
    const setup = await runCli(
      [
        '--config-dir',
        configDir,
        'setup',
        '--no-input',
        '--sandbox',
        '--site-dir',
        path.join(root, 'site'),
        '--port',
        String(port),
      ],
      { timeout: 90_000 },
    );
    expect(setup.exitCode, setup.stdout + setup.stderr).toBe(0);

    sandbox = await startSandbox({ dataDir: path.join(configDir, 'sandbox') });
    const exits: ExitReason[] = [];
    app = render(<App ctx={sandboxContext(configDir, sandbox)} onExit={(reason) => exits.push(reason)} />);
    let frame = await waitFor(app, 'Welcome back');
    expect(frame).toContain(`The setup in ${path.join(configDir, 'config.json')} is finished.`);
    expect(frame).not.toContain('in progress');
    expect(frame).toContain('Check that it still holds');
    await press(app, 'enter');
    frame = await waitFor(app, 'Your site is set up', 60_000);
    expect(Object.values(Store.open(configDir).steps).map((s) => s?.status)).toEqual(Array(7).fill('done'));
    await press(app, 'enter');
    expect(exits).toEqual(['finished']);

    const status = await runCli(['--config-dir', configDir, 'status']);
    expect(status.stdout).not.toContain('✘');
    expect(status.stdout).toContain(
      // status, a process of its own, writes the command as it was started itself.
      `✔ 2. Set Up The Application — done (the web server is not running: \`node bin/ngrok-fusionauth.js tunnel --config-dir ${configDir}\` starts it)`,
    );
    expect(status.stdout).toContain('✔ 6. Test It Out — done');
  });
});
