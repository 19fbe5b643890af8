// The lifecycle root of every command that works on a setup (setup, setup --no-input, tunnel, verify,
// destroy, reset): it opens the store, takes the store's lock (one command at a time per store; what a
// command does when another holds it is store-claim.ts's), stops the children that an earlier run
// killed with SIGKILL left running, owns the one AbortController (stop-control.ts), runs the command
// in the store's sandbox when the store uses it, maps how the command stopped to the contract's exit
// code, and, however it ends, stops every child process, frees the lock and removes its handlers.
// `status` and `export` only read: they never come here, and never wait for a lock.
import { existsSync } from 'node:fs';
import type { RunContext, SetupOptions } from '../core/context';
import { DEFAULT_SITE_PORT } from '../core/constants';
import { ExitCode } from '../core/errors';
import {
  recordChildrenIn,
  stopAll,
  stopOrphans,
  stoppedOrphanLine,
  type LockHolder,
  type StoreLock,
} from '../core/process';
import {
  DEFAULT_PROFILE,
  baseConfigDirOf,
  defaultSitePortAmong,
  otherProfilesOf,
  profileOf,
  type Store,
} from '../core/store';
import type { GlobalOptions } from './global-options';
import { openStore } from './open-store';
import { joinStoreSandbox, usesSandbox, withStoreSandbox, type BaseContext } from './sandbox-context';
import { stopControl, type StopCause } from './stop-control';
import { claimStore, takeAfter, type Claim, type WhenBusy } from './store-claim';

export interface CommandContext extends RunContext {
  /** A Ctrl-C that came as a key (the wizard, the live view, a prompt): the same road as SIGINT. */
  interrupt(): void;
  /** Calls `listener` on a person's first Ctrl-C (key or signal), to say what stopping does. */
  onInterrupt(listener: () => void): () => void;
  /** Set when this command runs beside the `tunnel` that holds the store (`verify`): it checks that one. */
  joined?: LockHolder;
}

export interface CommandSpec {
  /** The command's name, as the lock names it to a command that finds the store in use. */
  command: string;
  /** What it does when another command is using the store (store-claim.ts). */
  whenBusy: WhenBusy;
  /** False for a command that never needs the sandbox (`reset`), even on a sandbox store. */
  sandbox?: boolean;
  options: SetupOptions;
  /**
   * What comes before the sandbox starts and may end the command there (its exit code): a check that
   * needs nothing started, a confirmation. Undefined goes on to `run`.
   */
  preflight?(ctx: CommandContext): Promise<ExitCode | undefined> | ExitCode | undefined;
  run(ctx: CommandContext): Promise<ExitCode>;
}

/**
 * The exit code of a command that was stopped before it ended.
 * - Interrupted (a signal or Ctrl-C): 130, whatever the command made of the abort.
 * - Its output closed (EPIPE: `tunnel --no-tui | head -2`): 0 when the stop cut it short, and its own
 *   code when it still finished (verify's failed check stays 1). Not 141, the shell's code for a
 *   process killed by SIGPIPE: a reader that has read enough is not a failure, and `head` exiting
 *   must not fail a `set -o pipefail` script that got the lines it wanted.
 */
function stoppedExitCode(cause: StopCause, finished: ExitCode | undefined): ExitCode {
  if (cause === 'interrupt') return ExitCode.interrupted;
  return finished ?? ExitCode.ok;
}

/**
 * With the lock held: from now on every child is written down beside the store, and what a killed
 * earlier run left running is stopped (said on stderr, so that --json output stays clean).
 */
async function holdStore(store: Store): Promise<void> {
  // Another command may have changed the store while this one waited for it.
  store.reloadIfChanged();
  recordChildrenIn(store.dir);
  for (const orphan of await stopOrphans(store.dir)) process.stderr.write(`${stoppedOrphanLine(orphan)}\n`);
}

/**
 * What the run must know of the other profiles under the config folder (core/store/profiles.ts): its
 * own profile's name, the site port to offer when the store has none (one no other profile has taken),
 * and the domains the others hold, which this one must not take.
 */
