import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { agentArgs } from '../../src/core/agent';
import { Store, type Values } from '../../src/core/store';
import { startNgrok, type NgrokSandbox } from '../../src/sandbox/ngrok/index';
import { runCli, tempDir } from '../helpers/cli';

let ngrok: NgrokSandbox;
beforeAll(async () => {
  ngrok = await startNgrok({});
});
afterAll(() => ngrok?.close());

const SECRET = 'hF0x_9Jq3kLm8NvB2cR5tY7uW1zX4aS6dE0gI2oP';
const base: Values = {
  fusionauthUrl: 'https://auth.example.com',
  clientId: '1f0e6c4a-8d2b-4b6e-9a3f-5c7d8e9f0a1b',
  clientSecret: SECRET,
  sitePort: 8000,
  endpointUrl: 'https://my-site.ngrok.app',
};

async function exported(values: Values, format: string, env: Record<string, string> = {}) {
  const dir = tempDir();
  Store.open(dir).setValues(values);
  return runCli(['--config-dir', dir, 'export', '--format', format], { env });
}

/** The agent stand-in as this machine's `ngrok`, at a version of our choosing. */
const agentAt = (version?: string) => ({
  NGROK_BIN: ngrok.agentPath,
  ...(version ? { NGROK_SANDBOX_AGENT_VERSION: version } : {}),
});

