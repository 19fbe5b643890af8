// `status --reveal` shows the secrets the store holds, and asks first: a y/n question on a terminal,
// a refusal (exit 2) without one unless --yes, and --json masked unless --reveal is given. `status`
// is coloured on a terminal, and plain with NO_COLOR or through a pipe. The terminal is a real pty
// (`script`), as in no-color.test.ts, with an environment of our own (CI would turn colour off).
import { execa } from 'execa';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import { BIN, ROOT, runCli, tempDir } from '../helpers/cli';
import { scaled } from '../helpers/deadline';

const SECRET = 's3cret-value-1234';
const COLOUR = /\u001B\[(?:\d+;)*(?:3[0-8]|9[0-7])m/;

function storeWithSecret(): string {
  const dir = path.join(tempDir('status-reveal-'), 'config');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'config.json');
  writeFileSync(
    file,
    JSON.stringify({ values: { clientId: '2b56a9b0-f4c0-4ed0-b85b-1ea78d13fa44', clientSecret: SECRET } }),
  );
  chmodSync(file, 0o600);
  return dir;
}

/** `status` on a pty; `answer` typed once the question is on screen. Everything it wrote, escapes kept. */
async function inTerminal(args: string[], env: Record<string, string> = {}, answer?: string): Promise<string> {
  const quoted = [process.execPath, BIN, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const child = execa('script', ['-qfec', `stty cols 100 rows 30; exec ${quoted}`, '/dev/null'], {
    reject: false,
    stdin: 'pipe',
    cwd: ROOT,
    extendEnv: false,
    env: { PATH: process.env.PATH ?? '', HOME: tempDir(), TERM: 'xterm-256color', ...env },
    timeout: scaled(20_000),
  });
  let out = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    out += chunk.toString('utf8');
    if (answer !== undefined && out.includes('[y/N]')) {
      child.stdin!.write(answer);
      answer = undefined;
    }
  });
  await child;
  return out;
}

describe('status --reveal', () => {
  it('without a terminal: refused (exit 2, the secret nowhere) unless --yes; --json masked unless --reveal', async () => {
    const dir = storeWithSecret();
    const refused = await runCli(['status', '--reveal', '--config-dir', dir]);
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toContain('there is no terminal to ask on');
    expect(refused.stderr).toContain('status --reveal --yes');
    expect(refused.stdout + refused.stderr).not.toContain(SECRET);

    const yes = await runCli(['status', '--reveal', '--yes', '--config-dir', dir]);
    expect(yes.exitCode).toBe(0);
    expect(yes.stdout).toMatch(new RegExp(`Client secret +${SECRET}`));

    const json = await runCli(['status', '--json', '--config-dir', dir]);
    expect(JSON.parse(json.stdout).values.clientSecret).toBe('••••••••1234');
    const jsonRevealed = await runCli(['status', '--json', '--reveal', '--yes', '--config-dir', dir]);
    expect(JSON.parse(jsonRevealed.stdout).values.clientSecret).toBe(SECRET);
  });

  it('on a terminal it asks: only y shows the secret, anything else keeps it masked', async () => {
    const dir = storeWithSecret();
    const yes = stripVTControlCharacters(await inTerminal(['status', '--reveal', '--config-dir', dir], {}, 'y\r'));
    expect(yes).toContain('Show Client secret in clear on this terminal? [y/N]');
    expect(yes).toMatch(new RegExp(`Client secret +${SECRET}`));
    const no = stripVTControlCharacters(await inTerminal(['status', '--reveal', '--config-dir', dir], {}, '\r'));
    expect(no).toContain('[y/N]');
    expect(no).not.toContain(SECRET);
    expect(no).toContain('••••••••1234');
  });
});

describe('status in colour', () => {
  it('is coloured on a terminal, and not with NO_COLOR or through a pipe', async () => {
    const dir = storeWithSecret();
    expect(await inTerminal(['status', '--config-dir', dir])).toMatch(COLOUR);
    expect(await inTerminal(['status', '--config-dir', dir], { NO_COLOR: '1' })).not.toMatch(/\u001B\[[\d;]*m/);
    const piped = await runCli(['status', '--config-dir', dir], { env: { NO_COLOR: undefined, CI: undefined } });
    expect(piped.stdout).not.toMatch(/\u001B\[/);
  });
});
