// Validators for every value a user types or pastes. Each returns a typed value or one sentence that
// says what is wrong and what is expected, so screens can show it as the user types and the
// non-interactive path can print it as-is. A sentence never quotes a URL's user name or password.
import { hasUserinfo, withoutUserinfo } from './text';

export type Validation<T> = { ok: true; value: T } | { ok: false; message: string };

const ok = <T>(value: T): Validation<T> => ({ ok: true, value });
const bad = <T>(message: string): Validation<T> => ({ ok: false, message });

/** The check for a field that may stay empty: blank text is `empty` (e.g. '' or undefined), else `check`. */
export const optional =
  <T, E = ''>(check: (text: string) => Validation<T>, empty: E = '' as E) =>
  (text: string): Validation<T | E> =>
    text.trim() ? check(text) : ok(empty);

const MAX_INPUT = 2048;

function basicText(text: string, what: string): Validation<string> {
  const value = text.trim();
  if (!value) return bad(`${what} is empty.`);
  if (value.length > MAX_INPUT) return bad(`${what} is ${value.length} characters long; that cannot be right.`);
  if (/\s/.test(value)) return bad(`${what} contains spaces.`);
  // Control characters come from a broken paste (escape sequences), never from a real value.
  if (/[\u0000-\u001f\u007f]/.test(value)) return bad(`${what} contains control characters.`);
  return ok(value);
}

/** The FusionAuth URL, which becomes the OIDC issuer. */
export const fusionauthUrl = (text: string): Validation<string> =>
  serverUrl(text, 'The FusionAuth URL', { issuer: true });

/**
 * The URL of a server (FusionAuth, a public endpoint): scheme and host, nothing after. Returned as the
 * origin (`https://host[:port]`), which is how FusionAuth spells an issuer.
 */
