// The guide's Next Steps on the ngrok side, as data: session limits, IP restrictions, headers added or
// removed, a second path sent to another local app. Parsed from what the user types, kept in the store,
// and turned into route modules (edge mode) or traffic-policy actions (endpoint and agent modes).
import { isIP } from 'node:net';
import type { NgrokMode, Values } from '../store';
import type { Validation } from '../validate';

export interface HeaderEdits {
  add: Record<string, string>;
  remove: string[];
}

export interface Extras {
  /** Durations as ngrok writes them: `30m`, `24h`, `1h30m`. */
  sessionInactivity?: string;
  sessionMaxDuration?: string;
  userinfoRefresh?: string;
  allowCidrs: string[];
  request: HeaderEdits;
  response: HeaderEdits;
  second?: { path: string; port: number; slug: string };
}

/** A header meant for the response is stored with this prefix (`response:X-Frame-Options`). */
const RESPONSE = 'response:';
const REQUEST = 'request:';

export function extrasFrom(v: Values): Extras {
  const split = (names: string[]) => ({
    request: names.filter((n) => !n.startsWith(RESPONSE)).map((n) => n.replace(REQUEST, '')),
    response: names.filter((n) => n.startsWith(RESPONSE)).map((n) => n.slice(RESPONSE.length)),
  });
  const adds = Object.entries(v.addHeaders ?? {});
  const removes = split(v.removeHeaders ?? []);
  return {
    sessionInactivity: v.sessionInactivity || undefined,
    sessionMaxDuration: v.sessionMaxDuration || undefined,
    userinfoRefresh: v.userinfoRefresh || undefined,
    allowCidrs: v.allowCidrs ?? [],
    request: {
      add: Object.fromEntries(
        adds.filter(([k]) => !k.startsWith(RESPONSE)).map(([k, val]) => [k.replace(REQUEST, ''), val]),
      ),
      remove: removes.request,
    },
    response: {
      add: Object.fromEntries(
        adds.filter(([k]) => k.startsWith(RESPONSE)).map(([k, val]) => [k.slice(RESPONSE.length), val]),
      ),
      remove: removes.response,
    },
    second:
      v.secondPath && v.secondPort
        ? { path: v.secondPath, port: v.secondPort, slug: slugFor(v.secondPath) }
        : undefined,
  };
}

export const hasHeaderEdits = (h: HeaderEdits): boolean => Object.keys(h.add).length > 0 || h.remove.length > 0;

/** `/api/v1` → `api-v1`: names the second app's internal URL and its tunnel label. */
export function slugFor(path: string): string {
  return (
    path
      .replace(/^\/+|\/+$/g, '')
      .replace(/[^a-z0-9]+/gi, '-')
      .replace(/^-+|-+$/g, '')
      .toLowerCase()
      .slice(0, 40) || 'app'
  );
}

// ---- validators for the Next Steps fields (empty = not set)

const ok = <T>(value: T): Validation<T> => ({ ok: true, value });
const bad = <T>(message: string): Validation<T> => ({ ok: false, message });
const GO_DURATION = /^(\d+(\.\d+)?(ms|s|m|h))+$/;

export function duration(text: string, what: string): Validation<string | undefined> {
  const value = text.trim();
  if (!value) return ok(undefined);
  if (!GO_DURATION.test(value)) return bad(`${what} is a duration like 30m, 12h or 1h30m.`);
  if (durationSeconds(value) < 1) return bad(`${what} must be at least one second.`);
  return ok(value);
}

/** `1h30m` → 5400. The edge's OIDC module counts whole seconds. */
export function durationSeconds(text: string): number {
  const units: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600 };
  let total = 0;
  for (const [, n, , unit] of text.matchAll(/(\d+(\.\d+)?)(ms|s|m|h)/g)) total += Number(n) * units[unit!]!;
  return Math.round(total);
}

function isCidr(text: string): boolean {
  const [address = '', prefix, ...rest] = text.split('/');
  const version = isIP(address);
  if (!version || rest.length) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (version === 4 ? 32 : 128);
}

const items = (text: string, separator: RegExp) =>
  text
    .split(separator)
    .map((s) => s.trim())
    .filter(Boolean);

export function cidrList(text: string): Validation<string[]> {
  const list = items(text, /[,\s]+/);
  const wrong = list.filter((c) => !isCidr(c));
  if (wrong.length)
    return bad(`Not a network in CIDR notation: ${wrong.join(', ')} (like 203.0.113.0/24 or 2001:db8::/32).`);
  return ok([...new Set(list)]);
}

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/**
 * Headers per add-headers or remove-headers action: "Minimum 1, Maximum 10"
 * (ngrok.com/docs/traffic-policy/actions/add-headers and …/remove-headers, Configuration fields).
 */
export const POLICY_HEADERS_MAX = 10;
/**
 * Headers an edge route's request or response headers module adds, and removes: "Max 5" each
 * (ngrok.com/docs/http/request-headers/ and /response-headers/, Reference → Configuration).
 */
export const MODULE_HEADERS_MAX = 5;

/**
 * The names ngrok refuses, from its pages' Special Cases (add-headers, remove-headers, and the edge's
 * Request Headers module): "You may not add or remove the `user-agent` header"; "You may not use this
 * action to add the `ngrok-skip-browser-warning` header"; "You may not remove the `host` header without
 * adding it with a different value" — and "Adding the `host` header override[s] the existing value",
 * so adding it is how to change it.
 */
