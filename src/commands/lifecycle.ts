// The lifecycle root of every command that works on a setup (setup, setup --no-input, tunnel, verify,
// destroy): it opens the store, owns the one AbortController (stop-control.ts), runs the command in
// the store's sandbox when the store uses it, maps how the command stopped to the contract's exit
// code, and, however it ends, stops every child process and removes its handlers.
import type { RunContext, SetupOptions } from '../core/context';
import { ExitCode } from '../core/errors';
import { stopAll } from '../core/process';
import type { GlobalOptions } from './global-options';
import { openStore } from './open-store';
import { usesSandbox, withStoreSandbox, type BaseContext } from './sandbox-context';
import { stopControl, type StopCause } from './stop-control';

export interface CommandContext extends RunContext {
  /** A Ctrl-C that came as a key (the wizard, the live view, a prompt): the same road as SIGINT. */
  interrupt(): void;
  /** Calls `listener` on a person's first Ctrl-C (key or signal), to say what stopping does. */
  onInterrupt(listener: () => void): () => void;
}

export interface CommandSpec {
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

export async function runCommand(globals: GlobalOptions, spec: CommandSpec): Promise<ExitCode> {
  const store = openStore(globals);
  const stop = stopControl();
  const withRoot = (ctx: BaseContext): CommandContext => ({ ...ctx, signal: stop.signal, interrupt: stop.interrupt, onInterrupt: stop.onInterrupt });
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
    const base: BaseContext = { store, options: spec.options, env: { ...process.env } };
    const early = await spec.preflight?.(withRoot(base));
    if (early !== undefined) return stop.cause ? stoppedExitCode(stop.cause, early) : early;
    // A setup begun with --sandbox goes on against the sandbox even when the flag is not repeated.
    const code = await (usesSandbox(base) ? withStoreSandbox(base, inside) : inside(base));
    return settledCause ? stoppedExitCode(settledCause, code) : code;
  } catch (error) {
    const cause = settledCause ?? stop.cause;
    // The error is how the abort reached us (an AbortError, a failed step): not news, no stack trace.
    if (cause) return stoppedExitCode(cause, undefined);
    throw error;
  } finally {
    stop.end();
    await stopAll();
    stop.dispose();
  }
}
