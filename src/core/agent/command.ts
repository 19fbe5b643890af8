// The agent command each ngrok mode runs, as argv (for the supervisor) and as the line the guide
// has the user paste. Never carries a secret: the authtoken stays in ngrok's own config.
import type { NgrokMode } from '../store';
import { shellCommand } from '../text';

export interface AgentCommandInput {
  mode: NgrokMode;
  port: number;
  edgeId?: string;
  region?: string;
  internalUrl?: string;
  endpointUrl?: string;
  policyFile?: string;
  /** Edge mode: labels besides `edge=<id>` (the second app's tunnel carries `app=<slug>`). */
  labels?: Record<string, string>;
}

export function agentArgs(input: AgentCommandInput): string[] {
  switch (input.mode) {
    case 'edge':
      return [
        'tunnel',
        ...(input.region ? ['--region', input.region] : []),
        '--label',
        `edge=${input.edgeId}`,
        ...Object.entries(input.labels ?? {}).flatMap(([k, v]) => ['--label', `${k}=${v}`]),
        `http://localhost:${input.port}`,
      ];
    case 'endpoint':
      return ['http', String(input.port), '--url', input.internalUrl ?? ''];
    case 'agent':
      return ['http', String(input.port), '--url', input.endpointUrl ?? '', '--traffic-policy-file', input.policyFile ?? ''];
  }
}

export function agentCommandLine(input: AgentCommandInput): string {
  return shellCommand(['ngrok', ...agentArgs(input)]);
}

/**
 * The second local app (Next Steps, "proxy different paths to different applications"): in edge mode a
 * tunnel with the extra label `app=<slug>`, otherwise an internal agent endpoint the policy forwards to.
 */
export function secondAgentInput(main: { mode: NgrokMode; edgeId?: string; internalUrl?: string; endpointUrl?: string }, second: { port: number; slug: string }): AgentCommandInput {
  if (main.mode === 'edge') return { mode: 'edge', port: second.port, edgeId: main.edgeId, labels: { app: second.slug } };
  return { mode: 'endpoint', port: second.port, internalUrl: secondInternalUrl(main.internalUrl ?? main.endpointUrl ?? '', second.slug) };
}

/** `https://my-site.ngrok.app` → `https://my-site.internal`: the internal URL the cloud endpoint forwards to. */
export function internalUrlFor(endpointUrl: string): string {
  const label = new URL(endpointUrl).hostname.split('.')[0]!.replace(/[^a-z0-9-]/gi, '-').toLowerCase();
  return `https://${label}.internal`;
}

/** `https://my-site.internal` (or the public URL) + `api` → `https://my-site-api.internal`. */
export function secondInternalUrl(url: string, slug: string): string {
  const base = internalUrlFor(url).replace(/\.internal$/, '');
  return `${base}-${slug}.internal`;
}
