// The one lifecycle of a full-screen Ink app (the wizard, the tunnel's live view): render until the
// app says it is done or a stop signal comes, then stop every child process we started. The first
// SIGTERM/SIGHUP/SIGINT ends the app as `interrupted`; any later one (a second Ctrl-C while the
// children stop) kills them at once. (While the app runs, Ctrl-C is a key in raw mode: the app
// handles it; a signal comes from outside.)
import { render, type RenderOptions } from 'ink';
import type { ReactElement } from 'react';
import { killAll, runningProcesses, stopAll } from '../core/process';
import { onStopSignal } from '../core/process';
import { ConcealProvider, createConcealer } from './reveal';

/** `streams`: where Ink draws and reads keys (the terminal; a test's fake streams). */
export async function runInkApp<R>(app: (exit: (reason: R) => void) => ReactElement, interrupted: R, start?: () => Promise<unknown>, streams: Pick<RenderOptions, 'stdout' | 'stdin' | 'stderr' | 'debug' | 'patchConsole'> = {}): Promise<R> {
  let resolveExit!: (reason: R) => void;
  const exited = new Promise<R>((resolve) => (resolveExit = resolve));
  let ended = false;
  const offSignals = onStopSignal((_signal, count) => (ended || count > 0 ? killAll() : resolveExit(interrupted)));

  const concealer = createConcealer();
  const instance = render(<ConcealProvider concealer={concealer}>{app(resolveExit)}</ConcealProvider>, { exitOnCtrlC: false, ...streams });
  // What the app shows starts once it is on screen (the tunnel's agent); its failure is the app's to show.
  await start?.().catch(() => undefined);
  const reason = await exited;
  ended = true;
  // However it ends, no revealed secret is in the frame Ink leaves behind: mask, let React commit and
  // Ink draw that frame (a macrotask later), then unmount.
  concealer.conceal();
  await new Promise((resolve) => setImmediate(resolve));
  instance.unmount();
  await instance.waitUntilExit().catch(() => undefined);

  const children = runningProcesses().length;
  if (children) process.stderr.write(`Stopping ${children} process${children > 1 ? 'es' : ''} (Ctrl-C again to force)…\n`);
  await stopAll();
  offSignals();
  return reason;
}
