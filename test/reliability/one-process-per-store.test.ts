// One command at a time per store, and one sandbox per store: a second `setup` is told who uses the
// store and exits 1 (the wizard waits instead), `verify` run beside `tunnel` checks that tunnel through
// its sandbox instead of starting another, and `destroy` stops a running tunnel before it deletes.
// Every command here is the built CLI as a real process on a real sandbox store.
import { execa } from 'execa';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startTimeOf } from '../../src/core/process';
import { startSandbox } from '../../src/sandbox/index';
import { BIN, tempDir } from '../helpers/cli';
import { isAlive, isRunningNotZombie, waitUntilGone } from '../helpers/process';
import { prepareProtectedSite } from '../helpers/protected-setup';
import { expectConverged } from './converged';
import { cliEnv, killStrays, newWorld, startSetup, type World } from './kill-harness';
import { descendants, isAgent, isSiteServer } from './process-tree';
import { runInPty } from './pty';
import { startPlainTunnel } from './tunnel-run';
import { scaled } from '../helpers/deadline';

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) killStrays(root);
});

const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** How a command using the store is named to the one that finds it busy. */
const holderPattern = (command: string, pid: number, dir: string) =>
  new RegExp(`${command} \\(pid ${pid}, started \\d\\d:\\d\\d:\\d\\d\\) is using ${escaped(dir)}`);

function runCli(configDir: string, args: string[], timeout = 60_000) {
  return execa(process.execPath, [BIN, '--config-dir', configDir, ...args], {
    reject: false,
    stdin: 'ignore',
    env: cliEnv(),
    timeout,
  });
}

/** A finished setup on the sandbox in `<configDir>/sandbox`, made by raw HTTP (quicker than setup). */
async function sandboxStore(name: string, mode: 'endpoint' | 'agent' = 'endpoint') {
  const root = tempDir('nf-one-per-store-');
  roots.push(root);
  const configDir = path.join(root, 'config');
  const sandbox = await startSandbox({ dataDir: path.join(configDir, 'sandbox') });
  try {
    await prepareProtectedSite(
      { ...sandbox.fusionauth },
      { ...sandbox.ngrok, redirectUri: sandbox.redirectUri },
      { name, configDir, mode },
    );
  } finally {
    await sandbox.close();
  }
  return { configDir, portsFile: path.join(configDir, 'sandbox', 'ports.json') };
}

describe('two setups at once on one store', () => {
  let world: World | undefined;
  afterEach(() => {
    if (world) killStrays(world.root);
    world = undefined;
  });

  it(
    'the second (0.25–0.55 s later) names the first and exits 1; the store and the sandbox hold one of everything',
    { timeout: 120_000 },
    async () => {
      world = await newWorld('endpoint');
      const first = startSetup(world, true);
      await new Promise((r) => setTimeout(r, 250 + Math.random() * 300));
      const second = startSetup(world, true);
      const runs = [
        { pid: first.pid!, result: await first },
        { pid: second.pid!, result: await second },
      ];
      // Under load either may reach the store first: exactly one runs the setup.
      const winners = runs.filter((r) => r.result.exitCode === 0);
      const losers = runs.filter((r) => r.result.exitCode === 1);
      expect(
        winners.map((r) => r.result.all),
        runs.map((r) => r.result.all).join('\n-----\n'),
      ).toHaveLength(1);
      expect(losers).toHaveLength(1);
      const [winner, loser] = [winners[0]!, losers[0]!];
      expect(String(loser.result.all)).toMatch(holderPattern('setup', winner.pid, world.configDir));
      // It stopped before doing anything: no section began.
      expect(String(loser.result.all)).not.toContain('== ');
      // One application, one endpoint, and ports.json pointing at the sandbox the store's values name.
      await expectConverged(world);
    },
  );
});

