// OpenID Provider discovery with openid-client, as ngrok's cloud does it: the issuer's discovery
// document must exist and name exactly the configured issuer (openid-client enforces the equality).
// Only this machine is ever contacted: the sandbox must not reach the network. Two kinds of issuer
// are reachable, as they are for ngrok's cloud:
// - a public hostname the cloud serves itself (an endpoint on one of the account's domains, e.g. a
//   FusionAuth published through ngrok): its requests go to that hostname's loopback listener, so
//   discovery, the token call and userinfo all pass through the published endpoint;
// - a loopback issuer (http://127.0.0.1:PORT), unless the sandbox models a FusionAuth that only this
//   machine reaches (`privateIdp`): ngrok's cloud runs on the internet and cannot reach localhost or a
//   private address (shared/reference/FUSIONAUTH.md, "ngrok's cloud must reach FusionAuth over the
//   internet"; ngrok's OIDC action fetches `<issuer>/.well-known/openid-configuration` itself:
//   https://ngrok.com/docs/traffic-policy/actions/oidc/).
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

/** How the cloud reaches an issuer: its own public hostnames, and whether loopback counts as reachable. */
export interface CloudNet {
  /** The loopback origin of a public hostname this cloud serves (http://127.0.0.1:PORT), if any. */
  ownHost(hostname: string): string | undefined;
  /** True when the sandbox models a FusionAuth that ngrok's cloud cannot reach on loopback. */
  privateIdp(): boolean;
}

const LOOPBACK_ONLY: CloudNet = { ownHost: () => undefined, privateIdp: () => false };

/** A fetch that sends requests for the cloud's own hostnames to their loopback listeners. */
function viaOwnHosts(net: CloudNet): (url: string, options: client.CustomFetchOptions) => Promise<Response> {
  return (url, options) => {
    const target = new URL(url);
    const origin = net.ownHost(target.hostname);
    const sent = origin ? new URL(`${target.pathname}${target.search}`, origin) : target;
    if (!origin && !isLoopbackHost(target.hostname))
      return Promise.reject(new TypeError('fetch failed', { cause: { code: 'ENOTFOUND' } }));
    return fetch(sent, options as RequestInit);
  };
}

export async function discover(
  issuer: string,
  clientId: string,
  clientSecret: string,
  net: CloudNet = LOOPBACK_ONLY,
): Promise<client.Configuration> {
  let url: URL;
  try {
    url = new URL(issuer);
  } catch {
    throw new DiscoveryError('invalid', `the issuer '${issuer}' is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new DiscoveryError('invalid', `the issuer '${issuer}' is not an http(s) URL`);
  const own = net.ownHost(url.hostname) !== undefined;
  if (!own && !isLoopbackHost(url.hostname)) {
    throw new DiscoveryError(
      'unreachable',
      `the sandbox only contacts OpenID Providers on 127.0.0.1, not ${url.hostname}`,
    );
  }
  if (!own && net.privateIdp())
    throw new DiscoveryError('unreachable', `could not connect to the issuer: ${url.host} is a local address`);
  // openid-client refuses plain http; a loopback IdP is the one place the sandbox allows it.
  const execute = url.protocol === 'http:' ? [client.allowInsecureRequests] : [];
  const customFetch = viaOwnHosts(net);
  let config: client.Configuration;
  try {
    config = await client.discovery(url, clientId, clientSecret, client.ClientSecretBasic(clientSecret), {
      execute,
      timeout: 5,
      [client.customFetch]: customFetch,
    });
  } catch (error) {
    throw classify(error);
  }
  // Every later call (token, userinfo, JWKS) goes the same way as discovery did.
  config[client.customFetch] = customFetch;
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
    config[client.customFetch] = customFetch;
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
