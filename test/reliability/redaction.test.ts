// One redactor, fed one list: every known secret (the ngrok.yml's authtoken and api_key included,
// which the user never gave us) and every value under a secret's name, in every form the agent or an
// API writes it — masked in what `tunnel` prints and in agent.log, as they really are written.
import { describe, expect, it } from 'vitest';
import { mask, redact } from '../../src/core/text';
import { fakeAgentWorld, runTunnelWithFakeAgent } from '../helpers/fake-agent';

const TOKEN = 'cfg2Token-from-ngrok-yml-9731';
const API_KEY = 'cfgApiKey-from-ngrok-yml-5519';
const UNKNOWN = 'someone-elses-token-8826';

describe('redact: a value under a secret\'s name, in every form', () => {
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
    for (const text of ['token: ok', 'secret=no', 'the authtoken is configured', 'authtoken_configured=true']) expect(redact(text, [])).toBe(text);
  });
});

describe('the agent\'s lines, as tunnel prints and logs them', () => {
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
    for (const [where, text] of Object.entries({ stdout, stderr, log })) {
      expect(text, where).not.toContain(TOKEN);
      expect(text, where).not.toContain(API_KEY);
    }
  });
});
