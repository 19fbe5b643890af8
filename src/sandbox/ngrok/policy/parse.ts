// Traffic Policy documents (YAML or JSON) → a checked, compiled policy. Strict on purpose: unknown
// keys, actions, phases or expressions are errors here, at creation time, as they are for ngrok, so a
// policy that the sandbox would not enforce exactly never goes live.
import YAML from 'yaml';
import { CelError, compileCel, type Predicate } from './cel';
import { parseDuration } from './duration';
import { compileTemplate, hasInterpolation, secretRef, type SecretRef, type Template } from './template';
import { parseCidr } from '../ip';
import { isHeaderName, POLICY_HEADERS_MAX, refusedHeader } from '../header-rules';

export class PolicyError extends Error {}

export interface OidcConfig {
  issuerUrl: string;
  clientId: string;
  clientSecret: string;
  /** `client_secret: ${secrets.get(vault, name)}`: read from the account's vault each time it is used. */
  clientSecretRef?: SecretRef;
  scopes: string[];
  maxSessionMs?: number;
  idleSessionMs?: number;
  authId?: string;
  authzUrlParams: Record<string, string>;
  allowCorsPreflight: boolean;
  /** Where the issuer is in the document, for ngrok's 2227 message. */
  configPath: string;
}

export type Action =
  | { type: 'openid-connect'; oidc: OidcConfig }
  | { type: 'restrict-ips'; enforce: boolean; allow: string[]; deny: string[]; ipPolicies: string[] }
  | { type: 'add-headers'; headers: Array<[string, Template]> }
  | { type: 'remove-headers'; headers: string[] }
  | { type: 'forward-internal'; url: string; host: string; onError: 'halt' | 'continue' }
  | { type: 'custom-response'; status: number; body: Template; headers: Array<[string, Template]> }
  | { type: 'deny'; status: number };

export interface Rule {
  name?: string;
  expressions: Predicate[];
  actions: Action[];
}

export interface Policy {
  onHttpRequest: Rule[];
  onHttpResponse: Rule[];
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function onlyKeys(obj: Obj, allowed: string[], where: string): void {
  for (const key of Object.keys(obj))
    if (!allowed.includes(key)) throw new PolicyError(`${where}: unknown field '${key}'`);
}

function str(obj: Obj, key: string, where: string, required: boolean): string | undefined {
  const value = obj[key];
  if (value === undefined || value === null) {
    if (required) throw new PolicyError(`${where}: '${key}' is required`);
    return undefined;
  }
  if (typeof value !== 'string') throw new PolicyError(`${where}: '${key}' must be a string`);
  if (required && value.trim() === '') throw new PolicyError(`${where}: '${key}' must not be empty`);
  return value;
}

function strings(obj: Obj, key: string, where: string): string[] {
  const value = obj[key];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string'))
    throw new PolicyError(`${where}: '${key}' must be a list of strings`);
  return value as string[];
}

function stringMap(obj: Obj, key: string, where: string): Array<[string, string]> {
  const value = obj[key];
  if (value === undefined || value === null) return [];
  if (!isObj(value)) throw new PolicyError(`${where}: '${key}' must be a map of strings`);
  return Object.entries(value).map(([k, v]) => {
    if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean')
      throw new PolicyError(`${where}: '${key}.${k}' must be a string`);
    return [k, String(v)];
  });
}

function template(text: string, where: string): Template {
  try {
    return compileTemplate(text);
  } catch (error) {
    throw new PolicyError(`${where}: ${(error as Error).message}`);
  }
}

function duration(obj: Obj, key: string, where: string): number | undefined {
  const text = str(obj, key, where, false);
  if (text === undefined) return undefined;
  const ms = parseDuration(text);
  if (ms === undefined) throw new PolicyError(`${where}: '${key}' is not a duration (e.g. 24h, 30m)`);
  return ms;
}

function statusCode(obj: Obj, key: string, where: string, fallback: number): number {
  const value = obj[key] ?? fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 100 || value > 599)
    throw new PolicyError(`${where}: '${key}' must be an HTTP status code`);
  return value;
}

/** The header names of one add-headers/remove-headers action, by ngrok's rules (header-rules.ts). */
function headerNames(names: string[], edit: 'add' | 'remove', at: string): void {
  if (names.length < 1 || names.length > POLICY_HEADERS_MAX)
    throw new PolicyError(`${at}: 'headers' needs 1 to ${POLICY_HEADERS_MAX} entries, not ${names.length}`);
  for (const name of names) {
    if (!isHeaderName(name)) throw new PolicyError(`${at}: '${name}' is not a valid HTTP header name`);
    const refused = refusedHeader(name, edit);
    if (refused) throw new PolicyError(`${at}: ${refused}`);
  }
}

