// Runs steps and records every transition in the store at once, for both front ends.
import { isAbortError } from '../core/errors';
import { errorFinding } from '../core/findings';
import type { StepId } from '../core/store';
import { statusOf } from './progress';
import { STEPS } from './index';
import type { ApplyResult, CheckResult, Input, Step, StepContext } from './types';

/** A thrown UserError is a result like any other; anything else is a bug and propagates. */
async function guarded<T extends CheckResult | ApplyResult>(
  ctx: StepContext,
  run: () => Promise<T>,
): Promise<T | { status: 'failed'; done: false; findings: CheckResult['findings'] }> {
  try {
    return await run();
  } catch (error) {
    if (isAbortError(error) || ctx.signal.aborted) throw error;
    return { status: 'failed', done: false, findings: [errorFinding(error)] };
  }
}

/**
 * The store answers from what it last read; another process (a second wizard, `destroy`, `reset`) may
 * have written the file since. One lstat tells, and only then is it read again. Outside `guarded`: a
 * file found damaged (moved aside) or replaced by a link is no result of the step but of the run.
 */
function atStepBoundary(ctx: StepContext): void {
  ctx.store.reloadIfChanged();
}

export async function runCheck(step: Step, ctx: StepContext): Promise<CheckResult> {
  atStepBoundary(ctx);
  const result = await guarded(ctx, () => step.check(ctx));
  const before = ctx.store.step(step.id)?.status;
  const idle = 'idle' in result && result.idle === true;
  const check: CheckResult = {
    done: ('done' in result && result.done) || (idle && before === 'done'),
    findings: result.findings,
    ...(idle ? { idle } : {}),
  };
  if (check.done && before !== 'done') ctx.store.setStep(step.id, 'done');
  if (!check.done && before === 'done') {
    const reason = check.findings.find((f) => f.level === 'error' || f.level === 'warn' || f.level === 'info');
    ctx.store.setStep(step.id, 'failed', `no longer holds${reason ? `: ${reason.title}` : ''}`);
  }
  return check;
}

export async function runApply(step: Step, ctx: StepContext, input: Input): Promise<ApplyResult> {
  atStepBoundary(ctx);
  const result = (await guarded(ctx, () => step.apply(ctx, input))) as ApplyResult;
  if (result.status === 'done') ctx.store.setStep(step.id, 'done');
  if (result.status === 'failed')
    ctx.store.setStep(step.id, 'failed', result.findings.find((f) => f.level === 'error')?.title);
  return result;
}

/**
 * Before resuming, every step recorded as done is checked again rather than trusted: the site server
 * may be gone, the issuer changed. All of them, not only those before the resume point, because the
 * wizard skips over done steps later on. Returns the first step that is not done.
 */
export async function recheck(ctx: StepContext, onStep?: (id: StepId) => void): Promise<StepId | undefined> {
  let first: StepId | undefined;
  for (const step of STEPS) {
    const status = statusOf(ctx.store.steps, step.id);
    if (status === 'done') {
      onStep?.(step.id);
      if ((await runCheck(step, ctx)).done) continue;
    } else if (status === 'skipped') continue;
    first ??= step.id;
  }
  return first;
}
