// vitest's globalSetup (vitest.config.ts): how many times slower than the machine the deadlines were
// set on this one starts a process, measured once per suite and handed to the workers in the
// environment (deadline.ts reads it).
//
// The load average sees a busy machine, not a slow one. Machines of one kind here differ by more than
// 2× at starting a process: `node -e 0` took 28.6 ms (bench median) where TEST_BUDGET_MS was set, and
// 60–73 ms on another, idle, where its ~2,800 page faults cost what the whole start costs elsewhere
// (perf stat: 72.7 ms task-clock). The suite is mostly process starts (CLI runs, python, the agent
// stand-in), so there every test took ~2.2× as long (npm test: 148 s → 327 s of vitest, CPU-bound),
// and a test of eight CLI runs crossed its deadline with nothing wrong in the code. Measured the same
// way as the budget's machine (the median of several starts), the ratio stretches every deadline as
// the load does; it never shortens one.
import { spawnSync } from 'node:child_process';
import { SLOWNESS_ENV } from './deadline';

/** `node -e 0` (wall, median) on the machine where TEST_BUDGET_MS and the scaled() budgets were set. */
export const REFERENCE_NODE_START_MS = 28.6;
const STARTS = 9;

/** The median wall time of `node -e 0` here, in milliseconds, after one start to warm the caches. */
export function nodeStartMs(starts = STARTS): number {
  const times: number[] = [];
  for (let i = 0; i <= starts; i++) {
    const start = process.hrtime.bigint();
    const run = spawnSync(process.execPath, ['-e', '0'], { stdio: 'ignore' });
    if (run.status !== 0) throw new Error(`node -e 0 exited with ${run.status ?? run.signal}`);
    if (i > 0) times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
}

export default function setup(): void {
  // A value already set (a run that measured it, or a person pinning it) is kept.
  if (process.env[SLOWNESS_ENV]) return;
  const ms = nodeStartMs();
  const slowness = Math.max(1, ms / REFERENCE_NODE_START_MS);
  process.env[SLOWNESS_ENV] = slowness.toFixed(2);
  // Said once, so that a slow run says why its deadlines are long.
  if (slowness > 1)
    console.log(
      `deadlines ×${slowness.toFixed(2)}: node -e 0 takes ${ms.toFixed(1)} ms here, ${REFERENCE_NODE_START_MS} ms where they were set`,
    );
}
