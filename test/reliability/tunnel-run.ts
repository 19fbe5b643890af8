// `tunnel --no-tui --sandbox` as a process, its output collected, until the agent is online. With
// `env` (a sandbox's, started by the test) it is pointed at that sandbox instead of its own.
import { execa } from 'execa';
import { BIN } from '../helpers/cli';
import { scaled } from '../helpers/deadline';
import { cliEnv } from './kill-harness';

export function startPlainTunnel(configDir: string, env?: Record<string, string>) {
  const args = ['--config-dir', configDir, 'tunnel', '--no-tui', ...(env ? [] : ['--sandbox'])];
  const child = execa(process.execPath, [BIN, ...args], {
    reject: false,
    stdin: 'ignore',
    all: true,
    env: cliEnv(env),
  });
  let output = '';
  child.all.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  return {
    child,
    output: () => output,
    /** Resolves once it prints `== online`; throws if it exits first or takes over 20 s (unloaded). */
    online(timeoutMs = scaled(20_000)): Promise<void> {
      // Woken by its output and by its exit, not by polling: nothing is missed or waited for needlessly.
      return new Promise<void>((resolve, reject) => {
        const fail = (why: string) => {
          settle();
          reject(new Error(`the tunnel did not come online (${why}):\n${output}`));
        };
        const onData = () => {
          if (!output.includes('== online')) return;
          settle();
          resolve();
        };
        const timer = setTimeout(() => fail(`not within ${timeoutMs} ms`), timeoutMs);
        const settle = () => {
          clearTimeout(timer);
          child.all.off('data', onData);
        };
        // Registered after the collector above, so `output` already holds the chunk.
        child.all.on('data', onData);
        void child.then(() => fail('it exited'));
        onData();
      });
    },
  };
}
