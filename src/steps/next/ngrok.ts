// Next Steps, ngrok side: session limits, IP restrictions, headers, a second path. (Automated in issue 4/6.)
import type { NextStepsPart } from './part';

export const ngrokNextSteps: NextStepsPart = {
  fields: [],
  instructions: () => [
    'OIDC session limits: make users re-authenticate, or expire a session after some inactivity.',
    'IP restrictions: combine the login with an allow-list of networks.',
    'Headers and paths: add or remove headers, and send other paths to other local applications.',
  ],
  apply: async () => [],
  summary: () => [],
};
