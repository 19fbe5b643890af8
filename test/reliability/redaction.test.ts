// One redactor, fed one list: every known secret (the ngrok.yml's authtoken and api_key included,
// which the user never gave us) and every value under a secret's name, in every form the agent or an
// API writes it — masked in what `tunnel` prints and in agent.log, as they really are written.
import { execa } from 'execa';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONFIG_FILE_NAME } from '../../src/core/store';
import { mask, redact } from '../../src/core/text';
import { BIN, tempDir } from '../helpers/cli';
import { fakeAgentWorld, runTunnelWithFakeAgent } from '../helpers/fake-agent';
import { unusedPort } from '../helpers/ports';
import { scaled } from '../helpers/deadline';

const TOKEN = 'cfg2Token-from-ngrok-yml-9731';
const API_KEY = 'cfgApiKey-from-ngrok-yml-5519';
const UNKNOWN = 'someone-elses-token-8826';

describe("redact: a value under a secret's name, in every form", () => {
  const forms = [
    `Your authtoken: ${UNKNOWN}`,
    `lvl=eror msg="auth failed" authtoken=${UNKNOWN}`,
    `lvl=eror msg="auth failed" token=${UNKNOWN}`,
    `{"lvl":"eror","msg":"auth failed","authtoken":"${UNKNOWN}"}`,
    `{"lvl":"eror","msg":"auth failed","authtoken": "${UNKNOWN}"}`,
    `{"msg":"the request said \\"authtoken\\": \\"${UNKNOWN}\\""}`,
    `agent:\n  authtoken: ${UNKNOWN}`,
    `api_key=${UNKNOWN}`,
    `"client_secret":"${UNKNOWN}"`,
    `authorization: Bearer ${UNKNOWN}`,
    `https://example.com/cb?access_token=${UNKNOWN}&x=1`,
  ];
  it.each(forms)('%s', (text) => {
    const out = redact(text, []);
    expect(out).not.toContain(UNKNOWN);
    expect(out).toContain(mask(UNKNOWN));
  });

  it('a known secret is masked wherever it appears, and ordinary words under such names stay readable', () => {
    expect(redact(`using ${TOKEN} now`, [TOKEN])).toBe(`using ${mask(TOKEN)} now`);
    for (const text of ['token: ok', 'secret=no', 'the authtoken is configured', 'authtoken_configured=true'])
      expect(redact(text, [])).toBe(text);
  });
});

describe("the agent's lines, as tunnel prints and logs them", () => {
  it('never show the ngrok.yml authtoken or api_key, in any form, on stdout, stderr or in agent.log', async () => {
    const world = await fakeAgentWorld({
      ngrokYml: `version: "3"\nagent:\n  authtoken: ${TOKEN}\n  api_key: ${API_KEY}\n`,
      stdout: [
        `{"t":"2026-01-01T00:00:00+0000","lvl":"info","msg":"client session established","obj":"tunnels.session","note":"${TOKEN}"}`,
        `{"t":"2026-01-01T00:00:01+0000","lvl":"warn","msg":"auth retry","obj":"tunnels.session","authtoken":"${TOKEN}"}`,
        `t=2026-01-01T00:00:02+0000 lvl=warn msg="retrying" obj=tunnels.session authtoken=${TOKEN}`,
        `t=2026-01-01T00:00:03+0000 lvl=info msg="reconnect" obj=tunnels.session token=${TOKEN}`,
        `t=2026-01-01T00:00:04+0000 lvl=info msg="api" obj=api key=${API_KEY}`,
      ],
      stderr: [`ERROR:  authentication failed for ${TOKEN}`],
    });
    const { stdout, stderr, log } = await runTunnelWithFakeAgent(world);
    // The lines did come through (masked), so their absence is not an empty output's.
    expect(stdout).toContain('client session established');
    expect(stdout).toContain(mask(TOKEN));
    expect(log).toContain(mask(TOKEN));
    // The agent's stderr leg reached the output and the log too, masked.
    for (const text of [stdout, log]) expect(text).toContain(`authentication failed for ${mask(TOKEN)}`);
    for (const [where, text] of Object.entries({ stdout, stderr, log })) {
      expect(text, where).not.toContain(TOKEN);
      expect(text, where).not.toContain(API_KEY);
    }
  });
});

describe("a server's message quoting a secret of the run", () => {
  it("FusionAuth quoting the stored client secret and the key file's key: masked in what --no-input prints", async () => {
    const clientSecret = 'stored-client-secret-7731aa';
    const keyInFile = 'key-from-the-key-file-4410bb';
    let url = '';
    const server = createServer((req, res) => {
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
          generalErrors: [{ code: '[Denied]', message: `denied: we also know ${clientSecret} and ${keyInFile}` }],
        }),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const world = await fakeAgentWorld({
        ngrokYml: 'version: "3"\nagent:\n  authtoken: fake-agent-authtoken-0123\n',
      });
      const configDir = tempDir('nf-redact-server-');
      mkdirSync(configDir, { recursive: true, mode: 0o700 });
      writeFileSync(path.join(configDir, CONFIG_FILE_NAME), JSON.stringify({ values: { clientSecret } }), {
        mode: 0o600,
      });
      const keyFile = path.join(configDir, 'fusionauth.key');
      writeFileSync(keyFile, `${keyInFile}\n`, { mode: 0o600 });
      const port = String(await unusedPort());
      const result = await execa(
        process.execPath,
        [
          BIN,
          '--config-dir',
          configDir,
          'setup',
          '--no-input',
          '--ngrok-mode',
          'endpoint',
          '--fusionauth-url',
          url,
          '--fusionauth-api-key-file',
          keyFile,
          '--site-dir',
          path.join(world.root, 'site2'),
          '--port',
          port,
        ],
        {
          reject: false,
          stdin: 'ignore',
          all: true,
          timeout: scaled(30_000),
          env: { CI: 'true', NO_COLOR: '1', NGROK_BIN: world.bin, NGROK_API_KEY: 'ngrok-key-for-redaction-0123' },
        },
      );
      const output = String(result.all);
      expect(output).toContain('denied: we also know');
      expect(output).not.toContain(clientSecret);
      expect(output).not.toContain(keyInFile);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
