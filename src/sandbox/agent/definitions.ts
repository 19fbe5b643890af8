// The endpoints and tunnels a configuration file defines, for `ngrok start NAME… | --all`, read as
// strictly as ngrok's documentation defines them:
//   version 2, `tunnels:` (https://ngrok.com/docs/agent/config/v2): a map of name → tunnel; a labeled
//     tunnel has `labels: [key=value, …]` and `addr`, and takes its protocol and domain from the edge
//     ("When you use labeled tunnels, the protocol and domain are configured by the matching edge");
//   version 3, `endpoints:` (https://ngrok.com/docs/agent/config/v3): a list of {name, url, upstream:
//     {url}, traffic_policy, …}; `pooling_enabled: true` on every agent that shares the URL
//     (https://ngrok.com/docs/gateway/site-to-site-connectivity/redundant-agents). "Labeled tunnels are
//     no longer supported in v3" (same v3 page), so a version 3 file with labels is refused.
// A key ngrok's pages do not list is an error, so a typo in an exported file shows here instead of on
// the user's second machine; a key they list that the sandbox does not do is refused as such (it only
// serves HTTP to this machine), never taken and dropped.
import { readFileSync } from 'node:fs';
import { normalizeAddr, UsageError } from './cli';
import { supports } from './version';

export class ConfigError extends Error {}

export interface Definition {
  name: string;
  /** Which key defined it: `tunnels:` (v2 layout, also allowed in v3) or `endpoints:` (v3). */
  from: 'tunnels' | 'endpoints';
  /** The upstream, normalised like the command line's (http://localhost:8000). */
  addr: string;
  labels?: Record<string, string>;
  url?: string;
  /** The traffic policy as text (YAML or JSON), as `--traffic-policy-file` would give it. */
  trafficPolicy?: string;
  pooling: boolean;
}

// Tunnel properties as ngrok's v2 page lists them (https://ngrok.com/docs/agent/config/v2/#tunnel-configurations,
// ngrok/ngrok-docs agent/config/v2.mdx: the common, HTTP, TCP, TLS and labeled tables; `url`, from "`--url`
// becomes `url`" there). v3 takes the same tunnels ("You can find the configuration options for `tunnels`
// under the Agent Configuration v2 docs", agent/config/v3.mdx). Anything else is refused, as a typo.
const TUNNEL_KEYS = new Set([
  'addr',
  'metadata',
  'proto',
  'basic_auth',
  'circuit_breaker',
  'compression',
  'host_header',
  'domain',
  'inspect',
  'ip_restriction',
  'mutual_tls_cas',
  'oauth',
  'policy',
  'proxy_proto',
  'request_header',
  'response_header',
  'schemes',
  'subdomain',
  'traffic_policy',
  'user_agent_filter',
  'verify_webhook',
  'websocket_tcp_converter',
  'remote_addr',
  'crt',
  'key',
  'terminate_at',
  'labels',
  'url',
]);
/** Of those, what this stand-in does as ngrok does (or what changes nothing a visitor sees: metadata, inspect). */
const TUNNEL_KEYS_EMULATED = new Set([
  'addr',
  'metadata',
  'proto',
  'domain',
  'inspect',
  'traffic_policy',
  'labels',
  'url',
]);
// Endpoint properties: the v3 page's "Endpoint configuration options" table (agent/config/v3.mdx), its
// `traffic_policy_file` example ("Endpoint with Traffic Policy file"), and `pooling_enabled` ("You must
// enable pooling on each endpoint … by setting `pooling_enabled` to `true`", endpoints/endpoint-pooling.mdx;
// the agent API's endpoints carry it too, agent/api.mdx).
const ENDPOINT_KEYS = new Set([
  'agent_tls_termination',
  'name',
  'url',
  'bindings',
  'metadata',
  'description',
  'traffic_policy',
  'traffic_policy_file',
  'pooling_enabled',
  'upstream',
]);
const ENDPOINT_KEYS_EMULATED = new Set([
  'name',
  'url',
  'metadata',
  'description',
  'traffic_policy',
  'traffic_policy_file',
  'pooling_enabled',
  'upstream',
]);
/** `upstream.url`, `upstream.protocol`, `upstream.proxy_protocol` (agent/config/v3.mdx, "upstream"). */
const UPSTREAM_KEYS = new Set(['url', 'protocol', 'proxy_protocol']);

