// `setup --no-input`: the same steps as the wizard, values from flags, env and the store, no prompt.
// Anything missing is named all at once, with exit 2.
import { ExitCode } from '../core/errors';
import { runApply, runCheck } from '../steps/engine';
import { STEPS } from '../steps/index';
import { initialInput, validateInput, type StepContext } from '../steps/types';

export async function runHeadless(base: Omit<StepContext, 'signal'>): Promise<number> {
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const ctx: StepContext = { ...base, signal: controller.signal };
  const say = (line: string) => process.stdout.write(`${line}\n`);
  try {
    for (const step of STEPS) {
      say(`== ${step.title}`);
      const check = await runCheck(step, ctx);
      if (check.done) {
        say('   already done');
        continue;
      }
      const input = initialInput(step, ctx);
      const errors = validateInput(step, input, ctx);
      if (Object.keys(errors).length) {
        process.stderr.write(`Missing or invalid for "${step.title}":\n${Object.entries(errors).map(([key, message]) => `  ${key}: ${message}`).join('\n')}\n`);
        return ExitCode.usage;
      }
      const result = await runApply(step, ctx, input);
      for (const f of result.findings) say(`   ${f.level === 'ok' ? '✔' : f.level === 'error' ? '✘' : f.level === 'warn' ? '⚠' : 'ℹ'} ${f.title}${f.fix ? `\n     → ${f.fix}` : ''}`);
      if (result.status === 'ask') {
        process.stderr.write(`"${step.title}" needs an answer: ${result.question.prompt} Run the wizard interactively.\n`);
        return ExitCode.usage;
      }
      if (result.status === 'failed') return ExitCode.failed;
    }
    return ExitCode.ok;
  } catch (error) {
    if (controller.signal.aborted) return ExitCode.interrupted;
    throw error;
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}
