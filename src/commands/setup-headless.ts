// `setup --no-input`: the same steps as the wizard, values from flags, env and the store, no prompt.
// Everything missing is named at once, before anything is changed, with exit 2.
// Stop signals, the exit code of an interrupted run and the children's stop are the lifecycle root's.
import { ExitCode } from '../core/errors';
import { findingLines, heading, nextStepLines, selfCommandQuoted } from '../core/text';
import { whatToRunNext } from '../steps/next-commands';
import { runApply, runCheck } from '../steps/engine';
import { statusOf } from '../steps/progress';
import { STEPS } from '../steps/index';
import { fieldsFor, initialInput, validateInput, type Input, type StepContext } from '../steps/types';

/** Every value that the unfinished steps would ask for and that flags, env and the store do not give. */
export function missingInput(ctx: StepContext): string[] {
  const missing: string[] = [];
  for (const step of STEPS) {
    if (statusOf(ctx.store.steps, step.id) === 'done') continue;
    const input = initialInput(step, ctx);
    const errors = validateInput(step, input, ctx);
    for (const field of fieldsFor(step, input, ctx)) {
      const error = errors[field.key];
      if (error) missing.push(`${step.title} → ${field.label}${field.flag ? ` (${field.flag})` : ''}: ${error}`);
    }
  }
  return missing;
}

/**
 * The steps in order, each checked and applied with what flags, env and the store give. The site
 * server (and a tunnel started for the check) stop with the lifecycle root, as in the wizard; `tunnel`
 * and `verify` start them again when they need them.
 */
export async function runHeadless(ctx: StepContext): Promise<ExitCode> {
  const say = (line: string) => process.stdout.write(`${line}\n`);
  const missing = missingInput(ctx);
  if (missing.length) {
    process.stderr.write(
      `--no-input: ${missing.length} value${missing.length > 1 ? 's are' : ' is'} missing or invalid:\n${missing.map((m) => `  ${m}`).join('\n')}\nGive them as flags or environment variables (see --help), or run the wizard: ${selfCommandQuoted()}.\n`,
    );
    return ExitCode.usage;
  }
  for (const step of STEPS) {
    say(heading(step.title));
    const check = await runCheck(step, ctx);
    if (check.done) {
      for (const f of check.findings) say(findingLines({ ...f, fix: undefined }, '   '));
      continue;
    }
    let input: Input = initialInput(step, ctx);
    for (;;) {
      const errors = validateInput(step, input, ctx);
      if (Object.keys(errors).length) {
        process.stderr.write(
          `Missing or invalid for "${step.title}":\n${Object.entries(errors)
            .map(([key, message]) => `  ${key}: ${message}`)
            .join('\n')}\n`,
        );
        return ExitCode.usage;
      }
      const result = await runApply(step, ctx, input);
      for (const f of result.findings) say(findingLines(f, '   '));
      if (result.status !== 'ask') {
        if (result.status === 'done') break;
        return ExitCode.failed;
      }
      // A question has a safe non-interactive answer only when the step says so.
      const answer = result.question.noInputAnswer;
      if (answer === undefined && result.question.noInputRefusal) {
        process.stderr.write(`"${step.title}": ${result.question.noInputRefusal}\n`);
        return ExitCode.failed;
      }
      if (answer === undefined) {
        process.stderr.write(
          `"${step.title}" needs an answer: ${result.question.prompt}\nRun the wizard to answer it: ${selfCommandQuoted()}.\n`,
        );
        return ExitCode.usage;
      }
      say(
        `   ${result.question.prompt} → ${result.question.choices.find((c) => c.value === answer)?.label ?? answer} (--no-input)`,
      );
      input = { ...input, [result.question.key]: answer };
    }
  }
  say(nextStepLines(whatToRunNext(ctx.store.values, ctx)));
  return ExitCode.ok;
}
