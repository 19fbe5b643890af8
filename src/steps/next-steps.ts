// Next Steps: what the guide suggests after the site is protected.
import { finding } from '../core/findings';
import type { Step } from './types';

export const NEXT_STEPS = [
  'OIDC session limits: make users re-authenticate, or expire a session after some inactivity.',
  'IP restrictions: combine the login with an allow-list of networks.',
  'Headers and paths: add or remove headers, and send other paths to other local applications.',
  'FusionAuth: require users to be registered for the application, and fire a webhook when they log in.',
];

export const nextSteps: Step = {
  id: 'next',
  title: 'Next Steps',
  explain: 'There is a lot more you can do with ngrok and FusionAuth once the login works.',
  instructions: () => NEXT_STEPS,
  fields: [],
  submitLabel: 'finish',
  async check(ctx) {
    return { done: ctx.store.step('next')?.status === 'done', findings: [] };
  },
  async apply() {
    return { status: 'done', findings: [finding.info('Set up later with your accounts; `ngrok-fusionauth status` shows everything stored.')] };
  },
  summary: () => [],
};
