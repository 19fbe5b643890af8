// The config folder is the user's to give, and this tool treats what it finds there as not its own
// until it made it: a shared or group-writable folder is refused (files others can put there would be
// read as our settings), a folder that exists keeps its mode, an empty --config-dir is a usage error,
// a command that fails leaves no folder behind, and reset deletes only the files the store says it
// wrote. Real CLI runs on real folders.
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Store } from '../../src/core/store';
import { runCli, tempDir } from '../helpers/cli';
import { unusedPort } from '../helpers/ports';

const mode = (file: string) => statSync(file).mode & 0o7777;

/** Every command that opens the store (all but `status`, which only reads), in the form a script uses. */
const COMMANDS: string[][] = [
  ['setup', '--no-input'],
  ['tunnel', '--no-tui'],
  ['verify'],
  ['destroy', '--yes'],
  ['reset'],
  ['export', '--format', 'policy'],
];

describe('a folder others may write in is refused, and left as it was', () => {
  it.each(COMMANDS)('%s in a shared folder (1777): one sentence, exit 1, its mode kept', async (...command) => {
    const shared = tempDir();
    chmodSync(shared, 0o1777);
    const result = await runCli(['--config-dir', shared, ...command]);
    expect(result.exitCode, result.stdout + result.stderr).toBe(1);
    expect(result.stderr).toContain(`The config folder ${shared} may be written by other users`);
    expect(result.stderr).not.toMatch(/unexpected failure|\n\s+at /);
    expect(mode(shared)).toBe(0o1777);
    expect(readdirSync(shared)).toEqual([]);
  });

  it('a group-writable folder (0770) too', async () => {
    const dir = tempDir();
    chmodSync(dir, 0o770);
    const result = await runCli(['--config-dir', dir, 'reset']);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/may be written by other users/);
    expect(mode(dir)).toBe(0o770);
  });

  it('`status` still reads it: it changes nothing', async () => {
    const shared = tempDir();
    chmodSync(shared, 0o1777);
    const result = await runCli(['--config-dir', shared, 'status', '--json']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(mode(shared)).toBe(0o1777);
  });
});

