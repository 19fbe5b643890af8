// The CLI in a pseudo-terminal, as a person runs it: `script` gives it a TTY of 200×60 and hands us
// every byte it writes to the terminal (every frame of the screen, and stderr), and our keys.
import { execa } from 'execa';
import { stripVTControlCharacters } from 'node:util';
import { scaled } from '../helpers/deadline';
import { descendants } from './process-tree';

const quote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;

export interface PtyRun {
  /** The `script` process; the CLI runs below it. */
  child: ReturnType<typeof execa>;
  /** Everything written to the terminal so far, escape sequences removed. */
  screen(): string;
  /** Waits until what was written since the last key matches. */
  waitFor(pattern: string | RegExp, timeoutMs?: number): Promise<string>;
  press(keys: string): void;
  /** The CLI's own pid (the process `script` runs). */
  cliPid(): number | undefined;
}

export function runInPty(argv: string[], env: Record<string, string>): PtyRun {
  const command = `stty cols 200 rows 60; exec ${argv.map(quote).join(' ')}`;
  // A person's terminal, not CI: Ink draws only the last frame when CI is set (is-in-ci).
  const child = execa('script', ['-qfec', command, '/dev/null'], {
    reject: false,
    stdin: 'pipe',
    buffer: false,
    env: { TERM: 'xterm-256color', ...env, CI: 'false', CONTINUOUS_INTEGRATION: 'false' },
  });
  let all = '';
  let sinceKey = '';
  let exited = false;
  void child.then(() => (exited = true));
  child.stdout!.on('data', (chunk: Buffer) => {
    all += chunk.toString('utf8');
    sinceKey += chunk.toString('utf8');
  });
  return {
    child,
    screen: () => stripVTControlCharacters(all),
    async waitFor(pattern, timeoutMs = scaled(20_000)) {
      const deadline = Date.now() + timeoutMs;
      const matches = (text: string) => (typeof pattern === 'string' ? text.includes(pattern) : pattern.test(text));
      while (!matches(stripVTControlCharacters(sinceKey))) {
        if (exited || Date.now() > deadline)
          throw new Error(
            `no ${String(pattern)} on the screen${exited ? ' (the CLI exited)' : ''}; since the last key:\n${stripVTControlCharacters(sinceKey).slice(-3000)}`,
          );
        await new Promise((r) => setTimeout(r, 25));
      }
      return stripVTControlCharacters(sinceKey);
    },
    press(keys) {
      sinceKey = '';
      child.stdin!.write(keys);
    },
    cliPid: () =>
      child.pid
        ? descendants(child.pid).find((p) => p.argv.some((arg) => arg.endsWith('ngrok-fusionauth.js')))?.pid
        : undefined,
  };
}
