// Ctrl-C, SIGTERM and SIGHUP, counted, for the lifecycle root (src/commands/stop-control.ts): the
// first stops gracefully, a second one forces.
//
// Why not plain process.on: the store (conf → atomically → when-exit) hooks SIGINT, SIGTERM and SIGHUP
// once and, after its own cleanup, sends the same signal to this process again. So one Ctrl-C arrives
// twice, a few milliseconds apart: read naively, the echo is the "second Ctrl-C" that kills the agent
// without its graceful stop (and once our handler is gone, the echo kills us). test/commands/tunnel
// pins it: a first Ctrl-C must leave an agent that ignores SIGTERM its grace period.

export type StopSignal = 'SIGINT' | 'SIGTERM' | 'SIGHUP';
const SIGNALS: readonly StopSignal[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** A repeat of the first signal within this long is when-exit's echo, not a person. */
export const ECHO_MS = 250;

/**
 * Calls `handler` for each stop signal, with how many (echoes left out) came before. Returns the
 * function that removes the handlers.
 */
export function onStopSignal(handler: (signal: StopSignal, count: number) => void): () => void {
  let count = 0;
  let first: { signal: StopSignal; at: number } | undefined;
  let echoSeen = false;
  const listeners = SIGNALS.map((signal) => {
    const listener = () => {
      const now = Date.now();
      if (first && !echoSeen && signal === first.signal && now - first.at < ECHO_MS) {
        echoSeen = true;
        return;
      }
      first ??= { signal, at: now };
      handler(signal, count++);
    };
    process.on(signal, listener);
    return [signal, listener] as const;
  });
  return () => {
    for (const [signal, listener] of listeners) process.off(signal, listener);
  };
}
