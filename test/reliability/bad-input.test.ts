// Nonsense in, one clear sentence out: every bad value a user can type or pass is refused with a
// message that says what is wrong — no exception, no stack trace, nothing written to the store.
import { readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Store } from '../../src/core/store';
import { startSandbox } from '../../src/sandbox/index';
import * as v from '../../src/core/validate';
import { ngrokKeyText } from '../../src/core/ngrok';
import { runCli, tempDir } from '../helpers/cli';

const LONG = 'x'.repeat(100_000);
const UUID = '1f0e6c4a-8d2b-4b6e-9a3f-5c7d8e9f0a1b';
const EDGE = 'edghts_2HhKN3ozOCbPO6eDYlXnUgUyiEn';

/** [what, validator, input, expected message] */
const CASES: Array<[string, (text: string) => v.Validation<unknown>, string, RegExp]> = [
  ['URL without scheme', v.fusionauthUrl, 'auth.example.com', /needs its scheme \(https:\/\/auth\.example\.com\)/],
  ['URL with a path', v.fusionauthUrl, 'https://auth.example.com/admin', /just the server/],
  ['URL with a query', v.fusionauthUrl, 'https://auth.example.com/?tenant=1', /just the server/],
  ['URL with a fragment', v.fusionauthUrl, 'https://auth.example.com/#x', /just the server/],
  ['URL with a space', v.fusionauthUrl, 'https://auth example.com', /spaces/],
  ['URL with credentials', v.fusionauthUrl, 'https://admin:pw@auth.example.com', /user name or password/],
  ['URL missing a slash', v.fusionauthUrl, 'https:/auth.example.com', /needs its scheme|not a valid URL/],
  ['URL of another scheme', v.fusionauthUrl, 'ftp://auth.example.com', /must start with https/],
  ['javascript: URL', v.fusionauthUrl, 'javascript:alert(1)', /needs its scheme/],
  ['empty URL', v.fusionauthUrl, '   ', /empty/],
  ['http:// issuer on a public host', v.fusionauthUrl, 'http://auth.example.com', /https issuer/],
  ['URL with an escape sequence', v.fusionauthUrl, 'https://auth.example.com\u001b[A', /control characters/],
  ['very long URL', v.fusionauthUrl, `https://${LONG}.com`, /characters long/],
  ['emoji URL', v.fusionauthUrl, '🚀', /needs its scheme/],
  ['client id too short', v.clientId, '1f0e6c4a', /is a UUID/],
  ['client id with a bad character', v.clientId, `${UUID.slice(0, -1)}z`, /is a UUID/],
  ['client id with spaces', v.clientId, `${UUID} x`, /spaces/],
  ['empty client id', v.clientId, '', /empty/],
  ['very long client id', v.clientId, LONG, /characters long/],
  ['empty secret', v.clientSecret, '', /empty/],
  ['short secret', v.clientSecret, 'abc', /too short/],
  ['client id pasted as secret', v.clientSecret, UUID, /Client Id/],
  ['secret with a newline inside', v.clientSecret, 'abcdefgh\nijkl', /spaces/],
  ['edge id with another prefix', v.edgeId, 'edg_2HhKN3ozOCbPO6eDYlXnUgUyiEn', /edghts_/],
  ['bare edge prefix', v.edgeId, 'edghts_', /edghts_/],
  ['edge id with punctuation', v.edgeId, 'edghts_2HhKN3ozOC!PO6eDYlXnUgU', /edghts_/],
  ['command that is not ngrok tunnel', v.tunnelCommand, 'ngrok http 8000', /starts with "ngrok tunnel"/],
  ['command with no flags', v.tunnelCommand, 'ngrok tunnel', /no --label/],
  [
    'command with an extra flag',
    v.tunnelCommand,
    `ngrok tunnel --label edge=${EDGE} --host-header=rewrite http://localhost:80`,
    /--host-header/,
  ],
  [
    'command with the authtoken',
    v.tunnelCommand,
    `ngrok tunnel --authtoken 2abc --label edge=${EDGE} http://localhost:80`,
    /authtoken/,
  ],
  [
    'command with two addresses',
    v.tunnelCommand,
    `ngrok tunnel --label edge=${EDGE} http://localhost:80 http://localhost:81`,
    /one address/,
  ],
  [
    'command pointing elsewhere',
    v.tunnelCommand,
    `ngrok tunnel --label edge=${EDGE} http://example.com:80`,
    /your local site/,
  ],
  [
    'command with a non-edge label',
    v.tunnelCommand,
    'ngrok tunnel --label app=web http://localhost:80',
    /edge=<edge id>/,
  ],
  ['command with a label but no value', v.tunnelCommand, 'ngrok tunnel --label', /needs a value/],
  ['port zero', v.port, '0', /out of range/],
  ['port too large', v.port, '65536', /out of range/],
  ['negative port', v.port, '-1', /whole number/],
  ['port with letters', v.port, '80a', /whole number/],
  ['fractional port', v.port, '80.5', /whole number/],
  ['port in words', v.port, 'eighty', /whole number/],
  ['redirect URI without path', v.redirectUri, 'https://idp.ngrok.com', /callback path/],
  ['redirect URI over http', v.redirectUri, 'http://idp.ngrok.com/oauth2/callback', /https/],
  ['endpoint over http', v.publicUrl, 'http://my-site.ngrok.app', /https/],
  ['endpoint without a domain', v.publicUrl, 'https://my-site', /full domain/],
  ['internal URL on a public domain', v.internalUrl, 'https://my-site.ngrok.app', /\.internal/],
  ['application name with control characters', v.applicationName, 'ngrok\u0007', /control characters/],
  ['application name too long', v.applicationName, 'n'.repeat(300), /longer than FusionAuth allows/],
  ['ngrok API key with a space', ngrokKeyText, '2abcdefghijklmno pqrstuvwxyz', /ngrok API key contains spaces/],
  ['ngrok API key cut short', ngrokKeyText, '2abcdef', /ngrok API key is too short/],
];

