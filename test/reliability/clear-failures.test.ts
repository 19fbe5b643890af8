// Failures of the world, not of this tool: each is one sentence and exit 1, never "unexpected failure
// … please report it". A config folder that is a file, a settings file that is a folder, a config
// folder the user may not write, and an API that answers with the wrong types. Real CLI runs, real
// folders (another user's where it matters), and a real server on 127.0.0.1.
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index';
import { runCli, tempDir } from '../helpers/cli';
import { faultyServer, type FaultyServer } from '../helpers/fusionauth-faults';
import { giveToCliUser, otherUser, readOnlyFolder } from '../helpers/other-user';
import { unusedPort } from '../helpers/ports';

const COMMANDS: string[][] = [
  ['setup', '--no-input'],
  ['tunnel', '--no-tui'],
  ['verify'],
  ['destroy', '--yes'],
  ['reset'],
  ['export', '--format', 'policy'],
  ['status'],
  ['status', '--json'],
];

function expectOneSentence(
  result: { exitCode?: number; stdout: string; stderr: string },
  sentence: string | RegExp,
): void {
  expect(result.stderr, result.stdout + result.stderr).not.toMatch(/unexpected failure|please report|\n\s+at /);
  if (typeof sentence === 'string') expect(result.stderr).toContain(sentence);
  else expect(result.stderr).toMatch(sentence);
  expect(result.exitCode).toBe(1);
}

describe('the config folder is a file', () => {
  it.each(COMMANDS)('%s: one sentence naming it, exit 1', async (...command) => {
    const file = path.join(tempDir(), 'config');
    writeFileSync(file, 'not a folder\n');
    const result = await runCli(['--config-dir', file, ...command]);
    expectOneSentence(
      result,
      new RegExp(`${file.replace(/[.]/g, '\\.')}.*(is a file, not a folder|a folder on its path is a file)`),
    );
    expect(readFileSync(file, 'utf8')).toBe('not a folder\n');
  });
});

describe('the settings file is a folder', () => {
  it.each(COMMANDS)('%s: one sentence naming it, exit 1', async (...command) => {
    const dir = tempDir();
    mkdirSync(path.join(dir, 'config.json'));
    const result = await runCli(['--config-dir', dir, ...command]);
    expectOneSentence(result, `The settings file ${path.join(dir, 'config.json')} is a folder`);
  });
});

describe('a config folder the user may read but not write', () => {
  it('tunnel only reads it: it says what is missing, and changes nothing', async () => {
    const dir = readOnlyFolder();
    const before = statSync(dir).mode;
    const result = await runCli(['--config-dir', dir, 'tunnel', '--no-tui'], { as: otherUser });
    expect(result.stderr).not.toMatch(/unexpected failure|please report/);
    expect(result.stderr).toContain('The tunnel cannot start yet');
    expect(result.exitCode).toBe(2);
    expect(statSync(dir).mode).toBe(before);
  });

  it('a command that writes the settings: "cannot write", one sentence, exit 1; the file is as it was', async () => {
    const settings = JSON.stringify({ values: { sitePort: 8123 }, created: {}, steps: {} });
    const dir = readOnlyFolder((d) => {
      writeFileSync(path.join(d, 'config.json'), settings, { mode: 0o600 });
      giveToCliUser(path.join(d, 'config.json'));
    });
    const result = await runCli(['--config-dir', dir, 'reset'], { as: otherUser });
    expectOneSentence(result, `Cannot write the settings file ${path.join(dir, 'config.json')}: permission denied.`);
    expect(readFileSync(path.join(dir, 'config.json'), 'utf8')).toBe(settings);
  });

  it('a settings file the user may not read: "cannot read", one sentence, exit 1, from status too', async () => {
    const dir = readOnlyFolder((d) => {
      writeFileSync(path.join(d, 'config.json'), '{}', { mode: 0o600 });
      // Root's file is closed to nobody by its mode; the test user's own file needs its read bit taken.
      if (!otherUser) chmodSync(path.join(d, 'config.json'), 0o000);
    });
    for (const command of [['tunnel', '--no-tui'], ['status']]) {
      const result = await runCli(['--config-dir', dir, ...command], { as: otherUser });
      expectOneSentence(result, `Cannot read the settings file ${path.join(dir, 'config.json')}: permission denied.`);
    }
  });
});

describe('an API that answers with the wrong types', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    // For its agent stand-in and authtoken: Before You Start checks them before FusionAuth is called.
    sandbox = await startSandbox();
  });
  afterAll(() => sandbox.close());

  /** A FusionAuth on 127.0.0.1 that is right about everything but the tenants: `{"tenants":"x"}`. */
  async function fusionauthWithTenantsAsText(): Promise<FaultyServer> {
    const json = (res: ServerResponse, body: unknown) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    let url = '';
    const server = await faultyServer((req: IncomingMessage, res: ServerResponse) => {
      const where = new URL(req.url ?? '/', url).pathname;
      if (where === '/.well-known/openid-configuration')
        return json(res, {
          issuer: url,
          authorization_endpoint: `${url}/oauth2/authorize`,
          token_endpoint: `${url}/oauth2/token`,
        });
      if (where === '/api/system/version') return json(res, { version: '1.69.0' });
      if (where === '/api/tenant') return json(res, { tenants: 'x' });
      res.writeHead(404).end();
    });
    url = server.url;
    return server;
  }

  it('setup with FusionAuth answering {"tenants":"x"}: FusionAuth and the list named, exit 1', async () => {
    const fusionauth = await fusionauthWithTenantsAsText();
    try {
      const dir = tempDir();
      const result = await runCli(
        [
          '--config-dir',
          dir,
          'setup',
          '--no-input',
          '--site-dir',
          path.join(dir, 'site'),
          '--port',
          String(await unusedPort()),
        ],
        {
          env: { ...sandbox.env, FUSIONAUTH_URL: fusionauth.url, FUSIONAUTH_API_KEY: 'k'.repeat(40) },
          timeout: 60_000,
        },
      );
      expect(result.stdout + result.stderr).not.toMatch(/unexpected failure|please report|\n\s+at /);
      expect(result.stdout).toContain(
        'FusionAuth answered listing the tenants with something this tool cannot use: tenants is not a list.',
      );
      expect(result.exitCode).toBe(1);
      expect(fusionauth.requests.some((r) => r.path === '/api/tenant')).toBe(true);
    } finally {
      await fusionauth.close();
    }
  }, 90_000);
});
