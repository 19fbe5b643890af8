// The deadlines of the integration and reliability tiers follow the machine: stretched by how slowly it
// starts a process (machine-speed.ts, measured once per suite) and by its load (deadline.ts), never
// shortened below the budget.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { machineSlowness, scaled, SLOWNESS_ENV } from '../helpers/deadline';
import setupMachineSpeed, { nodeStartCpuMs } from '../helpers/machine-speed';

const measured = process.env[SLOWNESS_ENV];
afterEach(() => {
  if (measured === undefined) delete process.env[SLOWNESS_ENV];
  else process.env[SLOWNESS_ENV] = measured;
});

describe('deadlines', () => {
  it('the suite measured this machine before any file ran', () => {
    expect(Number(measured)).toBeGreaterThanOrEqual(1);
  });

  it('a measured slowness stretches every scaled deadline; below 1 or unreadable it is 1', () => {
    process.env[SLOWNESS_ENV] = '1';
    const base = scaled(10_000);
    process.env[SLOWNESS_ENV] = '2.5';
    expect(machineSlowness()).toBe(2.5);
    // The load may move between the two readings; the stretch is at least the slowness.
    expect(scaled(10_000)).toBeGreaterThanOrEqual(2.5 * 10_000);
    expect(base).toBeGreaterThanOrEqual(10_000);
    for (const value of ['0.4', 'fast', '']) {
      process.env[SLOWNESS_ENV] = value;
      expect(machineSlowness(), value).toBe(1);
    }
  });

  it('the global setup measures a real process start, and keeps a value already set', () => {
    expect(nodeStartCpuMs(3)).toBeGreaterThan(0);
    process.env[SLOWNESS_ENV] = '7.00';
    setupMachineSpeed();
    expect(process.env[SLOWNESS_ENV]).toBe('7.00');
    delete process.env[SLOWNESS_ENV];
    const said = vi.spyOn(console, 'log').mockImplementation(() => {});
    setupMachineSpeed();
    said.mockRestore();
    expect(Number(process.env[SLOWNESS_ENV])).toBeGreaterThanOrEqual(1);
  });
});
