// Endpoint URLs as ngrok normalises them: "https://x.ngrok.app:443" → url "https://x.ngrok.app",
// hostport "x.ngrok.app:443". Only http (80) and https (443) on their default ports are supported.
import { errors } from './errors';

export interface EndpointUrl {
  url: string;
  scheme: 'http' | 'https';
  host: string;
  port: number;
  hostport: string;
  internal: boolean;
}

export function parseEndpointUrl(raw: string): EndpointUrl {
  let parsed: URL;
  try {
    parsed = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `https://${raw}`);
  } catch {
    throw errors.invalid(`The URL '${raw}' is invalid.`);
  }
  const scheme = parsed.protocol.slice(0, -1);
  if (scheme !== 'http' && scheme !== 'https')
    throw errors.unsupported(`The endpoint scheme '${scheme}' (only http and https)`);
  if (parsed.pathname !== '/' || parsed.search || parsed.hash || parsed.username)
    throw errors.invalid(`The URL '${raw}' is invalid: an endpoint URL has no path, query or credentials.`);
  const port = parsed.port === '' ? (scheme === 'https' ? 443 : 80) : Number(parsed.port);
  if (port !== (scheme === 'https' ? 443 : 80))
    throw errors.invalid(
      `The URL '${raw}' is invalid: port number must be ${scheme === 'https' ? 443 : 80}, not ${port}.`,
    );
  const host = parsed.hostname.toLowerCase();
  return {
    url: `${scheme}://${host}`,
    scheme,
    host,
    port,
    hostport: `${host}:${port}`,
    internal: host.endsWith('.internal'),
  };
}
