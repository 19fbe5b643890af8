// The guide's seven sections, in the guide's order.
import { finish } from './finish';
import { fusionauth } from './fusionauth';
import { ngrok } from './ngrok';
import { nextSteps } from './next-steps';
import { prereqs } from './prereqs';
import { site } from './site';
import { testItOut } from './test-it-out';
import type { Step } from './types';

export const STEPS: readonly Step[] = [prereqs, site, fusionauth, ngrok, finish, testItOut, nextSteps];
