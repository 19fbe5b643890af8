// `ngrok-fusionauth sandbox [--json]`: the stand-ins in the foreground, as a real process, and other
// processes pointed at it by the export lines it prints.
import { execa } from 'execa';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { BIN, tempDir } from '../helpers/cli';
import { waitUntilGone } from '../helpers/process';
import { unusedPort } from '../helpers/ports';

const EXPORTED = [
  'FUSIONAUTH_URL',
  'FUSIONAUTH_API_KEY',
  'NGROK_API_URL',
  'NGROK_API_KEY',
  'NGROK_BIN',
  'NGROK_OIDC_REDIRECT_URI',
  'NGROK_FUSIONAUTH_SANDBOX_REACH',
];

/** `sandbox` without --json, as a person runs it: resolves with its text once it says how to stop it. */
async function startSandboxText(args: string[] = []) {
  const child = execa(process.execPath, [BIN, 'sandbox', ...args], { reject: false, env: { CI: 'true' } });
  const lines = createInterface({ input: child.stdout! });
  const text: string[] = [];
  await new Promise<void>((resolve, reject) => {
    lines.on('line', (line) => {
      text.push(line);
      if (line === 'Ctrl-C stops it.') resolve();
    });
    void child.then(() => reject(new Error(`sandbox exited early:\n${text.join('\n')}`)));
  });
  return { child, text: text.join('\n') };
}

/** Runs the CLI in bash after eval-ing `exports` there, as a second terminal with the pasted lines would. */
async function runWithExports(exports: string, args: string[], timeout = 90_000) {
  const script = `${exports}\nexec "$0" "$@"`;
  const result = await execa('bash', ['-c', script, process.execPath, BIN, ...args], {
    reject: false,
    stdin: 'ignore',
    timeout,
    env: { CI: 'true', NO_COLOR: '1' },
  });
  return { exitCode: result.exitCode, stdout: String(result.stdout), stderr: String(result.stderr) };
}

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
    expect(Object.keys(info.env)).toEqual(EXPORTED);
    // Quoted by core/text's one shell quoter (shlex's rule): URLs, keys and these temp paths need no quotes.
    for (const name of EXPORTED) expect(info.exports).toContain(`export ${name}=${info.env[name]}\n`);
    expect(existsSync(info.env.NGROK_FUSIONAUTH_SANDBOX_REACH)).toBe(true);

    const discovery = (await (await fetch(`${info.fusionauthUrl}/.well-known/openid-configuration`)).json()) as {
      issuer: string;
    };
    expect(discovery.issuer).toBe('acme.com');
    const version = await fetch(`${info.fusionauthUrl}/api/system/version`, {
      headers: { authorization: info.fusionauthApiKey },
    });
    expect(version.status).toBe(200);
    const domains = await fetch(`${info.ngrokApiUrl}/reserved_domains`, {
      headers: { authorization: `Bearer ${info.ngrokApiKey}`, 'ngrok-version': '2' },
    });
    expect(domains.status).toBe(200);
    const agent = await execa(info.agentPath, ['version']);
    expect(agent.stdout).toMatch(/^ngrok version 3\.\d+\.\d+/);

    child.kill('SIGTERM');
    const result = await child;
    expect(result.exitCode).toBe(0);
    expect(await waitUntilGone(child.pid)).toBe(true);
    await expect(fetch(`${info.fusionauthUrl}/api/system/version`)).rejects.toThrow();
    // Stopped, it leaves no map behind that would send another process to closed ports.
    expect(existsSync(info.env.NGROK_FUSIONAUTH_SANDBOX_REACH)).toBe(false);
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
      const again = await fetch(`${second.info.fusionauthUrl}/api/application/${application.id}`, {
        headers: { authorization: second.info.fusionauthApiKey },
      });
      expect(again.status).toBe(200);
    } finally {
      second.child.kill('SIGTERM');
      await second.child;
    }
  });

  it('serves another process pointed at it by its export lines: setup --no-input and verify --json pass there', async () => {
    const { child, text } = await startSandboxText();
    try {
      const exports = text
        .split('\n')
        .filter((line) => /^\s*export [A-Z_]+=/.test(line))
        .join('\n');
      expect(exports.match(/export ([A-Z_]+)=/g)!.map((m) => m.slice(7, -1))).toEqual(EXPORTED);
      const dir = tempDir();
      const port = String(await unusedPort());
      const setup = await runWithExports(exports, [
        '--config-dir',
        dir,
        'setup',
        '--no-input',
        '--site-dir',
        path.join(dir, 'site'),
        '--port',
        port,
      ]);
      expect(setup.exitCode, setup.stdout + setup.stderr).toBe(0);
      // Test It Out reached the public URL through the sandbox and logged in as its demo user.
      expect(setup.stdout).toMatch(/✔ Strangers are sent to the login/);
      expect(setup.stdout).toMatch(/✔ Logging in shows the site: demo@example\.com logged in/);

      const verify = await runWithExports(exports, ['--config-dir', dir, 'verify', '--json']);
      expect(verify.exitCode, verify.stdout + verify.stderr).toBe(0);
      const report = JSON.parse(verify.stdout) as { ok: boolean; checks: Array<{ id: string; status: string }> };
      expect(report.ok).toBe(true);
      expect(report.checks.map((c) => [c.id, c.status])).toEqual([
        ['issuer', 'pass'],
        ['redirect', 'pass'],
        ['authorize', 'pass'],
        ['login', 'pass'],
      ]);
    } finally {
      child.kill('SIGTERM');
      await child;
    }
  });

  it('--plan free: endpoint mode is refused as ngrok refuses a Free account, with agent mode offered; agent mode then works there', async () => {
    const { child, text } = await startSandboxText(['--plan', 'free']);
    try {
      expect(text).toContain('ngrok plan       Free');
      const exports = text
        .split('\n')
        .filter((line) => /^\s*export [A-Z_]+=/.test(line))
        .join('\n');
      const dir = tempDir();
      const args = [
        '--config-dir',
        dir,
        'setup',
        '--no-input',
        '--site-dir',
        path.join(dir, 'site'),
        '--port',
        String(await unusedPort()),
      ];
      const endpoint = await runWithExports(exports, args);
      expect(endpoint.exitCode, endpoint.stdout + endpoint.stderr).toBe(2);
      expect(endpoint.stdout).toMatch(
        /⚠ Your ngrok plan has no cloud endpoints, so ngrok refused .+ \(ERR_NGROK_18008\): endpoint mode needs the Pay-as-you-go plan\./,
      );
      expect(endpoint.stderr).toContain('needs an answer: Switch to agent mode');

      const agent = await runWithExports(exports, [...args, '--ngrok-mode', 'agent']);
      expect(agent.exitCode, agent.stdout + agent.stderr).toBe(0);
      expect(agent.stdout).toMatch(/✔ Logging in shows the site: demo@example\.com logged in/);
    } finally {
      child.kill('SIGTERM');
      await child;
    }
  });

  it('a run whose NGROK_FUSIONAUTH_SANDBOX_REACH names a stopped sandbox says so (exit 2)', async () => {
    const dir = tempDir();
    const gone = path.join(dir, 'public-urls.json');
    const result = await runWithExports(`export NGROK_FUSIONAUTH_SANDBOX_REACH='${gone}'`, [
      '--config-dir',
      dir,
      'verify',
    ]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(`NGROK_FUSIONAUTH_SANDBOX_REACH names ${gone}, and there is no such file`);
  });
});
