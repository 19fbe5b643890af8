// Proof that the site is protected, check by check, each with its own pass/fail line:
//   (a) FusionAuth's discovery `issuer` equals the configured issuer (the FusionAuth URL ngrok is given);
//   (b) a stranger (no cookies) asking for the endpoint is sent to FusionAuth's authorize endpoint with
//       our client id, ngrok's redirect URI and the openid scope;
//   (c) FusionAuth accepts that authorize request (its login page, not the invalid-redirect-URI page);
//   (d) in the sandbox, logging in as the demo user returns the site's page.
import { agentError } from '../agent';
import { Browser, loginForm } from '../http';
import { UserError } from '../errors';
import { ISSUER_WHY, discoveryUrl, errorReason, fetchDiscovery, issuerMismatch, probeAuthorize } from '../fusionauth';
import { httpGet } from '../http';

export interface ProtectionProbe {
  ok: boolean;
  message: string;
  fix?: string;
  location?: string;
  /** The error ngrok named (its ngrok-error-code header): ERR_NGROK_3200 is an endpoint no agent serves. */
  code?: string;
}

export async function probeProtection(options: {
  endpointUrl: string;
  fusionauthUrl: string;
  clientId: string;
  redirectUri: string;
  signal?: AbortSignal;
}): Promise<ProtectionProbe> {
  let response: Response;
  try {
    response = await httpGet(options.endpointUrl, { signal: options.signal, timeoutMs: 15_000 });
  } catch (error) {
    if (error instanceof UserError) return { ok: false, message: error.message, fix: error.hint };
    throw error;
  }
  await response.body?.cancel();
  const location = response.headers.get('location') ?? undefined;
  if (response.status < 300 || response.status >= 400 || !location) {
    // ngrok names its own errors in a header: ERR_NGROK_3200 (offline), 2227 (issuer), 8012 (site down).
    const code = response.headers.get('ngrok-error-code') ?? undefined;
    const known = agentError(code ?? '');
    if (known)
      return {
        ok: false,
        code,
        message: `${options.endpointUrl} answered ${response.status}: ${known.sentence} (${known.code})`,
        fix: known.fix,
      };
    const offline = response.status === 404 || response.status === 502 || response.status === 503;
    return {
      ok: false,
      message:
        response.status === 200
          ? `${options.endpointUrl} answered 200 without a login: the site is NOT protected.`
          : `${options.endpointUrl} answered ${response.status}${offline ? ' (is the agent running?)' : ''}, not a redirect to FusionAuth.`,
    };
  }
  const target = new URL(location, options.endpointUrl);
  const expected = new URL('/oauth2/authorize', options.fusionauthUrl);
  if (target.origin + target.pathname !== expected.href) {
    return {
      ok: false,
      location,
      message: `Strangers are sent to ${target.origin}${target.pathname}, not to ${expected.href}.`,
      fix: 'Check the issuer in the ngrok OIDC settings: it must be the FusionAuth URL.',
    };
  }
  const params = target.searchParams;
  const problems = [
    params.get('client_id') !== options.clientId && `client_id is ${params.get('client_id')}, not ${options.clientId}`,
    params.get('redirect_uri') !== options.redirectUri &&
      `redirect_uri is ${params.get('redirect_uri')}, not ${options.redirectUri}`,
    !(params.get('scope') ?? '').split(' ').includes('openid') && 'the openid scope is missing',
  ].filter(Boolean);
  if (problems.length)
    return {
      ok: false,
      location,
      message: `The login request is wrong: ${problems.join('; ')}.`,
      fix: 'Run Set Up ngrok Cloud Edge again so the OIDC settings match FusionAuth.',
    };
  return {
    ok: true,
    location,
    message: `A visitor without a session is sent to the FusionAuth login (${expected.href}).`,
  };
}

/**
 * The ngrok error a public URL answers with (its ngrok-error-code header: ERR_NGROK_3200 when no agent
 * serves it), as a sentence about `shownAs`; undefined when it answers without one.
 */