/**
 * A property ngrok's agent takes but this stand-in does not do: refused in words that say so (the
 * sandbox's own sentence), never as an invalid property, and never accepted and silently dropped.
 */
function notEmulated(what: string, key: string, page: string, fail: (what: string) => never): never {
  return fail(`${what}: the sandbox agent does not emulate '${key}' (ngrok's agent takes it: ${page})`);
}

type Doc = Record<string, unknown>;

const isMap = (value: unknown): value is Doc => typeof value === 'object' && value !== null && !Array.isArray(value);

export function readDefinitions(root: Doc, file: string, version: 2 | 3): Record<string, Definition> {
  const fail = (what: string): never => {
    throw new ConfigError(`Error reading configuration file '${file}': ${what}`);
  };
  const out: Record<string, Definition> = {};
  const tunnels = root.tunnels;
  if (tunnels !== undefined && tunnels !== null) {
    // "Tunnels are defined as mapping of name -> configuration under the `tunnels` property" (v2 page).
    if (!isMap(tunnels)) fail("'tunnels' must be a map of tunnel names to tunnel definitions");
    for (const [name, raw] of Object.entries(tunnels as Doc)) out[name] = tunnel(name, raw, version, fail);
  }
  const endpoints = root.endpoints;
  if (endpoints !== undefined && endpoints !== null) {
    // A list: every example of the v3 page's "Endpoint definitions" is `endpoints:` with `- name: …` items.
    if (!Array.isArray(endpoints)) fail("'endpoints' must be a list of endpoint definitions");
    for (const raw of endpoints as unknown[]) {
      const definition = endpoint(raw, file, fail);
      // "A unique name for this endpoint's configuration" (v3 page, `name`): two endpoints may not share one.
      if (out[definition.name]?.from === 'endpoints') fail(`the name '${definition.name}' is defined twice`);
      // A tunnel of the same name gives way: "You can specify both endpoints and tunnels in the same
      // configuration file, with endpoint configurations taking precedence over tunnels"
      // (https://ngrok.com/blog/agent-endpoints).
      out[definition.name] = definition;
    }
  }
  return out;
}

function tunnel(name: string, raw: unknown, version: 2 | 3, fail: (what: string) => never): Definition {
  if (!isMap(raw)) return fail(`tunnel '${name}' must be a map`);
  for (const key of Object.keys(raw)) {
    if (!TUNNEL_KEYS.has(key)) fail(`tunnel '${name}': '${key}' is not a valid tunnel property`);
    if (!TUNNEL_KEYS_EMULATED.has(key))
      notEmulated(`tunnel '${name}'`, key, 'https://ngrok.com/docs/agent/config/v2/#tunnel-configurations', fail);
  }
  const addr = upstream(raw.addr, `tunnel '${name}': addr`, fail);
  if (raw.labels !== undefined) {
    if (!supports('labeledTunnels')) fail(`tunnel '${name}': 'labels' is not a valid tunnel property`);
    if (version === 3)
      fail(
        `tunnel '${name}': labeled tunnels are no longer supported in version 3 configuration files; use version 2 for them`,
      );
    if (raw.proto !== undefined)
      fail(`tunnel '${name}': a labeled tunnel takes its protocol from the edge; remove 'proto'`);
    if (!Array.isArray(raw.labels) || raw.labels.length === 0)
      fail(`tunnel '${name}': 'labels' must be a list of key=value strings`);
    const labels: Record<string, string> = {};
    for (const label of raw.labels as unknown[]) {
      const eq = typeof label === 'string' ? label.indexOf('=') : -1;
      if (typeof label !== 'string' || eq <= 0)
        return fail(`tunnel '${name}': the label '${String(label)}' is not of the form key=value`);
      labels[label.slice(0, eq)] = label.slice(eq + 1);
    }
    return { name, from: 'tunnels', addr, labels, pooling: false };
  }
  // The sandbox's own limit (not ngrok's: its v2 page has tcp and tls tunnels too), said as such.
  if (raw.proto !== 'http')
    fail(
      `tunnel '${name}': the sandbox agent runs http tunnels and labeled tunnels only (proto: ${String(raw.proto)})`,
    );
  const host = raw.url ?? raw.domain;
  if (host !== undefined && typeof host !== 'string') fail(`tunnel '${name}': its domain must be a string`);
  const policy = raw.traffic_policy === undefined ? undefined : JSON.stringify(raw.traffic_policy);
  return { name, from: 'tunnels', addr, url: host as string | undefined, trafficPolicy: policy, pooling: false };
}

