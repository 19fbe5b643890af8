// The lifecycle root of the wizard: renders the app, and owns exit and cleanup. However the wizard
// ends (finished, q, Ctrl-C, SIGTERM, SIGHUP), every child process is stopped before we return; a
// second Ctrl-C during that stop kills them at once.
import { render } from 'ink';
import { ExitCode } from '../core/errors';
import { killAll, runningProcesses, stopAll } from '../core/processes';
import { onStopSignal } from '../core/signals';
import type { StepContext } from '../steps/types';
import { App, type ExitReason } from './App';

export async function runWizard(ctx: Omit<StepContext, 'signal'>): Promise<number> {
  let resolveExit!: (reason: ExitReason) => void;
  const exited = new Promise<ExitReason>((resolve) => (resolveExit = resolve));
  // A first SIGTERM/SIGHUP/SIGINT ends the wizard gracefully; a second one kills the children at once.
  // (Ctrl-C in the wizard is a key in raw mode, handled by the app; a signal comes from outside.)
  let stopping = false;
  const removeSignals = onStopSignal(() => (stopping ? killAll() : resolveExit('interrupted')));

  const instance = render(<App ctx={ctx} onExit={(reason) => resolveExit(reason)} />, { exitOnCtrlC: false });
  const reason = await exited;
  stopping = true;
  instance.unmount();
  await instance.waitUntilExit().catch(() => undefined);

  const children = runningProcesses().length;
  if (children) process.stderr.write(`Stopping ${children} process${children > 1 ? 'es' : ''} (Ctrl-C again to force)…\n`);
  await stopAll();
  removeSignals();

  if (reason === 'finished') return ExitCode.ok;
  process.stderr.write(`Progress saved in ${ctx.store.path}. Run ngrok-fusionauth again to resume.\n`);
  return reason === 'interrupted' ? ExitCode.interrupted : ExitCode.ok;
}