function profileContext(
  globals: GlobalOptions,
  store: Store,
): Pick<BaseContext, 'profile' | 'defaultSitePort' | 'domainsOfOtherProfiles'> {
  const base = baseConfigDirOf(globals.configDir);
  const profile = profileOf(globals.profile);
  const others = otherProfilesOf(base, store.dir);
  const taken = new Set(others.flatMap((o) => (o.sitePort === undefined ? [] : [o.sitePort])));
  const port = store.values.sitePort === undefined ? defaultSitePortAmong(taken, DEFAULT_SITE_PORT) : undefined;
  const domains = new Map(others.flatMap((o) => (o.domain ? [[o.domain, o.name] as const] : [])));
  return {
    ...(profile === DEFAULT_PROFILE ? {} : { profile }),
    ...(port === undefined ? {} : { defaultSitePort: port }),
    ...(domains.size ? { domainsOfOtherProfiles: domains } : {}),
  };
}

export async function runCommand(globals: GlobalOptions, spec: CommandSpec): Promise<ExitCode> {
  const store = openStore(globals);
  const stop = stopControl();
  let lock: StoreLock | undefined;
  let joined: LockHolder | undefined;
  const withRoot = (ctx: BaseContext): CommandContext => ({
    ...ctx,
    signal: stop.signal,
    interrupt: stop.interrupt,
    onInterrupt: stop.onInterrupt,
    ...(joined ? { joined } : {}),
  });
  // How the command stood when its work settled (a stop request during the cleanup after it forces
  // the children's stop, and does not change the exit code).
  let settledCause: StopCause | undefined;
  const inside = async (ctx: BaseContext): Promise<ExitCode> => {
    try {
      return await spec.run(withRoot(ctx));
    } finally {
      settledCause = stop.cause;
      stop.end();
      // Inside the sandbox's scope: the agent and the site server stop before the stand-ins close.
      await stopAll();
    }
  };
  try {
    // The lock lives in the config folder, which opening the store does not make (a failing command
    // leaves none behind). A command finds nothing to protect in a folder that is not there, or that
    // nobody may write in (store-claim.ts): it takes no lock. `setup` writes there, so once its
    // preflight has passed (a refused key file leaves no folder behind) it makes the folder, 0700,
    // and takes the lock then.
    let claim: Claim = existsSync(store.dir) ? claimStore(store.dir, spec.command, spec.whenBusy) : { unclaimed: true };
    if ('lock' in claim) lock = claim.lock;
    if ('joined' in claim) joined = claim.joined;
    if (lock) await holdStore(store);
    const base: BaseContext = {
      store,
      options: spec.options,
      env: { ...process.env },
      ...profileContext(globals, store),
    };
    const early = await spec.preflight?.(withRoot(base));
    if (early !== undefined) return stop.cause ? stoppedExitCode(stop.cause, early) : early;
    if ('unclaimed' in claim && spec.command === 'setup' && !existsSync(store.dir)) {
      store.ensureFolder();
      claim = claimStore(store.dir, spec.command, spec.whenBusy);
      if ('lock' in claim) {
        lock = claim.lock;
        await holdStore(store);
      }
    }
    if ('after' in claim) {
      lock = await takeAfter(store.dir, spec.command, claim, stop.signal);
      await holdStore(store);
    }
    // A setup begun with --sandbox goes on against the sandbox even when the flag is not repeated;
    // beside a running tunnel, the sandbox is that tunnel's.
    const sandboxed = spec.sandbox !== false && usesSandbox(base);
    const code = await (!sandboxed
      ? inside(base)
      : joined
        ? joinStoreSandbox(base, joined, stop.signal, inside)
        : withStoreSandbox(base, inside));
    return settledCause ? stoppedExitCode(settledCause, code) : code;
  } catch (error) {
    const cause = settledCause ?? stop.cause;
    // The error is how the abort reached us (an AbortError, a failed step): not news, no stack trace.
    if (cause) return stoppedExitCode(cause, undefined);
    throw error;
  } finally {
    stop.end();
    await stopAll();
    recordChildrenIn(undefined);
    // Last: the store is free only once everything this command started has stopped.
    lock?.release();
    stop.dispose();
  }
}
