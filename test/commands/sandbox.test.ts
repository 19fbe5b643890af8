// `ngrok-fusionauth sandbox --json`: the stand-ins in the foreground, as a real process.
import { execa } from 'execa';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { BIN, tempDir } from '../helpers/cli';
import { waitUntilGone } from '../helpers/process';

async function startSandboxProcess(args: string[] = []) {
  const child = execa(process.execPath, [BIN, 'sandbox', '--json', ...args], { reject: false, env: { CI: 'true' } });
  const lines = createInterface({ input: child.stdout! });
  const first = await new Promise<string>((resolve, reject) => {
    lines.once('line', resolve);
    void child.then(() => reject(new Error('sandbox exited before printing its URLs')));
  });
  return { child, info: JSON.parse(first) as Record<string, any> };
}

describe('sandbox command', () => {
  it('prints its URLs and keys as one JSON line, serves them, and stops cleanly on SIGTERM', async () => {
    const { child, info } = await startSandboxProcess();
    expect(info.fusionauthUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(info.ngrokApiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(info.redirectUri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/oauth2\/callback$/);
    expect(info.demoUser.email).toBe('demo@example.com');
    expect(existsSync(info.agentPath)).toBe(true);

    const discovery = (await (await fetch(`${info.fusionauthUrl}/.well-known/openid-configuration`)).json()) as { issuer: string };
    expect(discovery.issuer).toBe('acme.com');
    const version = await fetch(`${info.fusionauthUrl}/api/system/version`, { headers: { authorization: info.fusionauthApiKey } });
    expect(version.status).toBe(200);
    const domains = await fetch(`${info.ngrokApiUrl}/reserved_domains`, { headers: { authorization: `Bearer ${info.ngrokApiKey}`, 'ngrok-version': '2' } });
    expect(domains.status).toBe(200);
    const agent = await execa(info.agentPath, ['version']);
    expect(agent.stdout).toMatch(/^ngrok version 3\.\d+\.\d+/);

    child.kill('SIGTERM');
    const result = await child;
    expect(result.exitCode).toBe(0);
    expect(await waitUntilGone(child.pid)).toBe(true);
    await expect(fetch(`${info.fusionauthUrl}/api/system/version`)).rejects.toThrow();
  });

  it('keeps its state and ports across runs with --data-dir', async () => {
    const dataDir = tempDir();
    const first = await startSandboxProcess(['--data-dir', dataDir]);
    const created = await fetch(`${first.info.fusionauthUrl}/api/application`, {
      method: 'POST',
      headers: { authorization: first.info.fusionauthApiKey, 'content-type': 'application/json' },
      body: JSON.stringify({ application: { name: 'kept' } }),
    });
    const { application } = (await created.json()) as { application: { id: string } };
    first.child.kill('SIGINT');
    await first.child;

    const second = await startSandboxProcess(['--data-dir', dataDir]);
    try {
      expect(second.info.fusionauthUrl).toBe(first.info.fusionauthUrl);
      const again = await fetch(`${second.info.fusionauthUrl}/api/application/${application.id}`, { headers: { authorization: second.info.fusionauthApiKey } });
      expect(again.status).toBe(200);
    } finally {
      second.child.kill('SIGTERM');
      await second.child;
    }
  });
});