async function ngrokErrorAt(
  url: string,
  shownAs: string,
  signal?: AbortSignal,
): Promise<{ code: string; message: string; fix?: string } | undefined> {
  let response: Response;
  try {
    response = await httpGet(url, { signal, timeoutMs: 15_000 });
  } catch (error) {
    if (error instanceof UserError) return undefined;
    throw error;
  }
  await response.body?.cancel();
  const code = response.headers.get('ngrok-error-code');
  if (!code) return undefined;
  const known = agentError(code);
  return {
    code,
    message: `FusionAuth's public URL ${shownAs} answered ${response.status}: ${known?.sentence ?? 'an ngrok error'} (${code})`,
    fix: known?.fix,
  };
}

export type CheckId = 'issuer' | 'redirect' | 'authorize' | 'login';
export type CheckStatus = 'pass' | 'fail' | 'skip';

export interface VerifyCheck {
  id: CheckId;
  title: string;
  status: CheckStatus;
  message: string;
  fix?: string;
  /** The ngrok error behind a failure, when ngrok named one (Test It Out tells a stopped tunnel by it). */
  code?: string;
}

export interface VerifyReport {
  /** True when every check that applies passed. */
  ok: boolean;
  checks: VerifyCheck[];
}

export const CHECK_TITLES: Record<CheckId, string> = {
  issuer: 'FusionAuth issuer',
  redirect: 'Strangers are sent to the login',
  authorize: 'FusionAuth accepts the login request',
  login: 'Logging in shows the site',
};

export interface VerifyInput {
  /** The issuer: FusionAuth's URL as ngrok's cloud and visitors know it (its public URL when published through ngrok). */
  fusionauthUrl: string;
  /** How this machine reaches any public URL when not directly (the sandbox's loopback stand-ins). */
  reach?: (url: string) => string | undefined;
  clientId: string;
  redirectUri: string;
  /** The endpoint as the world knows it. */
  endpointUrl: string;
  /**
   * How this machine reaches it (the sandbox's loopback stand-in); default the endpoint itself. Null:
   * nothing serves it here (the sandbox's cloud opens a URL only once an agent is online for it).
   */
  reachUrl?: string | null;
  /** Only in the sandbox: a user to log in as, and the page the site serves. */
  login?: { email: string; password: string; page?: string };
  signal?: AbortSignal;
  /** Called as each check finishes, for screens that show progress. */
  onCheck?(check: VerifyCheck): void;
}

