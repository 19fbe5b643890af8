// FusionAuth, as the wizard sees it. Without an API key: discovery and the authorize endpoint, which
// anyone can read. The management API (with a key) is in the modules beside this one: client.ts
// wraps @fusionauth/typescript-client, and every call goes through it.
import { UserError } from '../errors';
import { finding, type Finding } from '../findings';
import { httpGet, httpRequest } from '../http';
import { isPrivateHost } from '../validate';

export interface Discovery {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint?: string;
  userinfo_endpoint?: string;
  jwks_uri?: string;
}

export function discoveryUrl(fusionauthUrl: string): string {
  return `${fusionauthUrl.replace(/\/+$/, '')}/.well-known/openid-configuration`;
}

export async function fetchDiscovery(fusionauthUrl: string, signal?: AbortSignal): Promise<Discovery> {
  const url = discoveryUrl(fusionauthUrl);
  const response = await httpGet(url, { signal, headers: { accept: 'application/json' } });
  if (response.status !== 200) {
    throw new UserError(`${url} answered HTTP ${response.status}; is ${fusionauthUrl} a FusionAuth instance?`);
  }
  let doc: unknown;
  try {
    doc = await response.json();
  } catch {
    throw new UserError(`${url} did not answer JSON; is ${fusionauthUrl} a FusionAuth instance?`);
  }
  const d = doc as Partial<Discovery>;
  if (typeof d.issuer !== 'string' || typeof d.authorization_endpoint !== 'string') {
    throw new UserError(`${url} is not an OpenID discovery document (no issuer).`);
  }
  return d as Discovery;
}

/** Why an issuer is not the URL, in the terms a user can fix. Undefined when they are equal. */
export function issuerMismatch(fusionauthUrl: string, issuer: string): string | undefined {
  if (issuer === fusionauthUrl) return undefined;
  if (issuer.replace(/\/+$/, '') === fusionauthUrl.replace(/\/+$/, '')) {
    return `The issuer "${issuer}" differs from ${fusionauthUrl} only by a trailing slash, and that is enough for ngrok to refuse it.`;
  }
  if (!/^https?:\/\//.test(issuer)) {
    return `The tenant's issuer is "${issuer}"${issuer === 'acme.com' ? " (a new FusionAuth's default)" : ''}, not ${fusionauthUrl}.`;
  }
  try {
    const a = new URL(issuer);
    const b = new URL(fusionauthUrl);
    if (a.protocol !== b.protocol && a.host === b.host)
      return `The issuer "${issuer}" uses ${a.protocol}// but the URL is ${b.protocol}//.`;
    if (a.hostname === b.hostname && a.port !== b.port)
      return `The issuer "${issuer}" has another port than ${fusionauthUrl}.`;
  } catch {
    // fall through to the general sentence
  }
  return `The tenant's issuer is "${issuer}", not ${fusionauthUrl}.`;
}

export const ISSUER_WHY =
  'ngrok fetches <issuer>/.well-known/openid-configuration and refuses a document whose issuer differs from the URL it was given, so the issuer must be exactly the FusionAuth URL.';

/** What Before You Start says about the FusionAuth URL: public, reachable, and its issuer. */
export async function fusionauthUrlFindings(
  fusionauthUrl: string,
  signal?: AbortSignal,
  options: {
    sandbox?: boolean;
    /** The sandbox models a FusionAuth only this machine reaches, as a real one on localhost is. */
    privateInSandbox?: boolean;
    /** FusionAuth's public URL when it is published through ngrok (core/ngrok/fusionauth-domain.ts). */
    publishedAt?: string;
  } = {},
): Promise<Finding[]> {
  const findings: Finding[] = [];
  const host = new URL(fusionauthUrl).hostname;
  if (options.sandbox && !options.privateInSandbox)
    findings.push(
      finding.info("The sandbox's FusionAuth and ngrok cloud both run on this machine, so a local address works here."),
    );
  else if (isPrivateHost(host) && options.publishedAt) {
    findings.push(finding.ok(`${fusionauthUrl} is published through ngrok at ${options.publishedAt}`));
  } else if (isPrivateHost(host)) {
    findings.push(
      finding.warn(
        `${fusionauthUrl} is a local or private address: ngrok's cloud cannot reach it to log users in.`,
        'Publish it through ngrok (the wizard offers it; --publish-fusionauth with --no-input), or use a FusionAuth instance on a public URL (FusionAuth Cloud, or a server with a public name).',
      ),
    );
  }
  let discovery: Discovery;
  try {
    discovery = await fetchDiscovery(fusionauthUrl, signal);
  } catch (error) {
    if (signal?.aborted) throw error;
    findings.push(
      finding.error(
        error instanceof Error ? error.message : String(error),
        error instanceof UserError ? error.hint : undefined,
      ),
    );
    return findings;
  }
  findings.push(finding.ok(`FusionAuth answers at ${fusionauthUrl}`));
  // Published through ngrok, the issuer must be the public URL: the one ngrok's cloud is given.
  const mismatch = issuerMismatch(options.publishedAt ?? fusionauthUrl, discovery.issuer);
  findings.push(
    mismatch
      ? finding.warn(mismatch, `Set Up FusionAuth fixes this first: ${ISSUER_WHY}`)
      : finding.ok(`Issuer is ${discovery.issuer}`),
  );
  return findings;
}

