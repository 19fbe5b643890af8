// `verify [--json] [--sandbox]`: the end-to-end check of the protection, one pass/fail line per check
// (core/tunnel/verify.ts). When the endpoint is not being served, the tunnel is started for the check and
// stopped after it. Exit 0 only when every check that applies passes; stop signals, the children's
// stop and the exit code of an interrupted run are the lifecycle root's (lifecycle.ts).
import { ExitCode } from '../core/errors';
import { finding, type Finding } from '../core/findings';
import type { LockHolder } from '../core/process';
import { verifySetup, verifyWithTunnel, type VerifyReport } from '../core/tunnel';
import { checkLine, findingLines, painter, plainLine, selfCommandQuoted, wantsColour } from '../core/text';
import type { GlobalOptions } from './global-options';
import { runCommand, type CommandContext } from './lifecycle';

export async function verifyCommand(
  globals: GlobalOptions,
  options: { json?: boolean; sandbox?: boolean },
): Promise<number> {
  const say = (text: string) => !options.json && process.stdout.write(`${text}\n`);
  const run = async (ctx: CommandContext) => {
    let startedTunnel = false;
    const { report, findings } = ctx.joined
      ? await checkRunningTunnel(ctx, ctx.joined)
      : await verifyWithTunnel(ctx, {
          onLine: (line) => {
            if (!startedTunnel) say('Starting the tunnel for the check (it stops after it)…');
            startedTunnel = true;
            // The agent's errors say why the tunnel did not come up; the rest is in <configDir>/agent.log.
            if (line.level === 'eror' || line.level === 'crit') say(`  ${plainLine(line)}`);
          },
        });
    if (options.json) {
      process.stdout.write(`${JSON.stringify({ ok: report.ok, checks: report.checks, notes: findings }, null, 2)}\n`);
    } else {
      const paint = painter(wantsColour());
      for (const f of findings) say(paint.line(findingLines(f)));
      for (const check of report.checks) say(paint.line(checkLine(check)));
      say(
        report.ok
          ? paint.green('The site is protected by FusionAuth.')
          : paint.red(
              `The protection is NOT proven: fix what is marked ✘ and run ${selfCommandQuoted('verify')} again.`,
            ),
      );
    }
    return report.ok ? ExitCode.ok : ExitCode.failed;
  };
  // Beside a running `tunnel` it checks that tunnel (see run above); beside anything else it waits its turn.
  return runCommand(globals, {
    command: 'verify',
    whenBusy: 'join-tunnel',
    options: { sandbox: options.sandbox },
    run,
  });
}

/** The tunnel another terminal runs is the one checked: nothing is started here. */
async function checkRunningTunnel(
  ctx: CommandContext,
  tunnel: LockHolder,
): Promise<{ report: VerifyReport; findings: Finding[] }> {
  const report = await verifySetup(ctx);
  return {
    report,
    findings: [
      finding.info(`Checked the tunnel that \`tunnel\` (pid ${tunnel.pid}) runs; verify started none of its own.`),
    ],
  };
}
