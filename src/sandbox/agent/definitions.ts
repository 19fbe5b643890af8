// The endpoints and tunnels a configuration file defines, for `ngrok start NAME… | --all`, read as
// strictly as ngrok's documentation defines them:
//   version 2, `tunnels:` (https://ngrok.com/docs/agent/config/v2): a map of name → tunnel; a labeled
//     tunnel has `labels: [key=value, …]` and `addr`, and takes its protocol and domain from the edge
//     ("When you use labeled tunnels, the protocol and domain are configured by the matching edge");
//   version 3, `endpoints:` (https://ngrok.com/docs/agent/config/v3): a list of {name, url, upstream:
//     {url}, traffic_policy, …}; `pooling_enabled: true` on every agent that shares the URL
//     (https://ngrok.com/docs/gateway/site-to-site-connectivity/redundant-agents). "Labeled tunnels are
//     no longer supported in v3" (same v3 page), so a version 3 file with labels is refused.
// Only what the sandbox can serve is accepted (HTTP to this machine); an unknown key is an error, so a
// typo in an exported file shows here instead of on the user's second machine.
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

const TUNNEL_KEYS = new Set([
  'addr',
  'proto',
  'labels',
  'domain',
  'hostname',
  'subdomain',
  'url',
  'inspect',
  'metadata',
  'description',
  'traffic_policy',
  'schemes',
  'host_header',
  'name',
]);
const ENDPOINT_KEYS = new Set([
  'name',
  'url',
  'upstream',
  'traffic_policy',
  'traffic_policy_file',
  'pooling_enabled',
  'metadata',
  'description',
  'bindings',
]);
const UPSTREAM_KEYS = new Set(['url', 'protocol', 'proxy_protocol']);

type Doc = Record<string, unknown>;

const isMap = (value: unknown): value is Doc => typeof value === 'object' && value !== null && !Array.isArray(value);

export function readDefinitions(root: Doc, file: string, version: 2 | 3): Record<string, Definition> {
  const fail = (what: string): never => {
    throw new ConfigError(`Error reading configuration file '${file}': ${what}`);
  };
  const out: Record<string, Definition> = {};
  const tunnels = root.tunnels;
  if (tunnels !== undefined && tunnels !== null) {
    if (!isMap(tunnels)) fail("'tunnels' must be a map of tunnel names to tunnel definitions");
    for (const [name, raw] of Object.entries(tunnels as Doc)) out[name] = tunnel(name, raw, version, fail);
  }
  const endpoints = root.endpoints;
  if (endpoints !== undefined && endpoints !== null) {
    if (!Array.isArray(endpoints)) fail("'endpoints' must be a list of endpoint definitions");
    for (const raw of endpoints as unknown[]) {
      const definition = endpoint(raw, file, fail);
      if (out[definition.name]) fail(`the name '${definition.name}' is defined twice`);
      out[definition.name] = definition;
    }
  }
  return out;
}

function tunnel(name: string, raw: unknown, version: 2 | 3, fail: (what: string) => never): Definition {
  if (!isMap(raw)) return fail(`tunnel '${name}' must be a map`);
  for (const key of Object.keys(raw))
    if (!TUNNEL_KEYS.has(key)) fail(`tunnel '${name}': '${key}' is not a valid tunnel property`);
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
  if (raw.proto !== 'http')
    fail(
      `tunnel '${name}': the sandbox agent runs http tunnels and labeled tunnels only (proto: ${String(raw.proto)})`,
    );
  const host = raw.url ?? raw.domain ?? raw.hostname;
  if (host !== undefined && typeof host !== 'string') fail(`tunnel '${name}': its domain must be a string`);
  const policy = raw.traffic_policy === undefined ? undefined : JSON.stringify(raw.traffic_policy);
  return { name, from: 'tunnels', addr, url: host as string | undefined, trafficPolicy: policy, pooling: false };
}

function endpoint(raw: unknown, file: string, fail: (what: string) => never): Definition {
  if (!isMap(raw)) return fail('each endpoint must be a map');
  const name = raw.name;
  if (typeof name !== 'string' || !name) return fail("each endpoint needs a 'name'");
  for (const key of Object.keys(raw))
    if (!ENDPOINT_KEYS.has(key)) fail(`endpoint '${name}': '${key}' is not a valid endpoint property`);
  if (!isMap(raw.upstream)) return fail(`endpoint '${name}': 'upstream' with a 'url' is required`);
  for (const key of Object.keys(raw.upstream))
    if (!UPSTREAM_KEYS.has(key)) fail(`endpoint '${name}': '${key}' is not a valid upstream property`);
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
