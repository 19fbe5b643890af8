// OpenID Provider discovery with openid-client, as ngrok's cloud does it: the issuer's discovery
// document must exist and name exactly the configured issuer (openid-client enforces the equality).
// Only loopback issuers are ever contacted: the sandbox must not reach the network.
import * as client from 'openid-client';

export class DiscoveryError extends Error {
  constructor(
    /** unreachable: no answer / not 200; invalid: answered, but not a valid document for this issuer. */
    readonly kind: 'unreachable' | 'invalid',
    message: string,
  ) {
    super(message);
  }
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK.has(hostname) || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}

export async function discover(issuer: string, clientId: string, clientSecret: string): Promise<client.Configuration> {
  let url: URL;
  try {
    url = new URL(issuer);
  } catch {
    throw new DiscoveryError('invalid', `the issuer '${issuer}' is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new DiscoveryError('invalid', `the issuer '${issuer}' is not an http(s) URL`);
  if (!isLoopbackHost(url.hostname)) {
    throw new DiscoveryError(
      'unreachable',
      `the sandbox only contacts OpenID Providers on 127.0.0.1, not ${url.hostname}`,
    );
  }
  // openid-client refuses plain http; a loopback IdP is the one place the sandbox allows it.
  const execute = url.protocol === 'http:' ? [client.allowInsecureRequests] : [];
  let config: client.Configuration;
  try {
    config = await client.discovery(url, clientId, clientSecret, client.ClientSecretBasic(clientSecret), {
      execute,
      timeout: 5,
    });
  } catch (error) {
    throw classify(error);
  }
  // client_secret_basic is OAuth's default; use client_secret_post only if the IdP offers just that.
  const methods = config.serverMetadata().token_endpoint_auth_methods_supported;
  if (methods && !methods.includes('client_secret_basic') && methods.includes('client_secret_post')) {
    config = new client.Configuration(
      config.serverMetadata(),
      clientId,
      clientSecret,
      client.ClientSecretPost(clientSecret),
    );
    for (const extension of execute) extension(config);
  }
  return config;
}

function classify(error: unknown): DiscoveryError {
  const err = error as Error & { code?: string; cause?: unknown };
  if (err instanceof TypeError && /fetch failed/i.test(err.message)) {
    const cause = (err.cause as { code?: string } | undefined)?.code;
    return new DiscoveryError('unreachable', `could not connect to the issuer${cause ? ` (${cause})` : ''}`);
  }
  if (err?.name === 'TimeoutError' || err?.name === 'AbortError')
    return new DiscoveryError('unreachable', 'the issuer did not answer in time');
  if (err?.code === 'OAUTH_RESPONSE_IS_NOT_CONFORM')
    return new DiscoveryError('unreachable', 'the discovery document request did not answer 200');
  if (err?.code === 'OAUTH_JSON_ATTRIBUTE_COMPARISON') {
    const found = ((err.cause as { body?: { issuer?: unknown } } | undefined)?.body?.issuer ?? '?') as string;
    return new DiscoveryError('invalid', `the discovery document names the issuer '${found}', not the configured one`);
  }
  return new DiscoveryError('invalid', err?.message ?? String(error));
}
