// Plain HTTP for the checks that need no API client (discovery, probes), and the one mapper that turns
// a failed request into a sentence a user can act on.
import { UserError, isAbortError } from '../errors';
import { boundedResponse } from './body-limit';

export interface HttpOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
  headers?: Record<string, string>;
  redirect?: 'manual' | 'follow' | 'error';
  method?: string;
  body?: string;
  /** Who answers, for the "answered with N MB" sentence; default: the URL's origin. */
  service?: string;
}

/**
 * fetch with a timeout that also honours the caller's AbortSignal, and the body already read, at most
 * BODY_LIMIT_BYTES of it (body-limit.ts), within the same timeout. Network failures and an oversized
 * body become UserErrors; the caller's own abort (Ctrl-C) is rethrown as it is.
 */
export async function httpRequest(url: string | URL, options: HttpOptions = {}): Promise<Response> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  try {
    const response = await fetch(url, {
      method: options.method,
      body: options.body,
      headers: options.headers,
      redirect: options.redirect ?? 'manual',
      signal,
    });
    return await boundedResponse(response, options.service ?? safeHost(String(url)));
  } catch (error) {
    if (options.signal?.aborted) throw error;
    if (error instanceof UserError) throw error; // the body's own sentence (too large), already said
    throw networkError(String(url), error, timeoutMs);
  }
}

export const httpGet = (url: string, options: Omit<HttpOptions, 'method' | 'body'> = {}): Promise<Response> =>
  httpRequest(url, options);

/** The one place that explains why a request did not get an answer. */
export function networkError(url: string, error: unknown, timeoutMs?: number): UserError {
  const host = safeHost(url);
  if (isAbortError(error)) {
    return new UserError(`${host} did not answer within ${Math.round((timeoutMs ?? 10_000) / 1000)} s.`, {
      hint: 'Check that the address is right and the server is up.',
      cause: error,
    });
  }
  // undici follows at most 20 redirects, then fails with only this message (no code) under "fetch failed".
  if (causeMessages(error).includes('redirect count exceeded')) {
    return new UserError(`${host} redirects in a loop (more than 20 redirects without an answer).`, {
      hint: 'Check the URL: a proxy or a server set up to send every request elsewhere answers so.',
      cause: error,
    });
  }
  const code = errorCode(error);
  const messages: Record<string, string> = {
    ECONNREFUSED: `Nothing is listening at ${host} (connection refused).`,
    ENOTFOUND: `The host name in ${host} does not exist (DNS lookup failed).`,
    EAI_AGAIN: `The host name in ${host} could not be looked up right now (DNS).`,
    ECONNRESET: `${host} closed the connection.`,
    UND_ERR_SOCKET: `${host} closed the connection.`,
    EHOSTUNREACH: `${host} cannot be reached from this machine.`,
    ENETUNREACH: `${host} cannot be reached: no network route.`,
    CERT_HAS_EXPIRED: `The TLS certificate of ${host} has expired.`,
    DEPTH_ZERO_SELF_SIGNED_CERT: `${host} uses a self-signed TLS certificate.`,
    SELF_SIGNED_CERT_IN_CHAIN: `${host} uses a TLS certificate from an untrusted authority.`,
    UNABLE_TO_VERIFY_LEAF_SIGNATURE: `The TLS certificate of ${host} cannot be verified.`,
    ERR_TLS_CERT_ALTNAME_INVALID: `The TLS certificate of ${host} is for another host name.`,
    EPROTO: `TLS with ${host} failed (is it plain http on an https URL?).`,
    ERR_SSL_WRONG_VERSION_NUMBER: `TLS with ${host} failed (is it plain http on an https URL?).`,
  };
  const message = (code && messages[code]) ?? `Could not reach ${host}${code ? ` (${code})` : ''}.`;
  return new UserError(message, {
    hint: 'Check the URL, and that the server is running and reachable from here.',
    cause: error,
  });
}

/** The system or library code (ECONNRESET, UND_ERR_SOCKET, a TLS code) of an error or its causes. */
export function errorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** The messages of an error and its causes, outermost first. */
function causeMessages(error: unknown): string[] {
  const messages: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current instanceof Error && depth < 5; depth++) {
    messages.push(current.message);
    current = current.cause;
  }
  return messages;
}

const DROPPED = new Set(['ECONNRESET', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'EPIPE', 'ECONNABORTED']);

/** The connection broke after it was made: worth another try, unlike a refusal or a timeout. */
export function isDroppedConnection(error: unknown): boolean {
  const code = errorCode(error);
  return code !== undefined && DROPPED.has(code);
}

function safeHost(url: string): string {
  // A URL without an origin (file:, data:) has "null" for one: the URL itself says more.
  const origin = URL.parse(url)?.origin;
  return origin && origin !== 'null' ? origin : url;
}
