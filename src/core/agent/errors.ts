// What the agent's ERR_NGROK_* codes mean for the person running it: one sentence of what happened,
// one of what to do, and whether restarting the agent could help at all (an authtoken that is
// missing stays missing: restarting only hides the reason).

export interface AgentErrorInfo {
  code: string;
  sentence: string;
  fix: string;
  /** True when the same command will fail the same way until the user changes something. */
  permanent: boolean;
}

const AUTHTOKEN_FIX = 'Copy your authtoken from the ngrok dashboard (Getting Started → Your Authtoken) and run `ngrok config add-authtoken <TOKEN>`.';

const KNOWN: Record<string, Omit<AgentErrorInfo, 'code'>> = {
  ERR_NGROK_4018: { sentence: 'The ngrok agent has no authtoken configured.', fix: AUTHTOKEN_FIX, permanent: true },
  ERR_NGROK_105: { sentence: 'The configured authtoken is not a valid ngrok authtoken (an API key in its place?).', fix: AUTHTOKEN_FIX, permanent: true },
  ERR_NGROK_107: { sentence: 'The configured authtoken was revoked or belongs to no account.', fix: AUTHTOKEN_FIX, permanent: true },
  ERR_NGROK_108: {
    sentence: 'Your account already has as many agent sessions online as it may.',
    fix: 'Stop the other ngrok agents (ngrok dashboard → Agents), or upgrade the plan; this one retries meanwhile.',
    permanent: false,
  },
  ERR_NGROK_394: {
    sentence: 'The tunnel has neither a protocol nor labels.',
    fix: 'Start it with `ngrok tunnel --label edge=edghts_… http://localhost:PORT` (run Set Up ngrok Cloud Edge again to get the edge id).',
    permanent: true,
  },
  ERR_NGROK_6531: {
    sentence: "A tunnel label contains '=' in its key or value.",
    fix: 'Use exactly one `--label edge=edghts_…` (the edge id has no `=`); run Set Up ngrok Cloud Edge again.',
    permanent: true,
  },
  ERR_NGROK_7000: { sentence: 'The edge named in the label does not exist.', fix: 'Run Set Up ngrok Cloud Edge again: it finds or recreates the edge.', permanent: true },
  ERR_NGROK_7008: {
    sentence: 'Edges are retired for this ngrok account.',
    fix: 'Run `ngrok-fusionauth setup --ngrok-mode endpoint` to use a cloud endpoint instead (today\'s equivalent).',
    permanent: true,
  },
  ERR_NGROK_334: {
    sentence: 'Another agent already serves this URL.',
    fix: 'Stop the other agent (an earlier `ngrok-fusionauth tunnel`?), or start both with --pooling-enabled.',
    permanent: true,
  },
  // https://ngrok.com/docs/errors/err_ngrok_9027: internal endpoints are on the Pay-as-you-go plan only.
  ERR_NGROK_9027: {
    sentence: 'Your ngrok plan has no internal endpoints, so the agent cannot serve the .internal URL of endpoint mode.',
    fix: 'Switch to agent mode, which works on the Free plan: `ngrok-fusionauth setup --ngrok-mode agent`. Or upgrade to Pay-as-you-go (ngrok dashboard → Billing).',
    permanent: true,
  },
  // https://ngrok.com/docs/errors/err_ngrok_313: custom subdomains are for paid plans; Free has its dev domain.
  ERR_NGROK_313: {
    sentence: "Your ngrok plan cannot start an endpoint on a custom subdomain: on the Free plan only the account's dev domain.",
    fix: 'Run Set Up ngrok Cloud Edge again in agent mode with your dev domain (ngrok dashboard → Domains), or upgrade the plan.',
    permanent: true,
  },
  ERR_NGROK_15002: { sentence: 'The domain is not reserved on this ngrok account.', fix: 'Reserve it (ngrok dashboard → Domains) or run Set Up ngrok Cloud Edge again.', permanent: true },
  ERR_NGROK_9026: { sentence: 'ngrok refused the traffic policy file.', fix: 'Run Set Up ngrok Cloud Edge again to rewrite the policy file.', permanent: true },
  ERR_NGROK_2227: {
    sentence: "ngrok could not read FusionAuth's discovery document at the configured issuer.",
    fix: "Make the tenant's issuer exactly the FusionAuth URL (Set Up FusionAuth), and make FusionAuth reachable from the internet.",
    permanent: true,
  },
  ERR_NGROK_8012: {
    sentence: 'The agent cannot reach the local site.',
    fix: 'Start the site server (python3 -m http.server PORT --bind 127.0.0.1) on the port the agent forwards to.',
    permanent: false,
  },
  ERR_NGROK_3200: { sentence: 'The endpoint is offline: no agent serves it.', fix: 'Start the tunnel: `ngrok-fusionauth tunnel`.', permanent: false },
};

export function agentError(code: string): AgentErrorInfo | undefined {
  const known = KNOWN[code];
  return known && { code, ...known };
}

export interface AgentProblem {
  message: string;
  fix?: string;
  code?: string;
  permanent: boolean;
}

/** A problem from the agent's own words: a known code becomes its sentence; else its first line. */
export function agentProblem(text: string): AgentProblem {
  const code = /ERR_NGROK_\d+/.exec(text)?.[0];
  const info = code ? agentError(code) : undefined;
  if (info) return { message: `${info.sentence} (${info.code})`, fix: info.fix, code, permanent: info.permanent };
  const firstLine = text.replace(/\r/g, '').split('\n').map((l) => l.trim()).find(Boolean) ?? text;
  return { message: firstLine, code, permanent: false };
}
