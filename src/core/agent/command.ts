// The agent command each ngrok mode runs, as argv (for the supervisor) and as the line the guide
// has the user paste. Never carries a secret: the authtoken stays in ngrok's own config.
//
// The agent endpoints (endpoint and agent modes) start with --pooling-enabled, like the config that
// `export --format ngrok-yml` writes for other machines (pooling_enabled: true): ngrok pools endpoints
// on one URL only when *every* one of them has pooling enabled, and refuses the newcomer with
// ERR_NGROK_334 otherwise (https://ngrok.com/docs/universal-gateway/endpoint-pooling, "Conflicts";
// https://ngrok.com/docs/agent/cli: `ngrok http 80 --url https://api.example.com --pooling-enabled`).
// So the first machine must pool too, or a second one is refused. Pooling is on every plan
// (https://ngrok.com/docs/pricing-limits/how-ngrok-charges, "Load Balancing (Endpoint Pooling)"), and
// one agent alone in a pool serves it like an unpooled one. Edge mode needs nothing: agents that
// share the edge's label are balanced by its tunnel group backend.
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
  /** Edge mode: the tunnel's labels; `edge=<edgeId>` (the guide's) when not given. */
  labels?: Record<string, string>;
}

export const POOLING_FLAG = '--pooling-enabled';

export function agentArgs(input: AgentCommandInput): string[] {
  switch (input.mode) {
    case 'edge':
      return [
        'tunnel',
        ...(input.region ? ['--region', input.region] : []),
        ...Object.entries(input.labels ?? { edge: input.edgeId ?? '' }).flatMap(([k, v]) => ['--label', `${k}=${v}`]),
        `http://localhost:${input.port}`,
      ];
    case 'endpoint':
      return ['http', String(input.port), '--url', input.internalUrl ?? '', POOLING_FLAG];
    case 'agent':
      return [
        'http',
        String(input.port),
        '--url',
        input.endpointUrl ?? '',
        '--traffic-policy-file',
        input.policyFile ?? '',
        POOLING_FLAG,
      ];
  }
}

export function agentCommandLine(input: AgentCommandInput): string {
  return shellCommand(['ngrok', ...agentArgs(input)]);
}

/**
 * The labels of the second app's tunnel, and of the backend its route uses (edge mode). Disjoint from
 * the site's `edge=<id>` both ways: ngrok puts a tunnel in every backend whose labels it carries, extra
 * labels or not ("Using Labels within ngrok", Tunnel Group Label Match Criteria), so a second tunnel
 * carrying `edge=<id>` would also serve `/`. Without `edge`, it joins only this backend; the site's
 * tunnel lacks `app`, so it stays out of this one. `for-edge` keeps two setups' `/api` apart.
 */
export function secondAppLabels(edgeId: string, slug: string): Record<string, string> {
  return { 'for-edge': edgeId, app: slug };
}

/**
 * The second local app (Next Steps, "proxy different paths to different applications"): in edge mode a
 * tunnel labelled for the second backend only, otherwise an internal agent endpoint the policy forwards to.
 */
export function secondAgentInput(
  main: { mode: NgrokMode; edgeId?: string; internalUrl?: string; endpointUrl?: string },
  second: { port: number; slug: string },
): AgentCommandInput {
  if (main.mode === 'edge')
    return {
      mode: 'edge',
      port: second.port,
      edgeId: main.edgeId,
      labels: secondAppLabels(main.edgeId ?? '', second.slug),
    };
  return {
    mode: 'endpoint',
    port: second.port,
    internalUrl: secondInternalUrl(main.internalUrl ?? main.endpointUrl ?? '', second.slug),
  };
}

/** `https://my-site.ngrok.app` → `https://my-site.internal`: the internal URL the cloud endpoint forwards to. */
export function internalUrlFor(endpointUrl: string): string {
  const label = new URL(endpointUrl).hostname
    .split('.')[0]!
    .replace(/[^a-z0-9-]/gi, '-')
    .toLowerCase();
  return `https://${label}.internal`;
}

/** `https://my-site.internal` (or the public URL) + `api` → `https://my-site-api.internal`. */
export function secondInternalUrl(url: string, slug: string): string {
  const base = internalUrlFor(url).replace(/\.internal$/, '');
  return `${base}-${slug}.internal`;
}

/**
 * FusionAuth on this machine, published on its public URL (core/ngrok/fusionauth-domain.ts): an agent
 * endpoint forwarding to it (`ngrok http <upstream> --url <public>`, https://ngrok.com/docs/agent/cli),
 * with the policy that adds the proxy header FusionAuth needs and ngrok does not send, and pooled
 * like the site's, so that setup's short-lived run and a running tunnel can both hold the URL.
 */
export function fusionauthPublisherArgs(input: { upstream: string; publicUrl: string; policyFile: string }): string[] {
  return ['http', input.upstream, '--url', input.publicUrl, '--traffic-policy-file', input.policyFile, POOLING_FLAG];
}
