// `destroy [--yes]`: delete what setup created (remote, then local). Loads no Ink. Run by the
// lifecycle root (lifecycle.ts): Ctrl-C at the question or during the deletion exits 130.
import { createInterface } from 'node:readline/promises';
import { destroyRemote } from '../core/destroy';
import { plannedRemovals } from '../core/destroy';
import { ExitCode, UsageError } from '../core/errors';
import { findingLines } from '../core/text';
import type { GlobalOptions } from './global-options';
import { runCommand, type CommandContext } from './lifecycle';

export interface DestroyOptions {
  yes?: boolean;
  sandbox?: boolean;
  fusionauthApiKeyFile?: string;
  ngrokApiKeyFile?: string;
}

const say = (line: string) => process.stdout.write(`${line}\n`);

export async function destroyCommand(globals: GlobalOptions, options: DestroyOptions): Promise<number> {
  return runCommand(globals, {
    command: 'destroy',
    // A running tunnel is stopped first (after the confirmation), so that nothing is deleted under it.
    whenBusy: 'stop-tunnel',
    options: {
      sandbox: options.sandbox,
      fusionauthApiKeyFile: options.fusionauthApiKeyFile,
      ngrokApiKeyFile: options.ngrokApiKeyFile,
    },
    // Before the sandbox starts: a "no" needs nothing started.
    preflight: (ctx) => confirm(ctx, options.yes),
    run: deleteAll,
  });
}

/** Shows what would be deleted and, without --yes, asks. Undefined goes on; an exit code ends here. */
async function confirm(ctx: CommandContext, yes: boolean | undefined): Promise<ExitCode | undefined> {
  const planned = plannedRemovals(ctx.store.created);
  say(
    planned.length ? 'This deletes what setup created:' : 'Setup created nothing remote (or it was deleted already).',
  );
  for (const r of planned) say(`  ${r.service}: ${r.label}`);
  say(`  and the local settings in ${ctx.store.dir}`);
  if (yes) return undefined;
  if (!process.stdin.isTTY)
    throw new UsageError(
      'destroy deletes things and needs a confirmation.',
      'Pass --yes to confirm without a terminal.',
    );
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  // In raw mode Ctrl-C is a key that readline reports as its 'SIGINT' event: it takes the root's road.
  rl.on('SIGINT', ctx.interrupt);
  try {
    const answer = await rl.question('Delete all of this? [y/N] ', { signal: ctx.signal });
    if (/^y(es)?$/i.test(answer.trim())) return undefined;
  } catch (error) {
    if (!ctx.signal.aborted) throw error;
    say('');
  } finally {
    rl.close();
  }
  say('Nothing was deleted.');
  return ExitCode.ok;
}

async function deleteAll(ctx: CommandContext): Promise<ExitCode> {
  try {
    const result = await destroyRemote(ctx);
    for (const f of result.findings) say(findingLines(f));
    if (result.left.length) {
      say(`Still there, kept in ${ctx.store.path} for the next \`destroy\`: ${result.left.join('; ')}.`);
      return ExitCode.failed;
    }
    ctx.store.clear();
    say(`✔ Forgot the local settings in ${ctx.store.path}.`);
    return ExitCode.ok;
  } catch (error) {
    if (ctx.signal.aborted)
      say(`Interrupted: what was deleted is forgotten; the rest is still recorded in ${ctx.store.path}.`);
    throw error;
  }
}
