// The client secret in ngrok's vault, through the built CLI and `--no-input`, against the sandbox:
// the policy ngrok stores, the files in the config folder and `export` carry no client secret;
// `rotate-secret` then `verify` pass with the new secret while FusionAuth refuses the old one; a
// missing vault secret makes verify fail (the cloud resolves secrets.get at run time); `destroy`
// removes the vault and the secret.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { Store } from '../../src/core/store';
import { startSandbox } from '../../src/sandbox/index';
import { runCli, tempDir } from '../helpers/cli';
import { ngrokCall } from '../helpers/protected-setup';
import { unusedPort } from '../helpers/ports';
import { slots } from '../helpers/created';

/** Every file under `dir`, but the store itself and the sandbox's own state. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    if (name === 'sandbox' || name === 'config.json') return [];
    return statSync(file).isDirectory() ? filesUnder(file) : [file];
  });
}

/** With the sandbox of `configDir` up: what its ngrok API says, and how FusionAuth's token endpoint takes a secret. */
async function withSandbox<T>(
  configDir: string,
  run: (s: Awaited<ReturnType<typeof startSandbox>>) => Promise<T>,
): Promise<T> {
  const sandbox = await startSandbox({ dataDir: path.join(configDir, 'sandbox') });
  try {
    return await run(sandbox);
  } finally {
    await sandbox.close();
  }
}

/** FusionAuth's answer to client authentication with `secret` (a made-up code: only the client is judged first). */
async function tokenError(fusionauthUrl: string, clientId: string, secret: string): Promise<string> {
  const res = await fetch(`${fusionauthUrl}/oauth2/token`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}`,
    },
    body: new URLSearchParams({ grant_type: 'authorization_code', code: 'not-a-code', redirect_uri: 'x' }),
  });
  return ((await res.json()) as { error: string }).error;
}

it('the vault keeps the secret out of the policy; rotate-secret, verify, a missing secret, destroy', async () => {
  const dir = tempDir('cli-vault-');
  const base = ['--config-dir', dir];
  const setup = await runCli(
    [
      ...base,
      'setup',
      '--no-input',
      '--sandbox',
      '--ngrok-mode',
      'endpoint',
      '--site-dir',
      path.join(dir, 'site'),
      '--port',
      String(await unusedPort()),
    ],
    { timeout: 120_000 },
  );
  expect(setup.exitCode, setup.stdout + setup.stderr).toBe(0);
  expect(setup.stdout).toMatch(/✔ The client secret is in the vault as fusionauth-client-secret/);
  const first = Store.open(dir);
  const { clientSecret: oldSecret, clientId, fusionauthUrl } = first.values;
  const { vaultId, vaultSecretId } = slots(first.created);
  expect(vaultId).toMatch(/^vault_/);

  await withSandbox(dir, async (sandbox) => {
    const ngrok = { apiUrl: sandbox.ngrok.apiUrl, apiKey: sandbox.ngrok.apiKey, redirectUri: sandbox.redirectUri };
    const endpoint = await ngrokCall(ngrok, 'GET', `/endpoints/${slots(first.created).endpointId}`);
    expect(endpoint.traffic_policy).toContain(`secrets.get('${first.values.secretVault}', 'fusionauth-client-secret')`);
    expect(endpoint.traffic_policy).not.toContain(oldSecret);
  });
  for (const file of filesUnder(dir)) expect(readFileSync(file, 'utf8'), file).not.toContain(oldSecret);
  for (const format of ['policy', 'ngrok-yml']) {
    const exported = await runCli([...base, 'export', '--format', format], { timeout: 60_000 });
    expect(exported.exitCode, exported.stderr).toBe(0);
    expect(exported.stdout).not.toContain(oldSecret);
  }
  const policy = await runCli([...base, 'export', '--format', 'policy'], { timeout: 60_000 });
  expect(policy.stdout).toContain('secrets.get(');

  const rotated = await runCli([...base, 'rotate-secret'], { timeout: 120_000 });
  expect(rotated.exitCode, rotated.stdout + rotated.stderr).toBe(0);
  expect(rotated.stdout).toContain('✔ Logging in shows the site');
  expect(rotated.stdout).toContain('✔ The client secret is rotated');
  const newSecret = Store.open(dir).values.clientSecret!;
  expect(newSecret).not.toBe(oldSecret);
  expect(rotated.stdout + rotated.stderr).not.toContain(newSecret);
  expect(rotated.stdout + rotated.stderr).not.toContain(oldSecret);

  const verified = await runCli([...base, 'verify'], { timeout: 120_000 });
  expect(verified.exitCode, verified.stdout + verified.stderr).toBe(0);
  expect(verified.stdout).toContain('✔ Logging in shows the site');

  await withSandbox(dir, async (sandbox) => {
    expect(sandbox.fusionauth.url).toBe(fusionauthUrl);
    expect(await tokenError(fusionauthUrl!, clientId!, oldSecret!)).toBe('invalid_client');
    expect(await tokenError(fusionauthUrl!, clientId!, newSecret)).not.toBe('invalid_client');
    // Without its secret the policy's secrets.get finds nothing: the login stops there.
    const ngrok = { apiUrl: sandbox.ngrok.apiUrl, apiKey: sandbox.ngrok.apiKey, redirectUri: sandbox.redirectUri };
    await ngrokCall(ngrok, 'DELETE', `/vault_secrets/${vaultSecretId}`);
  });
  const broken = await runCli([...base, 'verify'], { timeout: 120_000 });
  expect(broken.exitCode).toBe(1);
  expect(broken.stdout).toMatch(/✘ Strangers are sent to the login: .* answered 500, not a redirect to FusionAuth/);

  const destroyed = await runCli([...base, 'destroy', '--yes'], { timeout: 120_000 });
  expect(destroyed.exitCode, destroyed.stdout + destroyed.stderr).toBe(0);
  expect(destroyed.stdout).toContain(`✔ Deleted the vault ${vaultId} and its client secret`);
  await withSandbox(dir, async (sandbox) => {
    const ngrok = { apiUrl: sandbox.ngrok.apiUrl, apiKey: sandbox.ngrok.apiKey, redirectUri: sandbox.redirectUri };
    expect((await ngrokCall(ngrok, 'GET', '/vaults')).vaults).toEqual([]);
    expect((await ngrokCall(ngrok, 'GET', '/vault_secrets')).secrets).toEqual([]);
  });
});
