// A command killed with SIGKILL (kill -9, the OOM killer, a crash) cannot stop its children: the agent
// and the site server live on, the agent with the keys in its environment, and the next `tunnel` fails
// with ERR_NGROK_334 because the orphan still holds the endpoint. Every child is recorded beside the
// store when it starts, so the next command on the store recognises its own orphans (start time and
// command line, never the name alone), stops them and says so; `destroy` and `reset` do too.
//
// The sandbox runs in this test's process and the CLI is pointed at it by env, as at a real account:
// the ngrok cloud outlives the killed command, so its orphaned agent stays online, as a real one does.
// (With `--sandbox` the cloud dies with the command, and the agent stand-in exits on the lost session.)
import { execa } from 'execa';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index';
import { BIN, tempDir } from '../helpers/cli';
import { isRunningNotZombie, waitUntilStopped } from '../helpers/process';
import { prepareProtectedSite } from '../helpers/protected-setup';
import { cliEnv, killStrays } from './kill-harness';
import { descendants, isAgent, isSiteServer, type ProcessInfo } from './process-tree';
import { startPlainTunnel } from './tunnel-run';
import { scaled } from '../helpers/deadline';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function world(name: string): Promise<{ configDir: string; sandbox: Sandbox }> {
  const root = tempDir('nf-orphans-');
  cleanups.push(() => void killStrays(root));
  const configDir = path.join(root, 'config');
  const sandbox = await startSandbox({ dataDir: path.join(root, 'sandbox') });
  cleanups.push(() => sandbox.close());
  await prepareProtectedSite(
    { ...sandbox.fusionauth },
    { ...sandbox.ngrok, redirectUri: sandbox.redirectUri },
    { name, configDir },
  );
  return { configDir, sandbox };
}

/** `tunnel --no-tui` online, then SIGKILLed: its agent and site server, left running. */
async function orphansOfKilledTunnel(
  configDir: string,
  sandbox: Sandbox,
): Promise<{ agent: ProcessInfo; site: ProcessInfo }> {
  const tunnel = startPlainTunnel(configDir, sandbox.env);
  try {
    await tunnel.online();
    const below = descendants(tunnel.child.pid!);
    const agent = below.find(isAgent)!;
    const site = below.find(isSiteServer)!;
    expect(agent && site, JSON.stringify(below)).toBeTruthy();
    tunnel.child.kill('SIGKILL');
    await tunnel.child;
    // Nothing stopped them: they are orphans now, and the agent still serves the endpoint.
    await new Promise((r) => setTimeout(r, 500));
    expect(isRunningNotZombie(agent.pid)).toBe(true);
    expect(isRunningNotZombie(site.pid)).toBe(true);
    return { agent, site };
  } finally {
    tunnel.child.kill('SIGKILL');
  }
}

const stoppedLine = (what: string, pid: number) => `Stopped ${what} left running by an earlier run (pid ${pid}).`;

describe('the orphans of a SIGKILLed tunnel', () => {
  it('the next tunnel stops them, says so, and comes online (no ERR_NGROK_334)', { timeout: 90_000 }, async () => {
    const { configDir, sandbox } = await world('orphans-tunnel');
    const { agent, site } = await orphansOfKilledTunnel(configDir, sandbox);

    const next = startPlainTunnel(configDir, sandbox.env);
    try {
      await next.online();
      expect(next.output()).toContain(stoppedLine('the agent', agent.pid));
      expect(next.output()).toContain(stoppedLine('the site server', site.pid));
      expect(isRunningNotZombie(agent.pid)).toBe(false);
      expect(isRunningNotZombie(site.pid)).toBe(false);
      expect(next.output()).not.toContain('ERR_NGROK_334');
      // Its own agent and site server are the only ones.
      const below = descendants(next.child.pid!);
      expect(below.filter(isAgent)).toHaveLength(1);
      expect(below.filter(isSiteServer)).toHaveLength(1);
    } finally {
      next.child.kill('SIGTERM');
      await next.child;
    }
  });

  it.each(['destroy', 'reset'] as const)('%s stops them, and says so', { timeout: 90_000 }, async (command) => {
    const { configDir, sandbox } = await world(`orphans-${command}`);
    const { agent, site } = await orphansOfKilledTunnel(configDir, sandbox);
    const args = command === 'destroy' ? ['destroy', '--yes'] : ['reset'];
    const result = await execa(process.execPath, [BIN, '--config-dir', configDir, ...args], {
      reject: false,
      stdin: 'ignore',
      env: cliEnv(sandbox.env),
      timeout: scaled(60_000),
    });
    const output = String(result.stdout) + String(result.stderr);
    expect(result.exitCode, output).toBe(0);
    expect(output).toContain(stoppedLine('the agent', agent.pid));
    expect(output).toContain(stoppedLine('the site server', site.pid));
    expect(await waitUntilStopped(agent.pid, 1000)).toBe(true);
    expect(await waitUntilStopped(site.pid, 1000)).toBe(true);
  });
});
