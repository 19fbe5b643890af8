// `tunnel --no-tui --sandbox` as a process, its output collected, until the agent is online. With
// `env` (a sandbox's, started by the test) it is pointed at that sandbox instead of its own.
import { execa } from 'execa';
import { BIN } from '../helpers/cli';
import { cliEnv } from './kill-harness';

export function startPlainTunnel(configDir: string, env?: Record<string, string>) {
  const args = ['--config-dir', configDir, 'tunnel', '--no-tui', ...(env ? [] : ['--sandbox'])];
  const child = execa(process.execPath, [BIN, ...args], { reject: false, stdin: 'ignore', all: true, env: cliEnv(env) });
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