export function serverUrl(
  text: string,
  what = 'The URL',
  options: { httpsOnly?: boolean; issuer?: boolean } = {},
): Validation<string> {
  const basic = basicText(text, what);
  if (!basic.ok) return basic;
  const value = basic.value;
  // First, and without quoting it: whatever else is wrong, the answer must not echo a password.
  if (hasUserinfo(value)) return bad(`${what} must not contain a user name or password.`);
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
    return bad(`${what} needs its scheme (https://${withoutUserinfo(value).replace(/^\/+/, '')}).`);
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return bad(`${what} is not a valid URL.`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    return bad(`${what} must start with https:// (not ${url.protocol}//).`);
  if (options.httpsOnly && url.protocol !== 'https:') return bad(`${what} must use https://.`);
  // ngrok's OIDC accepts only an https issuer; plain http is for a FusionAuth on this machine (the sandbox).
  if (options.issuer && url.protocol !== 'https:' && !isLoopbackHost(url.hostname)) {
    return bad(
      `${what} must use https://: ngrok only accepts an https issuer (http is for a FusionAuth on this machine).`,
    );
  }
  if (!url.hostname) return bad(`${what} has no host name.`);
  if (url.username || url.password) return bad(`${what} must not contain a user name or password.`);
  if (url.pathname !== '/' || url.search || url.hash) {
    return bad(`${what} must be just the server, like ${url.origin} (no path, query or #fragment).`);
  }
  return ok(url.origin);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** FusionAuth's Client Id is the application id, a UUID. */
export function clientId(text: string): Validation<string> {
  const basic = basicText(text, 'The Client Id');
  if (!basic.ok) return basic;
  if (!UUID.test(basic.value))
    return bad(
      'The Client Id is a UUID, like 1f0e6c4a-8d2b-4b6e-9a3f-5c7d8e9f0a1b (Applications → your application → OAuth tab).',
    );
  return ok(basic.value.toLowerCase());
}

export function clientSecret(text: string): Validation<string> {
  const basic = basicText(text, 'The Client secret');
  if (!basic.ok) return basic;
  if (UUID.test(basic.value))
    return bad('That looks like the Client Id; the Client secret is the long value below it.');
  if (basic.value.length < 8) return bad('The Client secret is too short; copy the whole value.');
  return ok(basic.value);
}

const EDGE_ID = /^edghts_[A-Za-z0-9]{10,64}$/;

export function edgeId(text: string): Validation<string> {
  const basic = basicText(text, 'The edge id');
  if (!basic.ok) return basic;
  if (!EDGE_ID.test(basic.value)) return bad('An HTTPS edge id looks like edghts_2HhKN3ozOCbPO6eDYlXnUgUyiEn.');
  return ok(basic.value);
}

export function port(text: string | number): Validation<number> {
  const value = String(text).trim();
  if (!/^\d{1,5}$/.test(value)) return bad('A port is a whole number from 1 to 65535.');
  const n = Number(value);
  if (n < 1 || n > 65535) return bad(`Port ${n} is out of range: use 1 to 65535.`);
  return ok(n);
}

/**
 * A profile name (`--profile NAME`, core/store/profiles.ts) is one folder's name and nothing else:
 * letters, digits, `-` and `_`, starting with a letter or digit, at most 40 characters. So no path
 * separator, no `..`, no leading dot (a hidden folder) or dash (read as an option when pasted into a
 * command), nothing a shell must quote.
 */
export const PROFILE_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$/;

export function profileName(text: string): Validation<string> {
  if (PROFILE_NAME.test(text)) return ok(text);
  // Quoted back only when it is short printable text: never a control sequence, never a pasted page.
  const shown = /^[\x20-\x7e]{1,60}$/.test(text) ? ` "${text}"` : '';
  return bad(
    `The profile name${shown} is not usable: use 1 to 40 letters, digits, "-" or "_", starting with a letter or digit.`,
  );
}

/** The host of ngrok's OIDC callback (https://idp.ngrok.com/oauth2/callback, a constant of ngrok's). */
const NGROK_CALLBACK_HOST = 'idp.ngrok.com';

/**
 * ngrok's OIDC callback: an https URL with a path on ngrok's own host (http on this machine is the
 * sandbox's stand-in cloud). Any other host is refused: FusionAuth sends the authorization code to
 * each URL in the list, so a foreign host there would receive the logins.
 */
export function redirectUri(text: string): Validation<string> {
  const basic = basicText(text, 'The redirect URI');
  if (!basic.ok) return basic;
  if (hasUserinfo(basic.value)) return bad('The redirect URI must not contain a user name or password.');
  let url: URL;
  try {
    url = new URL(basic.value);
  } catch {
    return bad('The redirect URI must be a full URL, like https://idp.ngrok.com/oauth2/callback.');
  }
  const loopback = isLoopbackHost(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback))
    return bad('The redirect URI must use https://.');
  if (!loopback && url.hostname !== NGROK_CALLBACK_HOST) {
    return bad(
      `The redirect URI must be ngrok's callback on ${NGROK_CALLBACK_HOST}, like https://${NGROK_CALLBACK_HOST}/oauth2/callback: FusionAuth sends each login's code to the URLs on the list.`,
    );
  }
  if (url.pathname === '/' || url.search || url.hash)
    return bad('The redirect URI ends in a callback path, like https://idp.ngrok.com/oauth2/callback.');
  return ok(url.href);
}

/** A public ngrok URL for the protected site: `https://name.ngrok.app` (a bare host name is accepted). */
export function publicUrl(text: string): Validation<string> {
  const trimmed = text.trim();
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) || !trimmed ? trimmed : `https://${trimmed}`;
  const url = serverUrl(withScheme, 'The public URL', { httpsOnly: true });
  if (!url.ok) return url;
  if (!new URL(url.value).hostname.includes('.'))
    return bad('The public URL needs a full domain, like https://example.ngrok.app.');
  return url;
}

/** An internal agent endpoint URL, `https://name.internal`. */
export function internalUrl(text: string): Validation<string> {
  const url = serverUrl(text, 'The internal URL', { httpsOnly: true });
  if (!url.ok) return url;
  if (!/^https:\/\/[a-z0-9-]+(\.[a-z0-9-]+)*\.internal$/i.test(url.value))
    return bad('An internal URL looks like https://my-site.internal.');
  return url;
}

export function applicationName(text: string): Validation<string> {
  const value = text.trim();
  if (!value) return bad('The application name is empty.');
  if (value.length > 191) return bad('The application name is longer than FusionAuth allows (191 characters).');
  if (/[\u0000-\u001f\u007f]/.test(value)) return bad('The application name contains control characters.');
  return ok(value);
}

/** An API key as pasted from FusionAuth (Settings → API Keys): one word, no spaces. */
export function apiKey(text: string, what = 'The API key', minLength = 8): Validation<string> {
  const basic = basicText(text, what);
  if (!basic.ok) return basic;
  if (basic.value.length < minLength) return bad(`${what} is too short; copy the whole key.`);
  return ok(basic.value);
}