describe(`${CASES.length} bad inputs, each refused with a clear sentence`, () => {
  it('has at least 40 cases', () => expect(CASES.length).toBeGreaterThanOrEqual(40));
  it.each(CASES)('%s', (_what, validate, input, expected) => {
    const result = validate(input);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.message).toMatch(expected);
    expect(result.message.length).toBeLessThan(300);
    expect(result.message).toMatch(/[.)]$/);
  });
});

describe('bad flags: exit 2, one message, no stack trace, nothing written', () => {
  const flags: Array<[string[], RegExp]> = [
    [['--fusionauth-url', 'auth.example.com'], /needs its scheme/],
    [['--fusionauth-url', 'http://auth.example.com'], /https issuer/],
    [['--fusionauth-url', `https://${LONG.slice(0, 5000)}.com`], /characters long/],
    [['--port', '0'], /out of range/],
    [['--port', 'eighty'], /whole number/],
    [['--ngrok-mode', 'tcp'], /edge, endpoint, agent/],
    [['--ngrok-mode'], /argument missing/],
    [['--no-such-flag'], /unknown option/],
    [['export', '--format', 'toml'], /ngrok-yml, policy, systemd/],
    [['export'], /--format/],
  ];
  it.each(flags)('%j', async (args, expected) => {
    const dir = tempDir();
    const result = await runCli(['--config-dir', dir, ...args]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(expected);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(Store.open(dir).snapshot()).toEqual({ values: {}, created: {}, steps: {} });
  });

  it('--no-input names every missing value at once, before changing anything', async () => {
    const dir = tempDir();
    const result = await runCli([
      '--config-dir',
      dir,
      'setup',
      '--no-input',
      '--fusionauth-url',
      'https://auth.example.com',
    ]);
    expect(result.exitCode).toBe(2);
    for (const name of ['Client Id', 'Client secret', 'Public URL']) expect(result.stderr).toContain(name);
    expect(result.stderr).toContain('--no-input');
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(Store.open(dir).snapshot()).toEqual({ values: {}, created: {}, steps: {} });
  });

  it('a port in use, with --no-input: named with a free one, and nothing half-written', async () => {
    const blocker = net.createServer().listen(0, '127.0.0.1');
    await new Promise((r) => blocker.once('listening', r));
    const port = (blocker.address() as net.AddressInfo).port;
    const sandbox = await startSandbox();
    try {
      const dir = tempDir();
      const siteDir = path.join(tempDir(), 'site');
      Store.open(dir).setValues({
        clientId: UUID,
        clientSecret: 'a-secret-of-some-length',
        endpointUrl: 'https://my-site.ngrok.app',
      });
      const result = await runCli(
        [
          '--config-dir',
          dir,
          'setup',
          '--no-input',
          '--ngrok-mode',
          'agent',
          '--port',
          String(port),
          '--site-dir',
          siteDir,
        ],
        { env: { NGROK_BIN: sandbox.agentPath, FUSIONAUTH_URL: sandbox.fusionauth.url } },
      );
      expect(result.exitCode).toBe(2);
      expect(result.stdout).toMatch(
        new RegExp(
          `Port ${port} is used by another program \\(pid ${process.pid}\\)\\.\\n\\s+→ Port \\d+ is free \\(--port \\d+\\)`,
        ),
      );
      expect(result.stderr).toMatch(/needs an answer: Use port \d+ instead, or stop\?/);
      expect(result.stderr).not.toMatch(/\n\s+at /);
      expect(Store.open(dir).values.sitePort).toBeUndefined();
      expect(readFileSync(path.join(siteDir, 'index.html'), 'utf8')).toContain('protected application');
    } finally {
      blocker.close();
      await sandbox.close();
    }
  });
});
