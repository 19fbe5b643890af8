// The wizard's own checks, through the built CLI against the sandbox (each run starts it from the
// store's data dir): a server on the site port that this tool did not start is not taken for ours;
// agent mode can be scripted (--url, or the account's domain with an API key); a finished setup rerun
// with the site server stopped (the default on exit) stays finished; the tenant-wide issuer is not
// changed without saying what it touches, and not at all with --keep-issuer.
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers/cli';
import { startForeignSite, type ForeignSite } from '../helpers/foreign-site';
import { unusedPort } from '../helpers/ports';

const RUN = { timeout: 90_000 };

function setupArgs(root: string, port: number, ...more: string[]): string[] {
  return [
    '--config-dir',
    path.join(root, 'config'),
    'setup',
    '--no-input',
    '--sandbox',
    '--site-dir',
    path.join(root, 'site'),
    '--port',
    String(port),
    ...more,
  ];
}
const freePort = () => unusedPort();

let foreign: ForeignSite | undefined;
afterEach(async () => {
  await foreign?.stop();
  foreign = undefined;
});

describe('item 25: the site port', () => {
  it('a server this tool did not start (0.0.0.0, another folder, the same page) is not adopted: exit 2 naming the port, its pid and --port', async () => {
    const root = tempDir('setup-foreign-');
    const port = await freePort();
    foreign = await startForeignSite(port);
    const result = await runCli(setupArgs(root, port), RUN);
    const output = result.stdout + result.stderr;
    expect(result.exitCode, output).toBe(2);
    expect(output).toContain(`Port ${port} is used by another program (pid ${foreign.pid})`);
    expect(output).toMatch(/--port \d+/);
    expect(output).not.toContain('returns the page');
  });
});

describe('item 26: agent mode from a script', () => {
  it("with the sandbox's API key and no --url: the account's only domain, as endpoint mode picks it", async () => {
    const root = tempDir('setup-agent-');
    const result = await runCli(setupArgs(root, await freePort(), '--ngrok-mode', 'agent'), RUN);
    expect(result.exitCode, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toMatch(/✔ Domain (sandbox-[a-z0-9]+\.ngrok-free\.app) \(the only one on your account\)/);
    const domain = /✔ Domain (\S+) \(the only one/.exec(result.stdout)![1];
    expect(result.stdout).toMatch(
      new RegExp(
        `Agent command: ngrok http \\d+ --url https://${domain!.replace(/\./g, '\\.')} --traffic-policy-file `,
      ),
    );
    expect(result.stdout).toContain('✔ Logging in shows the site');
  });

  it('--url gives the public URL; an invalid one is refused as typed input is, exit 2', async () => {
    const root = tempDir('setup-agent-url-');
    const result = await runCli(
      setupArgs(root, await freePort(), '--ngrok-mode', 'agent', '--url', 'https://scripted-agent.ngrok.app'),
      RUN,
    );
    expect(result.exitCode, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain('Agent command: ngrok http');
    expect(result.stdout).toContain('--url https://scripted-agent.ngrok.app --traffic-policy-file');

    const bad = await runCli(['--config-dir', tempDir(), 'setup', '--no-input', '--url', 'http://plain.ngrok.app']);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain('The public URL must use https://.');

    // Without a key and without --url, the value missing is named with its flag.
    const missing = await runCli(
      [
        '--config-dir',
        tempDir(),
        'setup',
        '--no-input',
        '--fusionauth-url',
        'https://auth.example.com',
        '--ngrok-mode',
        'agent',
      ],
      { env: { FUSIONAUTH_API_KEY: '', NGROK_API_KEY: '' } },
    );
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toContain('Set Up ngrok Cloud Edge → Public URL (--url): The public URL is empty.');
  });

  it('--help names --url and --keep-issuer', async () => {
    const help = await runCli(['setup', '--help']);
    expect(help.exitCode).toBe(0);
    expect(help.stdout).toMatch(/--url <url>\s+the public URL/);
    expect(help.stdout).toMatch(/--keep-issuer\s+/);
  });
});

describe('item 27: a finished setup whose site server stopped on exit', () => {
  it('a rerun finds it finished: "not running, `tunnel` starts it", nothing started again, and status shows no ✘', async () => {
    const root = tempDir('setup-rerun-');
    const port = await freePort();
    const first = await runCli(setupArgs(root, port), RUN);
    expect(first.exitCode, first.stdout + first.stderr).toBe(0);
    // It ends with what to run next: the commands, the public URL, and in the sandbox its loopback
    // address and the demo login.
    const next = first.stdout.slice(first.stdout.indexOf('== What to run next'));
    expect(next).toContain(
      `Start the tunnel: node bin/ngrok-fusionauth.js tunnel --sandbox --config-dir ${path.join(root, 'config')}`,
    );
    expect(next).toContain(
      `Check the login: node bin/ngrok-fusionauth.js verify --sandbox --config-dir ${path.join(root, 'config')}`,
    );
    expect(next).toMatch(/Public URL: https:\/\/\S+/);
    expect(next).toMatch(/In the sandbox: http:\/\/127\.0\.0\.1:\d+ /);
    expect(next).toMatch(/Demo login: \S+@\S+ \/ \S+/);

    const again = await runCli(setupArgs(root, port), RUN);
    expect(again.exitCode, again.stdout + again.stderr).toBe(0);
    // Written as this run was started (node on the launcher, from the repository), its store kept.
    const tunnel = `node bin/ngrok-fusionauth.js tunnel --sandbox --config-dir ${path.join(root, 'config')}`;
    expect(again.stdout).toContain(`The web server is not running: \`${tunnel}\` starts it.`);
    expect(again.stdout).not.toContain('is serving');
    expect(again.stdout).not.toContain('The tunnel was started for the check');
    expect(again.stdout).toContain(`The tunnel is not running: \`${tunnel}\` starts it.`);

    const status = await runCli(['--config-dir', path.join(root, 'config'), 'status']);
    expect(status.exitCode).toBe(0);
    expect(status.stdout).not.toContain('✘');
    expect(status.stdout).toContain(
      // status was run without --sandbox (the store remembers it), so its line has none either.
      `✔ 2. Set Up The Application — done (the web server is not running: \`node bin/ngrok-fusionauth.js tunnel --config-dir ${path.join(root, 'config')}\` starts it)`,
    );
    expect(status.stdout).toContain('✔ 6. Test It Out — done');
  });
});

describe('item 30: the tenant-wide issuer', () => {
  it('--no-input says what the change touches; --keep-issuer fails with the fix and changes nothing', async () => {
    const root = tempDir('setup-issuer-');
    const port = await freePort();
    const kept = await runCli(setupArgs(root, port, '--keep-issuer'), RUN);
    expect(kept.exitCode, kept.stdout + kept.stderr).toBe(1);
    expect(kept.stdout).toMatch(
      /✘ The tenant's issuer is "acme\.com", not (http:\/\/127\.0\.0\.1:\d+), and --keep-issuer keeps it\./,
    );
    expect(kept.stdout).toMatch(/→ .*Tenants → Default → Issuer: set it to http:\/\/127\.0\.0\.1:\d+/);
    expect(kept.stdout).not.toContain('issuer set to');

    const changed = await runCli(setupArgs(root, port), RUN);
    expect(changed.exitCode, changed.stdout + changed.stderr).toBe(0);
    // Still acme.com: the run with --keep-issuer left it alone.
    expect(changed.stdout).toMatch(
      /⚠ The tenant's issuer changes from "acme\.com" to http:\/\/127\.0\.0\.1:\d+: every application of tenant "Default" uses it\./,
    );
  });
});
