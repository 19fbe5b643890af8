// The agent's command line, as ngrok v3 spells it (cobra style: `--flag value`, `--flag=value`,
// boolean `--flag` / `--flag=false`). Unknown commands and flags are errors, as in ngrok, and so are
// flags younger than the version the stand-in is (version.ts): an old agent does not know them.
import { supports, type Feature } from './version';

export interface CommonFlags {
  config: string[];
  authtoken?: string;
  log?: string;
  logFormat?: string;
  logLevel?: string;
  region?: string;
}

export type Command =
  | { kind: 'version' }
  | { kind: 'help' }
  | { kind: 'config-check'; flags: CommonFlags }
  | { kind: 'config-add-authtoken'; token: string; flags: CommonFlags }
  | { kind: 'tunnel'; addr?: string; labels: string[]; flags: CommonFlags }
  | {
      kind: 'http';
      addr?: string;
      url?: string;
      trafficPolicyFile?: string;
      pooling: boolean;
      oidc: boolean;
      flags: CommonFlags;
    }
  /** `ngrok start NAME… | --all | --none`: endpoints and tunnels by name from the config files. */
  | { kind: 'start'; names: string[]; all: boolean; none: boolean; flags: CommonFlags };

export class UsageError extends Error {}

type FlagKind = 'string' | 'strings' | 'bool';

const COMMON: Record<string, FlagKind> = {
  config: 'strings',
  authtoken: 'string',
  log: 'string',
  'log-format': 'string',
  'log-level': 'string',
  region: 'string',
};

const COMMAND_FLAGS: Record<string, Record<string, FlagKind>> = {
  tunnel: { label: 'strings' },
  http: {
    url: 'string',
    domain: 'string',
    'traffic-policy-file': 'string',
    'pooling-enabled': 'bool',
    oidc: 'string',
    'oidc-client-id': 'string',
    'oidc-client-secret': 'string',
    'oidc-scope': 'strings',
  },
  start: { all: 'bool', none: 'bool' },
  check: {},
  'add-authtoken': {},
};

/** Flags an agent has only from some version on (https://ngrok.com/docs/agent/changelog). */
const FLAG_SINCE: Record<string, Feature> = { url: 'url', 'traffic-policy-file': 'trafficPolicyFile' };

interface Parsed {
  values: Map<string, string[]>;
  positionals: string[];
}

function parseFlags(args: string[], allowed: Record<string, FlagKind>): Parsed {
  const values = new Map<string, string[]>();
  const positionals: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') {
      positionals.push(...args.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    const body = arg.replace(/^--?/, '');
    const eq = body.indexOf('=');
    const name = eq >= 0 ? body.slice(0, eq) : body;
    const kind = allowed[name];
    const since = FLAG_SINCE[name];
    if (!kind || (since && !supports(since)))
      throw new UsageError(`unknown flag: ${arg.startsWith('--') ? `--${name}` : `-${name}`}`);
    let value: string;
    if (eq >= 0) value = body.slice(eq + 1);
    else if (kind === 'bool') value = 'true';
    else {
      const next = args[i + 1];
      if (next === undefined) throw new UsageError(`flag needs an argument: --${name}`);
      value = next;
      i++;
    }
    if (kind === 'bool' && value !== 'true' && value !== 'false')
      throw new UsageError(
        `invalid argument "${value}" for "--${name}" flag: strconv.ParseBool: parsing "${value}": invalid syntax`,
      );
    values.set(name, [...(values.get(name) ?? []), value]);
  }
  return { values, positionals };
}

function common(parsed: Parsed): CommonFlags {
  const one = (name: string) => parsed.values.get(name)?.at(-1);
  return {
    config: parsed.values.get('config') ?? [],
    authtoken: one('authtoken'),
    log: one('log'),
    logFormat: one('log-format'),
    logLevel: one('log-level'),
    region: one('region'),
  };
}