describe('export', () => {
  it('endpoint mode: a v3 agent config pooling on the same internal URL, authtoken as a placeholder', async () => {
    const result = await exported(
      { ...base, ngrokMode: 'endpoint', internalUrl: 'https://my-site.internal' },
      'ngrok-yml',
    );
    expect(result.exitCode).toBe(0);
    const doc = YAML.parse(result.stdout);
    expect(doc).toMatchObject({ version: '3', agent: { authtoken: '<YOUR_NGROK_AUTHTOKEN>' } });
    expect(doc.endpoints).toEqual([
      { name: 'protected-site', url: 'https://my-site.internal', upstream: { url: 8000 }, pooling_enabled: true },
    ]);
    expect(result.stdout).not.toContain(SECRET);
  });

  it('edge mode: the same label (a v2 file: v3 has no labeled tunnels)', async () => {
    const result = await exported(
      { ...base, ngrokMode: 'edge', edgeId: 'edghts_2HhKN3ozOCbPO6eDYlXnUgUyiEn' },
      'ngrok-yml',
    );
    const doc = YAML.parse(result.stdout);
    expect(doc.tunnels['protected-site']).toEqual({
      labels: ['edge=edghts_2HhKN3ozOCbPO6eDYlXnUgUyiEn'],
      addr: 'http://localhost:8000',
    });
    expect(result.stdout).not.toContain(SECRET);
  });

  it('agent mode: the policy rides along with the client secret left as a placeholder', async () => {
    const yml = await exported({ ...base, ngrokMode: 'agent' }, 'ngrok-yml');
    const doc = YAML.parse(yml.stdout);
    expect(doc.endpoints[0].url).toBe('https://my-site.ngrok.app');
    expect(doc.endpoints[0].traffic_policy.on_http_request[0].actions[0]).toMatchObject({
      type: 'openid-connect',
      config: { issuer_url: 'https://auth.example.com', client_secret: '<CLIENT_SECRET>' },
    });
    const policy = await exported({ ...base, ngrokMode: 'agent' }, 'policy');
    expect(policy.exitCode).toBe(0);
    expect(policy.stdout).not.toContain(SECRET);
    expect(YAML.parse(policy.stdout).on_http_request[0].actions[0].type).toBe('openid-connect');
  });

  it('the exported policy is the one the first machine runs, Next Steps included', async () => {
    const extras: Values = {
      allowCidrs: ['203.0.113.0/24'],
      sessionMaxDuration: '8h',
      removeHeaders: ['x-internal'],
      secondPath: '/api',
      secondPort: 9000,
    };
    const agent = YAML.parse((await exported({ ...base, ...extras, ngrokMode: 'agent' }, 'policy')).stdout);
    expect(
      agent.on_http_request.map((rule: { actions: Array<{ type: string }> }) => rule.actions.map((a) => a.type)),
    ).toEqual([['restrict-ips', 'openid-connect', 'remove-headers'], ['forward-internal']]);
    expect(agent.on_http_request[0].actions[0].config.allow).toEqual(['203.0.113.0/24']);
    expect(agent.on_http_request[0].actions[1].config).toMatchObject({
      max_session_duration: '8h',
      client_secret: '<CLIENT_SECRET>',
    });
    const yml = YAML.parse((await exported({ ...base, ...extras, ngrokMode: 'agent' }, 'ngrok-yml')).stdout);
    expect(yml.endpoints[0].traffic_policy).toEqual(agent);
    const endpoint = YAML.parse(
      (await exported({ ...base, ...extras, ngrokMode: 'endpoint', internalUrl: 'https://my-site.internal' }, 'policy'))
        .stdout,
    );
    expect(endpoint.on_http_request.at(-1).actions).toEqual([
      { type: 'forward-internal', config: { url: 'https://my-site.internal' } },
    ]);
    expect(endpoint.on_http_request[0].actions.map((a: { type: string }) => a.type)).toEqual([
      'restrict-ips',
      'openid-connect',
      'remove-headers',
    ]);
  });

  it("the first machine's command and the export agree: same URL, same port, and both pooled (endpoint and agent modes)", async () => {
    const cases = [
      {
        values: { ...base, ngrokMode: 'endpoint', internalUrl: 'https://my-site.internal' } as Values,
        url: 'https://my-site.internal',
      },
      {
        values: { ...base, ngrokMode: 'agent', policyFile: '/tmp/policy.yml' } as Values,
        url: 'https://my-site.ngrok.app',
      },
    ];
    for (const { values, url } of cases) {
      const args = agentArgs({
        mode: values.ngrokMode!,
        port: values.sitePort!,
        internalUrl: values.internalUrl,
        endpointUrl: values.endpointUrl,
        policyFile: values.policyFile,
      });
      expect(args.slice(0, 4)).toEqual(['http', '8000', '--url', url]);
      // ngrok pools a URL only when every endpoint on it has pooling enabled, the first one included.
      expect(args).toContain('--pooling-enabled');
      const endpoint = YAML.parse((await exported(values, 'ngrok-yml')).stdout).endpoints[0];
      expect(endpoint).toMatchObject({ url, upstream: { url: 8000 }, pooling_enabled: true });
    }
  });

  it("asks this machine's agent whether it takes the file (ngrok config check), and says what to do when it does not", async () => {
    const endpoint = { ...base, ngrokMode: 'endpoint', internalUrl: 'https://my-site.internal' } as Values;
    const edge = { ...base, ngrokMode: 'edge', edgeId: 'edghts_2HhKN3ozOCbPO6eDYlXnUgUyiEn', region: 'eu' } as Values;
    const current = await exported(endpoint, 'ngrok-yml', agentAt());
    expect(current.exitCode).toBe(0);
    expect(current.stderr).toContain("✔ This machine's ngrok agent accepts the file (ngrok config check).");
    // The guide's agent, 3.1.0, predates version 3 files (3.16.0): the file still goes to stdout.
    const old = await exported(endpoint, 'ngrok-yml', agentAt('3.1.0'));
    expect(old.exitCode).toBe(0);
    expect(YAML.parse(old.stdout).version).toBe('3');
    expect(old.stderr).toMatch(
      /⚠ This machine's ngrok agent refuses the file: .*'<the exported file>'.*version '3' is not supported/,
    );
    expect(old.stderr).toContain(
      '→ A version 3 file with endpoints needs ngrok agent 3.16.0 or later: run `ngrok update`',
    );
    // Edge mode's version 2 file: fine for any v3 agent; one without labeled tunnels gets the command line instead.
    expect((await exported(edge, 'ngrok-yml', agentAt('3.1.0'))).stderr).toContain(
      "✔ This machine's ngrok agent accepts the file",
    );
    expect(YAML.parse((await exported(edge, 'ngrok-yml')).stdout)).toMatchObject({ version: '2', region: 'eu' });
    const tooOld = await exported(edge, 'ngrok-yml', agentAt('2.3.40'));
    expect(tooOld.stderr).toMatch(
      /⚠ This machine's ngrok agent refuses the file: .*'labels' is not a valid tunnel property/,
    );
    expect(tooOld.stderr).toContain(
      '`ngrok tunnel --label edge=edghts_2HhKN3ozOCbPO6eDYlXnUgUyiEn http://localhost:8000`',
    );
    // No agent here: said, not hidden.
    expect((await exported(endpoint, 'ngrok-yml', { NGROK_BIN: '/nonexistent/ngrok' })).stderr).toContain(
      'ℹ No ngrok agent here (/nonexistent/ngrok) to check the file with.',
    );
  });

  it('systemd: a unit that starts the exported config', async () => {
    const result = await exported(
      { ...base, ngrokMode: 'endpoint', internalUrl: 'https://my-site.internal' },
      'systemd',
    );
    expect(result.stdout).toContain(
      'ExecStart=/usr/local/bin/ngrok start --all --config /etc/ngrok-fusionauth/ngrok.yml',
    );
    expect(result.stdout).toContain('[Install]');
  });

  it('explains what is missing instead of exporting half a config', async () => {
    const empty = await runCli(['--config-dir', tempDir(), 'export', '--format', 'ngrok-yml']);
    expect(empty.exitCode).toBe(1);
    expect(empty.stderr).toMatch(/Nothing to export yet/);
    const edgePolicy = await exported(
      { ...base, ngrokMode: 'edge', edgeId: 'edghts_2HhKN3ozOCbPO6eDYlXnUgUyiEn' },
      'policy',
    );
    expect(edgePolicy.exitCode).toBe(1);
    expect(edgePolicy.stderr).toMatch(/OIDC module/);
    const badFormat = await runCli(['--config-dir', tempDir(), 'export', '--format', 'json']);
    expect(badFormat.exitCode).toBe(2);
  });
});
