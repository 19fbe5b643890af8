// One term per thing, in --help and in `status` (the wizard's labels are the same VALUE_LABELS):
//   the site's address on the internet   "public URL"   (retired: "Endpoint" as its label, "endpoint URL")
//   what the tool keeps on this machine  "settings"     (retired: "store", "local state")
//   a yes/no value                       "yes" / "no"   (retired in status: "true" / "false"; --json keeps JSON)
//   the python server of the site        "web server"   (retired: "site server", "site + agent")
//   a terminal                           "terminal"     (retired: "TTY")
//   FusionAuth's client identifier       "Client Id"    (FusionAuth's spelling; retired: "Client ID")
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers/cli';

const RETIRED: RegExp[] = [
  /^\s*Endpoint\s/m,
  /\bendpoint URL\b/i,
  /\bstore\b/i,
  /\blocal state\b/i,
  /\btrue\b|\bfalse\b/,
  /\bsite server\b/i,
  /site \+ agent/,
  /\bTTY\b/,
  /\bClient ID\b/,
];

const COMMANDS = ['setup', 'status', 'reset', 'sandbox', 'export', 'tunnel', 'verify', 'destroy'];

describe('one term per thing', () => {
  it('--help of the program and of every command uses none of the retired terms', async () => {
    for (const args of [['--help'], ...COMMANDS.map((c) => [c, '--help'])]) {
      const help = await runCli(args);
      expect(help.exitCode).toBe(0);
      for (const term of RETIRED) expect(help.stdout, `${args.join(' ')}: ${String(term)}`).not.toMatch(term);
    }
  });

  it('status says yes/no and Public URL', async () => {
    const dir = path.join(tempDir('terms-'), 'config');
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, 'config.json');
    writeFileSync(
      file,
      JSON.stringify({
        values: { sandbox: true, requireRegistration: false, endpointUrl: 'https://my-site.ngrok.app', sitePort: 8000 },
        steps: { site: { status: 'done', updatedAt: new Date().toISOString() } },
      }),
    );
    chmodSync(file, 0o600);
    const status = await runCli(['status', '--config-dir', dir]);
    expect(status.exitCode, status.stderr).toBe(0);
    for (const term of RETIRED) expect(status.stdout, String(term)).not.toMatch(term);
    expect(status.stdout).toMatch(/Sandbox +yes/);
    expect(status.stdout).toMatch(/Registration required +no/);
    expect(status.stdout).toMatch(/Public URL +https:\/\/my-site\.ngrok\.app/);
  });
});
