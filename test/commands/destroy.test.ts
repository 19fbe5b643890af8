// `destroy` as a real process against the sandbox: exactly what setup created is deleted, a partial
// failure keeps what is left for the next try, and a second run has nothing to do.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Store } from '../../src/core/store';
import { startSandbox, type Sandbox } from '../../src/sandbox/index';
import { runCli, tempDir } from '../helpers/cli';
import { unusedPort } from '../helpers/ports';
import { slots } from '../helpers/created';

async function setUp(mode: 'endpoint' | 'edge') {
  const dir = tempDir();
  const result = await runCli(
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
      String(await unusedPort()),
    ],
    { timeout: 60_000 },
  );
  expect(result.exitCode, result.stdout + result.stderr).toBe(0);
  return { dir, created: slots(Store.open(dir).created) };
}

/** The sandbox's world after the command, read through its own management APIs. */
async function withWorld<T>(dir: string, look: (sandbox: Sandbox) => Promise<T>): Promise<T> {
  const sandbox = await startSandbox({ dataDir: path.join(dir, 'sandbox') });
  try {
    return await look(sandbox);
  } finally {
    await sandbox.close();
  }
}

const fusionauthStatus = (s: Sandbox, url: string) =>
  fetch(`${s.fusionauth.url}${url}`, { headers: { authorization: s.fusionauth.apiKey } }).then((r) => r.status);
const ngrokStatus = (s: Sandbox, url: string) =>
  fetch(`${s.ngrok.apiUrl}${url}`, {
    headers: { authorization: `Bearer ${s.ngrok.apiKey}`, 'ngrok-version': '2' },
  }).then((r) => r.status);

