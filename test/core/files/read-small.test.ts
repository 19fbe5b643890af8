// readSmallFile reads at most its limit (plus the one byte that tells "over"), whatever the size stat
// reported: procfs files report 0 and hold more, a file may grow between the stat and the read.
import { statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readSmallFile } from '../../../src/core/files';

describe('readSmallFile', () => {
  it('a file whose stat says 0 bytes but that holds more than the limit is refused at the limit', () => {
    // This process's memory map: dozens of lines, and a stat size of 0.
    expect(statSync('/proc/self/maps').size).toBe(0);
    expect(() => readSmallFile('/proc/self/maps', { what: 'the test file', maxBytes: 1024 })).toThrow(
      'Cannot read the test file /proc/self/maps: it holds more than the 1 KB such a file can hold.',
    );
  });

  it('within the limit, the same kind of file is read whole', () => {
    const text = readSmallFile('/proc/self/maps', { what: 'the test file', maxBytes: 1024 * 1024 });
    expect(text.length).toBeGreaterThan(1024);
    expect(text).toContain('[stack]');
  });
});