export async function verifyProtection(input: VerifyInput): Promise<VerifyReport> {
  const checks: VerifyCheck[] = [];
  const record = (id: CheckId, status: CheckStatus, message: string, fix?: string, code?: string) => {
    const check: VerifyCheck = {
      id,
      title: CHECK_TITLES[id],
      status,
      message,
      ...(fix ? { fix } : {}),
      ...(code ? { code } : {}),
    };
    checks.push(check);
    input.onCheck?.(check);
    return check;
  };
  const guarded = async (id: CheckId, run: () => Promise<VerifyCheck>) => {
    try {
      return await run();
    } catch (error) {
      if (input.signal?.aborted || !(error instanceof UserError)) throw error;
      return record(id, 'fail', error.message, error.hint);
    }
  };

  // FusionAuth as this machine reaches its public URL (itself, unless the sandbox stands in for it).
  const fusionauthAt = input.reach?.(input.fusionauthUrl) ?? input.fusionauthUrl;
  // FusionAuth's public URL answered with an ngrok error (published, but its agent is not running).
  let fusionauthDown: { code: string; message: string; fix?: string } | undefined;
  await guarded('issuer', async () => {
    let discovery;
    try {
      discovery = await fetchDiscovery(fusionauthAt, input.signal);
    } catch (error) {
      if (input.signal?.aborted || !(error instanceof UserError)) throw error;
      fusionauthDown = await ngrokErrorAt(discoveryUrl(fusionauthAt), input.fusionauthUrl, input.signal);
      if (!fusionauthDown) throw error;
      return record('issuer', 'fail', fusionauthDown.message, fusionauthDown.fix, fusionauthDown.code);
    }
    const mismatch = issuerMismatch(input.fusionauthUrl, discovery.issuer);
    return mismatch
      ? record(
          'issuer',
          'fail',
          mismatch,
          `In FusionAuth: Tenants → edit the tenant → Issuer = ${input.fusionauthUrl} (Set Up FusionAuth does it). ${ISSUER_WHY}`,
        )
      : record('issuer', 'pass', `The discovery document's issuer is ${discovery.issuer}.`);
  });

  const reach = input.reachUrl === undefined ? input.endpointUrl : input.reachUrl;
  const probe: ProtectionProbe =
    reach === null
      ? {
          ok: false,
          code: 'ERR_NGROK_3200',
          message: `${input.endpointUrl} is not served: no agent is online for it.`,
          fix: agentError('ERR_NGROK_3200')!.fix,
        }
      : await probeProtection({
          endpointUrl: reach,
          fusionauthUrl: input.fusionauthUrl,
          clientId: input.clientId,
          redirectUri: input.redirectUri,
          signal: input.signal,
        });
  const shown = (text: string) =>
    !reach || reach === input.endpointUrl ? text : text.split(reach).join(input.endpointUrl);
  record('redirect', probe.ok ? 'pass' : 'fail', shown(probe.message), probe.fix, probe.code);

  // What FusionAuth thinks of the request ngrok sends visitors with (our own values when ngrok sent none).
  const sent = probe.location && reach ? new URL(probe.location, reach).searchParams : undefined;
  await guarded('authorize', async () => {
    if (fusionauthDown)
      return record(
        'authorize',
        'fail',
        "Not tried: FusionAuth's public URL is not served (above).",
        fusionauthDown.fix,
        fusionauthDown.code,
      );
    const clientId = sent?.get('client_id') ?? input.clientId;
    const redirectUri = sent?.get('redirect_uri') ?? input.redirectUri;
    const verdict = await probeAuthorize(fusionauthAt, clientId, redirectUri, input.signal);
    if (verdict.ok)
      return record(
        'authorize',
        'pass',
        `FusionAuth shows its login page for client ${clientId} returning to ${redirectUri}.`,
      );
    const fix =
      verdict.reason === 'invalid_redirect_uri'
        ? `In FusionAuth, add ${redirectUri} to the application's Authorized redirect URLs (Finishing Up With FusionAuth).`
        : verdict.reason === 'invalid_client_id'
          ? 'The Client Id in the ngrok settings is not a FusionAuth application: run Set Up FusionAuth and Set Up ngrok Cloud Edge again.'
          : undefined;
    return record('authorize', 'fail', verdict.message, fix);
  });

  if (!input.login) {
    record('login', 'skip', 'Not checked here: open the endpoint in a private window and log in to see it yourself.');
  } else if (!probe.ok || !reach) {
    record('login', 'fail', 'Not tried: strangers are not sent to the login (above).', undefined, probe.code);
  } else {
    const login = input.login;
    await guarded('login', async () => {
      const browser = new Browser({ signal: input.signal, reach: input.reach });
      const loginPage = await browser.go(reach);
      const form = loginForm(loginPage);
      if (!form) {
        const reason = errorReason(loginPage.body);
        const at = new URL(loginPage.url);
        return record(
          'login',
          'fail',
          `No login form at ${at.origin}${at.pathname}: HTTP ${loginPage.status}${reason ? ` (${reason})` : ''}.`,
        );
      }
      const final = await browser.go(form.action, {
        form: { ...form.hidden, loginId: login.email, password: login.password },
      });
      const served =
        login.page === undefined ? final.status === 200 : final.status === 200 && final.body === login.page;
      if (served) return record('login', 'pass', `${login.email} logged in and got the site's page.`);
      const code = final.headers.get('ngrok-error-code');
      const known = code ? agentError(code) : undefined;
      const reason = errorReason(final.body);
      return record(
        'login',
        'fail',
        `After logging in as ${login.email}: HTTP ${final.status}${code ? ` ${code}` : ''}${known ? ` (${known.sentence})` : reason ? ` (${reason})` : final.status === 200 ? ", but not the site's page" : ''}.`,
        known?.fix,
        code ?? undefined,
      );
    });
  }
  return { ok: checks.every((c) => c.status !== 'fail'), checks };
}

/** FusionAuth's `error_reason` on an error page (invalid_redirect_uri, invalid_client_id, …). */
