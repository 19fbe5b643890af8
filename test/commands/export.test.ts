import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { Store, type Values } from '../../src/core/store';
import { runCli, tempDir } from '../helpers/cli';

const SECRET = 'hF0x_9Jq3kLm8NvB2cR5tY7uW1zX4aS6dE0gI2oP';
const base: Values = { fusionauthUrl: 'https://auth.example.com', clientId: '1f0e6c4a-8d2b-4b6e-9a3f-5c7d8e9f0a1b', clientSecret: SECRET, sitePort: 8000, endpointUrl: 'https://my-site.ngrok.app' };

async function exported(values: Values, format: string) {
  const dir = tempDir();
  Store.open(dir).setValues(values);
  return runCli(['--config-dir', dir, 'export', '--format', format]);
}

describe('export', () => {
  it('endpoint mode: a v3 agent config pooling on the same internal URL, authtoken as a placeholder', async () => {
    const result = await exported({ ...base, ngrokMode: 'endpoint', internalUrl: 'https://my-site.internal' }, 'ngrok-yml');
    expect(result.exitCode).toBe(0);
    const doc = YAML.parse(result.stdout);
    expect(doc).toMatchObject({ version: '3', agent: { authtoken: '<YOUR_NGROK_AUTHTOKEN>' } });
    expect(doc.endpoints).toEqual([{ name: 'protected-site', url: 'https://my-site.internal', upstream: { url: 8000 }, pooling_enabled: true }]);
    expect(result.stdout).not.toContain(SECRET);
  });

  it('edge mode: the same label (a v2 file: v3 has no labeled tunnels)', async () => {
    const result = await exported({ ...base, ngrokMode: 'edge', edgeId: 'edghts_2HhKN3ozOCbPO6eDYlXnUgUyiEn' }, 'ngrok-yml');
    const doc = YAML.parse(result.stdout);
    expect(doc.tunnels['protected-site']).toEqual({ labels: ['edge=edghts_2HhKN3ozOCbPO6eDYlXnUgUyiEn'], addr: 'http://localhost:8000' });
    expect(result.stdout).not.toContain(SECRET);
  });

  it('agent mode: the policy rides along with the client secret left as a placeholder', async () => {
    const yml = await exported({ ...base, ngrokMode: 'agent' }, 'ngrok-yml');
    const doc = YAML.parse(yml.stdout);
    expect(doc.endpoints[0].url).toBe('https://my-site.ngrok.app');
    expect(doc.endpoints[0].traffic_policy.on_http_request[0].actions[0]).toMatchObject({ type: 'openid-connect', config: { issuer_url: 'https://auth.example.com', client_secret: '<CLIENT_SECRET>' } });
    const policy = await exported({ ...base, ngrokMode: 'agent' }, 'policy');
    expect(policy.exitCode).toBe(0);
    expect(policy.stdout).not.toContain(SECRET);
    expect(YAML.parse(policy.stdout).on_http_request[0].actions[0].type).toBe('openid-connect');
  });

  it('the exported policy is the one the first machine runs, Next Steps included', async () => {
    const extras: Values = { allowCidrs: ['203.0.113.0/24'], sessionMaxDuration: '8h', removeHeaders: ['x-internal'], secondPath: '/api', secondPort: 9000 };
    const agent = YAML.parse((await exported({ ...base, ...extras, ngrokMode: 'agent' }, 'policy')).stdout);
    expect(agent.on_http_request.map((rule: { actions: Array<{ type: string }> }) => rule.actions.map((a) => a.type))).toEqual([['restrict-ips', 'openid-connect', 'remove-headers'], ['forward-internal']]);
    expect(agent.on_http_request[0].actions[0].config.allow).toEqual(['203.0.113.0/24']);
    expect(agent.on_http_request[0].actions[1].config).toMatchObject({ max_session_duration: '8h', client_secret: '<CLIENT_SECRET>' });
    const yml = YAML.parse((await exported({ ...base, ...extras, ngrokMode: 'agent' }, 'ngrok-yml')).stdout);
    expect(yml.endpoints[0].traffic_policy).toEqual(agent);
    const endpoint = YAML.parse((await exported({ ...base, ...extras, ngrokMode: 'endpoint', internalUrl: 'https://my-site.internal' }, 'policy')).stdout);
    expect(endpoint.on_http_request.at(-1).actions).toEqual([{ type: 'forward-internal', config: { url: 'https://my-site.internal' } }]);
    expect(endpoint.on_http_request[0].actions.map((a: { type: string }) => a.type)).toEqual(['restrict-ips', 'openid-connect', 'remove-headers']);
  });

  it('systemd: a unit that starts the exported config', async () => {
    const result = await exported({ ...base, ngrokMode: 'endpoint', internalUrl: 'https://my-site.internal' }, 'systemd');
    expect(result.stdout).toContain('ExecStart=/usr/local/bin/ngrok start --all --config /etc/ngrok-fusionauth/ngrok.yml');
    expect(result.stdout).toContain('[Install]');
  });

  it('explains what is missing instead of exporting half a config', async () => {
    const empty = await runCli(['--config-dir', tempDir(), 'export', '--format', 'ngrok-yml']);
    expect(empty.exitCode).toBe(1);
    expect(empty.stderr).toMatch(/Nothing to export yet/);
    const edgePolicy = await exported({ ...base, ngrokMode: 'edge', edgeId: 'edghts_2HhKN3ozOCbPO6eDYlXnUgUyiEn' }, 'policy');
    expect(edgePolicy.exitCode).toBe(1);
    expect(edgePolicy.stderr).toMatch(/OIDC module/);
    const badFormat = await runCli(['--config-dir', tempDir(), 'export', '--format', 'json']);
    expect(badFormat.exitCode).toBe(2);
  });
});
