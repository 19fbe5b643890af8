// Proof that the site is protected: a stranger (no cookies) asking for the endpoint is sent to
// FusionAuth's authorize endpoint with our client id, ngrok's redirect URI and the openid scope.
import { UserError } from './errors';
import { httpGet } from './http';

export interface ProtectionProbe {
  ok: boolean;
  message: string;
  location?: string;
}

export async function probeProtection(options: { endpointUrl: string; fusionauthUrl: string; clientId: string; redirectUri: string; signal?: AbortSignal }): Promise<ProtectionProbe> {
  let response: Response;
  try {
    response = await httpGet(options.endpointUrl, { signal: options.signal, timeoutMs: 15_000 });
  } catch (error) {
    if (error instanceof UserError) return { ok: false, message: error.message };
    throw error;
  }
  await response.body?.cancel();
  const location = response.headers.get('location') ?? undefined;
  if (response.status < 300 || response.status >= 400 || !location) {
    const offline = response.status === 404 || response.status === 502 || response.status === 503;
    return {
      ok: false,
      message: response.status === 200
        ? `${options.endpointUrl} answered 200 without a login: the site is NOT protected.`
        : `${options.endpointUrl} answered ${response.status}${offline ? ' (is the agent running?)' : ''}, not a redirect to FusionAuth.`,
    };
  }
  const target = new URL(location, options.endpointUrl);
  const expected = new URL('/oauth2/authorize', options.fusionauthUrl);
  if (target.origin + target.pathname !== expected.href) {
    return { ok: false, location, message: `Strangers are sent to ${target.origin}${target.pathname}, not to ${expected.href}.` };
  }
  const params = target.searchParams;
  const problems = [
    params.get('client_id') !== options.clientId && `client_id is ${params.get('client_id')}, not ${options.clientId}`,
    params.get('redirect_uri') !== options.redirectUri && `redirect_uri is ${params.get('redirect_uri')}, not ${options.redirectUri}`,
    !(params.get('scope') ?? '').split(' ').includes('openid') && 'the openid scope is missing',
  ].filter(Boolean);
  if (problems.length) return { ok: false, location, message: `The login request is wrong: ${problems.join('; ')}.` };
  return { ok: true, location, message: `A visitor without a session is sent to the FusionAuth login (${expected.href}).` };
}