export function parseArgs(argv: string[]): Command {
  const [first, ...rest] = argv;
  if (first === undefined || first === 'help' || first === '--help' || first === '-h') return { kind: 'help' };
  if (first === 'version' || first === '-v' || first === '--version') return { kind: 'version' };
  if (first === 'config') {
    const [sub, ...args] = rest;
    if (sub === 'check') {
      const parsed = parseFlags(args, { ...COMMON });
      if (parsed.positionals.length > 0)
        throw new UsageError(`unknown command "${parsed.positionals[0]}" for "ngrok config check"`);
      return { kind: 'config-check', flags: common(parsed) };
    }
    if (sub === 'add-authtoken') {
      const parsed = parseFlags(args, { ...COMMON });
      const token = parsed.positionals[0];
      if (!token || parsed.positionals.length > 1)
        throw new UsageError('accepts 1 arg(s), received ' + parsed.positionals.length);
      return { kind: 'config-add-authtoken', token, flags: common(parsed) };
    }
    throw new UsageError(`unknown command "${sub ?? ''}" for "ngrok config"`);
  }
  if (first === 'start') {
    const parsed = parseFlags(rest, { ...COMMON, ...COMMAND_FLAGS.start });
    const flag = (name: string) => parsed.values.get(name)?.at(-1) === 'true';
    const [all, none] = [flag('all'), flag('none')];
    if (!all && !none && parsed.positionals.length === 0)
      throw new UsageError('Specify the names of endpoints or tunnels to start, or use --all or --none');
    return { kind: 'start', names: parsed.positionals, all, none, flags: common(parsed) };
  }
  if (first === 'tunnel' || first === 'http') {
    const parsed = parseFlags(rest, { ...COMMON, ...COMMAND_FLAGS[first] });
    if (parsed.positionals.length > 1)
      throw new UsageError(`accepts at most 1 arg(s), received ${parsed.positionals.length}`);
    const addr = parsed.positionals[0];
    if (first === 'tunnel')
      return { kind: 'tunnel', addr, labels: parsed.values.get('label') ?? [], flags: common(parsed) };
    const one = (name: string) => parsed.values.get(name)?.at(-1);
    return {
      kind: 'http',
      addr,
      url: one('url') ?? one('domain'),
      trafficPolicyFile: one('traffic-policy-file'),
      pooling: one('pooling-enabled') === 'true',
      oidc: ['oidc', 'oidc-client-id', 'oidc-client-secret', 'oidc-scope'].some((f) => parsed.values.has(f)),
      flags: common(parsed),
    };
  }
  throw new UsageError(`unknown command "${first}" for "ngrok"`);
}

export const HELP = `NAME:
  ngrok - tunnel local ports to public URLs and inspect traffic (sandbox stand-in)

USAGE:
  ngrok [command] [flags]

COMMANDS:
  config          update or migrate ngrok's configuration file
  http            start an HTTP tunnel
  start           start endpoints or tunnels by name from the configuration file
  version         print the version string

FLAGS:
  -h, --help      help for ngrok
  -v, --version   version for ngrok
`;

/**
 * ngrok's normalisation of an upstream: "8000" → http://localhost:8000, "localhost:8000" →
 * http://localhost:8000, URLs stay. The sandbox only forwards to this machine.
 */
export function normalizeAddr(addr: string): string {
  let url: URL;
  try {
    if (/^\d+$/.test(addr)) url = new URL(`http://localhost:${addr}`);
    else if (/^[a-z][a-z0-9+.-]*:\/\//i.test(addr)) url = new URL(addr);
    else url = new URL(`http://${addr}`);
  } catch {
    throw new UsageError(`invalid address "${addr}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new UsageError(`unsupported upstream scheme in "${addr}"`);
  const loopback =
    url.hostname === 'localhost' || url.hostname === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(url.hostname);
  if (!loopback)
    throw new UsageError(
      `the sandbox agent only forwards to this machine (localhost / 127.0.0.1), not ${url.hostname}`,
    );
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  return `${url.protocol}//${url.hostname}:${port}`;
}
