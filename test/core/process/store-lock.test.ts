// The store's lock with real processes: a holder is named, a killed holder's lock is taken over, a pid
// reused by a later process does not keep a dead lock alive, and of many processes started at the
// same instant exactly one holds it, also when they all find a dead lock to take over.
import { execa } from 'execa';
import { readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startTimeOf } from '../../../src/core/process';
import { LOCK_FILE, lockHolder, tryLock, waitForLock, type LockHolder } from '../../../src/core/process';
import { tempDir } from '../../helpers/cli';
import { runIsolated } from '../../helpers/isolated';

const lockIn = (dir: string) => path.join(dir, LOCK_FILE);
const holderIn = (dir: string) => JSON.parse(readFileSync(lockIn(dir), 'utf8')) as LockHolder;

/** A lock as a process of `pid` would have left it. */
function writeLock(dir: string, holder: Partial<LockHolder> & { pid: number }): void {
  writeFileSync(
    lockIn(dir),
    JSON.stringify({ command: 'setup', since: new Date().toISOString(), host: hostname(), ...holder }),
  );
}

/** A process that is gone for sure: started, then reaped. */
async function deadPid(): Promise<number> {
  const child = execa('true');
  await child;
  return child.pid!;
}

describe('the store lock', () => {
  it('a second taker is told who holds it; once released it is free', () => {
    const dir = tempDir();
    const first = tryLock(dir, 'tunnel');
    if (!('lock' in first)) throw new Error('the first take failed');
    expect(holderIn(dir)).toMatchObject({ pid: process.pid, startTime: startTimeOf(process.pid), command: 'tunnel' });
    const second = tryLock(dir, 'setup');
    expect('busy' in second && second.busy).toMatchObject({ pid: process.pid, command: 'tunnel' });
    expect(lockHolder(dir)?.command).toBe('tunnel');
    first.lock.release();
    expect(lockHolder(dir)).toBeUndefined();
    const third = tryLock(dir, 'setup');
    expect('lock' in third).toBe(true);
    if ('lock' in third) third.lock.release();
  });

  it('the lock of a process killed with SIGKILL is taken over', async () => {
    const dir = tempDir();
    const run = await runIsolated(
      `import { tryLock } from './src/core/process';
       const got = tryLock(${JSON.stringify(dir)}, 'setup');
       console.log('lock' in got ? 'held' : 'busy');
       setInterval(() => undefined, 1000);`,
      { timeoutMs: 3000 },
    );
    expect(run.stdout.trim()).toBe('held');
    expect(run.timedOut).toBe(true);
    const dead = holderIn(dir);
    expect(dead.pid).not.toBe(process.pid);
    const taken = tryLock(dir, 'tunnel');
    expect('lock' in taken, JSON.stringify(taken)).toBe(true);
    expect(holderIn(dir)).toMatchObject({ pid: process.pid, command: 'tunnel' });
    if ('lock' in taken) taken.lock.release();
  }, 30_000);

  it('a gone pid, a pid now used by a later process, and an unreadable lock hold nothing; a living holder does', async () => {
    const dir = tempDir();
    writeLock(dir, { pid: await deadPid(), startTime: '1' });
    let attempt = tryLock(dir, 'setup');
    expect('lock' in attempt).toBe(true);
    if ('lock' in attempt) attempt.lock.release();

    // The pid of a process that lives, with a start time that is not its own: the pid was reused.
    const sleeper = execa('sleep', ['30']);
    try {
      const started = startTimeOf(sleeper.pid!)!;
      writeLock(dir, { pid: sleeper.pid!, startTime: String(Number(started) - 1) });
      attempt = tryLock(dir, 'setup');
      expect('lock' in attempt).toBe(true);
      if ('lock' in attempt) attempt.lock.release();

      // The same pid with its own start time: the holder lives.
      writeLock(dir, { pid: sleeper.pid!, startTime: started, command: 'tunnel' });
      attempt = tryLock(dir, 'setup');
      expect('busy' in attempt && attempt.busy).toMatchObject({ pid: sleeper.pid, command: 'tunnel' });

      // On another host (a shared disk), nothing can be judged from here: it counts as held.
      writeLock(dir, { pid: await deadPid(), startTime: '1', host: 'elsewhere.example' });
      attempt = tryLock(dir, 'setup');
      expect('busy' in attempt).toBe(true);
    } finally {
      sleeper.kill('SIGKILL');
      await sleeper.catch(() => undefined);
    }

    writeFileSync(lockIn(dir), '{"pid": 12');
    attempt = tryLock(dir, 'setup');
    expect('lock' in attempt).toBe(true);
    if ('lock' in attempt) attempt.lock.release();
  });

  it.each([
    ['a free store', false],
    ['a store whose lock a killed process left', true],
  ])(
    'of 8 processes taking %s at the same instant, exactly one holds it',
    async (_name, deadFirst) => {
      const dir = tempDir();
      if (deadFirst) writeLock(dir, { pid: await deadPid(), startTime: '1' });
      const at = Date.now() + 3000;
      const runs = await Promise.all(
        Array.from({ length: 8 }, () =>
          runIsolated(
            `import { tryLock } from './src/core/process';
           while (Date.now() < ${at}) {}
           const got = tryLock(${JSON.stringify(dir)}, 'setup');
           console.log('lock' in got ? 'held' : 'busy ' + got.busy.pid);
           // Held long enough for every other process to try.
           setTimeout(() => 'lock' in got && got.lock.release(), 1500);`,
            { timeoutMs: 20_000 },
          ),
        ),
      );
      const answers = runs.map((r) => r.stdout.trim() || r.stderr);
      expect(
        answers.filter((a) => a === 'held'),
        answers.join('\n'),
      ).toHaveLength(1);
      expect(answers.filter((a) => a.startsWith('busy '))).toHaveLength(7);
      // Each busy one names the same holder, which is gone now, and released the lock on its way.
      expect(new Set(answers.filter((a) => a !== 'held'))).toHaveProperty('size', 1);
      expect(lockHolder(dir)).toBeUndefined();
    },
    60_000,
  );

  it('waitForLock takes it when the holder lets go, and a stop ends the wait', async () => {
    const dir = tempDir();
    const first = tryLock(dir, 'tunnel');
    if (!('lock' in first)) throw new Error('the first take failed');
    const seen: string[] = [];
    const waiting = waitForLock(dir, 'setup', {
      signal: new AbortController().signal,
      onBusy: (h) => seen.push(h.command),
      everyMs: 20,
    });
    await new Promise((r) => setTimeout(r, 200));
    first.lock.release();
    const got = await waiting;
    expect('lock' in got).toBe(true);
    expect(seen).toEqual(['tunnel']);

    const stop = new AbortController();
    const blocked = waitForLock(dir, 'verify', { signal: stop.signal, everyMs: 20 });
    setTimeout(() => stop.abort(new Error('stopped')), 100);
    await expect(blocked).rejects.toThrow('stopped');
    if ('lock' in got) got.lock.release();
  });
});
