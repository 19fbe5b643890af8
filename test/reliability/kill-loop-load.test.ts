// SIGKILL at 10 points of setup, tunnel and verify on one store, one after the other, while every core
// is kept busy (a spinning child process per core, started and stopped here): the slow machine on
// which two commands and their children overlap. Each command after a kill finds the dead one's lock
// and takes it over at once, stops what it left running and says so; in the end the setup completes,
// the sandbox holds one of everything (listed through its own management APIs), and no process of
// this store is left (read from /proc).
import { execa, type ResultPromise } from 'execa';
import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN } from '../helpers/cli';
import { isRunningNotZombie } from '../helpers/process';
import { expectConverged } from './converged';
import { cliEnv, killStrays, newWorld, RUN_TIMEOUT_MS, startSetup, type World } from './kill-harness';
import { descendants, isAgent, isSiteServer, type ProcessInfo } from './process-tree';

let spinners: ResultPromise[] = [];
beforeAll(() => {
  spinners = Array.from({ length: availableParallelism() }, () =>
    execa(process.execPath, ['-e', 'for (;;) {}'], { reject: false, stdin: 'ignore' }),
  );
});
afterAll(async () => {
  for (const spinner of spinners) spinner.kill('SIGKILL');
  await Promise.all(spinners);
});

type Command = 'setup' | 'tunnel' | 'verify';
interface KillPoint {
  command: Command;
  /** Killed the moment the output shows this, or (`agent`) the moment its agent process exists. */
  at: string | 'agent';
}

const KILL_POINTS: KillPoint[] = [
  { command: 'setup', at: '== Set Up The Application\n' },
  { command: 'setup', at: '== Set Up FusionAuth\n' },
  { command: 'setup', at: '== Set Up ngrok Cloud Edge\n' },
  { command: 'setup', at: '== Finishing Up With FusionAuth\n' },
  { command: 'setup', at: '== Test It Out\n' },
  { command: 'setup', at: 'agent' },
  { command: 'setup', at: '== Next Steps\n' },
  { command: 'tunnel', at: 'Started python3' },
  { command: 'tunnel', at: '== online' },
  { command: 'verify', at: 'agent' },
];

function start(world: World, command: Command) {
  if (command === 'setup') return startSetup(world, true);
  const args = command === 'tunnel' ? ['tunnel', '--no-tui'] : ['verify'];
  return execa(process.execPath, [BIN, '--config-dir', world.configDir, ...args], {
    reject: false,
    stdin: 'ignore',
    all: true,
    env: cliEnv(),
    timeout: RUN_TIMEOUT_MS * 2,
  });
}

/** Runs `command` until the kill point, SIGKILLs it; its output, and what it had started then. */
async function killAt(world: World, point: KillPoint): Promise<{ output: string; started: ProcessInfo[] }> {
  const child = start(world, point.command);
  let output = '';
  child.all.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  let ended: number | undefined | null = null;
  void child.then((result) => (ended = result.exitCode));
  let started: ProcessInfo[] = [];
  try {
    for (;;) {
      const reached = point.at === 'agent' ? descendants(child.pid!).some(isAgent) : output.includes(point.at);
      if (reached) break;
      if (ended !== null)
        throw new Error(`${point.command} ended (exit ${ended}) before ${JSON.stringify(point.at)}:\n${output}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    started = descendants(child.pid!);
    child.kill('SIGKILL');
    const result = await child;
    expect(result.signal).toBe('SIGKILL');
    return { output, started };
  } finally {
    child.kill('SIGKILL');
    await child;
  }
}

/** Every living process (zombies aside) whose command line names something under `root`. */
function processesUnder(root: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    let argv: string;
    try {
      argv = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
    } catch {
      continue;
    }
    if (argv.includes(root) && isRunningNotZombie(Number(entry))) found.push(`${entry} ${argv.split('\0').join(' ')}`);
  }
  return found;
}

describe('SIGKILL at 10 points of setup, tunnel and verify on one store, every core busy', () => {
  let world: World | undefined;
  afterAll(() => {
    if (world) killStrays(world.root);
  });

  it(
    'each next command stops what the killed one left; in the end one of everything and no process left',
    { timeout: 600_000 },
    async () => {
      expect(spinners.length).toBeGreaterThan(0);
      world = await newWorld('endpoint');
      let leftBefore: ProcessInfo[] = [];
      let orphanedSites = 0;
      for (const point of KILL_POINTS) {
        const killed = await killAt(world, point);
        // The site server a killed command had started: named and stopped by this command.
        for (const site of leftBefore.filter(isSiteServer)) {
          expect(
            killed.output,
            `the site server (pid ${site.pid}) left by the run before ${point.command} at ${point.at}`,
          ).toContain(`Stopped the site server left running by an earlier run (pid ${site.pid}).`);
        }
        for (const p of leftBefore)
          expect(isRunningNotZombie(p.pid), `${p.pid} ${p.argv.join(' ')} still runs`).toBe(false);
        await new Promise((r) => setTimeout(r, 200));
        leftBefore = killed.started.filter((p) => isRunningNotZombie(p.pid));
        orphanedSites += leftBefore.filter(isSiteServer).length;
      }

      // The kills did leave orphans to stop. A site server survives a kill only where the killed run was
      // serving the site itself: setup killed in Set Up FusionAuth (its site step had just started one),
      // setup killed once Test It Out's agent runs, and tunnel at both its points. A rerun of setup does
      // not start a server that is merely stopped (the site step stays done: "not running, `tunnel`
      // starts it"), so the other kill points leave none. Each orphan was checked above to be named and
      // stopped by the next command.
      expect(orphanedSites).toBeGreaterThanOrEqual(4);

      const final = await startSetup(world, true);
      const output = String(final.all);
      expect(final.exitCode, output).toBe(0);
      for (const site of leftBefore.filter(isSiteServer))
        expect(output).toContain(`Stopped the site server left running by an earlier run (pid ${site.pid}).`);
      await expectConverged(world);
      // Nothing of this store runs any more: no site server, no agent, no sandbox.
      await new Promise((r) => setTimeout(r, 500));
      expect(processesUnder(world.root)).toEqual([]);
    },
  );
});