/** Where FusionAuth sends an event: an http(s) URL, a path allowed. */
export function webhookUrl(text: string): Validation<string> {
  const basic = basicText(text, 'The webhook URL');
  if (!basic.ok) return basic;
  if (hasUserinfo(basic.value)) return bad('The webhook URL must not contain a user name or password.');
  if (!/^https?:\/\//i.test(basic.value))
    return bad('The webhook URL starts with https:// (or http://), like https://example.com/hooks/login.');
  const url = URL.parse(basic.value);
  if (!url || !url.hostname) return bad('The webhook URL is not a valid URL.');
  if (url.username || url.password) return bad('The webhook URL must not contain a user name or password.');
  return ok(url.href);
}

export function email(text: string): Validation<string> {
  const basic = basicText(text, 'The email address');
  if (!basic.ok) return basic;
  if (!/^[^@]+@[^@]+\.[^@]+$/.test(basic.value)) return bad('That is not an email address, like someone@example.com.');
  return ok(basic.value);
}

export function directory(text: string): Validation<string> {
  const value = text.trim();
  if (!value) return bad('The folder is empty.');
  if (value.length > 1024) return bad('That folder path is too long.');
  if (/[\u0000-\u001f\u007f]/.test(value)) return bad('The folder contains control characters.');
  return ok(value);
}

export interface TunnelCommand {
  edgeId: string;
  label: string;
  port: number;
  region?: string;
}

/**
 * Parses the command ngrok's "Start a Tunnel" dialog gives, as in the guide:
 * `ngrok tunnel --region us --label edge=edghts_… http://localhost:8000`.
 */
export function tunnelCommand(text: string): Validation<TunnelCommand> {
  const value = text.trim().replace(/\\\n/g, ' ');
  if (!value) return bad('Paste the command from ngrok\'s "Start a Tunnel" dialog.');
  if (value.length > MAX_INPUT) return bad('That command is far too long.');
  const words = value.split(/\s+/);
  if (words[0] !== 'ngrok' || words[1] !== 'tunnel')
    return bad(
      'The command starts with "ngrok tunnel", like ngrok tunnel --label edge=edghts_… http://localhost:8000.',
    );
  let label: string | undefined;
  let region: string | undefined;
  const addresses: string[] = [];
  for (let i = 2; i < words.length; i++) {
    const word = words[i]!;
    const [flag, inline] =
      word.includes('=') && word.startsWith('--')
        ? [word.slice(0, word.indexOf('=')), word.slice(word.indexOf('=') + 1)]
        : [word, undefined];
    if (flag === '--label' || flag === '--region') {
      const arg = inline ?? words[++i];
      if (!arg) return bad(`${flag} needs a value.`);
      if (flag === '--label') {
        if (label) return bad('Only one --label edge=… is expected.');
        label = arg;
      } else if (!/^[A-Za-z0-9_-]{1,32}$/.test(arg)) return bad('The region is a short name like us, eu or ap.');
      else region = arg;
    } else if (flag === '--authtoken') {
      return bad('Leave the authtoken out of the command: configure it once with `ngrok config add-authtoken`.');
    } else if (flag.startsWith('-')) {
      return bad(`The command has an option this setup does not use: ${flag}.`);
    } else addresses.push(word);
  }
  if (!label) return bad('The command has no --label edge=edghts_… .');
  const labelMatch = /^edge=(.+)$/.exec(label);
  if (!labelMatch) return bad(`The label must be edge=<edge id>, not ${label}.`);
  const edge = edgeId(labelMatch[1]!);
  if (!edge.ok) return edge;
  if (addresses.length !== 1)
    return bad(
      addresses.length
        ? 'The command should end with one address, like http://localhost:8000.'
        : 'The command ends with the address of your site, like http://localhost:8000.',
    );
  const address = /^(?:https?:\/\/)?(localhost|127\.0\.0\.1)?:?(\d+)\/?$/.exec(addresses[0]!);
  if (!address) return bad(`The address ${addresses[0]} should be your local site, like http://localhost:8000.`);
  const parsedPort = port(address[2]!);
  if (!parsedPort.ok) return parsedPort;
  return ok({ edgeId: edge.value, label: `edge=${edge.value}`, port: parsedPort.value, ...(region ? { region } : {}) });
}

export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host.endsWith('.localhost') || host === '::1' || /^127\./.test(host);
}

/** Hosts ngrok's cloud cannot reach: loopback, private ranges, link-local, `.local`. */
export function isPrivateHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (isLoopbackHost(host)) return true;
  if (
    host.endsWith('.local') ||
    host.endsWith('.internal') ||
    host.endsWith('.lan') ||
    (!host.includes('.') && !host.includes(':'))
  )
    return true;
  const v4 = /^(\d+)\.(\d+)\.\d+\.\d+$/.exec(host);
  if (v4) {
    const a = Number(v4[1]);
    const b = Number(v4[2]);
    return (
      a === 10 ||
      a === 0 ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      (a === 169 && b === 254) ||
      (a === 100 && b >= 64 && b <= 127)
    );
  }
  return /^(fc|fd|fe80)/.test(host);
}
