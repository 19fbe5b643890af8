// One process at a time per store: the lock file `<config dir>/lock`, taken by the lifecycle root
// (src/commands/lifecycle.ts) for every command that changes the store or starts children. It says who
// holds it (pid, the process's start time from /proc, the command, since when, on which host), so that
// a second command can name it, and so that a lock left by a killed process (its pid gone, or reused
// by a process that started later) is taken over rather than blocking the store for good.
//
// Why not proper-lockfile (https://github.com/moxystudio/node-proper-lockfile, README "Design"): its
// lock is stale when its mtime is older than `stale` (10 s), refreshed by a timer; a killed holder
// blocks the store for those seconds, a busy event loop or a suspended laptop "compromises" a live
// lock, and it records no holder to name. A pid with its start time says exactly whether the holder
// lives, at once, and nothing needs refreshing while a tunnel runs for hours.
//
// Taking it: the record is written whole to a file of our own, then hard-linked to `lock` (link(2)
// fails with EEXIST when the lock exists), so a reader never sees a half-written lock. Taking over a
// dead holder's lock: the file is renamed away and unlinked only if it is still the inode that was
// read and judged dead (held open meanwhile, so its inode number cannot be reused); a live lock moved
// by mistake (another taker replaced the dead one first) is linked back at once.
import {
  closeSync,
  fstatSync,
  linkSync,
  lstatSync,
  openSync,
  readFileSync,
  renameSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { isRunning, thisHost, thisProcess, type ProcessIdentity } from './identity';

export const LOCK_FILE = 'lock';

export interface LockHolder extends ProcessIdentity {
  /** The command, as the CLI names it: setup, tunnel, verify, destroy, reset. */
  command: string;
  /** When it took the lock (ISO 8601). */
  since: string;
  host: string;
}

export interface StoreLock {
  readonly holder: LockHolder;
  /** Gives the lock up (only if it is still ours). Idempotent. */
  release(): void;
}

export type LockAttempt = { lock: StoreLock } | { busy: LockHolder };

const lockPath = (dir: string) => path.join(dir, LOCK_FILE);

function parseHolder(text: string): LockHolder | undefined {
  try {
    const value = JSON.parse(text) as Partial<LockHolder>;
    if (typeof value.pid !== 'number' || typeof value.command !== 'string' || typeof value.since !== 'string')
      return undefined;
    return {
      pid: value.pid,
      startTime: typeof value.startTime === 'string' ? value.startTime : undefined,
      command: value.command,
      since: value.since,
      host: typeof value.host === 'string' ? value.host : thisHost(),
    };
  } catch {
    return undefined;
  }
}

/** Who holds the lock of `dir` now, or undefined when nobody living does. For messages and status. */
export function lockHolder(dir: string): LockHolder | undefined {
  let text: string;
  try {
    text = readFileSync(lockPath(dir), 'utf8');
  } catch {
    return undefined;
  }
  const holder = parseHolder(text);
  return holder && isAlive(holder) ? holder : undefined;
}

/**
 * A holder on another host (a config dir on a shared disk) cannot be judged from here: it counts as
 * alive. A lock we cannot read was not written by this protocol (links are whole): it holds nothing.
 */
function isAlive(holder: LockHolder): boolean {
  return holder.host !== thisHost() || isRunning(holder);
}

/** The lock file as it is now: its holder, and an open descriptor that pins its inode. */
function openLock(file: string): { fd: number; ino: number; holder: LockHolder | undefined } | undefined {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    return { fd, ino: fstatSync(fd).ino, holder: parseHolder(readFileSync(fd, 'utf8')) };
  } catch (error) {
    closeSync(fd);
    throw error;
  }
}

