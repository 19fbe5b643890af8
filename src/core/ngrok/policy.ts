// ngrok Traffic Policy documents for the `endpoint` and `agent` modes (the `openid-connect` action:
// https://ngrok.com/docs/traffic-policy/actions/oidc/):
// the login, and the Next Steps around it (IP restrictions, session limits, headers, a second path).
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import YAML from 'yaml';
import { readSmallFile } from '../files';
import { hasHeaderEdits, type Extras } from './next-steps';

export interface OidcSettings {
  issuerUrl: string;
  clientId: string;
  clientSecret: string;
  scopes?: string[];
}

export const DEFAULT_SCOPES = ['openid', 'profile', 'email'];

export interface PolicyOptions {
  /** Endpoint mode: where the cloud endpoint sends logged-in visitors (`https://NAME.internal`). */
  forwardInternalUrl?: string;
  /** Next Steps settings; the second path needs `secondInternalUrl` too. */
  extras?: Extras;
  secondInternalUrl?: string;
}

/**
 * A CEL string literal holding exactly `value`: single-quoted, with `\` and `'` escaped and line
 * breaks and other controls written as escapes (CEL's string literals:
 * https://github.com/google/cel-spec/blob/master/doc/langdef.md#string-and-bytes-values). Every
 * value that goes into an expression goes through it, never into the text of the expression itself.
 */
export function celString(value: string): string {
  const escaped = value
    .replace(/[\\']/g, (c) => `\\${c}`)
    .replace(/[\u0000-\u001f\u007f]/g, (c) => {
      const named: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };
      return named[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
    });
  return `'${escaped}'`;
}

type Action = { type: string; config: Record<string, unknown> };
type Rule = { expressions?: string[]; actions: Action[] };

function headerActions(edits: { add: Record<string, string>; remove: string[] }): Action[] {
  const actions: Action[] = [];
  if (edits.remove.length) actions.push({ type: 'remove-headers', config: { headers: edits.remove } });
  if (Object.keys(edits.add).length) actions.push({ type: 'add-headers', config: { headers: edits.add } });
  return actions;
}

/** The policy as an object: restrict-ips, then openid-connect, then header edits, then the forwards. */
export function policyDocument(oidc: OidcSettings, options: PolicyOptions = {}): Record<string, unknown> {
  const extras = options.extras;
  const login: Action[] = [];
  if (extras?.allowCidrs.length)
    login.push({ type: 'restrict-ips', config: { enforce: true, allow: extras.allowCidrs } });
  login.push({
    type: 'openid-connect',
    config: {
      issuer_url: oidc.issuerUrl,
      client_id: oidc.clientId,
      client_secret: oidc.clientSecret,
      scopes: oidc.scopes ?? DEFAULT_SCOPES,
      ...(extras?.sessionInactivity ? { idle_session_duration: extras.sessionInactivity } : {}),
      ...(extras?.sessionMaxDuration ? { max_session_duration: extras.sessionMaxDuration } : {}),
      ...(extras?.userinfoRefresh ? { userinfo_refresh_interval: extras.userinfoRefresh } : {}),
    },
  });
  if (extras) login.push(...headerActions(extras.request));
  const request: Rule[] = [{ actions: login }];
  if (extras?.second && options.secondInternalUrl) {
    const p = extras.second.path;
    request.push({
      expressions: [`req.url.path == ${celString(p)} || req.url.path.startsWith(${celString(`${p}/`)})`],
      actions: [{ type: 'forward-internal', config: { url: options.secondInternalUrl } }],
    });
  }
  if (options.forwardInternalUrl)
    request.push({ actions: [{ type: 'forward-internal', config: { url: options.forwardInternalUrl } }] });
  const doc: Record<string, unknown> = { on_http_request: request };
  if (extras && hasHeaderEdits(extras.response)) doc.on_http_response = [{ actions: headerActions(extras.response) }];
  return doc;
}

/** Two policies mean the same (YAML or JSON, any formatting). */
export function samePolicy(a: string, b: string): boolean {
  try {
    return isDeepStrictEqual(YAML.parse(a), YAML.parse(b));
  } catch {
    return false;
  }
}

/** The policy holds the client secret: 0600, like the store. */
export async function writePolicyFile(file: string, policy: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  await writeFile(file, policy, { mode: 0o600 });
  await chmod(file, 0o600);
}

/** A policy is a few KB; a megabyte is not one of ours. */
const POLICY_FILE_MAX_BYTES = 1024 * 1024;

/**
 * The policy file's text, or undefined when it is missing or unreadable. Read bounded (files/): the
 * path comes from the store, which a person may edit, and a FIFO there would hang the step.
 */
export async function readPolicyFile(file: string): Promise<string | undefined> {
  try {
    return readSmallFile(file, { what: 'the traffic-policy file', maxBytes: POLICY_FILE_MAX_BYTES });
  } catch {
    return undefined;
  }
}
