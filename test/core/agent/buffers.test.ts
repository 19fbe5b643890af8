// What keeps the live view's memory and the agent's log file bounded, however long the agent runs.
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CappedLogFile } from '../../../src/core/agent';
import { RingBuffer } from '../../../src/core/agent';
import { tempDir } from '../../helpers/cli';

describe('RingBuffer', () => {
  it('keeps the newest items, counts every push, and reads back from the end', () => {
    const ring = new RingBuffer<number>(3);
    expect(ring.toArray()).toEqual([]);
    for (let i = 1; i <= 5; i++) ring.push(i);
    expect(ring.toArray()).toEqual([3, 4, 5]);
    expect(ring.size).toBe(3);
    expect(ring.total).toBe(5);
    expect([ring.fromEnd(0), ring.fromEnd(2), ring.fromEnd(3)]).toEqual([5, 3, undefined]);
    expect(() => new RingBuffer(0)).toThrow(RangeError);
  });
});

describe('CappedLogFile', () => {
  it('appends lines (mode 0600) and, past its size, starts over keeping one previous file', () => {
    const file = path.join(tempDir('capped-'), 'logs', 'agent.log');
    const log = new CappedLogFile(file, 1000);
    for (let i = 0; i < 30; i++) log.write(`line ${String(i).padStart(2, '0')} ${'x'.repeat(40)}`);
    log.close();
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(file).size).toBeLessThanOrEqual(1000);
    expect(existsSync(`${file}.1`)).toBe(true);
    const current = readFileSync(file, 'utf8').trim().split('\n');
    expect(current.at(-1)).toMatch(/^line 29 /);
    // Reopened, it appends to what is there.
    const again = new CappedLogFile(file, 100_000);
    again.write('after reopening');
    again.close();
    expect(readFileSync(file, 'utf8').trim().split('\n').at(-1)).toBe('after reopening');
  });
});
