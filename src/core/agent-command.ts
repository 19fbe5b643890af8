// The agent command each ngrok mode runs, as argv (for the supervisor) and as the line the guide
// has the user paste. Never carries a secret: the authtoken stays in ngrok's own config.
import type { NgrokMode } from './store';

export interface AgentCommandInput {
  mode: NgrokMode;
  port: number;
  edgeId?: string;
  region?: string;
  internalUrl?: string;
  endpointUrl?: string;
  policyFile?: string;
}

export function agentArgs(input: AgentCommandInput): string[] {
  switch (input.mode) {
    case 'edge':
      return ['tunnel', ...(input.region ? ['--region', input.region] : []), '--label', `edge=${input.edgeId}`, `http://localhost:${input.port}`];
    case 'endpoint':
      return ['http', String(input.port), '--url', input.internalUrl ?? ''];
    case 'agent':
      return ['http', String(input.port), '--url', input.endpointUrl ?? '', '--traffic-policy-file', input.policyFile ?? ''];
  }
}

export function agentCommandLine(input: AgentCommandInput): string {
  return ['ngrok', ...agentArgs(input)].map(shellQuote).join(' ');
}

function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** `https://my-site.ngrok.app` → `https://my-site.internal`: the internal URL the cloud endpoint forwards to. */
export function internalUrlFor(endpointUrl: string): string {
  const label = new URL(endpointUrl).hostname.split('.')[0]!.replace(/[^a-z0-9-]/gi, '-').toLowerCase();
  return `https://${label}.internal`;
}
