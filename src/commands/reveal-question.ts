// The y/n question of `status --reveal`, on the terminal (stderr, so that stdout stays the output):
// only "y" or "yes" shows the secrets; Enter, anything else, Ctrl-C or a closed input keeps them
// masked. Loaded only when asked, so that `status` stays a read of files.
import { createInterface } from 'node:readline/promises';
import { ExitCode, UserError } from '../core/errors';

export async function askToReveal(labels: readonly string[]): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  const abort = new AbortController();
  let interrupted = false;
  // readline pauses on Ctrl-C when nobody listens for it (https://nodejs.org/api/readline.html, 'SIGINT'): stop instead.
  rl.on('SIGINT', () => {
    interrupted = true;
    abort.abort();
  });
  // Input closed (Ctrl-D) before an answer: no.
  rl.on('close', () => abort.abort());
  try {
    const answer = await rl.question(`Show ${labels.join(', ')} in clear on this terminal? [y/N] `, {
      signal: abort.signal,
    });
    return /^\s*y(es)?\s*$/i.test(answer);
  } catch {
    if (!interrupted) return false;
    process.stderr.write('\n');
    throw new UserError('Interrupted: nothing shown.', { exitCode: ExitCode.interrupted });
  } finally {
    rl.close();
  }
}
