// A mode switch on an existing setup (`setup --ngrok-mode …` on a finished one) is a plan printed
// before it runs (kept, retired, created) and applied fully: the old mode's objects are deleted, the
// new mode is set up and its tunnel passes Test It Out (no empty --traffic-policy-file, no
// ERR_NGROK_334). After endpoint → edge → agent, `destroy` leaves nothing on the account.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Store } from '../../src/core/store';
import { startSandbox } from '../../src/sandbox/index';
import { runCli, tempDir } from '../helpers/cli';
import { unusedPort } from '../helpers/ports';

/** The account as the sandbox's own management API lists it. */
async function account(dir: string) {
  const sandbox = await startSandbox({ dataDir: path.join(dir, 'sandbox') });
  try {
    const list = async (pathname: string, key: string, field = 'id') => {
      const response = await fetch(`${sandbox.ngrok.apiUrl}${pathname}`, {
        headers: { authorization: `Bearer ${sandbox.ngrok.apiKey}`, 'ngrok-version': '2' },
      });
      return ((await response.json()) as Record<string, Record<string, string>[]>)[key]!.map((o) => o[field]);
    };
    const apps = await fetch(`${sandbox.fusionauth.url}/api/application`, {
      headers: { authorization: sandbox.fusionauth.apiKey },
    });
    return {
      domains: await list('/reserved_domains', 'reserved_domains', 'domain'),
      endpoints: await list('/endpoints', 'endpoints'),
      edges: await list('/edges/https', 'https_edges'),
      backends: await list('/backends/tunnel_group', 'backends'),
      applications: ((await apps.json()) as { applications: { id: string; name: string }[] }).applications
        .filter((a) => a.name !== 'FusionAuth')
        .map((a) => a.id),
    };
  } finally {
    await sandbox.close();
  }
}

describe('switching the ngrok mode of a finished setup', () => {
  it('endpoint → edge → agent: each switch prints its plan, retires the old mode, and the tunnel passes; destroy then leaves nothing', async () => {
    const dir = tempDir('nf-switch-');
    const port = String(await unusedPort());
    const setup = (mode: string) =>
      runCli(
        [
          '--config-dir',
          dir,
          'setup',
          '--sandbox',
          '--no-input',
          '--ngrok-mode',
          mode,
          '--site-dir',
          path.join(dir, 'site'),
          '--port',
          port,
        ],
        { timeout: 90_000 },
      );

    const first = await setup('endpoint');
    expect(first.exitCode, first.stdout + first.stderr).toBe(0);
    const endpointId = Store.open(dir).objectsOf('ngrok-cloud-endpoint')[0]!.id;
    const domain = Store.open(dir).values.domain!;

    const toEdge = await setup('edge');
    expect(toEdge.exitCode, toEdge.stdout + toEdge.stderr).toBe(0);
    // The plan, before anything changed: kept, retired, created; then each deletion reported.
    const plan = toEdge.stdout.indexOf('Switching from endpoint mode to edge mode. The plan:');
    expect(plan).toBeGreaterThan(-1);
    expect(toEdge.stdout).toContain(`Kept: the domain ${domain}; the FusionAuth application "ngrok"`);
    expect(toEdge.stdout).toContain(`Retired (deleted from ngrok): cloud endpoint ${endpointId}`);
    expect(toEdge.stdout).toContain(`Created: an HTTPS edge on ${domain}`);
    expect(toEdge.stdout.indexOf(`Deleted the cloud endpoint ${endpointId}`)).toBeGreaterThan(plan);
    let store = Store.open(dir);
    expect(store.values.ngrokMode).toBe('edge');
    expect(store.objectsOf('ngrok-cloud-endpoint')).toEqual([]);
    const edgeId = store.objectsOf('ngrok-edge')[0]!.id;

    const toAgent = await setup('agent');
    expect(toAgent.exitCode, toAgent.stdout + toAgent.stderr).toBe(0);
    expect(toAgent.stdout).toContain('Switching from edge mode to agent mode. The plan:');
    expect(toAgent.stdout).toContain(`Deleted the HTTPS edge ${edgeId}`);
    // The agent ran with this mode's own arguments: the policy file named, never an empty argument.
    store = Store.open(dir);
    expect(store.values.agentCommand).toBe(
      `ngrok http ${port} --url https://${domain} --traffic-policy-file ${store.values.policyFile} --pooling-enabled`,
    );
    expect(toAgent.stdout + toAgent.stderr).not.toMatch(/ERR_NGROK_334|Stop the other agent/);
    // Left of the first two modes: nothing. (The domain is the account's own: used, never reserved here.)
    // Agent mode with an API key keeps the client secret in a vault of its own (the endpoint's went with the switch to edge).
    expect(store.created.objects!.map((o) => o.kind)).toEqual([
      'fusionauth-application',
      'ngrok-vault',
      'ngrok-vault-secret',
    ]);

    const gone = await runCli(['--config-dir', dir, 'destroy', '--yes'], { timeout: 60_000 });
    expect(gone.exitCode, gone.stdout + gone.stderr).toBe(0);
    // Nothing this setup made is left; the account's own domain stays, as it was before the setup.
    expect(await account(dir)).toEqual({ domains: [domain], endpoints: [], edges: [], backends: [], applications: [] });
  });
});
