// `tunnel --no-tui --sandbox` as a process, its output collected, until the agent is online.
import { execa } from 'execa';
import { BIN } from '../helpers/cli';
import { cliEnv } from './kill-harness';

export function startPlainTunnel(configDir: string) {
  const child = execa(process.execPath, [BIN, '--config-dir', configDir, 'tunnel', '--no-tui', '--sandbox'], { reject: false, stdin: 'ignore', all: true, env: cliEnv() });
  let output = '';
  let exited = false;
  child.all.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  void child.then(() => (exited = true));
  return {
    child,
    output: () => output,
    /** Resolves once it prints `== online`; throws if it exits first or takes over 20 s. */
    async online(): Promise<void> {
      for (let i = 0; i < 400; i++) {
        if (output.includes('== online')) return;
        if (exited) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`the tunnel did not come online${exited ? ' (it exited)' : ''}:\n${output}`);
    },
  };
}
