// ngrok.yml for the agent stand-in: the keys it honours (authtoken, server_addr in v2 / connect_url in
// v3, web_addr, log*, region in v2), in the version 2 layout (top level) and the version 3 layout (under
// `agent:`), every other key checked against ngrok's lists (below), and the
// endpoints and tunnels `ngrok start` runs (definitions.ts). Version 3 files need an agent that knows
// them (3.16.0, version.ts).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { ConfigError, readDefinitions, type Definition } from './definitions';
import { supports } from './version';

export { ConfigError };

export interface AgentConfig {
  authtoken?: string;
  serverAddr?: string;
  /** undefined: the default 127.0.0.1:4040; false: the web service is off (`web_addr: false`). */
  webAddr?: string | false;
  log?: string;
  logLevel?: string;
  logFormat?: string;
  region?: string;
  /** The endpoints and tunnels of the files, by name (a later file's replaces an earlier one's). */
  definitions?: Record<string, Definition>;
}

/** Where ngrok looks on Linux; the sandbox wrapper points NGROK_SANDBOX_CONFIG at its own file. */
export function defaultConfigPath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.NGROK_SANDBOX_CONFIG) return env.NGROK_SANDBOX_CONFIG;
  const base = env.XDG_CONFIG_HOME || path.join(homedir(), '.config');
  return path.join(base, 'ngrok', 'ngrok.yml');
}

// The agent's own options. Version 2, at the top level: the "Agent configuration" table of
// https://ngrok.com/docs/agent/config/v2/#agent-configuration (ngrok/ngrok-docs agent/config/v2.mdx).
// Version 3, under `agent:`: the "Agent configuration options" table of
// https://ngrok.com/docs/agent/config/v3/#agent-configuration-options (agent/config/v3.mdx), where
// "Changed `server_addr` agent configuration field to `connect_url`" and "`root_cas` … to `connect_cas`"
// (its "Breaking changes"); `region` is not in v3's table. The rest of either list is about the agent's
// own connection and console (timeouts, proxies, updates, the console UI): taken, and without effect here.
const COMMON_AGENT_KEYS = [
  'api_key',
  'authtoken',
  'connect_interface',
  'connect_timeout',
  'console_ui',
  'console_ui_color',
  'crl_noverify',
  'dns_resolver_ips',
  'heartbeat_interval',
  'heartbeat_tolerance',
  'inspect_db_size',
  'log_level',
  'log_format',
  'log',
  'metadata',
  'proxy_url',
  'remote_management',
  'update_channel',
  'update_check',
  'web_addr',
  'web_allow_hosts',
];
const V2_KEYS = new Set([...COMMON_AGENT_KEYS, 'region', 'root_cas', 'server_addr', 'tunnels', 'version']);
const V3_AGENT_KEYS = new Set([...COMMON_AGENT_KEYS, 'connect_cas', 'connect_url']);
/** v3's top level: "Supported fields" (agent/config/v3.mdx): version, agent, endpoints, tunnels (deprecated). */
const V3_KEYS = new Set(['version', 'agent', 'endpoints', 'tunnels']);
const V3_RENAMED: Record<string, string> = { server_addr: 'connect_url', root_cas: 'connect_cas' };

const STRING_KEYS: Array<[string, keyof AgentConfig]> = [
  ['authtoken', 'authtoken'],
  ['server_addr', 'serverAddr'],
  ['connect_url', 'serverAddr'],
  ['log', 'log'],
  ['log_level', 'logLevel'],
  ['log_format', 'logFormat'],
  ['region', 'region'],
];

/** Refuses a key that the version's list does not have (see V2_KEYS, V3_AGENT_KEYS, V3_KEYS). */
function refuseUnknownKeys(section: Record<string, unknown>, known: Set<string>, where: string, file: string): void {
  for (const key of Object.keys(section)) {
    if (known.has(key)) continue;
    const renamed = where === 'agent' ? V3_RENAMED[key] : undefined;
    throw new ConfigError(
      `Error reading configuration file '${file}': '${key}' is not a valid property of ${where === 'agent' ? "a version 3 file's 'agent'" : `a version ${where} configuration`}${renamed ? ` (version 3 calls it '${renamed}')` : ''}`,
    );
  }
}

function readSection(section: Record<string, unknown>, file: string, into: AgentConfig): void {
  for (const [key, field] of STRING_KEYS) {
    const value = section[key];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'string')
      throw new ConfigError(`Error reading configuration file '${file}': the property '${key}' must be a string`);
    (into as Record<string, unknown>)[field] = value;
  }
  const web = section.web_addr;
  if (web === false || web === 'false') into.webAddr = false;
  else if (typeof web === 'string') into.webAddr = web;
  else if (web !== undefined && web !== null)
    throw new ConfigError(
      `Error reading configuration file '${file}': the property 'web_addr' must be an address or false`,
    );
}

