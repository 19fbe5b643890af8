// Every key given to setup is checked before anything is changed: the key files are read before the
// sandbox starts or the store is written, and each key given by flag or environment is shown to its API
// (the cheapest call that needs it) in Before You Start, so a wrong ngrok key no longer leaves a FusionAuth
// application behind. Real CLI runs against the sandbox on 127.0.0.1, which is then asked what exists.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index';
import { runCli, tempDir } from '../helpers/cli';
import { unusedPort } from '../helpers/ports';

/** A free port for the site server the CLI starts (test/helpers/ports.ts). */
const port = async () => String(await unusedPort());

/** The applications FusionAuth has, by name, through its own management API. */
async function applicationNames(sandbox: Sandbox): Promise<string[]> {
  const answer = (await (
    await fetch(`${sandbox.fusionauth.url}/api/application`, { headers: { authorization: sandbox.fusionauth.apiKey } })
  ).json()) as { applications?: Array<{ name: string }> };
  return (answer.applications ?? []).map((a) => a.name);
}

describe('key files are read before anything starts', () => {
  it('setup --sandbox with a missing --ngrok-api-key-file: the file named, exit 1, no config folder, no sandbox data', async () => {
    const parent = tempDir();
    const dir = path.join(parent, 'config');
    const keyFile = path.join(parent, 'ngrok-key');
    const result = await runCli(
      [
        '--config-dir',
        dir,
        'setup',
        '--sandbox',
        '--no-input',
        '--ngrok-api-key-file',
        keyFile,
        '--site-dir',
        path.join(parent, 'site'),
        '--port',
        await port(),
      ],
      { timeout: 60_000 },
    );
    expect(result.stderr).toContain(`Cannot read the ngrok API key file ${keyFile}: it does not exist.`);
    expect(result.exitCode).toBe(1);
    expect(result.stdout).not.toMatch(/Created the application/);
    expect(existsSync(dir)).toBe(false);
    expect(existsSync(path.join(parent, 'site'))).toBe(false);
  });

  it('a --fusionauth-api-key-file that is a folder: refused before the sandbox starts', async () => {
    const parent = tempDir();
    const dir = path.join(parent, 'config');
    const result = await runCli(
      [
        '--config-dir',
        dir,
        'setup',
        '--sandbox',
        '--no-input',
        '--fusionauth-api-key-file',
        parent,
        '--port',
        await port(),
      ],
      { timeout: 60_000 },
    );
    expect(result.stderr).toContain(`Cannot read the FusionAuth API key file ${parent}: it is a folder.`);
    expect(result.exitCode).toBe(1);
    expect(existsSync(dir)).toBe(false);
  });
});

describe('keys from the environment are shown to their API in Before You Start', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox();
  });
  afterAll(() => sandbox.close());

  const setup = async (env: Record<string, string>) => {
    const parent = tempDir();
    const site = path.join(parent, 'site');
    return runCli(
      ['--config-dir', path.join(parent, 'config'), 'setup', '--no-input', '--site-dir', site, '--port', await port()],
      { env: { ...sandbox.env, ...env }, timeout: 60_000 },
    ).then((result) => ({ ...result, site }));
  };

  it('a wrong NGROK_API_KEY: said in Before You Start, exit 1, and FusionAuth gets no application', async () => {
    const result = await setup({ NGROK_API_KEY: `2${'x'.repeat(40)}` });
    const [prereqs] = result.stdout.split('== Set Up The Application');
    expect(prereqs, result.stdout + result.stderr).toMatch(/✘ ngrok rejected the API key/);
    expect(prereqs).toMatch(/✔ FusionAuth [\d.]+ accepts FUSIONAUTH_API_KEY/);
    expect(result.exitCode).toBe(1);
    expect(result.stdout).not.toContain('== Set Up FusionAuth');
    expect(await applicationNames(sandbox)).not.toContain('ngrok');
    // Nothing local either: the site folder is the next section's to make.
    expect(existsSync(result.site)).toBe(false);
  });

  it('a wrong FUSIONAUTH_API_KEY: said in Before You Start, exit 1, nothing made', async () => {
    const result = await setup({ FUSIONAUTH_API_KEY: 'y'.repeat(40) });
    const [prereqs] = result.stdout.split('== Set Up The Application');
    expect(prereqs, result.stdout + result.stderr).toMatch(/✘ FusionAuth rejected the API key/);
    expect(prereqs).toMatch(/✔ ngrok accepts the API key \(NGROK_API_KEY\)/);
    expect(result.exitCode).toBe(1);
    expect(existsSync(result.site)).toBe(false);
  }, 30_000);
});
