// What a command does when another one is using its store (the lock of core/process/store-lock.ts),
// decided per command, for the lifecycle root (lifecycle.ts):
// - `fail`: scripts, `setup --no-input`, `tunnel`, `reset`: exit 1 at once, naming the holder. As
//   Terraform does by default (-lock-timeout=0s: "Error acquiring the state lock", with who holds it),
//   and as git does with index.lock: a script must not hang on a terminal someone left open, and the
//   sentence says what to stop. Nothing has been read or changed when it exits.
// - `wait`: the wizard: a person is watching, so it says who holds the store and waits for it, like
//   `terraform apply -lock-timeout=…`; Ctrl-C ends the wait (130).
// - `join-tunnel`: `verify` beside a running `tunnel` (a second terminal, the usual way to check a
//   tunnel) checks that tunnel instead of starting one: it starts no process and changes nothing, so
//   it needs no lock. Beside any other command it fails like `fail`.
// - `stop-tunnel`: `destroy` beside a running `tunnel`: says so before asking, then stops the tunnel
//   (SIGTERM, the same graceful stop as its Ctrl-C; a second one after 5 s forces it, like a second
//   Ctrl-C), waits for it to exit and free the store, and only then deletes anything: deleting the
//   endpoint under a running agent, or its agent.log while it writes it, is what it must not do.
import { UserError } from '../core/errors';
import {
  describeHolder,
  isRunning,
  onThisHost,
  tryLock,
  waitForLock,
  type LockHolder,
  type StoreLock,
} from '../core/process';
import { selfCommandQuoted } from '../core/text';

export type WhenBusy = 'fail' | 'wait' | 'join-tunnel' | 'stop-tunnel';

/** How the store stands for this command before its preflight. */
export type Claim =
  | { lock: StoreLock }
  /** verify beside a running tunnel: no lock, no process of its own. */
  | { joined: LockHolder }
  /** Taken after the preflight: by waiting (the wizard) or by stopping the tunnel first (destroy). */
  | { after: 'wait' | 'stop'; holder: LockHolder }
  /** No config folder yet, and the command makes none: nothing there to lock (lifecycle.ts). */
  | { unclaimed: true };

const say = (line: string) => process.stderr.write(`${line}\n`);
const isUsing = (holder: LockHolder, dir: string) => `${describeHolder(holder)} is using ${dir}`;

function busyError(holder: LockHolder, dir: string): UserError {
  return new UserError(`${isUsing(holder, dir)}.`, {
    hint: 'One command at a time works on a setup: wait for it to end (or stop it), then run this again.',
  });
}

/** Tries the lock once; what to do when it is held. Throws the `fail` sentence. */
export function claimStore(dir: string, command: string, whenBusy: WhenBusy): Claim {
  let attempt: ReturnType<typeof tryLock>;
  try {
    attempt = tryLock(dir, command);
  } catch (error) {
    // A folder we may not write in (read-only, another user's, a read-only disk): no command of ours
    // can change anything there either, so there is nothing for a lock to protect. The command goes
    // on, and one that needs to write says "cannot write" in its own sentence (core/store).
    if (['EACCES', 'EPERM', 'EROFS'].includes((error as NodeJS.ErrnoException).code ?? '')) return { unclaimed: true };
    throw error;
  }
  if ('lock' in attempt) return attempt;
  const holder = attempt.busy;
  const tunnel = holder.command === 'tunnel';
  if (whenBusy === 'wait') return { after: 'wait', holder };
  if (whenBusy === 'join-tunnel' && tunnel) return { joined: holder };
  // Only a tunnel on this machine can be signalled (a config dir on a shared disk may be used elsewhere).
  if (whenBusy === 'stop-tunnel' && tunnel && onThisHost(holder) && isRunning(holder)) {
    say(`⚠ ${isUsing(holder, dir)}: ${command} stops it first.`);
    return { after: 'stop', holder };
  }
  throw busyError(holder, dir);
}

/** Takes the lock once the holder is gone: waited for, or stopped. */
export async function takeAfter(
  dir: string,
  command: string,
  claim: Extract<Claim, { after: string }>,
  signal: AbortSignal,
): Promise<StoreLock> {
  if (claim.after === 'wait') {
    const attempt = await waitForLock(dir, command, {
      signal,
      onBusy: (holder) => say(`${isUsing(holder, dir)}. Waiting for it to end (Ctrl-C to stop waiting)…`),
    });
    if ('lock' in attempt) return attempt.lock;
    throw busyError(attempt.busy, dir);
  }
  return stopHolder(dir, command, claim.holder, signal);
}

const FORCE_AFTER_MS = 5000;
const GIVE_UP_AFTER_MS = 15_000;

async function stopHolder(dir: string, command: string, holder: LockHolder, signal: AbortSignal): Promise<StoreLock> {
  const name = `The ${holder.command} (pid ${holder.pid})`;
  const signalIt = () => {
    // Only the process that took the lock: its pid with its start time, never a pid alone.
    try {
      if (isRunning(holder)) process.kill(holder.pid, 'SIGTERM');
    } catch {
      // Gone meanwhile (the wait below sees the lock free), or not ours to signal (it times out).
    }
  };
  say(`Stopping the ${holder.command} (pid ${holder.pid})…`);
  signalIt();
  // Past the echo window of the holder's signal handling (core/process/signals.ts), a second SIGTERM
  // is its "second Ctrl-C": children killed at once.
  const force = setTimeout(signalIt, FORCE_AFTER_MS);
  try {
    const attempt = await waitForLock(dir, command, { signal, everyMs: 100, timeoutMs: GIVE_UP_AFTER_MS });
    if ('lock' in attempt) {
      say(`✔ ${name} stopped.`);
      return attempt.lock;
    }
    if (attempt.busy.pid === holder.pid && attempt.busy.since === holder.since) {
      throw new UserError(`${name} did not stop within ${GIVE_UP_AFTER_MS / 1000} s, so ${command} did nothing.`, {
        hint: `Stop it (Ctrl-C in its terminal, or kill ${holder.pid}), then run ${selfCommandQuoted(command)} again.`,
      });
    }
    throw busyError(attempt.busy, dir);
  } finally {
    clearTimeout(force);
  }
}
