// What ngrok accepts in header edits, and how it applies them: the traffic policy actions add-headers
// and remove-headers, and the HTTPS edge route modules request_headers and response_headers. Each rule
// is ngrok's documented one; the page is named beside it.
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';

/**
 * Per action, 1 to 10 headers: "Minimum 1, Maximum 10" for add-headers' `headers` map and for
 * remove-headers' `headers` list (ngrok.com/docs/traffic-policy/actions/add-headers and
 * …/remove-headers; ngrok/ngrok-docs snippets/traffic-policy/actions/*-headers/config.mdx).
 */
export const POLICY_HEADERS_MAX = 10;

/**
 * Per edge module, at most 5 added and 5 removed: "Added Headers … Max 5", "Removed Headers … Max 5"
 * (ngrok.com/docs/http/request-headers/ and /response-headers/, Reference → Configuration;
 * ngrok/ngrok-docs docs/http/request-headers.mdx). Past that, ERR_NGROK_7015.
 */
export const MODULE_HEADERS_MAX = 5;

/**
 * Names ngrok refuses, by what is done with them. The add-headers and remove-headers pages and the
 * Request Headers module page, Special Cases: "You may not add or remove the `user-agent` header";
 * "You may not use this action [module] to add the `ngrok-skip-browser-warning` header".
 */
export function refusedHeader(name: string, edit: 'add' | 'remove'): string | undefined {
  const lower = name.toLowerCase();
  if (lower === 'user-agent') return `You may not ${edit} the user-agent header.`;
  if (edit === 'add' && lower === 'ngrok-skip-browser-warning')
    return 'You may not add the ngrok-skip-browser-warning header.';
  return undefined;
}

/**
 * The Request Headers module only (its page, Special Cases): "You may not remove the `host` header
 * without adding it with a different value." The remove-headers action's page says nothing of host.
 */
export function hostRemovalRefused(removed: readonly string[], added: readonly string[]): string | undefined {
  const has = (list: readonly string[]) => list.some((name) => name.toLowerCase() === 'host');
  return has(removed) && !has(added)
    ? 'You may not remove the host header without adding it with a different value.'
    : undefined;
}

/** An RFC 9110 token: what ngrok's ERR_NGROK_7023 / 1623 call a valid HTTP header name. */
export const isHeaderName = (name: string): boolean => /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name);

type Headers = IncomingHttpHeaders | OutgoingHttpHeaders;

/**
 * Adds one header the way ngrok does: "If the header already exists it will append another header with
 * the same key unless it is the `host` header"; "Adding the `host` header override[s] the existing
 * value" (add-headers, Behavior). Keys are lowercased ("normalized to lowercase").
 */
export function addHeader(headers: Headers, name: string, value: string): void {
  const key = name.toLowerCase();
  const existing = headers[key];
  if (key === 'host' || existing === undefined) headers[key] = value;
  else headers[key] = [...(Array.isArray(existing) ? existing : [String(existing)]), value];
}

/** Removes every value of a header, matching the name case-insensitively (Request Headers module, Case Sensitivity). */
export function removeHeader(headers: Headers, name: string): void {
  delete headers[name.toLowerCase()];
}