describe('a command that finds the store in use', () => {
  it('tunnel exits 1 naming the running tunnel; status still answers, at once', async () => {
    const { configDir } = await sandboxStore('busy-tunnel', 'agent');
    const tunnel = startPlainTunnel(configDir);
    try {
      await tunnel.online();
      const second = await runCli(configDir, ['tunnel', '--no-tui', '--sandbox'], 20_000);
      expect(second.exitCode, String(second.stdout) + String(second.stderr)).toBe(1);
      expect(String(second.stderr)).toMatch(holderPattern('tunnel', tunnel.child.pid!, configDir));
      expect(String(second.stdout)).not.toContain('Started');
      // Only one agent: the running tunnel's.
      expect(descendants(process.pid).filter(isAgent)).toHaveLength(1);

      const status = await runCli(configDir, ['status', '--json'], 10_000);
      expect(status.exitCode, String(status.stderr)).toBe(0);
      expect(JSON.parse(String(status.stdout))).toBeTypeOf('object');
    } finally {
      tunnel.child.kill('SIGKILL');
    }
  });

  it('the wizard shows who uses the store and waits; it goes on when that ends, and Ctrl-C while it waits exits 130', async () => {
    const { configDir } = await sandboxStore('busy-wizard', 'agent');
    const tunnel = startPlainTunnel(configDir);
    try {
      await tunnel.online();
      const wizard = runInPty([process.execPath, BIN, '--config-dir', configDir], cliEnv());
      try {
        await wizard.waitFor(holderPattern('tunnel', tunnel.child.pid!, configDir));
        await wizard.waitFor('Waiting for it to end');
        tunnel.child.kill('SIGTERM');
        expect((await tunnel.child).exitCode).toBe(130);
        // The lock is free: the wizard draws its first frame.
        await wizard.waitFor('ngrok-fusionauth');
        wizard.press('\u0003');
        expect((await wizard.child).exitCode, wizard.screen().slice(-2000)).toBe(130);
      } finally {
        wizard.child.kill('SIGKILL');
      }

      const again = startPlainTunnel(configDir);
      await again.online().catch((error: unknown) => {
        again.child.kill('SIGKILL');
        throw error;
      });
      const waiting = runInPty([process.execPath, BIN, '--config-dir', configDir], cliEnv());
      try {
        await waiting.waitFor('Waiting for it to end');
        waiting.press('\u0003');
        const result = await waiting.child;
        expect(result.exitCode, waiting.screen().slice(-2000)).toBe(130);
        // The running tunnel was not disturbed.
        expect(isAlive(again.child.pid)).toBe(true);
      } finally {
        waiting.child.kill('SIGKILL');
        again.child.kill('SIGKILL');
      }
    } finally {
      tunnel.child.kill('SIGKILL');
    }
  }, 90_000);
});

describe('beside a setup (not a tunnel)', () => {
  it('destroy and verify exit 1 naming it, stop nothing and change nothing', async () => {
    const { configDir } = await sandboxStore('beside-setup');
    const before = readFileSync(path.join(configDir, 'config.json'), 'utf8');
    // A living process holds the store as `setup`: its pid with its own start time.
    const holder = execa('sleep', ['60'], { reject: false });
    try {
      const pid = holder.pid!;
      writeFileSync(
        path.join(configDir, 'lock'),
        JSON.stringify({
          pid,
          startTime: startTimeOf(pid),
          command: 'setup',
          since: new Date().toISOString(),
          host: hostname(),
        }),
      );
      for (const args of [['destroy', '--yes'], ['verify']]) {
        const result = await runCli(configDir, args, 20_000);
        expect(result.exitCode, String(result.stdout) + String(result.stderr)).toBe(1);
        expect(String(result.stderr)).toMatch(holderPattern('setup', pid, configDir));
        expect(String(result.stdout)).not.toMatch(/Deleted|Starting the tunnel/);
      }
      expect(isAlive(pid)).toBe(true);
      expect(readFileSync(path.join(configDir, 'config.json'), 'utf8')).toBe(before);
    } finally {
      holder.kill('SIGKILL');
      await holder;
    }
  });
});

