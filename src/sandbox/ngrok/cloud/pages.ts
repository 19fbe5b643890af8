// Error pages in the manner of ngrok's: an HTML page naming the ERR_NGROK code, plus the
// `Ngrok-Error-Code` header ngrok sets, so both a browser and a script can tell what happened.
import type { ServerResponse } from 'node:http';

export interface Page {
  status: number;
  code?: string;
  title: string;
  message: string;
}

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function sendPage(res: ServerResponse, page: Page, extraHeaders: Record<string, string | string[]> = {}): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const html = `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>${escape(page.title)}</title></head>
<body>
<h1>${escape(page.title)}</h1>
<p>${escape(page.message).replace(/\n/g, '<br>')}</p>
${page.code ? `<p><strong>${escape(page.code)}</strong></p>` : ''}
<p><small>ngrok sandbox</small></p>
</body></html>
`;
  res.writeHead(page.status, {
    'content-type': 'text/html; charset=utf-8',
    'content-length': Buffer.byteLength(html),
    'cache-control': 'no-store',
    ...(page.code ? { 'ngrok-error-code': page.code } : {}),
    ...extraHeaders,
  });
  res.end(html);
}

export const pages = {
  endpointOffline: (url: string): Page => ({
    status: 404,
    code: 'ERR_NGROK_3200',
    title: 'The endpoint is offline.',
    message: `The endpoint ${url} is offline.`,
  }),
  noBackend: (url: string): Page => ({
    status: 502,
    code: 'ERR_NGROK_724',
    title: 'No backend',
    message: `No backend is available to serve requests for endpoint ${url}.`,
  }),
  noRoute: (url: string): Page => ({
    status: 404,
    title: 'No route',
    message: `No route of the edge serving ${url} matches this path.`,
  }),
  nonTerminating: (id: string): Page => ({
    status: 503,
    code: 'ERR_NGROK_6029',
    title: 'Non-terminating traffic policy',
    message: `The traffic policy configured for cloud endpoint ${id} is non-terminating.`,
  }),
  agentUnreachable: (detail: string): Page => ({
    status: 502,
    code: 'ERR_NGROK_3004',
    title: 'ngrok gateway error',
    message: `The server returned an invalid or incomplete HTTP response. (${detail})`,
  }),
  // ngrok's answer to a `secrets.get` that names no secret is not documented (neither the error
  // reference nor https://ngrok.com/docs/traffic-policy/secrets/ gives one): no code, and words that
  // say they are the sandbox's.
  secretMissing: (ref: { vault: string; name: string }): Page => ({
    status: 500,
    title: 'Traffic policy error',
    message: `secrets.get('${ref.vault}', '${ref.name}'): the vault has no such secret (the sandbox's words; ngrok's error for this case is not documented).`,
  }),
  ipDenied: (ip: string): Page => ({
    status: 403,
    code: 'ERR_NGROK_3205',
    title: 'Access denied',
    message: `Access to this endpoint is restricted: the IP address ${ip} is not allowed.`,
  }),
  discoveryInvalid: (issuer: string, detail: string): Page => ({
    status: 502,
    code: 'ERR_NGROK_2227',
    title: 'OpenID Connect configuration error',
    message: `Invalid configuration for openid-connect: The issuer URL with a value of ${issuer} did not return a valid OpenID Connect Discovery document. (${detail})`,
  }),
  discoveryFailed: (detail: string): Page => ({
    status: 502,
    code: 'ERR_NGROK_5534',
    title: 'OpenID Connect error',
    message: `Encountered an error while attempting to fetch OIDC provider metadata: "${detail}".`,
  }),
  badState: (): Page => ({
    status: 400,
    code: 'ERR_NGROK_3300',
    title: 'Authentication failed',
    message: 'URL "state" parameter is invalid. Try logging in again.',
  }),
  providerError: (code: string, details: string): Page => ({
    status: 400,
    code: 'ERR_NGROK_5211',
    title: 'Authentication failed',
    message: `The OIDC provider returned the error code "${code}" with the additional details: "${details}". Try authenticating again.`,
  }),
  tokenExchange: (detail: string): Page => ({
    status: 502,
    code: 'ERR_NGROK_5202',
    title: 'Authentication failed',
    message: `Encountered an error while communicating with the OIDC provider: "${detail}".`,
  }),
  noIdToken: (): Page => ({
    status: 502,
    code: 'ERR_NGROK_5203',
    title: 'Authentication failed',
    message: 'The OIDC provider failed to return a OIDC ID Token.',
  }),
  idTokenInvalid: (detail: string): Page => ({
    status: 502,
    code: 'ERR_NGROK_5204',
    title: 'Authentication failed',
    message: `Failed to verify the OIDC ID Token: "${detail}".`,
  }),
  loggedOut: (): Page => ({ status: 200, title: 'Logged out', message: 'You have been logged out.' }),
  sessionLinkInvalid: (): Page => ({
    status: 400,
    code: 'ERR_NGROK_3300',
    title: 'Authentication failed',
    message: 'The login link is invalid or was already used. Try logging in again.',
  }),
};
