// `rotate-secret [--sandbox]`: a new client secret in FusionAuth and ngrok's vault, proven by verify,
// rolled back when the proof fails (core/rotate). Progress lines on stdout, never a secret. Exit 0 when
// rotated and verified, 1 when rolled back (or not rotatable), 130 when interrupted (the rollback runs
// first). It changes the store, so it runs alone (beside a running `tunnel` it fails, naming it).
import { ExitCode } from '../core/errors';
import { rotateClientSecret } from '../core/rotate';
import { checkLine, findingLines, selfCommandQuoted } from '../core/text';
import { verifyWithTunnel } from '../core/tunnel';
import type { GlobalOptions } from './global-options';
import { runCommand, type CommandContext } from './lifecycle';

export interface RotateSecretOptions {
  sandbox?: boolean;
  fusionauthApiKeyFile?: string;
  ngrokApiKeyFile?: string;
}

const say = (line: string) => process.stdout.write(`${line}\n`);

export async function rotateSecretCommand(globals: GlobalOptions, options: RotateSecretOptions): Promise<number> {
  const run = async (ctx: CommandContext): Promise<ExitCode> => {
    const stop = ctx.onInterrupt(() => say('Stopping: the old client secret is put back first…'));
    try {
      const outcome = await rotateClientSecret(ctx, {
        say: (line) => say(`  ${line}`),
        verify: async () => {
          const { report, findings } = await verifyWithTunnel(ctx);
          for (const f of findings) say(findingLines(f));
          return report;
        },
      });
      if (outcome.report) for (const check of outcome.report.checks) say(checkLine(check));
      if (outcome.kind === 'rotated') {
        say('✔ The client secret is rotated: FusionAuth and the ngrok vault hold the new one, and the login works.');
        return ExitCode.ok;
      }
      if (outcome.leftover.length) {
        say(`✘ Rotation failed (${outcome.reason}), and the old secret could not be put back everywhere:`);
        for (const l of outcome.leftover) say(`    ${l}`);
        say(
          `  → Run ${selfCommandQuoted('setup')} once FusionAuth and ngrok answer: it writes the stored secret to the vault.`,
        );
      } else {
        say(`✘ Rotation failed (${outcome.reason}): the old client secret is back in FusionAuth and the vault.`);
      }
      return ExitCode.failed;
    } finally {
      stop();
    }
  };
  return runCommand(globals, {
    command: 'rotate-secret',
    whenBusy: 'fail',
    options: {
      sandbox: options.sandbox,
      fusionauthApiKeyFile: options.fusionauthApiKeyFile,
      ngrokApiKeyFile: options.ngrokApiKeyFile,
    },
    run,
  });
}
