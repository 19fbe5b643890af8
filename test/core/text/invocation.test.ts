// The command lines this tool prints are written the way it was started (core/text/invocation.ts).
// The real launches (npx from a project, a global install, node on the launcher) are run in
// test/commands/invocation.test.ts; here, every rule of the detection and of the kept options.
import { afterEach, describe, expect, it } from 'vitest';
import { keptOptionsOf, launcherWords, selfCommand, setInvocationForTests } from '../../../src/core/text';

const noNpm = { PATH: '/usr/local/bin:/usr/bin:/bin' };

afterEach(() => setInvocationForTests(undefined));

describe('launcherWords', () => {
  it('says npx when npm exec runs it (npm_command=exec, or the lifecycle event npx), wherever the file is', () => {
    const script = '/home/me/site/node_modules/.bin/ngrok-fusionauth';
    expect(launcherWords({ script, env: { npm_command: 'exec' }, cwd: '/home/me/site' })).toEqual([
      'npx',
      'ngrok-fusionauth',
    ]);
    expect(
      launcherWords({ script: '/x/bin/ngrok-fusionauth.js', env: { npm_lifecycle_event: 'npx' }, cwd: '/x' }),
    ).toEqual(['npx', 'ngrok-fusionauth']);
  });

  it("says npx for a package in npx's cache (_npx) and for a project's own node_modules/.bin", () => {
    expect(
      launcherWords({ script: '/root/.npm/_npx/0a1b/node_modules/.bin/ngrok-fusionauth', env: noNpm, cwd: '/tmp' }),
    ).toEqual(['npx', 'ngrok-fusionauth']);
    expect(launcherWords({ script: 'node_modules/.bin/ngrok-fusionauth', env: noNpm, cwd: '/home/me/site' })).toEqual([
      'npx',
      'ngrok-fusionauth',
    ]);
    expect(
      launcherWords({
        script: '/home/me/site/node_modules/ngrok-fusionauth/bin/ngrok-fusionauth.js',
        env: noNpm,
        cwd: '/',
      }),
    ).toEqual(['npx', 'ngrok-fusionauth']);
  });

  it('says the bare name for a bin on PATH (a global install), and its path for one that is not', () => {
    expect(launcherWords({ script: '/usr/local/bin/ngrok-fusionauth', env: noNpm, cwd: '/tmp' })).toEqual([
      'ngrok-fusionauth',
    ]);
    expect(launcherWords({ script: '/opt/tools/ngrok-fusionauth', env: noNpm, cwd: '/tmp' })).toEqual([
      '/opt/tools/ngrok-fusionauth',
    ]);
    expect(
      launcherWords({ script: '/usr/lib/node_modules/ngrok-fusionauth/bin/ngrok-fusionauth.js', env: noNpm, cwd: '/' }),
    ).toEqual(['ngrok-fusionauth']);
  });

  it('says node and the launcher for a clone: relative below the current folder, absolute elsewhere', () => {
    const script = '/src/ngrok-fusionauth/bin/ngrok-fusionauth.js';
    expect(launcherWords({ script, env: noNpm, cwd: '/src/ngrok-fusionauth' })).toEqual([
      'node',
      'bin/ngrok-fusionauth.js',
    ]);
    expect(launcherWords({ script, env: noNpm, cwd: '/home/me' })).toEqual(['node', script]);
    // `npm run` in the clone is not npx: the launcher is still run by node.
    expect(
      launcherWords({ script, env: { ...noNpm, npm_command: 'run-script' }, cwd: '/src/ngrok-fusionauth' }),
    ).toEqual(['node', 'bin/ngrok-fusionauth.js']);
  });

  it('says the bare name when this code runs inside another program (a test runner)', () => {
    expect(launcherWords({ script: '/x/node_modules/vitest/vitest.mjs', env: noNpm, cwd: '/x' })).toEqual([
      'ngrok-fusionauth',
    ]);
    expect(launcherWords({ script: undefined, env: noNpm, cwd: '/x' })).toEqual(['ngrok-fusionauth']);
  });
});

describe('keptOptionsOf', () => {
  it('keeps --config-dir (either form, before or after the command, made absolute) and --sandbox', () => {
    expect(keptOptionsOf(['--config-dir', '/a b', 'setup', '--sandbox'])).toEqual({ configDir: '/a b', sandbox: true });
    expect(keptOptionsOf(['tunnel', '--config-dir=/c'])).toEqual({ configDir: '/c' });
    expect(keptOptionsOf(['status'])).toEqual({});
    expect(keptOptionsOf(['--', '--sandbox'])).toEqual({});
  });
});

describe('selfCommand', () => {
  it('quotes every word, keeps the config dir, and --sandbox only for the commands that take it', () => {
    setInvocationForTests(['npx', 'ngrok-fusionauth'], { configDir: "/tmp/it's here", sandbox: true });
    expect(selfCommand('tunnel')).toBe(`npx ngrok-fusionauth tunnel --sandbox --config-dir '/tmp/it'"'"'s here'`);
    expect(selfCommand()).toBe(`npx ngrok-fusionauth --sandbox --config-dir '/tmp/it'"'"'s here'`);
    expect(selfCommand('status', '--reveal')).toBe(
      `npx ngrok-fusionauth status --reveal --config-dir '/tmp/it'"'"'s here'`,
    );
    setInvocationForTests(['ngrok-fusionauth'], {});
    expect(selfCommand('setup', '--ngrok-mode', 'agent')).toBe('ngrok-fusionauth setup --ngrok-mode agent');
  });
});
