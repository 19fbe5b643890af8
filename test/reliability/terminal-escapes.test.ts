// Text from outside reaches the terminal as text, never as instructions: escape sequences (OSC 52
// clipboard writes, window titles, OSC 8 hyperlinks, screen clears), NUL and other C0 controls, C1
// controls, bidi overrides and invalid UTF-8 — from the agent's lines (plain output and agent.log),
// a server's message quoted in a `--no-input` error, and values shown by `status` — are taken out
// before they are printed or logged. Checked on the bytes the CLI really writes.
import { execa } from 'execa';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CONFIG_FILE_NAME } from '../../src/core/store';
import { BIN, tempDir } from '../helpers/cli';
import { fakeAgentWorld, runTunnelWithFakeAgent } from '../helpers/fake-agent';
import { unusedPort } from '../helpers/ports';
import { scaled } from '../helpers/deadline';

const ESC = '\u001b';
const OSC52 = `${ESC}]52;c;${Buffer.from('rm -rf ~').toString('base64')}\u0007`;
const TITLE = `${ESC}]0;pwned-title\u0007`;
const LINK = `${ESC}]8;;https://evil.example.com/${ESC}\\click-me${ESC}]8;;${ESC}\\`;
const CLEAR = `${ESC}[2J${ESC}[H`;
const C1_CSI = '\u009b2J';
const BIDI = '\u202eevil\u202c';
const HOSTILE = `${OSC52}${TITLE}${LINK}${CLEAR}\u0000\u0008\r${C1_CSI}${BIDI}`;
/** Raw bytes that are not UTF-8 at all. */
const INVALID_UTF8 = Buffer.from([0xff, 0xfe, 0xc3]);

/** What a terminal would act on: C0 but tab and newline, DEL, C1, bidi controls. */
const ACTS_ON = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;

/** The bytes are valid UTF-8 and hold nothing a terminal would act on, nor the payload of a sequence. */
function expectPlainText(bytes: Buffer, where: string): void {
  const text = bytes.toString('utf8');
  expect(Buffer.from(text, 'utf8').equals(bytes), `${where} is not valid UTF-8`).toBe(true);
  const found = ACTS_ON.exec(text);
  expect(
    found
      ? `U+${found[0].charCodeAt(0).toString(16).padStart(4, '0')} at …${JSON.stringify(text.slice(Math.max(0, found.index - 30), found.index + 10))}`
      : 'none',
    `a control character in ${where}`,
  ).toBe('none');
  // A sequence's payload goes with it: the title, the clipboard's base64, the link's target.
  for (const payload of ['pwned-title', Buffer.from('rm -rf ~').toString('base64'), 'evil.example.com'])
    expect(text, where).not.toContain(payload);
}

let server: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

