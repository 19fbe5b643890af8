// Every command the CLI prints is written the way it was started (src/core/text/invocation.ts):
// launched for real here, through npm's own clients, offline. The repository is installed into a
// temporary project as a `file:` dependency (npm links it) and run by `npx`, and installed globally
// under a temporary prefix and run by its bare name from PATH, and the launcher is run by node. Each
// prints the hint of an empty store, and the tunnel's refusal, in its own form.
import { execa } from 'execa';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BIN, ROOT, tempDir } from '../helpers/cli';
import { scaled } from '../helpers/deadline';

/** An environment of our own: npm's markers from whatever started vitest must not leak in. */
function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    HOME: tempDir('invocation-home-'),
    CI: 'true',
    NO_COLOR: '1',
    npm_config_cache: tempDir('invocation-npm-cache-'),
    npm_config_update_notifier: 'false',
    ...extra,
  };
}

async function run(file: string, args: string[], cwd: string, env = cleanEnv()) {
  const result = await execa(file, args, {
    cwd,
    env,
    extendEnv: false,
    reject: false,
    stdin: 'ignore',
    timeout: scaled(60_000),
  });
  return { exitCode: result.exitCode, stdout: String(result.stdout), stderr: String(result.stderr) };
}

const npmInstall = ['--offline', '--ignore-scripts', '--no-audit', '--no-fund'];

describe('printed commands match how the CLI was started', () => {
  let project: string;
  let prefix: string;
  const configDir = path.join(tempDir('invocation-config-'), 'a folder');

  beforeAll(async () => {
    project = tempDir('invocation-project-');
    writeFileSync(
      path.join(project, 'package.json'),
      JSON.stringify({ name: 'p', private: true, dependencies: { 'ngrok-fusionauth': `file:${ROOT}` } }),
    );
    const local = await run('npm', ['install', ...npmInstall], project);
    expect(local.exitCode, local.stderr).toBe(0);
    prefix = tempDir('invocation-global-');
    const global = await run('npm', ['install', '--global', '--prefix', prefix, ROOT, ...npmInstall], prefix);
    expect(global.exitCode, global.stderr).toBe(0);
  }, scaled(120_000));

  it('npx: `npx ngrok-fusionauth …`, the config dir kept and quoted', async () => {
    const status = await run('npx', ['--offline', 'ngrok-fusionauth', 'status', '--config-dir', configDir], project);
    expect(status.exitCode, status.stderr).toBe(0);
    expect(status.stdout).toContain(
      `Nothing stored yet: run \`npx ngrok-fusionauth --config-dir '${configDir}'\` to start.`,
    );
    const tunnel = await run(
      'npx',
      ['--offline', 'ngrok-fusionauth', '--config-dir', configDir, 'tunnel', '--no-tui'],
      project,
    );
    expect(tunnel.exitCode).toBe(2);
    expect(tunnel.stderr).toContain(`(run \`npx ngrok-fusionauth --config-dir '${configDir}'\`)`);
  });

  it('a global install: the bare name, which is on PATH', async () => {
    const env = cleanEnv({ PATH: `${path.join(prefix, 'bin')}${path.delimiter}${process.env.PATH ?? ''}` });
    const status = await run('ngrok-fusionauth', ['status', `--config-dir=${configDir}`], tempDir(), env);
    expect(status.exitCode, status.stderr).toBe(0);
    expect(status.stdout).toContain(
      `Nothing stored yet: run \`ngrok-fusionauth --config-dir '${configDir}'\` to start.`,
    );
  });

  it('node on the launcher of a clone: `node bin/ngrok-fusionauth.js …` from the clone, its full path elsewhere', async () => {
    const here = await run(process.execPath, [BIN, 'status', '--config-dir', configDir], ROOT);
    expect(here.stdout).toContain(`run \`node bin/ngrok-fusionauth.js --config-dir '${configDir}'\` to start.`);
    const elsewhere = await run(process.execPath, [BIN, 'status', '--config-dir', configDir], tempDir());
    expect(elsewhere.stdout).toContain(`run \`node ${BIN} --config-dir '${configDir}'\` to start.`);
  });
});
