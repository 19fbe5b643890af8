// A global setup of the integration and reliability tiers (vitest.config.ts), the ones whose deadlines
// are stretched: how many times slower than the machine the deadlines were set on this one starts a
// process, measured once per run and handed to the workers in the environment (deadline.ts reads it;
// vitest builds each worker's environment from process.env after the global setups have run). A
// project's global setup runs only when the project has files in the run, so `npm run test:fast`
// (the unit tier) does not pay for the ten process starts (~0.7 s here).
//
// The load average sees a busy machine, not a slow one. Machines of one kind here differ by more than
// 2× at starting a process: `node -e 0` took 28.6 ms (bench median) where TEST_BUDGET_MS was set, and
// 60–77 ms on another, idle, where a page fault costs 11–15 µs (a C loop touching 256 MiB) and its
// ~2,800 faults cost what the whole start costs elsewhere. The suite is mostly process starts (CLI
// runs, python, the agent stand-in), so there every test took ~2.2× as long (npm test: 148 s → 327 s
// of vitest, CPU-bound), and a test of eight CLI runs crossed its deadline with nothing wrong in the
// code. The ratio stretches every deadline as the load does; it never shortens one.
//
// Measured in CPU time, not wall time, so that a machine busy at the start of the suite is not also
// counted as a slow one (the load is counted separately; counted twice, a wall-time ratio of 5.95
// stretched a 30 s deadline past 9 minutes): under two busy loops on 2 cores a start took 87–183 ms of
// wall time and 65–84 ms of CPU, against 63–73 ms idle. Capped (MAX_SLOWNESS), so that a hang is
// still reported in minutes whatever the reading.
import { spawnSync } from 'node:child_process';
import { clampSlowness, machineSlowness, MAX_SLOWNESS, SLOWNESS_ENV } from './deadline';

/**
 * The CPU time of `node -e 0` (median, as PRINT_OWN_CPU reports it) on the machine where
 * TEST_BUDGET_MS and the scaled() budgets were set. An estimate: 28.6 ms of wall time was measured
 * there, idle, and an idle start's CPU time up to its exit handler is 0.83–0.93 of its wall time
 * (measured here); the larger makes the smaller ratio, so the estimate errs towards the shorter
 * deadline, by at most 11%.
 */
export const REFERENCE_NODE_START_CPU_MS = 26.6;
const STARTS = 9;
/** Prints its own CPU time (all threads) as it exits: the cost of a start, whatever else runs. */
const PRINT_OWN_CPU =
  'process.on("exit",()=>{const u=process.cpuUsage();process.stdout.write(`\\n${(u.user+u.system)/1e3}\\n`)})';

/** The median CPU time of `node -e 0` here, in milliseconds, after one start to warm the caches. */
export function nodeStartCpuMs(starts = STARTS): number {
  const times: number[] = [];
  for (let i = 0; i <= starts; i++) {
    const run = spawnSync(process.execPath, ['-e', PRINT_OWN_CPU], { encoding: 'utf8', timeout: 30_000 });
    // The last line: a preload in NODE_OPTIONS (inherited) may print before it.
    const ms = Number(run.stdout?.trim().split('\n').at(-1));
    if (run.error || run.status !== 0 || !(ms > 0))
      throw new Error(
        `measuring a node start: ${run.error?.message ?? `exit ${run.status ?? run.signal}`}; stdout ${JSON.stringify(run.stdout)}, stderr ${JSON.stringify(run.stderr)}`,
      );
    if (i > 0) times.push(ms);
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
}

/** How many times slower than the budgets' machine a start taking `cpuMs` is: 1 to MAX_SLOWNESS. */
export function slownessFrom(cpuMs: number): number {
  return clampSlowness(cpuMs / REFERENCE_NODE_START_CPU_MS);
}

/**
 * Both tiers declare this setup, and each project loads its own copy of the module: the mark on the
 * process (not a module variable) says the run's one measurement is made.
 */
const MEASURED = Symbol.for('ngrok-fusionauth.test.machine-speed');
const marks = globalThis as { [MEASURED]?: true };

export default function setup(): void {
  if (marks[MEASURED]) return;
  marks[MEASURED] = true;
  settleSlowness();
}

/** Measures the slowness into the environment, or keeps (and says) the one a person pinned there. */
export function settleSlowness(): void {
  const pinned = process.env[SLOWNESS_ENV];
  if (pinned) {
    // A value already set (a person pinning it) is kept, and said, so that a typo is seen.
    console.log(`deadlines ×${machineSlowness()}: pinned (${SLOWNESS_ENV}=${pinned})`);
    return;
  }
  const ms = nodeStartCpuMs();
  const slowness = slownessFrom(ms);
  process.env[SLOWNESS_ENV] = slowness.toFixed(2);
  // Said once, so that a slow run says why its deadlines are long.
  if (slowness > 1)
    console.log(
      `deadlines ×${slowness.toFixed(2)}: node -e 0 takes ${ms.toFixed(1)} ms of CPU here, ${REFERENCE_NODE_START_CPU_MS} ms where they were set${slowness === MAX_SLOWNESS ? ` (capped at ×${MAX_SLOWNESS})` : ''}`,
    );
}
