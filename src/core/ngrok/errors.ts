// ngrok's API errors as the user reads them. The generic statuses go through THE mapper
// (core/http/errors.ts); the ngrok codes that need their own sentence (an authtoken used as an API key, Edges
// retired, a plan without OIDC, …) get it here. The error keeps the status and code so that callers
// can act on it (a 404 of a stored id, 7008 on edge creation).
import { UserError } from '../errors';
import { httpFailure } from '../http';
import { redact, sanitizeLine } from '../text';

export class NgrokApiError extends UserError {
  constructor(
    message: string,
    hint: string | undefined,
    readonly status: number,
    readonly code: string | undefined,
    /** The wait ngrok asked for (Retry-After), on a 429. */
    readonly retryAfterMs?: number,
  ) {
    super(message, { hint });
    this.name = 'NgrokApiError';
  }
}

export const EDGES_RETIRED = 'ERR_NGROK_7008';
export const AUTHTOKEN_AS_API_KEY = 'ERR_NGROK_207';
export const PLAN_LACKS_OIDC = 'ERR_NGROK_7098';
/** https://ngrok.com/docs/errors/err_ngrok_18008: cloud endpoints are a Pay-as-you-go feature. */
export const PLAN_LACKS_CLOUD_ENDPOINTS = 'ERR_NGROK_18008';
/** https://ngrok.com/docs/errors/err_ngrok_9027: so are internal endpoints (the `.internal` URL of endpoint mode). */
export const PLAN_LACKS_INTERNAL_ENDPOINTS = 'ERR_NGROK_9027';
/** The refusals that mean "endpoint mode needs Pay-as-you-go": agent mode works without either. */
export const ENDPOINT_MODE_PLAN_CODES: readonly string[] = [PLAN_LACKS_CLOUD_ENDPOINTS, PLAN_LACKS_INTERNAL_ENDPOINTS];

const AGENT_MODE_INSTEAD =
  'Agent mode (--ngrok-mode agent) gives the same login on the Free plan: the agent enforces it, on your dev domain. Or upgrade to Pay-as-you-go (ngrok dashboard → Billing).';

const API_KEYS_PAGE = 'ngrok dashboard → API Keys → + New API Key';

/** Sentences for the codes a user of this tool can meet and act on. */
const BY_CODE: Record<string, (action: string) => [string, string]> = {
  [AUTHTOKEN_AS_API_KEY]: () => [
    'That is your ngrok agent authtoken, not an API key (ERR_NGROK_207).',
    `The API needs an API key: ${API_KEYS_PAGE}. The authtoken stays in the agent's own configuration.`,
  ],
  [EDGES_RETIRED]: () => [
    'ngrok no longer offers Edges to this account (ERR_NGROK_7008): they were retired on 2025-12-31 for accounts that did not use them.',
    'Endpoint mode gives the same protection the current way: a cloud endpoint with an openid-connect traffic policy.',
  ],
  [PLAN_LACKS_OIDC]: (action) => [
    `Your ngrok plan does not include OpenID Connect, so ngrok refused ${action} (ERR_NGROK_7098).`,
    'Upgrade the plan (ngrok dashboard → Billing), or use an account that has it; then run this step again.',
  ],
  ERR_NGROK_2227: (action) => [
    `ngrok could not read the OpenID discovery document of the issuer while ${action} (ERR_NGROK_2227).`,
    'ngrok fetches <issuer>/.well-known/openid-configuration from the internet: FusionAuth must be on a public URL and its tenant issuer exactly that URL.',
  ],
  ERR_NGROK_334: () => [
    'An ngrok agent is serving that URL right now (ERR_NGROK_334), so it cannot be given to the cloud.',
    'Stop that agent (perhaps an earlier run in agent mode), then run this step again.',
  ],
  [PLAN_LACKS_CLOUD_ENDPOINTS]: (action) => [
    `Your ngrok plan has no cloud endpoints, so ngrok refused ${action} (ERR_NGROK_18008): endpoint mode needs the Pay-as-you-go plan.`,
    AGENT_MODE_INSTEAD,
  ],
  [PLAN_LACKS_INTERNAL_ENDPOINTS]: (action) => [
    `Your ngrok plan has no internal endpoints, so ngrok refused ${action} (ERR_NGROK_9027): endpoint mode needs the Pay-as-you-go plan.`,
    AGENT_MODE_INSTEAD,
  ],
  // https://ngrok.com/docs/errors/err_ngrok_401
  ERR_NGROK_401: () => [
    'Your ngrok plan cannot reserve domains (ERR_NGROK_401): the Free plan has one dev domain.',
    'Leave the domain empty to use your dev domain (ngrok dashboard → Domains), or upgrade the plan.',
  ],
  // https://ngrok.com/docs/errors/err_ngrok_18017: a cloud endpoint without pooling where another endpoint is.
  ERR_NGROK_18017: () => [
    'Another endpoint already serves that URL (ERR_NGROK_18017): an agent (perhaps an earlier run in agent mode) or another cloud endpoint.',
    'Stop that agent, or delete the other endpoint (ngrok dashboard → Endpoints), then run this step again.',
  ],
  ERR_NGROK_7117: () => [
    'That domain is not reserved on this ngrok account (ERR_NGROK_7117).',
    'Pick one of your domains (ngrok dashboard → Domains) or leave the field empty to reserve one.',
  ],
  ERR_NGROK_413: () => [
    'That domain is reserved already, by another ngrok account or earlier by you (ERR_NGROK_413).',
    'Pick another name, or one of your own domains.',
  ],
};

export interface NgrokFailure {
  action: string;
  status: number;
  code?: string;
  msg?: string;
  retryAfterMs?: number;
  /** Values that must never appear in a message (the API key: ngrok echoes a wrong one back). */
  secrets: ReadonlyArray<string | undefined>;
}

export function ngrokFailure({ action, status, code, msg, retryAfterMs, secrets }: NgrokFailure): NgrokApiError {
  const special = code ? BY_CODE[code] : undefined;
  if (special) {
    const [message, hint] = special(action);
    return new NgrokApiError(message, hint, status, code, retryAfterMs);
  }
  // ngrok's own words, first line only (some run to a paragraph), with any secret masked, as text only.
  const said = msg ? sanitizeLine(redact(msg.split('\n')[0]!.trim(), secrets)) : undefined;
  const detail = [said, code ? `(${sanitizeLine(code)})` : undefined].filter(Boolean).join(' ') || undefined;
  const hint =
    status === 429 && retryAfterMs !== undefined
      ? `ngrok asks to wait ${Math.ceil(retryAfterMs / 1000)} s; try again then.`
      : status === 401
        ? `Check the key (${API_KEYS_PAGE}); an API key is not the agent authtoken.`
        : undefined;
  const base = httpFailure({ service: 'ngrok', action, status, detail, hint });
  return new NgrokApiError(base.message, base.hint, status, code, retryAfterMs);
}

export const isNgrokApiError = (error: unknown, status?: number, code?: string): error is NgrokApiError =>
  error instanceof NgrokApiError &&
  (status === undefined || error.status === status) &&
  (code === undefined || error.code === code);