describe('the mode of a folder is changed only when this tool made it', () => {
  it('an existing 0755 folder keeps its mode through a command that writes the settings', async () => {
    const dir = tempDir();
    chmodSync(dir, 0o755);
    Store.open(dir).setValues({ sitePort: 1234 });
    const result = await runCli(['--config-dir', dir, 'reset']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(mode(dir)).toBe(0o755);
    expect(mode(path.join(dir, 'config.json'))).toBe(0o600);
  });

  it('a folder it makes, and every missing folder above it, is 0700', () => {
    const top = path.join(tempDir(), 'a');
    const dir = path.join(top, 'b');
    Store.open(dir).setValues({ sitePort: 1234 });
    expect(mode(top)).toBe(0o700);
    expect(mode(dir)).toBe(0o700);
  });
});

describe('an empty --config-dir', () => {
  it.each([
    [['--config-dir', '', 'reset']],
    [['--config-dir=', 'reset']],
    [['reset', '--config-dir', '']],
    [['--config-dir', '', 'status']],
    [['--config-dir', '', 'tunnel', '--no-tui']],
    // Whitespace only is as empty, also on the fast route (status, no command, --version's neighbours).
    [['--config-dir', '  ', 'status']],
    [['--config-dir=\t', 'status', '--json']],
    [['--config-dir', ' ']],
    [['--config-dir', ' ', 'reset']],
  ])('%j is a usage error (exit 2) that writes nothing to the current folder', async (args) => {
    const cwd = tempDir();
    const result = await runCli(args, { cwd });
    expect(result.exitCode, result.stdout + result.stderr).toBe(2);
    expect(result.stderr).toMatch(/--config-dir.*empty/);
    expect(readdirSync(cwd)).toEqual([]);
  });

  it.each([['status'], ['reset'], ['export', '--format', 'policy']])(
    'NGROK_FUSIONAUTH_CONFIG_DIR of spaces only: %s is a usage error (exit 2) that writes nothing',
    async (...command) => {
      const cwd = tempDir();
      const result = await runCli(command, { cwd, env: { NGROK_FUSIONAUTH_CONFIG_DIR: '   ' } });
      expect(result.exitCode, result.stdout + result.stderr).toBe(2);
      expect(result.stderr).toMatch(/NGROK_FUSIONAUTH_CONFIG_DIR.*empty/);
      expect(readdirSync(cwd)).toEqual([]);
    },
  );
});

describe('a command that fails creates no config folder', () => {
  it.each([[['tunnel', '--no-tui']], [['verify']], [['export', '--format', 'policy']]])(
    '%j on a folder that does not exist',
    async (command) => {
      const parent = tempDir();
      const dir = path.join(parent, 'not-there', 'config');
      const result = await runCli(['--config-dir', dir, ...command]);
      expect(result.exitCode, result.stdout + result.stderr).not.toBe(0);
      expect(result.stderr).not.toMatch(/unexpected failure/);
      expect(existsSync(path.join(parent, 'not-there'))).toBe(false);
    },
  );

  it('reset of a folder that does not exist has nothing to forget, and makes nothing', async () => {
    const parent = tempDir();
    const result = await runCli(['--config-dir', path.join(parent, 'config'), 'reset']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(readdirSync(parent)).toEqual([]);
  });
});

describe('reset deletes only what the store says it wrote', () => {
  it("the user's own agent.log, agent.log.1 and traffic-policy.yml in the folder stay, as they were", async () => {
    const dir = tempDir();
    Store.open(dir).setValues({ sitePort: 1111 });
    const theirs = {
      'agent.log': 'my own log\n',
      'agent.log.1': 'my older log\n',
      'traffic-policy.yml': 'on_http_request: []\n',
      'notes.txt': 'mine\n',
    };
    for (const [name, text] of Object.entries(theirs)) {
      writeFileSync(path.join(dir, name), text);
      chmodSync(path.join(dir, name), 0o644);
    }
    const result = await runCli(['--config-dir', dir, 'reset']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(Store.open(dir).values).toEqual({});
    for (const [name, text] of Object.entries(theirs)) {
      expect(readFileSync(path.join(dir, name), 'utf8'), name).toBe(text);
      // Not ours, so not tightened either: their mode is theirs.
      expect(mode(path.join(dir, name)), name).toBe(0o644);
    }
  });

  it("the files it recorded as written go, with the log's older half; the sandbox stays", async () => {
    const dir = tempDir();
    const store = Store.open(dir);
    for (const name of ['traffic-policy.yml', 'agent.log'] as const) writeFileSync(store.ownFile(name), 'ours\n');
    writeFileSync(path.join(dir, 'agent.log.1'), 'ours, rotated\n');
    mkdirSync(path.join(dir, 'sandbox'));
    const result = await runCli(['--config-dir', dir, 'reset']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(['config.json', 'sandbox']);
  });

  it('a file that was already there when the tool first used its name is not recorded as written', () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'agent.log'), 'my own log\n');
    const store = Store.open(dir);
    store.ownFile('agent.log');
    store.clear();
    expect(readFileSync(path.join(dir, 'agent.log'), 'utf8')).toBe('my own log\n');
  });

  it('setup records the traffic policy and the agent log it writes: reset deletes them, and nothing else', async () => {
    const dir = tempDir();
    // Agent mode takes its public URL from the store in a run without input.
    Store.open(dir).setValues({ endpointUrl: 'https://my-site.ngrok.app' });
    const site = path.join(tempDir(), 'site');
    const setup = await runCli(
      [
        '--config-dir',
        dir,
        'setup',
        '--sandbox',
        '--no-input',
        '--ngrok-mode',
        'agent',
        '--site-dir',
        site,
        '--port',
        String(await unusedPort()),
      ],
      { timeout: 90_000 },
    );
    expect(setup.stdout, setup.stdout + setup.stderr).toContain(
      `Traffic policy written to ${path.join(dir, 'traffic-policy.yml')}`,
    );
    expect(readdirSync(dir).sort()).toEqual(['agent.log', 'config.json', 'sandbox', 'traffic-policy.yml']);
    writeFileSync(path.join(dir, 'notes.txt'), "not the tool's\n");
    const reset = await runCli(['--config-dir', dir, 'reset']);
    expect(reset.exitCode, reset.stderr).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(['config.json', 'notes.txt', 'sandbox']);
  }, 120_000);
});
