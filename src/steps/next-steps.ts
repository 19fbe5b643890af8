// Next Steps: what the guide suggests once the login works, from both sides.
import { finding } from '../core/findings';
import { fusionauthNextSteps } from './next/fusionauth';
import { ngrokNextSteps } from './next/ngrok';
import type { Step } from './types';
import { SECTION_EXPLAIN, SECTION_TITLES } from './catalog';
import { selfCommandQuoted } from '../core/text';

const PARTS = [ngrokNextSteps, fusionauthNextSteps];

export const nextSteps: Step = {
  id: 'next',
  title: SECTION_TITLES.next,
  explain: SECTION_EXPLAIN.next,
  instructions: (ctx, input) => PARTS.flatMap((p) => p.instructions(ctx, input)),
  fields: PARTS.flatMap((p) => p.fields),
  submitLabel: () => 'finish',
  async check(ctx) {
    return { done: ctx.store.step('next')?.status === 'done', findings: [] };
  },
  async apply(ctx, input) {
    const findings = [];
    for (const part of PARTS) findings.push(...(await part.apply(ctx, input)));
    if (!findings.length)
      findings.push(finding.info(`Nothing changed; ${selfCommandQuoted('status')} shows everything stored.`));
    return { status: findings.some((f) => f.level === 'error') ? 'failed' : 'done', findings };
  },
  summary: (values) => PARTS.flatMap((p) => p.summary(values)),
};
