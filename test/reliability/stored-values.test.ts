// Values read back from the settings file are checked again before they reach a traffic-policy
// expression (CEL) or an exported YAML file: a hand-edited config.json with a quote in `secondPath`
// or a line break in `endpointUrl` is refused on load with one sentence, and what is exported is
// built with a quoting function (CEL) and the YAML library (never by concatenation), so that even a
// value that got past the checks stays one value.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { celString, ngrokYml, policyDocument, policyYml } from '../../src/core/ngrok';
import { CONFIG_FILE_NAME, type Values } from '../../src/core/store';
import { compileCel } from '../../src/sandbox/ngrok/policy/cel';
import { runCli, tempDir } from '../helpers/cli';

const base = {
  fusionauthUrl: 'https://auth.example.com',
  clientId: '1f0e6c4a-8d2b-4b6e-9a3f-5c7d8e9f0a1b',
  clientSecret: 'hF0x_9Jq3kLm8NvB2cR5tY7uW1zX4aS6dE0gI2oP',
  sitePort: 8000,
  endpointUrl: 'https://my-site.ngrok.app',
  internalUrl: 'https://my-site.internal',
};

/** A config.json written by hand, as a person (or a script, or an attacker with write access) would. */
function handEdited(values: Record<string, unknown>): string {
  const dir = tempDir('nf-hand-edited-');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeFileSync(path.join(dir, CONFIG_FILE_NAME), JSON.stringify({ values }), { mode: 0o600 });
  return dir;
}

describe('hostile values in a hand-edited config.json', () => {
  const cases: Array<[string, Record<string, unknown>, string, RegExp]> = [
    [
      'a quote in secondPath (CEL injection)',
      { ...base, ngrokMode: 'endpoint', secondPath: "/api' || true || '", secondPort: 8001 },
      'policy',
      /secondPath/,
    ],
    [
      'a line break in endpointUrl (YAML injection)',
      { ...base, ngrokMode: 'agent', endpointUrl: 'https://my-site.ngrok.app\ninjected: true' },
      'ngrok-yml',
      /endpointUrl/,
    ],
    [
      'a line break in internalUrl',
      { ...base, ngrokMode: 'endpoint', internalUrl: 'https://my-site.internal\n  pooling_enabled: false' },
      'ngrok-yml',
      /internalUrl/,
    ],
    [
      'a CIDR that is not one',
      { ...base, ngrokMode: 'endpoint', allowCidrs: ["0.0.0.0/0', '1"] },
      'policy',
      /allowCidrs/,
    ],
    [
      'a header name with a line break',
      { ...base, ngrokMode: 'endpoint', addHeaders: { 'X-A\nX-B': 'v' } },
      'policy',
      /addHeaders/,
    ],
    [
      'an issuer that is not a URL',
      { ...base, ngrokMode: 'endpoint', fusionauthUrl: 'javascript:alert(1)' },
      'policy',
      /fusionauthUrl/,
    ],
  ];
  it.each(cases)('%s: refused on load with one sentence, nothing exported', async (_what, values, format, names) => {
    const dir = handEdited(values);
    const result = await runCli(['--config-dir', dir, 'export', '--format', format]);
    // A damaged settings file is a failure (exit 1), not a usage error (2) nor a crash.
    expect(result.exitCode, result.stdout + result.stderr).toBe(1);
    expect(result.stdout).toBe('');
    const [sentence, ...rest] = result.stderr.trim().split('\n');
    expect(sentence).toMatch(/^error: The settings file .* is damaged \(.*\)\.$/);
    expect(sentence).toMatch(names);
    // The sentence says what is wrong in words, not as a regular expression.
    expect(sentence).not.toMatch(/must match pattern|\^|\$\)/);
    // One more line: where the file was moved so nothing is lost (StoreCorruptError's hint).
    expect(rest, result.stderr).toHaveLength(1);
    expect(rest[0]).toMatch(/^It was moved to .*\.broken-.* so nothing is lost\./);
    expect(result.stderr).not.toContain('injected');
    // status refuses it the same way.
    expect((await runCli(['--config-dir', handEdited(values), 'status'])).stderr).toMatch(names);
  });

  it('what the wizard itself stores still loads: every mode, Next Steps and all', async () => {
    const dir = handEdited({
      ...base,
      ngrokMode: 'endpoint',
      tenantId: '2a2b3c4d-0000-4000-8000-000000000000',
      applicationName: 'ngrok — "my" app',
      redirectUri: 'https://idp.ngrok.com/oauth2/callback',
      domain: 'my-site.ngrok.app',
      policyFile: "/home/me/My Folder/it's here/policy.yml",
      agentCommand: "ngrok http 8000 --url 'https://my-site.internal'",
      siteDir: "/home/me/My Folder/it's here",
      sessionInactivity: '30m',
      sessionMaxDuration: '1h30m',
      allowCidrs: ['203.0.113.0/24', '2001:db8::/32', '198.51.100.7'],
      addHeaders: { 'X-Site': 'demo "quoted" value', 'response:X-Frame-Options': 'DENY' },
      removeHeaders: ['X-Powered-By', 'response:Server'],
      secondPath: '/api/v1',
      secondPort: 8001,
      webhookUrl: 'https://hooks.example.com/login?x=1',
    });
    const result = await runCli(['--config-dir', dir, 'export', '--format', 'policy']);
    expect(result.exitCode, result.stderr).toBe(0);
  });
});

