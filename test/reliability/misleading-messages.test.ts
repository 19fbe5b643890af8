// Messages that named the wrong cause: a key with a NUL, a line break or an escape in it was "Could not
// reach" the server (fetch refuses such a header before sending anything), NGROK_API_URL=file:///… was
// "Could not reach null", and a server that redirects in a loop was "Could not reach" it too. Each now
// says what is wrong, and a key is judged before any request carries it. Real CLI runs, with servers on
// 127.0.0.1 that count what reaches them.
import { writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors';
import { NgrokApi } from '../../src/core/ngrok';
import { startSandbox, type Sandbox } from '../../src/sandbox/index';
import { runCli, tempDir } from '../helpers/cli';
import { faultyServer, type FaultyServer } from '../helpers/fusionauth-faults';
import { unusedPort } from '../helpers/ports';

/** A free port for the site server the CLI starts (test/helpers/ports.ts). */
const port = async () => String(await unusedPort());

let sandbox: Sandbox;
/** A FusionAuth that serves discovery (Before You Start reads it without a key) and counts API calls. */
let fusionauth: FaultyServer;
/** An "ngrok API" that counts what reaches it and answers nothing useful. */
let ngrok: FaultyServer;
/** A server whose every answer redirects to itself. */
let loop: FaultyServer;

beforeAll(async () => {
  sandbox = await startSandbox();
  let url = '';
  fusionauth = await faultyServer((req: IncomingMessage, res: ServerResponse) => {
    res.writeHead(req.url === '/.well-known/openid-configuration' ? 200 : 500, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ issuer: url, authorization_endpoint: `${url}/oauth2/authorize` }));
  });
  url = fusionauth.url;
  ngrok = await faultyServer((_req, res) =>
    res
      .writeHead(401, { 'content-type': 'application/json' })
      .end(JSON.stringify({ error_code: 'ERR_NGROK_201', msg: 'no' })),
  );
  loop = await faultyServer((req, res) => res.writeHead(302, { location: req.url ?? '/' }).end());
});
afterAll(async () => {
  await Promise.all([fusionauth.close(), ngrok.close(), loop.close(), sandbox.close()]);
});

/** The requests that would carry the key: FusionAuth's management API, or anything sent to the ngrok API. */
const keyed = {
  FusionAuth: () => fusionauth.requests.filter((r) => r.path.startsWith('/api/')).length,
  ngrok: () => ngrok.requests.length,
};

/** setup --no-input against the sandbox, but for what `env` points elsewhere: one service under test at a time. */
async function setup(env: Record<string, string>, args: string[] = []) {
  const parent = tempDir();
  return runCli(
    [
      '--config-dir',
      path.join(parent, 'config'),
      'setup',
      '--no-input',
      '--site-dir',
      path.join(parent, 'site'),
      '--port',
      await port(),
      ...args,
    ],
    {
      env: { ...sandbox.env, ...env },
      timeout: 60_000,
    },
  );
}

describe('a key with characters no key has is named as such, before any request carries it', () => {
  it.each([
    [
      'an escape sequence in FUSIONAUTH_API_KEY',
      'FusionAuth',
      { FUSIONAUTH_API_KEY: 'abcdefgh\u001b[2Jijklmnop' },
      'The FusionAuth API key in FUSIONAUTH_API_KEY has a character no API key has: an escape character (ESC) at position 9.',
    ],
    [
      'a line break inside NGROK_API_KEY',
      'ngrok',
      { NGROK_API_KEY: '2abcdefghijklmno\r\npqrstuvwxyz' },
      'The ngrok API key in NGROK_API_KEY has a character no API key has: a line break at position 17.',
    ],
    // (No NUL here: an environment variable cannot hold one. The key file below can.)
    [
      'a pasted curly quote in FUSIONAUTH_API_KEY',
      'FusionAuth',
      { FUSIONAUTH_API_KEY: '\u2019abcdefghijklmnop' },
      'The FusionAuth API key in FUSIONAUTH_API_KEY has a character no API key has: U+2019, which is not plain ASCII, at position 1.',
    ],
  ] as const)('%s', async (_what, service, env, sentence) => {
    const before = keyed[service]();
    // The service whose key is wrong is the counting server; the other one is the sandbox's.
    const result = await setup({
      ...env,
      ...(service === 'FusionAuth' ? { FUSIONAUTH_URL: fusionauth.url } : { NGROK_API_URL: ngrok.url }),
    });
    expect(result.stdout, result.stdout + result.stderr).toContain(sentence);
    expect(result.stdout + result.stderr).not.toMatch(/Could not reach|unexpected failure/);
    expect(result.exitCode).toBe(1);
    expect(keyed[service]()).toBe(before);
  });

  it('a NUL in a key file: refused before anything starts, with the file named', async () => {
    const file = path.join(tempDir(), 'key');
    writeFileSync(file, 'abcdefgh\u0000ijklmnop\n');
    const before = keyed.FusionAuth() + keyed.ngrok();
    const result = await setup({ FUSIONAUTH_URL: fusionauth.url }, ['--fusionauth-api-key-file', file]);
    expect(result.stderr).toContain(
      `The FusionAuth API key in the key file ${file} has a character no API key has: a NUL byte at position 9.`,
    );
    expect(result.exitCode).toBe(1);
    expect(keyed.FusionAuth() + keyed.ngrok()).toBe(before);
  });
});

describe('NGROK_API_URL must be an http(s) URL', () => {
  it.each([['file:///etc/passwd'], ['ftp://api.ngrok.com'], ['api.ngrok.com'], ['http://']])(
    '%s: said so, not "Could not reach null"',
    async (value) => {
      const result = await setup({ NGROK_API_URL: value });
      expect(result.stdout, result.stdout + result.stderr).toContain(
        `NGROK_API_URL must be an http:// or https:// URL such as https://api.ngrok.com, not "${value}".`,
      );
      expect(result.stdout + result.stderr).not.toMatch(/Could not reach|unexpected failure/);
      expect(result.exitCode).toBe(1);
    },
  );

  it('the API client refuses it too, whoever builds one', () => {
    expect(() => new NgrokApi({ apiKey: 'k'.repeat(40), baseUrl: 'file:///etc/passwd' })).toThrow(UserError);
  });
});

describe('a server that redirects in a loop', () => {
  it('as NGROK_API_URL: "redirects in a loop", not "Could not reach"', async () => {
    const result = await setup({ NGROK_API_URL: loop.url });
    expect(result.stdout, result.stdout + result.stderr).toContain(`${loop.url} redirects in a loop`);
    expect(result.stdout).not.toMatch(/Could not reach/);
    expect(result.exitCode).toBe(1);
    expect(loop.requests.length).toBeGreaterThan(1);
  });
});
