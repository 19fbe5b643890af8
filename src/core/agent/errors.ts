// What the agent's ERR_NGROK_* codes mean for the person running it: one sentence of what happened,
// one of what to do, and whether restarting the agent could help at all (an authtoken that is
// missing stays missing: restarting only hides the reason). A code this table does not know keeps
// the agent's own words and a link to ngrok's page for it (https://ngrok.com/docs/errors/), and is
// restarted at most once (restart-budget.ts): nothing says it is transient.

import { selfCommandQuoted } from '../text';

export interface AgentErrorInfo {
  code: string;
  sentence: string;
  fix: string;
  /** True when the same command will fail the same way until the user changes something. */
  permanent: boolean;
  /** A refusal that clears by itself: restarted with backoff for up to this long, then given up. */
  clearsWithinMs?: number;
}

const AUTHTOKEN_FIX =
  'Copy your authtoken from the ngrok dashboard (Getting Started → Your Authtoken) and run `ngrok config add-authtoken <TOKEN>`.';

const KNOWN: Record<string, Omit<AgentErrorInfo, 'code'>> = {
  ERR_NGROK_4018: { sentence: 'The ngrok agent has no authtoken configured.', fix: AUTHTOKEN_FIX, permanent: true },
  ERR_NGROK_105: {
    sentence: 'The configured authtoken is not a valid ngrok authtoken (an API key in its place?).',
    fix: AUTHTOKEN_FIX,
    permanent: true,
  },
  ERR_NGROK_107: {
    sentence: 'The configured authtoken was revoked or belongs to no account.',
    fix: AUTHTOKEN_FIX,
    permanent: true,
  },
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
  ERR_NGROK_7000: {
    sentence: 'The edge named in the label does not exist.',
    fix: 'Run Set Up ngrok Cloud Edge again: it finds or recreates the edge.',
    permanent: true,
  },
  ERR_NGROK_7008: {
    sentence: 'Edges are retired for this ngrok account.',
    get fix() {
      return `Run ${selfCommandQuoted('setup', '--ngrok-mode', 'endpoint')} to use a cloud endpoint instead (today's equivalent).`;
    },
    permanent: true,
  },
  // https://ngrok.com/docs/errors/err_ngrok_334: "The endpoint URL is already online. Either stop your
  // existing endpoint first, or start both endpoints with --pooling-enabled". Not always for good: a
  // session ngrok has not yet seen die (a crash, a laptop that slept) holds the URL until its
  // heartbeats time out, and the agent's own reconnects then meet 334 for minutes
  // (https://github.com/inconshreveable/ngrok/issues/937). So it is retried, for a bounded time.
  ERR_NGROK_334: {
    sentence: 'Another agent session already serves this URL without pooling.',
    fix: 'Stop the other agent on this URL (an `ngrok http` started by hand?), or start it with --pooling-enabled too; a session that died on its own is dropped by ngrok within minutes.',
    permanent: false,
    clearsWithinMs: 2 * 60_000,
  },
  // https://ngrok.com/docs/errors/err_ngrok_18019: "This account does not have access to Endpoint
  // pooling. Upgrade or switch to a pay-as-you-go plan for access." The agent endpoints of endpoint and
  // agent modes start pooled (command.ts), so that the machines `export` prepares can join; ngrok's plan
  // pages do not list pooling for the Free plan either way, and this code is its answer where it is not.
  ERR_NGROK_18019: {
    sentence:
      'Your ngrok plan cannot pool endpoints, and this tool starts the agent pooled so that more machines can serve the site.',
    get fix() {
      return `Upgrade to Pay-as-you-go (ngrok dashboard → Billing), or run the agent command without --pooling-enabled yourself (${selfCommandQuoted('status')} shows it): one machine then serves the site.`;
    },
    permanent: true,
  },
  // https://ngrok.com/docs/errors/err_ngrok_9027: internal endpoints are on the Pay-as-you-go plan only.
  ERR_NGROK_9027: {
    sentence:
      'Your ngrok plan has no internal endpoints, so the agent cannot serve the .internal URL of endpoint mode.',
    get fix() {
      return `Switch to agent mode, which works on the Free plan: ${selfCommandQuoted('setup', '--ngrok-mode', 'agent')}. Or upgrade to Pay-as-you-go (ngrok dashboard → Billing).`;
    },
    permanent: true,
  },
  // https://ngrok.com/docs/errors/err_ngrok_313: custom subdomains are for paid plans; Free has its dev domain.
  ERR_NGROK_313: {
    sentence:
      "Your ngrok plan cannot start an endpoint on a custom subdomain: on the Free plan only the account's dev domain.",
    fix: 'Run Set Up ngrok Cloud Edge again in agent mode with your dev domain (ngrok dashboard → Domains), or upgrade the plan.',
    permanent: true,
  },
  ERR_NGROK_15002: {
    sentence: 'The domain is not reserved on this ngrok account.',
    fix: 'Reserve it (ngrok dashboard → Domains) or run Set Up ngrok Cloud Edge again.',
    permanent: true,
  },
  ERR_NGROK_9026: {
    sentence: 'ngrok refused the traffic policy file.',
    fix: 'Run Set Up ngrok Cloud Edge again to rewrite the policy file.',
    permanent: true,
  },
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
  ERR_NGROK_3200: {
    sentence: 'The endpoint is offline: no agent serves it.',
    get fix() {
      return `Start the tunnel: ${selfCommandQuoted('tunnel')}.`;
    },
    permanent: false,
  },
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
  /** See AgentErrorInfo.clearsWithinMs. */
  clearsWithinMs?: number;
}

