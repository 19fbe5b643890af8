// `verify [--json] [--sandbox]`: the end-to-end check of the protection, one pass/fail line per check
// (core/verify.ts). When the endpoint is not being served, the tunnel is started for the check and
// stopped after it. Exit 0 only when every check that applies passes.
import { ExitCode } from '../core/errors';
import { killAll } from '../core/process';
import { onStopSignal } from '../core/process';
import { verifyWithTunnel } from '../core/tunnel';
import { checkLine, findingLines, plainLine } from '../core/text';
import type { GlobalOptions } from './global-options';
import { openStore } from './open-store';
import { usesSandbox, withStoreSandbox, type BaseContext } from './sandbox-context';

export async function verifyCommand(globals: GlobalOptions, options: { json?: boolean; sandbox?: boolean }): Promise<number> {
  const store = openStore(globals);
  const base: BaseContext = { store, options: { sandbox: options.sandbox }, env: { ...process.env } };
  const controller = new AbortController();
  const offSignals = onStopSignal((_signal, count) => (count === 0 ? controller.abort() : killAll()));
  const say = (text: string) => !options.json && process.stdout.write(`${text}\n`);
  const run = async (ctx: BaseContext) => {
    let startedTunnel = false;
    const { report, findings } = await verifyWithTunnel(
      { ...ctx, signal: controller.signal },
      {
        onLine: (line) => {
          if (!startedTunnel) say('Starting the tunnel for the check (it stops after it)…');
          startedTunnel = true;
          // The agent's errors say why the tunnel did not come up; the rest is in <configDir>/agent.log.
          if (line.level === 'eror' || line.level === 'crit') say(`  ${plainLine(line)}`);
        },
      },
    );
    if (options.json) {
      process.stdout.write(`${JSON.stringify({ ok: report.ok, checks: report.checks, notes: findings }, null, 2)}\n`);
    } else {
      for (const f of findings) say(findingLines(f));
      for (const check of report.checks) say(checkLine(check));
      say(report.ok ? 'The site is protected by FusionAuth.' : 'The protection is NOT proven: fix what is marked ✘ and run verify again.');
    }
    return report.ok ? ExitCode.ok : ExitCode.failed;
  };
  try {
    return await (usesSandbox(base) ? withStoreSandbox(base, run) : run(base));
  } catch (error) {
    if (controller.signal.aborted) return ExitCode.interrupted;
    throw error;
  } finally {
    offSignals();
  }
}
