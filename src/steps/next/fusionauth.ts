// Next Steps, FusionAuth side: require registration, a webhook on login. (Automated in issue 3/6.)
import type { NextStepsPart } from './part';

export const fusionauthNextSteps: NextStepsPart = {
  fields: [],
  instructions: () => ['FusionAuth: require users to be registered for the application, and fire a webhook when they log in.'],
  apply: async () => [],
  summary: () => [],
};