/** The `error_reason` FusionAuth writes into its error pages (JSON or a form field). */
export function errorReason(body: string): string | undefined {
  return /"?error_reason"?\s*[:=]\s*"?([a-z_]+)/.exec(body)?.[1];
}

export type AuthorizeVerdict = { ok: true } | { ok: false; reason: string; message: string };

const AUTHORIZE_REASONS: Record<string, string> = {
  invalid_client_id: 'FusionAuth does not know this Client Id.',
  invalid_redirect_uri: "FusionAuth refuses the redirect URI: it is not in the application's Authorized redirect URLs.",
  missing_redirect_uri: 'FusionAuth has no redirect URI for this application.',
  grant_type_disabled: 'The application does not have the Authorization Code grant enabled.',
};

/**
 * Asks FusionAuth's authorize endpoint what it thinks of a client id and redirect URI, exactly as
 * ngrok's redirect will: a login page means both are accepted; otherwise FusionAuth names the reason.
 */
export async function probeAuthorize(
  fusionauthUrl: string,
  clientId: string,
  redirectUri: string,
  signal?: AbortSignal,
): Promise<AuthorizeVerdict> {
  const url = new URL('/oauth2/authorize', fusionauthUrl);
  url.search = new URLSearchParams({
    client_id: clientId,
    redirect_uri: redirectUri,
    response_type: 'code',
    scope: 'openid profile email',
    state: 'ngrok-fusionauth-check',
  }).toString();
  const response = await httpGet(url.href, { signal });
  const body = await response.text();
  const reason = errorReason(body) ?? /[?&]error_reason=([a-z_]+)/.exec(response.headers.get('location') ?? '')?.[1];
  if (reason)
    return {
      ok: false,
      reason,
      message: AUTHORIZE_REASONS[reason] ?? `FusionAuth refuses the login request (${reason}).`,
    };
  if (response.status >= 400)
    return {
      ok: false,
      reason: `http_${response.status}`,
      message: `FusionAuth's authorize endpoint answered HTTP ${response.status}.`,
    };
  return { ok: true };
}

/**
 * Checks a client secret without logging anyone in: a token request with a made-up code fails with
 * `invalid_client` when the secret is wrong; client authentication comes first, so any other OAuth
 * error (`invalid_grant`, a grant not allowed yet) means the secret was accepted.
 */
export async function probeClientSecret(
  tokenEndpoint: string,
  clientId: string,
  clientSecret: string,
  redirectUri: string,
  signal?: AbortSignal,
): Promise<'valid' | 'invalid' | 'unknown'> {
  let response: Response;
  try {
    response = await httpRequest(tokenEndpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString('base64')}`,
      },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code: 'ngrok-fusionauth-probe',
        redirect_uri: redirectUri,
      }).toString(),
      signal,
    });
  } catch (error) {
    // No answer says nothing about the secret; a Ctrl-C is still a Ctrl-C.
    if (error instanceof UserError) return 'unknown';
    throw error;
  }
  const body = (await response.json().catch(() => ({}))) as { error?: string };
  if (body.error === 'invalid_client') return 'invalid';
  if (typeof body.error === 'string' && response.status < 500) return 'valid';
  return 'unknown';
}