describe('CEL string literals', () => {
  const hostile = ["/api' || true || '", '/a\\b', "/it's", '/a"b', "/\\'", "'", '\\', '/ok'];
  it.each(hostile)("round-trips through the sandbox's CEL parser: %s", (value) => {
    const matches = compileCel(`req.url.path == ${celString(value)}`);
    const request = { method: 'GET', query: '', host: 'x', clientIp: '127.0.0.1' };
    expect(matches({ ...request, path: value })).toBe(true);
    expect(matches({ ...request, path: `${value}x` })).toBe(false);
    expect(matches({ ...request, path: '/other' })).toBe(false);
  });

  it("the second path's rule, built by the policy, matches that path and nothing else even for a hostile value", () => {
    const second = "/api' || true || '";
    const doc = policyDocument(
      { issuerUrl: base.fusionauthUrl, clientId: base.clientId, clientSecret: 'x' },
      {
        forwardInternalUrl: base.internalUrl,
        secondInternalUrl: 'https://my-site-api.internal',
        extras: {
          allowCidrs: [],
          request: { add: {}, remove: [] },
          response: { add: {}, remove: [] },
          second: { path: second, port: 8001, slug: 'api' },
        },
      },
    ) as { on_http_request: Array<{ expressions?: string[] }> };
    const [expression] = doc.on_http_request.find((r) => r.expressions)!.expressions!;
    const matches = compileCel(expression!);
    const request = { method: 'GET', query: '', host: 'x', clientIp: '127.0.0.1' };
    expect(matches({ ...request, path: second })).toBe(true);
    expect(matches({ ...request, path: `${second}/x` })).toBe(true);
    expect(matches({ ...request, path: '/' })).toBe(false);
    expect(matches({ ...request, path: '/anything' })).toBe(false);
  });
});

describe('exported YAML is built by the YAML library', () => {
  it('a line break in a value stays inside that value (values that got past the checks)', () => {
    const values: Values = {
      ...base,
      ngrokMode: 'endpoint',
      endpointUrl: 'https://my-site.ngrok.app\nversion: "9"\ninjected: true',
    };
    const doc = YAML.parse(ngrokYml(values));
    expect(doc.version).toBe('3');
    expect(doc).not.toHaveProperty('injected');
    const policy = YAML.parse(policyYml({ ...values, secondPath: '/api\ninjected: true', secondPort: 8001 }));
    expect(policy).not.toHaveProperty('injected');
  });
});
