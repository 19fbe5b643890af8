// The wizard's entry: the app in the one Ink lifecycle (ink-lifecycle.tsx), inside the command's
// lifecycle root, which stops every child process however the wizard ends (finished, q, Ctrl-C,
// SIGTERM, SIGHUP).
import { ExitCode } from '../core/errors';
import type { StepContext } from '../steps/types';
import { App, type ExitReason } from './App';
import { runInkApp, type InkRoot } from './ink-lifecycle';
import { selfCommandQuoted } from '../core/text';

export async function runWizard(ctx: StepContext & InkRoot): Promise<ExitCode> {
  const reason = await runInkApp<ExitReason>(
    ctx,
    (exit) => <App ctx={ctx} signal={ctx.signal} onExit={exit} />,
    'interrupted',
  );
  if (reason === 'finished') return ExitCode.ok;
  process.stderr.write(`Progress saved in ${ctx.store.path}. Run ${selfCommandQuoted()} again to resume.\n`);
  return reason === 'interrupted' ? ExitCode.interrupted : ExitCode.ok;
}
