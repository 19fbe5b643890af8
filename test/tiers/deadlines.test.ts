// The deadlines of the integration and reliability tiers follow the machine: stretched by how slowly it
// starts a process (machine-speed.ts, measured once per suite, capped) and by its load (deadline.ts),
// never shortened below the budget.
import os from 'node:os';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { machineSlowness, MAX_SLOWNESS, scaled, SLOWNESS_ENV } from '../helpers/deadline';
import { nodeStartCpuMs, REFERENCE_NODE_START_CPU_MS, settleSlowness, slownessFrom } from '../helpers/machine-speed';

const measured = process.env[SLOWNESS_ENV];
afterEach(() => {
  vi.restoreAllMocks();
  if (measured === undefined) delete process.env[SLOWNESS_ENV];
  else process.env[SLOWNESS_ENV] = measured;
});

const idle = () => vi.spyOn(os, 'loadavg').mockReturnValue([0, 0, 0]);
const quietly = () => vi.spyOn(console, 'log').mockImplementation(() => {});

describe('deadlines', () => {
  it('the suite measured this machine (or was told its speed) before any file ran', () => {
    expect(measured).toBeDefined();
    expect(machineSlowness()).toBeGreaterThanOrEqual(1);
    expect(machineSlowness()).toBeLessThanOrEqual(MAX_SLOWNESS);
  });

  it('the measured slowness stretches a scaled deadline, and the load stretches it further', () => {
    idle();
    process.env[SLOWNESS_ENV] = '2.5';
    expect(scaled(10_000)).toBe(25_000);
    vi.spyOn(os, 'loadavg').mockReturnValue([os.availableParallelism() * 3, 0, 0]);
    expect(scaled(10_000)).toBe(75_000);
  });

  it('the slowness is 1 when unset, unreadable or below 1, and never above the cap', () => {
    idle();
    for (const [value, expected] of [
      [undefined, 1],
      ['fast', 1],
      ['', 1],
      ['0.4', 1],
      ['1.75', 1.75],
      ['50', MAX_SLOWNESS],
    ] as const) {
      if (value === undefined) delete process.env[SLOWNESS_ENV];
      else process.env[SLOWNESS_ENV] = value;
      expect(machineSlowness(), String(value)).toBe(expected);
      expect(scaled(1_000), String(value)).toBe(1_000 * expected);
    }
  });

  it('a start taking twice the reference CPU time is twice as slow; a faster one is not faster', () => {
    expect(slownessFrom(2 * REFERENCE_NODE_START_CPU_MS)).toBe(2);
    expect(slownessFrom(REFERENCE_NODE_START_CPU_MS / 3)).toBe(1);
    expect(slownessFrom(100 * REFERENCE_NODE_START_CPU_MS)).toBe(MAX_SLOWNESS);
  });

  it('the global setup measures a real process start, and keeps a value already set', () => {
    const ms = nodeStartCpuMs(3);
    // A start of Node costs milliseconds of CPU, not microseconds or seconds.
    expect(ms).toBeGreaterThan(1);
    expect(ms).toBeLessThan(5_000);
    quietly();
    process.env[SLOWNESS_ENV] = '3.00';
    settleSlowness();
    expect(process.env[SLOWNESS_ENV]).toBe('3.00');
    delete process.env[SLOWNESS_ENV];
    settleSlowness();
    // Measured again: a ratio, written as machineSlowness() reads it (a second measurement would
    // differ with the load, so it is not compared).
    expect(process.env[SLOWNESS_ENV]).toMatch(/^\d+\.\d\d$/);
    expect(Number(process.env[SLOWNESS_ENV])).toBeGreaterThanOrEqual(1);
    expect(Number(process.env[SLOWNESS_ENV])).toBeLessThanOrEqual(MAX_SLOWNESS);
  });
});
