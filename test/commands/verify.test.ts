// `ngrok-fusionauth verify [--json] --sandbox` as a process, against a store set up on the sandbox
// (its state in <configDir>/sandbox, made by raw HTTP to the sandbox's management APIs).
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startSandbox } from '../../src/sandbox/index';
import { runCli, tempDir } from '../helpers/cli';
import { prepareProtectedSite, setIssuer } from '../helpers/protected-setup';

/** A store with a finished setup named `name`; `change` runs while its sandbox is still up. */
async function sandboxStore(name: string, options: { registerRedirect?: boolean; issuer?: string } = {}) {
  const configDir = path.join(tempDir('cli-verify-'), 'config');
  const sandbox = await startSandbox({ dataDir: path.join(configDir, 'sandbox') });
  try {
    const world = { ...sandbox.fusionauth };
    await prepareProtectedSite(
      world,
      { ...sandbox.ngrok, redirectUri: sandbox.redirectUri },
      { name, configDir, registerRedirect: options.registerRedirect },
    );
    if (options.issuer) await setIssuer(world, options.issuer);
    return { configDir, fusionauthUrl: sandbox.fusionauth.url, redirectUri: sandbox.redirectUri };
  } finally {
    await sandbox.close();
  }
}

interface JsonReport {
  ok: boolean;
  checks: Array<{ id: string; status: string; message: string; fix?: string }>;
  notes: Array<{ title: string }>;
}

describe('verify', () => {
  it('passes on a good setup: every check on its own line, exit 0', async () => {
    const { configDir } = await sandboxStore('cli-verify-good');
    const json = await runCli(['--config-dir', configDir, 'verify', '--sandbox', '--json'], { timeout: 60_000 });
    expect(json.stderr).toBe('');
    expect(json.exitCode).toBe(0);
    const report = JSON.parse(json.stdout) as JsonReport;
    expect(report.ok).toBe(true);
    expect(report.checks.map((c) => `${c.id}:${c.status}`)).toEqual([
      'issuer:pass',
      'redirect:pass',
      'authorize:pass',
      'login:pass',
    ]);
    expect(report.notes.map((n) => n.title)).toEqual([
      'The tunnel was started for the check, and is stopped after it.',
    ]);

    const text = await runCli(['--config-dir', configDir, 'verify', '--sandbox'], { timeout: 60_000 });
    expect(text.exitCode).toBe(0);
    expect(text.stdout).toContain("✔ FusionAuth issuer: The discovery document's issuer is");
    expect(text.stdout).toContain('✔ Strangers are sent to the login:');
    expect(text.stdout).toContain('✔ FusionAuth accepts the login request:');
    expect(text.stdout).toContain('✔ Logging in shows the site: demo@example.com logged in');
    expect(text.stdout).toContain('The site is protected by FusionAuth.');
  });

  it('fails with a wrong issuer, naming it: exit 1', async () => {
    const { configDir, fusionauthUrl } = await sandboxStore('cli-verify-issuer', { issuer: 'acme.com' });
    const result = await runCli(['--config-dir', configDir, 'verify', '--sandbox'], { timeout: 60_000 });
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain('✘ FusionAuth issuer: The tenant\'s issuer is "acme.com"');
    expect(result.stdout).toContain(`→ In FusionAuth: Tenants → edit the tenant → Issuer = ${fusionauthUrl}`);
    expect(result.stdout).toMatch(/✘ Strangers are sent to the login: .*ERR_NGROK_2227/);
    expect(result.stdout).toContain('The protection is NOT proven');
  });

  it('fails with the redirect URI missing from FusionAuth, naming it: exit 1', async () => {
    const { configDir, redirectUri } = await sandboxStore('cli-verify-redirect', { registerRedirect: false });
    const result = await runCli(['--config-dir', configDir, 'verify', '--sandbox', '--json'], { timeout: 60_000 });
    expect(result.exitCode).toBe(1);
    const report = JSON.parse(result.stdout) as JsonReport;
    expect(report.ok).toBe(false);
    const authorize = report.checks.find((c) => c.id === 'authorize')!;
    expect(authorize.status).toBe('fail');
    expect(authorize.message).toContain('refuses the redirect URI');
    expect(authorize.fix).toContain(`add ${redirectUri} to the application's Authorized redirect URLs`);
  });

  it('with nothing set up, names what is missing: exit 2', async () => {
    const result = await runCli(['--config-dir', tempDir(), 'verify']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(
      'Nothing to verify yet: the FusionAuth URL, the Client Id, the public URL are not set.',
    );
  });
});