function endpoint(raw: unknown, file: string, fail: (what: string) => never): Definition {
  if (!isMap(raw)) return fail('each endpoint must be a map');
  const name = raw.name;
  if (typeof name !== 'string' || !name) return fail("each endpoint needs a 'name'");
  for (const key of Object.keys(raw)) {
    if (!ENDPOINT_KEYS.has(key)) fail(`endpoint '${name}': '${key}' is not a valid endpoint property`);
    if (!ENDPOINT_KEYS_EMULATED.has(key))
      notEmulated(
        `endpoint '${name}'`,
        key,
        'https://ngrok.com/docs/agent/config/v3/#endpoint-configuration-options',
        fail,
      );
  }
  if (!isMap(raw.upstream)) return fail(`endpoint '${name}': 'upstream' with a 'url' is required`);
  for (const key of Object.keys(raw.upstream)) {
    if (!UPSTREAM_KEYS.has(key)) fail(`endpoint '${name}': '${key}' is not a valid upstream property`);
    // HTTP/1.1 to the upstream is what the stand-in does: `protocol: http1` (the default) says just that.
    if (key === 'proxy_protocol' || (key === 'protocol' && raw.upstream.protocol !== 'http1'))
      notEmulated(`endpoint '${name}': upstream`, key, 'https://ngrok.com/docs/agent/config/v3/#upstream', fail);
  }
  const addr = upstream(raw.upstream.url, `endpoint '${name}': upstream.url`, fail);
  if (raw.url !== undefined && typeof raw.url !== 'string') fail(`endpoint '${name}': 'url' must be a string`);
  const url = raw.url as string | undefined;
  if (url && /^(tcp|tls):\/\//i.test(url))
    fail(`endpoint '${name}': the sandbox serves http(s) endpoints only, not ${url}`);
  if (raw.pooling_enabled !== undefined && typeof raw.pooling_enabled !== 'boolean')
    fail(`endpoint '${name}': 'pooling_enabled' must be true or false`);
  if (raw.traffic_policy !== undefined && raw.traffic_policy_file !== undefined)
    fail(`endpoint '${name}': give 'traffic_policy' or 'traffic_policy_file', not both`);
  let policy: string | undefined;
  if (raw.traffic_policy !== undefined) {
    if (!isMap(raw.traffic_policy) && typeof raw.traffic_policy !== 'string')
      fail(`endpoint '${name}': 'traffic_policy' must be a map`);
    policy = typeof raw.traffic_policy === 'string' ? raw.traffic_policy : JSON.stringify(raw.traffic_policy);
  } else if (raw.traffic_policy_file !== undefined) {
    try {
      policy = readFileSync(String(raw.traffic_policy_file), 'utf8');
    } catch (error) {
      fail(
        `endpoint '${name}': failed to read traffic policy file ${String(raw.traffic_policy_file)}: ${(error as Error).message} (in ${file})`,
      );
    }
  }
  return { name, from: 'endpoints', addr, url, trafficPolicy: policy, pooling: raw.pooling_enabled === true };
}

/** An upstream as ngrok writes it in a file: a port (8000), host:port or a URL. */
function upstream(value: unknown, what: string, fail: (what: string) => never): string {
  if (typeof value !== 'number' && typeof value !== 'string')
    return fail(`${what} is required (a port, host:port or URL)`);
  try {
    return normalizeAddr(String(value));
  } catch (error) {
    if (error instanceof UsageError) return fail(`${what}: ${error.message}`);
    throw error;
  }
}