describe('what reaches the terminal', () => {
  it("the agent's lines: plain output and agent.log hold text only", async () => {
    const world = await fakeAgentWorld({
      stdout: [
        // ngrok's own JSON: the escapes arrive JSON-encoded and are decoded by the parser.
        JSON.stringify({
          t: '2026-01-01T00:00:00+0000',
          lvl: 'info',
          msg: `hello ${HOSTILE} world`,
          obj: 'tunnels',
          extra: HOSTILE,
        }),
        // logfmt and plain text: the bytes arrive raw, invalid UTF-8 included.
        Buffer.concat([
          Buffer.from(`t=2026-01-01T00:00:01+0000 lvl=warn msg="raw ${HOSTILE}" obj=tunnels `),
          INVALID_UTF8,
        ]),
      ],
      stderr: [Buffer.concat([Buffer.from(`ERROR:  ${HOSTILE} failed `), INVALID_UTF8])],
    });
    const { stdout, log, bytes } = await runTunnelWithFakeAgent(world);
    expect(stdout).toContain('hello');
    expect(stdout).toContain('world');
    expect(stdout).toContain('click-me');
    // The stderr leg came through too (sanitised), on the plain output and in agent.log.
    for (const text of [stdout, log]) expect(text).toContain(' failed');
    for (const where of ['stdout', 'stderr', 'log'] as const) expectPlainText(bytes[where], where);
  });

  it("a server's message quoted in a --no-input error", async () => {
    // A "FusionAuth" whose discovery document is in order (so the run gets as far as the key check)
    // and that answers every API call with an error whose message is hostile.
    let url = '';
    server = createServer((req, res) => {
      res.writeHead(req.url?.startsWith('/.well-known') ? 200 : 401, { 'content-type': 'application/json' });
      if (req.url?.startsWith('/.well-known'))
        return res.end(
          JSON.stringify({
            issuer: url,
            authorization_endpoint: `${url}/oauth2/authorize`,
            token_endpoint: `${url}/oauth2/token`,
          }),
        );
      res.end(
        JSON.stringify({
          generalErrors: [{ code: '[Hostile]', message: `denied ${HOSTILE}` }],
          fieldErrors: { name: [{ code: `[bad]${HOSTILE}`, message: HOSTILE }] },
        }),
      );
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const world = await fakeAgentWorld({ ngrokYml: 'version: "3"\nagent:\n  authtoken: fake-agent-authtoken-0123\n' });
    const port = String(await unusedPort());
    const result = await execa(
      process.execPath,
      [
        BIN,
        '--config-dir',
        tempDir('nf-hostile-'),
        'setup',
        '--no-input',
        '--ngrok-mode',
        'endpoint',
        '--fusionauth-url',
        url,
        '--site-dir',
        path.join(world.root, 'site2'),
        '--port',
        port,
      ],
      {
        reject: false,
        stdin: 'ignore',
        encoding: 'buffer',
        timeout: scaled(30_000),
        env: {
          CI: 'true',
          NO_COLOR: '1',
          NGROK_BIN: world.bin,
          FUSIONAUTH_API_KEY: 'hostile-test-key-0123456789',
          NGROK_API_URL: url,
          NGROK_API_KEY: 'hostile-ngrok-key-0123456789',
        },
      },
    );
    const stdout = Buffer.from(result.stdout);
    const stderr = Buffer.from(result.stderr);
    // The server's message did reach the output (sanitised), so its escapes had their chance.
    expect(`${stdout}${stderr}`).toContain('denied');
    expectPlainText(stdout, 'stdout');
    expectPlainText(stderr, 'stderr');
  });

  it('status and status --json: step messages and values read back from the settings file', async () => {
    const configDir = tempDir('nf-status-escapes-');
    mkdirSync(configDir, { recursive: true, mode: 0o700 });
    // Values are checked by the store's schema on read (core/store/schema.ts): a value with C0/C1
    // controls would be refused as damage and never printed, so the values carry what the schema's
    // `text` and `header` formats let through (bidi and isolate controls); a step's message is free
    // text, so it carries the whole hostile set.
    writeFileSync(
      path.join(configDir, CONFIG_FILE_NAME),
      JSON.stringify({
        values: {
          applicationName: `app${BIDI}\u2066isolated\u2069`,
          addHeaders: { 'X-Site': `headervalue${BIDI}` },
        },
        steps: {
          fusionauth: {
            status: 'failed',
            updatedAt: '2026-01-01T00:00:00.000Z',
            message: `FusionAuth said: ${HOSTILE}`,
          },
        },
      }),
      { mode: 0o600 },
    );
    for (const args of [['status'], ['status', '--json']]) {
      const result = await execa(process.execPath, [BIN, '--config-dir', configDir, ...args], {
        reject: false,
        stdin: 'ignore',
        encoding: 'buffer',
        env: { CI: 'true', NO_COLOR: '1' },
      });
      // The file was read, not refused as damaged: the planted text reached what status prints.
      expect(result.exitCode, `${args.join(' ')}: ${Buffer.from(result.stderr).toString()}`).toBe(0);
      const printed = Buffer.from(result.stdout).toString();
      for (const reached of ['app', 'isolated', 'headervalue', 'FusionAuth said:', 'evil'])
        expect(printed).toContain(reached);
      expectPlainText(Buffer.from(result.stdout), `${args.join(' ')}: stdout`);
      expectPlainText(Buffer.from(result.stderr), `${args.join(' ')}: stderr`);
    }
  });
});
