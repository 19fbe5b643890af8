// SIGINT, SIGTERM and SIGHUP during `tunnel`, with plain lines (--no-tui) and with the live view in a
// terminal, and during the Test It Out step of `setup --no-input`: every process the command started
// (the site server, the agent, whatever they started) is gone afterwards, checked by pid, and the
// command exits 130. The setup the tunnel runs is a real one, made by `setup --sandbox --no-input`.
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN } from '../helpers/cli';
import { scaled } from '../helpers/deadline';
import { waitUntilGone } from '../helpers/process';
import { cliEnv, killStrays, newWorld, runSandboxSetup, type World } from './kill-harness';
import { descendants, isAgent, isSiteServer, type ProcessInfo } from './process-tree';
import { runInPty } from './pty';
import { startPlainTunnel } from './tunnel-run';

let world: World;
beforeAll(async () => {
  world = await newWorld('endpoint');
  const setup = await runSandboxSetup(world);
  expect(setup.exitCode, setup.output).toBe(0);
}, scaled(60_000));
afterAll(() => {
  if (world) killStrays(world.root);
});

const tunnelArgv = () => [process.execPath, BIN, '--config-dir', world.configDir, 'tunnel', '--sandbox'];

/** What the command runs while the tunnel is online: at least the site server and the agent. */
function childrenOf(pid: number): ProcessInfo[] {
  const below = descendants(pid);
  expect(below.filter(isSiteServer), JSON.stringify(below)).toHaveLength(1);
  expect(below.filter(isAgent), JSON.stringify(below)).toHaveLength(1);
  return below;
}

async function expectAllGone(processes: ProcessInfo[]): Promise<void> {
  const left: ProcessInfo[] = [];
  for (const p of processes) if (!(await waitUntilGone(p.pid, 5000))) left.push(p);
  expect(left.map((p) => `${p.pid} ${p.argv.join(' ')}`)).toEqual([]);
}

describe.each(['SIGINT', 'SIGTERM', 'SIGHUP'] as const)('%s during tunnel', (signal) => {
  it('with plain lines (--no-tui): everything it started is stopped, exit 130', async () => {
    const tunnel = startPlainTunnel(world.configDir);
    try {
      await tunnel.online();
      const started = childrenOf(tunnel.child.pid!);

      process.kill(tunnel.child.pid!, signal);
      const result = await tunnel.child;
      expect(result.exitCode, tunnel.output()).toBe(130);
      expect(tunnel.output()).toContain('Stopping the agent and the site server');
      await expectAllGone(started);
    } finally {
      tunnel.child.kill('SIGKILL');
    }
  });

  it('with the live view in a terminal: everything it started is stopped, exit 130', async () => {
    const run = runInPty(tunnelArgv(), cliEnv());
    try {
      await run.waitFor(/● online\s+https:\/\//);
      const cli = run.cliPid();
      expect(cli).toBeDefined();
      const started = childrenOf(cli!);

      process.kill(cli!, signal);
      const result = await run.child;
      expect(result.exitCode, run.screen().slice(-2000)).toBe(130);
      expect(run.screen()).toMatch(/Stopping \d process/);
      await expectAllGone([{ pid: cli!, ppid: 0, argv: ['ngrok-fusionauth'] }, ...started]);
    } finally {
      run.child.kill('SIGKILL');
    }
  });
});

describe('setup --sandbox --no-input interrupted during Test It Out (the agent and the site server run)', () => {
  it.each(['SIGINT', 'SIGTERM', 'SIGHUP'] as const)(
    '%s: everything it started is stopped, exit 130; run again, it completes',
    async (signal) => {
      const w = await newWorld('endpoint');
      try {
        const child = execa(
          process.execPath,
          [
            BIN,
            '--config-dir',
            w.configDir,
            'setup',
            '--sandbox',
            '--no-input',
            '--site-dir',
            w.siteDir,
            '--port',
            String(w.port),
          ],
          { reject: false, stdin: 'ignore', all: true, env: cliEnv() },
        );
        let output = '';
        let exited = false;
        child.all.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
        void child.then(() => (exited = true));
        try {
          // Bounded: Test It Out starts the agent within seconds; 30 s is the failure.
          let started: ProcessInfo[] = [];
          for (let i = 0; i < 1200 && !started.some(isAgent); i++) {
            expect(exited, output).toBe(false);
            if (output.includes('== Test It Out')) started = descendants(child.pid!);
            if (!started.some(isAgent)) await new Promise((r) => setTimeout(r, 25));
          }
          expect(started.filter(isAgent)).toHaveLength(1);
          expect(started.filter(isSiteServer)).toHaveLength(1);

          process.kill(child.pid!, signal);
          const result = await child;
          expect(result.exitCode, output).toBe(130);
          expect(output).not.toContain('== Next Steps');
          await expectAllGone(started);
        } finally {
          child.kill('SIGKILL');
        }
        const again = await runSandboxSetup(w);
        expect(again.exitCode, again.output).toBe(0);
      } finally {
        killStrays(w.root);
      }
    },
  );
});
