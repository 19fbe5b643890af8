// The wizard's entry: the app in the one Ink lifecycle (ink-lifecycle.tsx). However it ends (finished,
// q, Ctrl-C, SIGTERM, SIGHUP), every child process is stopped before we return.
import { ExitCode } from '../core/errors';
import type { StepContext } from '../steps/types';
import { App, type ExitReason } from './App';
import { runInkApp } from './ink-lifecycle';

export async function runWizard(ctx: Omit<StepContext, 'signal'>): Promise<number> {
  const reason = await runInkApp<ExitReason>((exit) => <App ctx={ctx} onExit={exit} />, 'interrupted');
  if (reason === 'finished') return ExitCode.ok;
  process.stderr.write(`Progress saved in ${ctx.store.path}. Run ngrok-fusionauth again to resume.\n`);
  return reason === 'interrupted' ? ExitCode.interrupted : ExitCode.ok;
}
