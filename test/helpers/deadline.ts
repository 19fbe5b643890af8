// Deadlines for tests whose work needs the CPU: CLI runs, python, the agent, the sandbox. A budget that
// holds on an unloaded machine is overrun on a loaded one with nothing wrong in the code: with L tasks
// ready to run on C cores, each gets about C/L of a core, so CPU-bound work takes L/C times as long.
// The kernel counts L for us (the load average), so a deadline is the unloaded budget stretched by
// L/C, read when the wait begins; on a machine with a core to spare it is the budget unchanged. A
// machine slower than the one the budgets were set on stretches them too (machine-speed.ts).
// (On Linux the load average also counts tasks blocked on disk, and in a container it is the host's;
// both only err towards waiting longer, never towards failing sooner.)
import os from 'node:os';

/** vitest's own deadlines for a test and a hook in the integration and reliability tiers, unloaded. */
export const TEST_BUDGET_MS = 30_000;

/** How many times longer CPU-bound work takes now than with a core free for it; at least 1. */
export function cpuContention(): number {
  const [lastMinute = 0] = os.loadavg();
  return Math.max(1, lastMinute / os.availableParallelism());
}

/** Set by machine-speed.ts (a global setup): how many times slower than the budgets' machine this one starts a process. */
export const SLOWNESS_ENV = 'NF_TEST_MACHINE_SLOWNESS';

/**
 * The most the machine's speed stretches a deadline: the highest reading here was ×3.16 (a machine
 * whose page faults are slow, under a busy loop per core), and a hang must still be reported in minutes.
 */
export const MAX_SLOWNESS = 4;

/** A slowness as deadlines use it: 1 to MAX_SLOWNESS, 1 when it is not a number. */
export function clampSlowness(ratio: number): number {
  return Number.isFinite(ratio) ? Math.min(MAX_SLOWNESS, Math.max(1, ratio)) : 1;
}

/**
 * How many times slower than the budgets' machine this one starts a process (the suite's work is
 * mostly process starts): 1 to MAX_SLOWNESS, 1 when unset or unreadable.
 */
export function machineSlowness(): number {
  return clampSlowness(Number(process.env[SLOWNESS_ENV]));
}

/** `ms`, a deadline that holds on the budgets' unloaded machine, for this machine as loaded as it is now. */
export function scaled(ms: number): number {
  return Math.ceil(ms * machineSlowness() * cpuContention());
}
