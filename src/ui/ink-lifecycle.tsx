// The one lifecycle of a full-screen Ink app (the wizard, the tunnel's live view), inside the
// command's lifecycle root (src/commands/lifecycle.ts): render until the app says it is done or the
// root's signal aborts, then unmount. Ctrl-C is a key while Ink holds the terminal in raw mode
// (exitOnCtrlC is off): the app reports it as its `interrupted` exit, and that is handed to the root
// as the first Ctrl-C, so the key and SIGINT take one road (a second one kills the children). The
// root stops every child process once the app has returned.
// Shopify CLI ends its Ink tree the same way, from an AbortSignal it is handed
// (packages/cli-kit/src/private/node/ui/hooks/use-abort-signal.ts).
import { render, type RenderOptions } from 'ink';
import type { ReactElement } from 'react';
import { runningProcesses } from '../core/process';
import { ConcealProvider, createConcealer } from './reveal';

/** What the app needs from the lifecycle root. */
export interface InkRoot {
  signal: AbortSignal;
  interrupt(): void;
}

/** `streams`: where Ink draws and reads keys (the terminal; a test's fake streams). */
export async function runInkApp<R>(
  root: InkRoot,
  app: (exit: (reason: R) => void) => ReactElement,
  interrupted: R,
  start?: () => Promise<unknown>,
  streams: Pick<RenderOptions, 'stdout' | 'stdin' | 'stderr' | 'debug' | 'patchConsole'> = {},
): Promise<R> {
  let resolveExit!: (reason: R) => void;
  const exited = new Promise<R>((resolve) => (resolveExit = resolve));
  const onAbort = () => resolveExit(interrupted);
  if (root.signal.aborted) onAbort();
  else root.signal.addEventListener('abort', onAbort, { once: true });
  const exit = (reason: R) => (reason === interrupted ? root.interrupt() : resolveExit(reason));

  const concealer = createConcealer();
  const instance = render(<ConcealProvider concealer={concealer}>{app(exit)}</ConcealProvider>, {
    exitOnCtrlC: false,
    ...streams,
  });
  try {
    // What the app shows starts once it is on screen (the tunnel's agent); its failure is the app's to show.
    await start?.().catch(() => undefined);
    return await exited;
  } finally {
    root.signal.removeEventListener('abort', onAbort);
    // However it ends, no revealed secret is in the frame Ink leaves behind: mask, let React commit and
    // Ink draw that frame (a macrotask later), then unmount.
    concealer.conceal();
    await new Promise((resolve) => setImmediate(resolve));
    instance.unmount();
    await instance.waitUntilExit().catch(() => undefined);
    const children = runningProcesses().length;
    if (children)
      process.stderr.write(`Stopping ${children} process${children > 1 ? 'es' : ''} (Ctrl-C again to force)…\n`);
  }
}
