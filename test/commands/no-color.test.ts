// NO_COLOR (https://no-color.org) in a person's terminal. chalk, which colours Ink's output, ignores
// it and honours only FORCE_COLOR=0, so src/cli.ts sets that when NO_COLOR is set. Pinned both ways:
// chalk still ignores it (the day it does not, the line in cli.ts can go), and the wizard's screen has
// no colour with NO_COLOR and has colour without it. Run under `script` with an environment of our own:
// CI in the environment (even CI=false) also turns chalk's colours off, and would hide both.
import { execa } from 'execa';
import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import { BIN, ROOT, tempDir } from '../helpers/cli';

/** A colour or background escape: SGR 30–37, 38;…, 40–47, 48;…, 90–97, 100–107. */
const COLOUR = /\u001B\[(?:\d+;)*(?:3[0-8]|4[0-8]|9[0-7]|10[0-7])[;m]/;

/** What `argv` writes to a terminal until `until` is on it (then it is killed), escape codes kept. */
async function inTerminal(argv: string[], env: Record<string, string>, until: RegExp): Promise<string> {
  const quoted = argv.map((arg) => `'${arg.replace(/'/g, `'\\''`)}'`).join(' ');
  const child = execa('script', ['-qfec', `stty cols 120 rows 40; exec ${quoted}`, '/dev/null'], {
    reject: false,
    stdin: 'pipe',
    buffer: false,
    cwd: ROOT,
    extendEnv: false,
    env: { PATH: process.env.PATH ?? '', HOME: tempDir(), TERM: 'xterm-256color', ...env },
  });
  let out = '';
  try {
    await new Promise<void>((resolve, reject) => {
      const deadline = setTimeout(
        () =>
          reject(new Error(`nothing matched ${String(until)} in 20 s:\n${stripVTControlCharacters(out).slice(-2000)}`)),
        20_000,
      );
      child.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString('utf8');
        if (until.test(stripVTControlCharacters(out))) {
          clearTimeout(deadline);
          resolve();
        }
      });
      void child.then(() => {
        clearTimeout(deadline);
        if (until.test(stripVTControlCharacters(out))) resolve();
        else reject(new Error(`exited before ${String(until)}:\n${stripVTControlCharacters(out).slice(-2000)}`));
      });
    });
  } finally {
    child.kill('SIGKILL');
    await child;
  }
  return out;
}

const chalkLevel = (env: Record<string, string>) =>
  inTerminal(
    [process.execPath, '-e', "import('chalk').then((c) => console.log('level', c.default.level))"],
    env,
    /level \d/,
  );
const wizard = (env: Record<string, string>) =>
  inTerminal(
    [process.execPath, BIN],
    { NGROK_FUSIONAUTH_CONFIG_DIR: tempDir(), NGROK_BIN: '/nonexistent', ...env },
    /Before You Start/,
  );

describe('NO_COLOR', () => {
  it('chalk (as Ink has it) ignores NO_COLOR and honours FORCE_COLOR=0: the defect cli.ts works around', async () => {
    expect(stripVTControlCharacters(await chalkLevel({ NO_COLOR: '1' }))).not.toMatch(/level 0/);
    expect(stripVTControlCharacters(await chalkLevel({ FORCE_COLOR: '0' }))).toMatch(/level 0/);
  });

  it('the wizard draws in colour, and without any colour when NO_COLOR is set', async () => {
    expect(await wizard({})).toMatch(COLOUR);
    expect(await wizard({ NO_COLOR: '1' })).not.toMatch(COLOUR);
  });
});