export function readConfigFile(file: string): AgentConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigError(
      code === 'ENOENT' ? `open ${file}: no such file or directory` : `open ${file}: ${(error as Error).message}`,
    );
  }
  let doc: unknown;
  try {
    doc = YAML.parse(text);
  } catch (error) {
    throw new ConfigError(
      `Error reading configuration file '${file}': yaml: ${(error as Error).message.split('\n')[0]}`,
    );
  }
  if (doc === null || doc === undefined) return {};
  if (typeof doc !== 'object' || Array.isArray(doc))
    throw new ConfigError(`Error reading configuration file '${file}': the file must contain a YAML map`);
  const root = doc as Record<string, unknown>;
  const version = root.version === undefined ? undefined : String(root.version);
  if (version !== undefined && version !== '2' && version !== '3') {
    throw new ConfigError(
      `Error reading configuration file '${file}': the config version '${version}' is not supported (use "2" or "3")`,
    );
  }
  if (version === '3' && !supports('configV3')) {
    throw new ConfigError(
      `Error reading configuration file '${file}': the config version '3' is not supported (use "2")`,
    );
  }
  if (version !== '3') {
    // "v2 is still supported, but does not support the new `endpoints:`, or `agent:` fields" (ngrok Agent
    // 3.16.0 in https://ngrok.com/docs/agent/changelog/, ngrok/ngrok-docs agent/changelog.mdx).
    for (const key of ['agent', 'endpoints']) {
      if (root[key] !== undefined)
        throw new ConfigError(
          `Error reading configuration file '${file}': '${key}' is not a valid property of a version 2 configuration (use version 3)`,
        );
    }
  }
  const config: AgentConfig = {};
  if (version === '3') refuseUnknownKeys(root, V3_KEYS, '3', file);
  else refuseUnknownKeys(root, V2_KEYS, '2', file);
  if (version !== '3') readSection(root, file, config);
  const definitions = readDefinitions(root, file, version === '3' ? 3 : 2);
  if (Object.keys(definitions).length > 0) config.definitions = definitions;
  if (root.agent !== undefined && root.agent !== null) {
    if (typeof root.agent !== 'object' || Array.isArray(root.agent))
      throw new ConfigError(`Error reading configuration file '${file}': 'agent' must be a map`);
    refuseUnknownKeys(root.agent as Record<string, unknown>, V3_AGENT_KEYS, 'agent', file);
    readSection(root.agent as Record<string, unknown>, file, config);
  }
  return config;
}

/**
 * Merges the files like ngrok merges repeated --config flags ("path to config files; they are merged if
 * multiple", https://ngrok.com/docs/agent/cli/, agent/cli.mdx; later files win). The default path is
 * optional: a missing default file is an empty configuration, a missing --config file an error.
 */
export function loadConfig(
  files: string[],
  env: NodeJS.ProcessEnv = process.env,
): { config: AgentConfig; paths: string[] } {
  if (files.length === 0) {
    const file = defaultConfigPath(env);
    return existsSync(file) ? { config: readConfigFile(file), paths: [file] } : { config: {}, paths: [] };
  }
  const config: AgentConfig = {};
  for (const file of files) {
    const { definitions, ...rest } = readConfigFile(path.resolve(file));
    Object.assign(config, rest);
    if (definitions) config.definitions = { ...config.definitions, ...definitions };
  }
  return { config, paths: files.map((f) => path.resolve(f)) };
}

/** `ngrok config add-authtoken`: writes agent.authtoken (v3) or authtoken (v2 files), keeping the rest. */
export function saveAuthtoken(file: string, token: string): void {
  let doc = new YAML.Document({ version: '3', agent: { authtoken: token } });
  if (existsSync(file)) {
    doc = YAML.parseDocument(readFileSync(file, 'utf8'));
    if (doc.errors.length > 0)
      throw new ConfigError(`Error reading configuration file '${file}': yaml: ${doc.errors[0]!.message}`);
    const isV2 = String(doc.get('version') ?? '') === '2' || doc.has('authtoken');
    if (isV2) doc.set('authtoken', token);
    else {
      if (!doc.has('version')) doc.set('version', '3');
      doc.setIn(['agent', 'authtoken'], token);
    }
  }
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  writeFileSync(file, doc.toString(), { mode: 0o600 });
}