/** ngrok's page for a code: https://ngrok.com/docs/errors/err_ngrok_334 (the list: /docs/errors/). */
export function errorPageUrl(code: string): string {
  return `https://ngrok.com/docs/errors/${code.toLowerCase()}`;
}

/** True for an ERR_NGROK code that this table explains. */
export function isKnownCode(code: string | undefined): boolean {
  return code !== undefined && KNOWN[code] !== undefined;
}

const MAX_WORDS = 400;

/** cobra's words for a flag the agent does not have: "unknown flag: --url". */
const UNKNOWN_FLAG = /unknown flag: (--?[\w-]+)/;

/**
 * A flag this agent does not know is one a newer agent has (the mode's flags and their versions:
 * MODE_FLOOR in cli.ts): restarting cannot help, updating does.
 */
function unknownFlagProblem(text: string): AgentProblem | undefined {
  const flag = UNKNOWN_FLAG.exec(text)?.[1];
  if (!flag) return undefined;
  return {
    message: `This ngrok agent does not know ${flag}: it is older than this setup needs.`,
    fix: 'Run `ngrok update` (or install the latest agent from https://ngrok.com/download), then start again.',
    permanent: true,
  };
}

/** True when the text names its problem: an ERR_NGROK code, or words this module recognises. */
export function namesProblem(text: string): boolean {
  return /ERR_NGROK_\d+/.test(text) || UNKNOWN_FLAG.test(text);
}

/**
 * A problem from the agent's own words: a known code becomes its sentence and fix; an unknown one
 * keeps what the agent said (its lines without the code) and links ngrok's page for the code; text
 * without a code is its first line.
 */
export function agentProblem(text: string): AgentProblem {
  const code = /ERR_NGROK_\d+/.exec(text)?.[0];
  const info = code ? agentError(code) : undefined;
  if (info)
    return {
      message: `${info.sentence} (${info.code})`,
      fix: info.fix,
      code,
      permanent: info.permanent,
      ...(info.clearsWithinMs ? { clearsWithinMs: info.clearsWithinMs } : {}),
    };
  const lines = text
    .replace(/\r/g, '')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  if (!code) return unknownFlagProblem(text) ?? { message: lines[0] ?? text, permanent: false };
  const words = lines
    .filter((l) => l !== code)
    .join(' ')
    .slice(0, MAX_WORDS);
  return {
    message: words ? `${words} (${code})` : `ngrok reported ${code}.`,
    fix: `ngrok explains ${code} at ${errorPageUrl(code)}`,
    code,
    permanent: false,
  };
}

/**
 * What the status line says while the agent cannot reach the site: the visitor's ERR_NGROK_8012 and
 * how to serve the site again, whoever started it (this tool or the user).
 */
export function siteDownNotice(siteDown: { addr: string }): { message: string; fix: string } {
  const port = /:(\d+)$/.exec(siteDown.addr)?.[1] ?? 'PORT';
  return {
    message: `Nothing answers at ${siteDown.addr}: visitors get ERR_NGROK_8012 (the site is down).`,
    fix: KNOWN.ERR_NGROK_8012!.fix.replace('PORT', port),
  };
}