describe('verify while tunnel runs (a second terminal)', () => {
  it(
    'checks the running tunnel through its sandbox: every check passes, no second sandbox, agent or ports',
    { timeout: 90_000 },
    async () => {
      const { configDir, portsFile } = await sandboxStore('verify-beside-tunnel');
      const portsBefore = readFileSync(portsFile, 'utf8');
      const tunnel = startPlainTunnel(configDir);
      try {
        await tunnel.online();
        const agentsBefore = descendants(tunnel.child.pid!)
          .filter(isAgent)
          .map((p) => p.pid);
        expect(agentsBefore).toHaveLength(1);

        const verify = execa(process.execPath, [BIN, '--config-dir', configDir, 'verify', '--json'], {
          reject: false,
          stdin: 'ignore',
          env: cliEnv(),
          timeout: scaled(60_000),
        });
        let verifyStarted = 0;
        const sampler = setInterval(() => {
          if (verify.pid) verifyStarted = Math.max(verifyStarted, descendants(verify.pid).length);
        }, 25);
        const result = await verify.finally(() => clearInterval(sampler));
        expect(result.exitCode, String(result.stdout) + String(result.stderr)).toBe(0);
        const report = JSON.parse(String(result.stdout)) as {
          ok: boolean;
          checks: Array<{ id: string; status: string }>;
          notes: Array<{ title: string }>;
        };
        expect(report.checks.map((c) => `${c.id}:${c.status}`)).toEqual([
          'issuer:pass',
          'redirect:pass',
          'authorize:pass',
          'login:pass',
        ]);
        expect(report.notes.map((n) => n.title)).toEqual([
          `Checked the tunnel that \`tunnel\` (pid ${tunnel.child.pid}) runs; verify started none of its own.`,
        ]);
        // verify started no process of its own (no agent, no site server), and moved no port.
        expect(verifyStarted).toBe(0);
        expect(readFileSync(portsFile, 'utf8')).toBe(portsBefore);
        // The tunnel runs on, with the same agent, and nothing went wrong in it.
        expect(
          descendants(tunnel.child.pid!)
            .filter(isAgent)
            .map((p) => p.pid),
        ).toEqual(agentsBefore);
        expect(tunnel.output()).not.toMatch(/ERR_NGROK|== failed|== reconnecting/);
      } finally {
        tunnel.child.kill('SIGKILL');
      }
    },
  );
});

describe('destroy while tunnel runs', () => {
  it(
    'warns, stops the tunnel (its agent and site server), keeps agent.log until it stopped, then deletes',
    { timeout: 90_000 },
    async () => {
      const { configDir } = await sandboxStore('destroy-beside-tunnel');
      const agentLog = path.join(configDir, 'agent.log');
      const tunnel = startPlainTunnel(configDir);
      try {
        await tunnel.online();
        const started = descendants(tunnel.child.pid!);
        expect(started.filter(isAgent)).toHaveLength(1);
        expect(started.filter(isSiteServer)).toHaveLength(1);
        expect(existsSync(agentLog)).toBe(true);

        // Watched every 10 ms: agent.log must never be gone while the tunnel's agent or site server still
        // runs (the tunnel writes their lines there until both have stopped, then closes it).
        const tunnelPid = tunnel.child.pid!;
        let logGoneWhileRunning = false;
        const watch = setInterval(() => {
          const running = started.some((p) => isRunningNotZombie(p.pid));
          if (running && !existsSync(agentLog)) logGoneWhileRunning = true;
        }, 10);
        const destroy = await runCli(configDir, ['destroy', '--yes']).finally(() => clearInterval(watch));
        const output = String(destroy.stdout) + String(destroy.stderr);
        expect(destroy.exitCode, output).toBe(0);
        expect(String(destroy.stderr)).toMatch(holderPattern('tunnel', tunnelPid, configDir));
        expect(String(destroy.stderr)).toContain('destroy stops it first');
        expect(output).toContain(`The tunnel (pid ${tunnelPid}) stopped.`);
        expect(output).toContain(`Forgot the local settings in ${path.join(configDir, 'config.json')}`);
        expect(logGoneWhileRunning).toBe(false);

        const result = await tunnel.child;
        expect(result.exitCode).toBe(130);
        expect(tunnel.output()).toContain('== stopped');
        for (const p of started) expect(await waitUntilGone(p.pid, 1000), p.argv.join(' ')).toBe(true);
        expect(existsSync(agentLog)).toBe(false);
      } finally {
        tunnel.child.kill('SIGKILL');
      }
    },
  );
});