describe('destroy', () => {
  it('endpoint mode: the application and the cloud endpoint go, the issuer stays, the settings are forgotten; a rerun has nothing to do', async () => {
    const { dir, created } = await setUp('endpoint');
    expect(created.fusionauthApplicationId).toBeTruthy();
    expect(created.endpointId).toBeTruthy();

    const result = await runCli(['--config-dir', dir, 'destroy', '--yes'], { timeout: 60_000 });
    expect(result.exitCode, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain(`Deleted the cloud endpoint ${created.endpointId}`);
    expect(result.stdout).toContain(`Deleted the FusionAuth application ${created.fusionauthApplicationId}`);
    expect(result.stdout).toMatch(/issuer was left as it is/);
    expect(Store.open(dir).snapshot()).toEqual({ values: {}, created: {}, steps: {} });

    await withWorld(dir, async (s) => {
      expect(await fusionauthStatus(s, `/api/application/${created.fusionauthApplicationId}`)).toBe(404);
      expect(await ngrokStatus(s, `/endpoints/${created.endpointId}`)).toBe(404);
      const tenant = (await (
        await fetch(`${s.fusionauth.url}/api/tenant/${s.fusionauth.tenantId}`, {
          headers: { authorization: s.fusionauth.apiKey },
        })
      ).json()) as { tenant: { issuer: string } };
      expect(tenant.tenant.issuer).toBe(s.fusionauth.url);
    });

    const again = await runCli(['--config-dir', dir, 'destroy', '--yes']);
    expect(again.exitCode).toBe(0);
    expect(again.stdout).toContain('Setup created nothing remote');
  });

  it('edge mode: the route, then its edge, then the backend it used, go, each reported; the settings are forgotten', async () => {
    const { dir, created } = await setUp('edge');
    expect(created.edgeId && created.backendId && created.routeId).toBeTruthy();
    const result = await runCli(['--config-dir', dir, 'destroy', '--yes'], { timeout: 60_000 });
    expect(result.exitCode, result.stdout + result.stderr).toBe(0);
    const routeLine = result.stdout.indexOf(`Deleted the route / ${created.routeId} of edge ${created.edgeId}`);
    const edgeLine = result.stdout.indexOf(`Deleted the HTTPS edge ${created.edgeId}`);
    const backendLine = result.stdout.indexOf(`Deleted the tunnel-group backend ${created.backendId}`);
    expect(routeLine).toBeGreaterThan(-1);
    expect(edgeLine).toBeGreaterThan(routeLine);
    expect(backendLine).toBeGreaterThan(edgeLine);
    expect(Store.open(dir).snapshot()).toEqual({ values: {}, created: {}, steps: {} });
    await withWorld(dir, async (s) => {
      expect(await ngrokStatus(s, `/edges/https/${created.edgeId}`)).toBe(404);
      expect(await ngrokStatus(s, `/backends/tunnel_group/${created.backendId}`)).toBe(404);
    });
  });

  it('a partial failure reports what is left and keeps it in the store; the next run finishes', async () => {
    const { dir, created } = await setUp('endpoint');
    const store = Store.open(dir);
    // The sandbox runs beside the command this time, and ngrok's API is unreachable: the endpoint
    // cannot be deleted, the application can.
    store.setValues({ sandbox: false });
    await withWorld(dir, async (s) => {
      const broken = await runCli(['--config-dir', dir, 'destroy', '--yes'], {
        env: { ...s.env, NGROK_API_URL: 'http://127.0.0.1:9' },
      });
      expect(broken.exitCode).toBe(1);
      expect(broken.stdout).toMatch(new RegExp(`Could not delete the cloud endpoint ${created.endpointId}`));
      expect(broken.stdout).toContain(`Deleted the FusionAuth application ${created.fusionauthApplicationId}`);
      expect(broken.stdout).toMatch(/Still there, kept in .*config\.json/);
      expect(broken.stdout + broken.stderr).not.toMatch(/\n\s+at /);
    });
    const left = Store.open(dir);
    // What is left remote, and the agent's log that setup's check wrote (local: it goes once all else has).
    // Endpoint mode keeps the client secret in an ngrok vault: it is left with the endpoint.
    expect(left.created).toEqual({
      setupId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      objects: [
        { kind: 'ngrok-vault', id: created.vaultId },
        { kind: 'ngrok-vault-secret', id: created.vaultSecretId, parent: created.vaultId },
        { kind: 'ngrok-cloud-endpoint', id: created.endpointId },
      ],
      localFiles: ['agent.log'],
    });
    expect(left.values.clientId).toBeTruthy();

    store.setValues({ sandbox: true });
    const finished = await runCli(['--config-dir', dir, 'destroy', '--yes'], { timeout: 60_000 });
    expect(finished.exitCode, finished.stdout + finished.stderr).toBe(0);
    await withWorld(dir, async (s) => {
      expect(await ngrokStatus(s, `/endpoints/${created.endpointId}`)).toBe(404);
      expect(await ngrokStatus(s, `/vaults/${created.vaultId}`)).toBe(404);
    });
  });

  it('after `reset` it still deletes what setup created: reset forgets the settings, not whose the objects are', async () => {
    const { dir, created } = await setUp('endpoint');
    const reset = await runCli(['--config-dir', dir, 'reset']);
    expect(reset.exitCode, reset.stdout + reset.stderr).toBe(0);
    expect(reset.stdout).toContain(
      "4 object(s) created in FusionAuth/ngrok were left as they are; they stay recorded as this setup's",
    );
    const result = await runCli(['--config-dir', dir, 'destroy', '--yes'], { timeout: 60_000 });
    expect(result.exitCode, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain(`Deleted the cloud endpoint ${created.endpointId}`);
    expect(result.stdout).toContain(`Deleted the FusionAuth application ${created.fusionauthApplicationId}`);
    await withWorld(dir, async (s) => {
      expect(await fusionauthStatus(s, `/api/application/${created.fusionauthApplicationId}`)).toBe(404);
      expect(await ngrokStatus(s, `/endpoints/${created.endpointId}`)).toBe(404);
    });
  });

  it('asks before deleting: without --yes and without a terminal it exits 2 and deletes nothing', async () => {
    const dir = tempDir();
    Store.open(dir).recordObject({ kind: 'fusionauth-application', id: '1f0e6c4a-8d2b-4b6e-9a3f-5c7d8e9f0a1b' });
    const result = await runCli(['--config-dir', dir, 'destroy']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('--yes');
    expect(slots(Store.open(dir).created).fusionauthApplicationId).toBe('1f0e6c4a-8d2b-4b6e-9a3f-5c7d8e9f0a1b');
  });
});