function parseAction(raw: unknown, phase: 'on_http_request' | 'on_http_response', where: string): Action {
  if (!isObj(raw)) throw new PolicyError(`${where}: an action must be an object`);
  onlyKeys(raw, ['type', 'config'], where);
  const type = str(raw, 'type', where, true)!;
  const config = raw.config ?? {};
  if (!isObj(config)) throw new PolicyError(`${where}.config: must be an object`);
  const at = `${where}.config`;
  const requestOnly = (): void => {
    if (phase !== 'on_http_request')
      throw new PolicyError(`${where}: action '${type}' is not supported in ${phase} by the sandbox`);
  };
  switch (type) {
    case 'openid-connect': {
      requestOnly();
      onlyKeys(
        config,
        [
          'issuer_url',
          'client_id',
          'client_secret',
          'scopes',
          'max_session_duration',
          'idle_session_duration',
          'userinfo_refresh_interval',
          'auth_id',
          'authz_url_params',
          'allow_cors_preflight',
          'auth_cookie_domain',
        ],
        at,
      );
      const issuerUrl = str(config, 'issuer_url', at, true)!;
      const clientId = str(config, 'client_id', at, true)!;
      const clientSecret = str(config, 'client_secret', at, true)!;
      // client_secret "Supports CEL" (https://ngrok.com/docs/traffic-policy/actions/openid-connect/,
      // "Configuration fields"); of CEL the sandbox reads only a vault secret, `${secrets.get(…)}`.
      const clientSecretRef = secretRef(clientSecret);
      if (hasInterpolation(clientId) || (hasInterpolation(clientSecret) && !clientSecretRef))
        throw new PolicyError(
          `${at}: CEL interpolation in client_id/client_secret other than \${secrets.get(…)} is not supported by the sandbox`,
        );
      duration(config, 'userinfo_refresh_interval', at);
      str(config, 'auth_cookie_domain', at, false);
      const cors = config.allow_cors_preflight ?? false;
      if (typeof cors !== 'boolean') throw new PolicyError(`${at}: 'allow_cors_preflight' must be a boolean`);
      return {
        type,
        oidc: {
          issuerUrl,
          clientId,
          clientSecret,
          clientSecretRef,
          scopes: strings(config, 'scopes', at),
          maxSessionMs: duration(config, 'max_session_duration', at),
          idleSessionMs: duration(config, 'idle_session_duration', at),
          authId: str(config, 'auth_id', at, false),
          authzUrlParams: Object.fromEntries(stringMap(config, 'authz_url_params', at)),
          allowCorsPreflight: cors,
          configPath: `${at}.issuer_url`,
        },
      };
    }
    case 'restrict-ips': {
      requestOnly();
      onlyKeys(config, ['enforce', 'allow', 'deny', 'ip_policies'], at);
      const enforce = config.enforce ?? true;
      if (typeof enforce !== 'boolean') throw new PolicyError(`${at}: 'enforce' must be a boolean`);
      const allow = strings(config, 'allow', at);
      const deny = strings(config, 'deny', at);
      for (const cidr of [...allow, ...deny])
        if (!parseCidr(cidr)) throw new PolicyError(`${at}: '${cidr}' is not a valid CIDR`);
      const ipPolicies = strings(config, 'ip_policies', at);
      if (allow.length + deny.length + ipPolicies.length === 0)
        throw new PolicyError(`${at}: at least one of allow, deny, ip_policies is required`);
      return { type, enforce, allow, deny, ipPolicies };
    }
    case 'add-headers': {
      onlyKeys(config, ['headers'], at);
      const headers = stringMap(config, 'headers', at);
      headerNames(
        headers.map(([k]) => k),
        'add',
        at,
      );
      return { type, headers: headers.map(([k, v]) => [k.toLowerCase(), template(v, `${at}.headers.${k}`)]) };
    }
    case 'remove-headers': {
      onlyKeys(config, ['headers'], at);
      const headers = strings(config, 'headers', at);
      headerNames(headers, 'remove', at);
      return { type, headers: headers.map((h) => h.toLowerCase()) };
    }
    case 'forward-internal': {
      requestOnly();
      onlyKeys(config, ['url', 'on_error', 'binding'], at);
      const url = str(config, 'url', at, true)!;
      if (hasInterpolation(url))
        throw new PolicyError(`${at}: CEL interpolation in url is not supported by the sandbox`);
      let parsed: URL;
      try {
        parsed = new URL(url.includes('://') ? url : `https://${url}`);
      } catch {
        throw new PolicyError(`${at}: '${url}' is not a URL`);
      }
      if (!parsed.hostname.endsWith('.internal'))
        throw new PolicyError(
          `${at}: forward-internal needs an internal endpoint URL (https://NAME.internal), got '${url}'`,
        );
      const onError = config.on_error ?? 'halt';
      if (onError !== 'halt' && onError !== 'continue')
        throw new PolicyError(`${at}: 'on_error' must be halt or continue`);
      return { type, url, host: parsed.hostname.toLowerCase(), onError };
    }
    case 'custom-response': {
      requestOnly();
      onlyKeys(config, ['status_code', 'body', 'headers'], at);
      return {
        type,
        status: statusCode(config, 'status_code', at, 200),
        body: template(str(config, 'body', at, false) ?? '', `${at}.body`),
        headers: stringMap(config, 'headers', at).map(([k, v]) => [k.toLowerCase(), template(v, `${at}.headers.${k}`)]),
      };
    }
    case 'deny': {
      requestOnly();
      onlyKeys(config, ['status_code'], at);
      return { type, status: statusCode(config, 'status_code', at, 403) };
    }
    default:
      throw new PolicyError(
        `${where}: action type '${type}' is not supported by the sandbox (supported: openid-connect, restrict-ips, add-headers, remove-headers, forward-internal, custom-response, deny)`,
      );
  }
}