function ngrokRefuses(name: string, edit: 'add' | 'remove'): string | undefined {
  const lower = name.toLowerCase();
  if (lower === 'user-agent') return `ngrok does not let you ${edit} the User-Agent header.`;
  if (edit === 'add' && lower === 'ngrok-skip-browser-warning')
    return 'ngrok does not let you add ngrok-skip-browser-warning (the browser warning of free accounts stays).';
  if (edit === 'remove' && lower === 'host')
    return 'ngrok does not remove the Host header; add Host=… instead, which replaces it.';
  return undefined;
}

/** Our own rule, not ngrok's: these frame the HTTP message, and a changed one breaks it in transit (RFC 9112 §6, RFC 9110 §7.6.1). */
const FRAMING_HEADERS = new Set(['content-length', 'transfer-encoding', 'connection']);

function headerName(raw: string, edit: 'add' | 'remove'): Validation<string> {
  const prefix = raw.startsWith(RESPONSE) ? RESPONSE : raw.startsWith(REQUEST) ? REQUEST : '';
  const name = raw.slice(prefix.length).trim();
  if (!HEADER_NAME.test(name)) return bad(`"${name}" is not a header name.`);
  const refused = ngrokRefuses(name, edit);
  if (refused) return bad(refused);
  if (FRAMING_HEADERS.has(name.toLowerCase()))
    return bad(
      `${name} frames the HTTP message itself; changing it would break the ${prefix === RESPONSE ? 'response' : 'request'}.`,
    );
  return ok(prefix === RESPONSE ? `${RESPONSE}${name}` : name);
}

/** Request and response each get one action: each is held to the action's maximum. */
function perActionLimit(names: string[], action: 'add-headers' | 'remove-headers'): Validation<undefined> {
  for (const [way, count] of [
    ['request', names.filter((n) => !n.startsWith(RESPONSE)).length],
    ['response', names.filter((n) => n.startsWith(RESPONSE)).length],
  ] as const) {
    if (count > POLICY_HEADERS_MAX)
      return bad(
        `ngrok takes at most ${POLICY_HEADERS_MAX} headers in one ${action} action; ${count} are given for the ${way}.`,
      );
  }
  return ok(undefined);
}

/** `X-Site=demo; response:X-Frame-Options=DENY` → { 'X-Site': 'demo', 'response:X-Frame-Options': 'DENY' }. */
export function headerAdds(text: string): Validation<Record<string, string>> {
  const result: Record<string, string> = {};
  for (const entry of items(text, /;/)) {
    const eq = entry.indexOf('=');
    if (eq < 1) return bad(`Write each header as Name=value, separated by ";" (not "${entry}").`);
    const name = headerName(entry.slice(0, eq).trim(), 'add');
    if (!name.ok) return name;
    const value = entry.slice(eq + 1).trim();
    if (/[\u0000-\u001f\u007f]/.test(value)) return bad(`The value of ${name.value} contains control characters.`);
    result[name.value] = value;
  }
  const limit = perActionLimit(Object.keys(result), 'add-headers');
  return limit.ok ? ok(result) : limit;
}

export function headerNames(text: string): Validation<string[]> {
  const names: string[] = [];
  for (const entry of items(text, /[;,\s]+/)) {
    const name = headerName(entry, 'remove');
    if (!name.ok) return name;
    names.push(name.value);
  }
  const unique = [...new Set(names)];
  const limit = perActionLimit(unique, 'remove-headers');
  return limit.ok ? ok(unique) : limit;
}

/**
 * What a mode cannot take of the header edits, as one sentence: an edge route's headers modules hold
 * 5 each (the fields allow the policy's 10, since they do not know the mode).
 */
export function headerCountProblem(extras: Extras, mode: NgrokMode | undefined): string | undefined {
  if (mode !== 'edge') return undefined;
  for (const [way, edits] of [
    ['request', extras.request],
    ['response', extras.response],
  ] as const) {
    for (const [verb, count] of [
      ['add', Object.keys(edits.add).length],
      ['remove', edits.remove.length],
    ] as const) {
      if (count > MODULE_HEADERS_MAX)
        return `An edge route's ${way} headers module takes at most ${MODULE_HEADERS_MAX} headers to ${verb}; ${count} are set.`;
    }
  }
  return undefined;
}

export function pathPrefix(text: string): Validation<string | undefined> {
  const value = text.trim();
  if (!value) return ok(undefined);
  if (!value.startsWith('/') || value === '/')
    return bad('The path starts with / and names a part of the site, like /api.');
  if (!/^\/[A-Za-z0-9._~\-/]+$/.test(value)) return bad('Use letters, digits, - _ . ~ and / in the path.');
  if (value.startsWith('/ngrok/') || value === '/ngrok')
    return bad('/ngrok/ is reserved by ngrok for its login and logout.');
  return ok(value.replace(/\/+$/, ''));
}

// ---- shown back in the fields

export const formatHeaderAdds = (add: Record<string, string> | undefined): string =>
  Object.entries(add ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join('; ');

export const formatList = (list: string[] | undefined, separator = ', '): string => (list ?? []).join(separator);
