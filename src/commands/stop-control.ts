// What stops a command, in one place: the one AbortController of the lifecycle root (lifecycle.ts),
// aborted by the first SIGINT, SIGTERM or SIGHUP, by the Ctrl-C key of an Ink screen or a prompt, or
// by a closed stdout/stderr; a second Ctrl-C kills every child at once.
//
// The shape follows Shopify CLI's cli-kit, where the Ink tree is handed one AbortSignal and a
// useAbortSignal hook ends the tree when it aborts (packages/cli-kit/src/private/node/ui.tsx,
// ui/hooks/use-abort-signal.ts), and Gemini CLI's single cleanup registry
// (packages/cli/src/utils/cleanup.ts); here the cleanup is process/children.ts's stopAll.
import { killAll, onStopSignal } from '../core/process';

/**
 * Why the command stopped before its end: a person (a signal or the Ctrl-C key), or the reader of our
 * output went away (`tunnel --no-tui | head -2`).
 */
export type StopCause = 'interrupt' | 'output-closed';

/** The abort reason: an AbortError (as isAbortError and fetch expect) that says what stopped us. */
export class StopRequest extends Error {
  constructor(readonly by: StopCause | 'ended') {
    super(by === 'ended' ? 'The command ended.' : by === 'interrupt' ? 'Interrupted.' : 'The output was closed.');
    this.name = 'AbortError';
  }
}

export interface StopControl {
  readonly signal: AbortSignal;
  /** What stopped the command before it ended; undefined while nothing did. */
  readonly cause: StopCause | undefined;
  /** A Ctrl-C that came as a key (Ink's raw mode, a readline prompt): the same road as SIGINT. */
  interrupt(): void;
  /**
   * Calls `listener` on a person's first Ctrl-C (key or signal), also when a closed output stopped the
   * command a moment before (`| tee`, then Ctrl-C). Returns the function that removes it.
   */
  onInterrupt(listener: () => void): () => void;
  /** The command's work is over: what is still in flight is aborted, and a stop signal now forces. */
  end(): void;
  /** Removes the signal and output handlers. */
  dispose(): void;
}

const OUTPUTS = [process.stdout, process.stderr];

export function stopControl(): StopControl {
  const controller = new AbortController();
  let cause: StopCause | undefined;
  let interrupts = 0;
  let ended = false;
  const interruptListeners = new Set<() => void>();

  const interrupt = () => {
    // The second Ctrl-C (or any after the command's work ended) does not wait for a graceful stop.
    if (ended || interrupts++ > 0) return killAll();
    // A person's Ctrl-C outranks a closed pipe (`| tee`, then Ctrl-C: tee may go first): it is 130.
    cause = 'interrupt';
    // Said before the abort starts the stop, so that it comes first.
    for (const listener of interruptListeners) listener();
    if (!controller.signal.aborted) controller.abort(new StopRequest('interrupt'));
  };

  // EPIPE (the reader exited), or any other write error: nothing more can be said there, so the run
  // stops as if asked to, quietly. Without a listener Node throws the 'error' event with its stack.
  // A stream destroyed by the error emits no further errors, so later writes are silently dropped.
  const outputClosed = () => {
    if (ended || controller.signal.aborted) return;
    cause = 'output-closed';
    controller.abort(new StopRequest('output-closed'));
  };
  for (const stream of OUTPUTS) stream.on('error', outputClosed);
  const offSignals = onStopSignal(() => interrupt());

  return {
    signal: controller.signal,
    get cause() {
      return cause;
    },
    interrupt,
    onInterrupt(listener) {
      interruptListeners.add(listener);
      return () => interruptListeners.delete(listener);
    },
    end() {
      ended = true;
      if (!controller.signal.aborted) controller.abort(new StopRequest('ended'));
    },
    dispose() {
      offSignals();
      for (const stream of OUTPUTS) stream.off('error', outputClosed);
    },
  };
}