function parseRules(raw: unknown, phase: 'on_http_request' | 'on_http_response'): Rule[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw new PolicyError(`${phase} must be a list of rules`);
  return raw.map((rule, i) => {
    const where = `${phase}[${i}]`;
    if (!isObj(rule)) throw new PolicyError(`${where}: a rule must be an object`);
    onlyKeys(rule, ['name', 'expressions', 'actions'], where);
    const expressions = strings(rule, 'expressions', where).map((source, j) => {
      try {
        return compileCel(source);
      } catch (error) {
        if (error instanceof CelError)
          throw new PolicyError(
            `${where}.expressions[${j}]: ${error.message} in '${source}' (the sandbox supports a small CEL subset)`,
          );
        throw error;
      }
    });
    if (!Array.isArray(rule.actions) || rule.actions.length === 0)
      throw new PolicyError(`${where}: 'actions' must be a non-empty list`);
    const actions = rule.actions.map((action, j) => parseAction(action, phase, `${where}.actions[${j}]`));
    return { name: str(rule, 'name', where, false), expressions, actions };
  });
}

/** Parses a policy document; throws PolicyError with a path to the offending field. */
export function parsePolicy(text: string): Policy {
  let doc: unknown;
  try {
    doc = YAML.parse(text);
  } catch (error) {
    throw new PolicyError(`not valid YAML or JSON: ${(error as Error).message.split('\n')[0]}`);
  }
  if (doc === null || doc === undefined) return { onHttpRequest: [], onHttpResponse: [] };
  if (!isObj(doc)) throw new PolicyError('the policy must be a map with on_http_request / on_http_response');
  for (const key of Object.keys(doc)) {
    if (key === 'on_tcp_connect')
      throw new PolicyError('on_tcp_connect is not supported by the sandbox (HTTP endpoints only)');
    if (key === 'inbound' || key === 'outbound')
      throw new PolicyError(`'${key}' is the retired policy syntax: use on_http_request / on_http_response`);
    if (key !== 'on_http_request' && key !== 'on_http_response') throw new PolicyError(`unknown field '${key}'`);
  }
  return {
    onHttpRequest: parseRules(doc.on_http_request, 'on_http_request'),
    onHttpResponse: parseRules(doc.on_http_response, 'on_http_response'),
  };
}

export function oidcActions(policy: Policy): OidcConfig[] {
  return policy.onHttpRequest.flatMap((rule) =>
    rule.actions.flatMap((a) => (a.type === 'openid-connect' ? [a.oidc] : [])),
  );
}

export function referencedIpPolicies(policy: Policy): string[] {
  return [...policy.onHttpRequest, ...policy.onHttpResponse].flatMap((rule) =>
    rule.actions.flatMap((a) => (a.type === 'restrict-ips' ? a.ipPolicies : [])),
  );
}

/** Does the request phase end in an action that answers or forwards (forward-internal, custom-response, deny)? */
export function isTerminating(policy: Policy): boolean {
  return policy.onHttpRequest.some(
    (rule) =>
      rule.expressions.length === 0 &&
      rule.actions.some((a) => a.type === 'forward-internal' || a.type === 'custom-response' || a.type === 'deny'),
  );
}
