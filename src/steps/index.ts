// The guide's seven sections, in the guide's order.
import type { StepId } from '../core/store';
import { finish } from './finish';
import { fusionauth } from './fusionauth';
import { ngrok } from './ngrok';
import { nextSteps } from './next-steps';
import { prereqs } from './prereqs';
import { site } from './site';
import { testItOut } from './test-it-out';
import type { Step } from './types';

export const STEPS: readonly Step[] = [prereqs, site, fusionauth, ngrok, finish, testItOut, nextSteps];

export function stepById(id: StepId): Step {
  const step = STEPS.find((s) => s.id === id);
  if (!step) throw new Error(`unknown step ${id}`);
  return step;
}