/** Removes the dead lock whose inode is `ino`, and nothing else. */
function removeDeadLock(file: string, ino: number): void {
  if (lstatSync(file, { throwIfNoEntry: false })?.ino !== ino) return;
  const aside = `${file}.dead-${process.pid}-${Math.random().toString(36).slice(2)}`;
  try {
    renameSync(file, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  if (lstatSync(aside).ino !== ino) {
    // Between our look and the rename another taker replaced the dead lock with its own: put it back.
    // (Should a third process have taken the empty place within these microseconds, both would
    // hold it; that needs a dead lock and three commands started within the same instant.)
    try {
      linkSync(aside, file);
    } catch {
      // taken meanwhile: see above
    }
  }
  unlinkSync(aside);
}

/** Tries once to take the lock of `dir` for `command`: the lock, or who holds it. */
export function tryLock(dir: string, command: string): LockAttempt {
  const file = lockPath(dir);
  const holder: LockHolder = { ...thisProcess(), command, since: new Date().toISOString(), host: thisHost() };
  const own = `${file}.${process.pid}-${Math.random().toString(36).slice(2)}`;
  writeFileSync(own, `${JSON.stringify(holder)}\n`, { mode: 0o600, flag: 'wx' });
  try {
    // Bounded: each round either takes the lock, finds a live holder, or removes one dead lock.
    for (let round = 0; round < 10; round++) {
      try {
        linkSync(own, file);
        return { lock: heldLock(file, holder) };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const found = openLock(file);
      if (!found) continue;
      try {
        if (found.holder && isAlive(found.holder)) return { busy: found.holder };
        removeDeadLock(file, found.ino);
      } finally {
        closeSync(found.fd);
      }
    }
    const current = openLock(file);
    if (current) closeSync(current.fd);
    if (current?.holder) return { busy: current.holder };
    throw new Error(`Could not take the lock ${file}: it keeps changing.`);
  } finally {
    unlinkSync(own);
  }
}

function heldLock(file: string, holder: LockHolder): StoreLock {
  let held = true;
  const release = () => {
    if (!held) return;
    held = false;
    process.off('exit', release);
    const found = openLock(file);
    if (!found) return;
    closeSync(found.fd);
    const mine =
      found.holder &&
      found.holder.pid === holder.pid &&
      found.holder.startTime === holder.startTime &&
      found.holder.since === holder.since;
    if (mine) unlinkSync(file);
  };
  // However the process ends (an exit from deep inside, an uncaught error), a lock it holds goes too.
  process.on('exit', release);
  return { holder, release };
}

/**
 * Waits until the lock of `dir` is free and takes it: polled, every `everyMs`. `onBusy` hears of each
 * new holder (the first, and another that took it meanwhile). The signal ends the wait (its reason is
 * thrown).
 */
export async function waitForLock(
  dir: string,
  command: string,
  options: { signal: AbortSignal; onBusy?(holder: LockHolder): void; everyMs?: number; timeoutMs?: number },
): Promise<LockAttempt> {
  let last: LockHolder | undefined;
  const deadline = options.timeoutMs === undefined ? Infinity : Date.now() + options.timeoutMs;
  for (;;) {
    options.signal.throwIfAborted();
    const attempt = tryLock(dir, command);
    if ('lock' in attempt) return attempt;
    if (!last || last.pid !== attempt.busy.pid || last.since !== attempt.busy.since) options.onBusy?.(attempt.busy);
    last = attempt.busy;
    if (Date.now() >= deadline) return attempt;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, options.everyMs ?? 200);
      function done() {
        clearTimeout(timer);
        options.signal.removeEventListener('abort', done);
        resolve();
      }
      options.signal.addEventListener('abort', done, { once: true });
    });
  }
}

/** Whether the holder runs on this machine, where its pid means something. */
export const onThisHost = (holder: LockHolder): boolean => holder.host === thisHost();

/** "setup (pid 123, started 12:01:02)": the holder as a person recognises it. */
export function describeHolder(holder: LockHolder): string {
  const since = new Date(holder.since);
  const pad = (n: number) => String(n).padStart(2, '0');
  const time = `${pad(since.getHours())}:${pad(since.getMinutes())}:${pad(since.getSeconds())}`;
  const today = new Date().toDateString() === since.toDateString();
  const day = today ? '' : `${since.getFullYear()}-${pad(since.getMonth() + 1)}-${pad(since.getDate())} `;
  const host = onThisHost(holder) ? '' : ` on ${holder.host}`;
  return `${holder.command} (pid ${holder.pid}${host}, started ${day}${time})`;
}
