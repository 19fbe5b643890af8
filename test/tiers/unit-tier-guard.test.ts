// The unit tier's promise (no process, no server) is kept by test/helpers/unit-tier-guard.ts; this file
// runs in that tier and fails if the guard is not in place or misses a way to start one.
import { execFile, execFileSync, spawn, spawnSync } from 'node:child_process';
import childProcess from 'node:child_process';
import { createServer } from 'node:http';
import net from 'node:net';
import { describe, expect, it } from 'vitest';

const REFUSED = /The unit tier starts no process and no server/;

describe('the unit tier', () => {
  it('refuses to start a process, by every door', () => {
    expect(() => spawn(process.execPath, ['-e', '0'])).toThrow(REFUSED);
    expect(() => execFile(process.execPath, ['-e', '0'])).toThrow(REFUSED);
    expect(() => childProcess.fork('-e')).toThrow(REFUSED);
    expect(() => spawnSync(process.execPath, ['-e', '0'])).toThrow(REFUSED);
    expect(() => execFileSync(process.execPath, ['-e', '0'])).toThrow(REFUSED);
    expect(() => childProcess.execSync('true')).toThrow(REFUSED);
  });

  it('refuses to listen, for net and http servers alike', () => {
    expect(() => net.createServer().listen(0, '127.0.0.1')).toThrow(REFUSED);
    expect(() => createServer().listen(0, '127.0.0.1')).toThrow(REFUSED);
  });
});
