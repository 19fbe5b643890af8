import { describe, expect, it } from 'vitest';
import pkg from '../../package.json' with { type: 'json' };
import { runCli, tempDir } from '../helpers/cli';

describe('command line contract', () => {
  it('--version prints the version, exit 0', async () => {
    const result = await runCli(['--version']);
    expect(result).toMatchObject({ exitCode: 0, stdout: pkg.version });
  });

  it('--help lists every command of the contract', async () => {
    const result = await runCli(['--help']);
    expect(result.exitCode).toBe(0);
    for (const command of ['setup', 'status', 'tunnel', 'verify', 'sandbox', 'destroy', 'reset', 'export'])
      expect(result.stdout).toContain(command);
    expect(result.stdout).toContain('--config-dir');
  });

  it('setup --help lists its flags', async () => {
    const result = await runCli(['setup', '--help']);
    for (const flag of [
      '--sandbox',
      '--no-input',
      '--ngrok-mode',
      '--fusionauth-url',
      '--fusionauth-api-key-file',
      '--ngrok-api-key-file',
      '--site-dir',
      '--port',
    ])
      expect(result.stdout).toContain(flag);
  });

  it('a mistyped command is an unknown command with the nearest one suggested, not an operand of setup: exit 2', async () => {
    for (const [typed, meant] of [
      ['stauts', 'status'],
      ['tunel', 'tunnel'],
      ['verfy', 'verify'],
    ]) {
      const result = await runCli([typed!, '--config-dir', tempDir()]);
      expect(result.exitCode).toBe(2);
      expect(result.stderr).toContain(`error: unknown command '${typed}'\n(Did you mean ${meant}?)`);
      expect(result.stderr).not.toContain('too many arguments');
    }
    // Nothing near: said unknown all the same; setup's own options still reach setup.
    expect((await runCli(['xyzzy'])).stderr).toMatch(/^error: unknown command 'xyzzy'\n/);
    const setup = await runCli(['--port', '8000', '--no-input', '--config-dir', tempDir()]);
    expect(setup.stderr).toContain('--no-input:');
  });

  it('an unknown option or a bad value is a usage error: exit 2', async () => {
    expect((await runCli(['--bogus'])).exitCode).toBe(2);
    const badMode = await runCli(['setup', '--ngrok-mode', 'tcp']);
    expect(badMode.exitCode).toBe(2);
    expect(badMode.stderr).toMatch(/edge, endpoint, agent/);
    const badPort = await runCli(['setup', '--port', '70000']);
    expect(badPort.exitCode).toBe(2);
    expect(badPort.stderr).toMatch(/out of range/);
    const badUrl = await runCli(['setup', '--fusionauth-url', 'auth.example.com']);
    expect(badUrl.exitCode).toBe(2);
    expect(badUrl.stderr).toMatch(/https:\/\/auth\.example\.com/);
  });

  it('the wizard without a TTY never hangs: exit 2 naming --no-input', async () => {
    const result = await runCli(['--config-dir', tempDir()], { timeout: 10_000 });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('--no-input');
  });
});
