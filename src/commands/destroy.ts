// `destroy [--yes]`: delete what setup created (remote, then local). Loads no Ink.
import { createInterface } from 'node:readline/promises';
import { destroyRemote } from '../core/destroy';
import { plannedRemovals } from '../core/destroy';
import { ExitCode, UsageError } from '../core/errors';
import { findingLines } from '../core/text';
import { onStopSignal } from '../core/process';
import type { GlobalOptions } from './global-options';
import { openStore } from './open-store';
import { usesSandbox, withStoreSandbox, type BaseContext } from './sandbox-context';

export interface DestroyOptions {
  yes?: boolean;
  sandbox?: boolean;
  fusionauthApiKeyFile?: string;
  ngrokApiKeyFile?: string;
}

export async function destroyCommand(globals: GlobalOptions, options: DestroyOptions): Promise<number> {
  const store = openStore(globals);
  const base: BaseContext = { store, options: { sandbox: options.sandbox, fusionauthApiKeyFile: options.fusionauthApiKeyFile, ngrokApiKeyFile: options.ngrokApiKeyFile }, env: { ...process.env } };
  const planned = plannedRemovals(store.created);
  const say = (line: string) => process.stdout.write(`${line}\n`);

  say(planned.length ? 'This deletes what setup created:' : 'Setup created nothing remote (or it was deleted already).');
  for (const r of planned) say(`  ${r.service}: ${r.label}`);
  say(`  and the local settings in ${store.dir}`);
  if (!options.yes) {
    if (!process.stdin.isTTY) throw new UsageError('destroy deletes things and needs a confirmation.', 'Pass --yes to confirm without a terminal.');
    const rl = createInterface({ input: process.stdin, output: process.stdout });
    const answer = await rl.question('Delete all of this? [y/N] ').finally(() => rl.close());
    if (!/^y(es)?$/i.test(answer.trim())) {
      say('Nothing was deleted.');
      return ExitCode.ok;
    }
  }

  const controller = new AbortController();
  const removeSignals = onStopSignal(() => controller.abort());
  try {
    const run = async (ctx: BaseContext) => destroyRemote({ ...ctx, signal: controller.signal });
    const result = usesSandbox(base) ? await withStoreSandbox(base, run) : await run(base);
    for (const f of result.findings) say(findingLines(f));
    if (result.left.length) {
      say(`Still there, kept in ${store.path} for the next \`destroy\`: ${result.left.join('; ')}.`);
      return ExitCode.failed;
    }
    store.clear();
    say(`✔ Forgot the local settings in ${store.path}.`);
    return ExitCode.ok;
  } catch (error) {
    if (controller.signal.aborted) {
      say(`Interrupted: what was deleted is forgotten; the rest is still recorded in ${store.path}.`);
      return ExitCode.interrupted;
    }
    throw error;
  } finally {
    removeSignals();
  }
}
