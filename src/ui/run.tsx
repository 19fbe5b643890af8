// The lifecycle root of the wizard: renders the app, and owns exit and cleanup. However the wizard
// ends (finished, q, Ctrl-C, SIGTERM, SIGHUP), every child process is stopped before we return; a
// second Ctrl-C during that stop kills them at once.
import { render } from 'ink';
import { ExitCode } from '../core/errors';
import { killAll, runningProcesses, stopAll } from '../core/processes';
import type { StepContext } from '../steps/types';
import { App, type ExitReason } from './App';

export async function runWizard(ctx: Omit<StepContext, 'signal'>): Promise<number> {
  let resolveExit!: (reason: ExitReason) => void;
  const exited = new Promise<ExitReason>((resolve) => (resolveExit = resolve));
  const onSignal = () => resolveExit('interrupted');
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);
  process.on('SIGINT', onSignal);

  const instance = render(<App ctx={ctx} onExit={(reason) => resolveExit(reason)} />, { exitOnCtrlC: false });
  const reason = await exited;
  instance.unmount();
  await instance.waitUntilExit().catch(() => undefined);

  process.off('SIGINT', onSignal);
  const force = () => killAll();
  process.on('SIGINT', force);
  const children = runningProcesses().length;
  if (children) process.stderr.write(`Stopping ${children} process${children > 1 ? 'es' : ''} (Ctrl-C again to force)…\n`);
  await stopAll();
  process.off('SIGINT', force);
  process.off('SIGTERM', onSignal);
  process.off('SIGHUP', onSignal);

  if (reason === 'finished') return ExitCode.ok;
  process.stderr.write(`Progress saved in ${ctx.store.path}. Run ngrok-fusionauth again to resume.\n`);
  return reason === 'interrupted' ? ExitCode.interrupted : ExitCode.ok;
}
