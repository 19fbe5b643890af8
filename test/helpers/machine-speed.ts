// vitest's globalSetup (vitest.config.ts): how many times slower than the machine the deadlines were
// set on this one starts a process, measured once per suite and handed to the workers in the
// environment (deadline.ts reads it).
//
// The load average sees a busy machine, not a slow one. Machines of one kind here differ by more than
// 2× at starting a process: `node -e 0` took 28.6 ms (bench median) where TEST_BUDGET_MS was set, and
// 60–73 ms on another, idle, where a page fault costs 11–15 µs (a C loop touching 256 MiB) and its
// ~2,800 faults cost what the whole start costs elsewhere. The suite is mostly process starts (CLI
// runs, python, the agent stand-in), so there every test took ~2.2× as long (npm test: 148 s → 327 s
// of vitest, CPU-bound), and a test of eight CLI runs crossed its deadline with nothing wrong in the
// code. The ratio stretches every deadline as the load does; it never shortens one.
//
// Measured in CPU time, not wall time, so that a machine busy at the start of the suite is not also
// counted as a slow one (the load is counted separately, and counted twice it turned a 30 s deadline
// into 12 minutes): under two busy loops on 2 cores a start took 87–183 ms of wall time and still
// 65–73 ms of CPU.
import { spawnSync } from 'node:child_process';
import { SLOWNESS_ENV } from './deadline';

/**
 * The CPU time of `node -e 0` (median) on the machine where TEST_BUDGET_MS and the scaled() budgets
 * were set: 28.6 ms of wall time was measured there, idle; an idle start's CPU time is 0.93 of its wall
 * time (65 of 70 ms, measured here).
 */
export const REFERENCE_NODE_START_CPU_MS = 26.6;
const STARTS = 9;
/** Prints its own CPU time (all threads) as it exits: the cost of a start, whatever else runs. */
const PRINT_OWN_CPU =
  'process.on("exit",()=>{const u=process.cpuUsage();process.stdout.write(String((u.user+u.system)/1e3))})';

/** The median CPU time of `node -e 0` here, in milliseconds, after one start to warm the caches. */
export function nodeStartCpuMs(starts = STARTS): number {
  const times: number[] = [];
  for (let i = 0; i <= starts; i++) {
    const run = spawnSync(process.execPath, ['-e', PRINT_OWN_CPU], { encoding: 'utf8' });
    const ms = Number(run.stdout);
    if (run.status !== 0 || !(ms > 0))
      throw new Error(`node -e exited with ${run.status ?? run.signal}: ${run.stderr}`);
    if (i > 0) times.push(ms);
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
}

export default function setup(): void {
  // A value already set (a run that measured it, or a person pinning it) is kept.
  if (process.env[SLOWNESS_ENV]) return;
  const ms = nodeStartCpuMs();
  const slowness = Math.max(1, ms / REFERENCE_NODE_START_CPU_MS);
  process.env[SLOWNESS_ENV] = slowness.toFixed(2);
  // Said once, so that a slow run says why its deadlines are long.
  if (slowness > 1)
    console.log(
      `deadlines ×${slowness.toFixed(2)}: node -e 0 takes ${ms.toFixed(1)} ms of CPU here, ${REFERENCE_NODE_START_CPU_MS} ms where they were set`,
    );
}
