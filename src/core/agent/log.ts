// The ngrok agent's log lines, as `--log stdout --log-format json` (or logfmt) prints them:
//   json:   {"t":"2026-08-10T07:20:40+0000","lvl":"info","msg":"started tunnel","obj":"tunnels","url":"https://x.ngrok.app"}
//   logfmt: t=2026-08-10T07:20:40+0000 lvl=info msg="started tunnel" obj=tunnels url=https://x.ngrok.app
// Levels are spelled dbug info warn eror crit, as in the agent logs quoted in
// https://github.com/inconshreveable/ngrok/issues/822; they are log15's level names (`Lvl.String` in
// https://github.com/inconshreveable/log15/blob/master/logger.go). Anything else (the "ERROR:  …" lines a
// fatal error prints on stderr, a stack trace) is kept as text. Parsing is on the hot path of the live
// view, so it allocates little: a json line's level and message are read from the text, and its fields are
// parsed only when looked at.

import { sanitize } from '../text';

export type LogLevel = 'dbug' | 'info' | 'warn' | 'eror' | 'crit';
export const LOG_LEVELS: readonly LogLevel[] = ['dbug', 'info', 'warn', 'eror', 'crit'];
export const LEVEL_RANK: Record<LogLevel, number> = { dbug: 0, info: 1, warn: 2, eror: 3, crit: 4 };

export interface AgentLogLine {
  level: LogLevel;
  msg: string;
  /** The line's key/values, `t`, `lvl` and `msg` included (values as the agent wrote them). */
  fields: Readonly<Record<string, unknown>>;
  /** The line as received (already redacted by the caller when it holds secrets). */
  raw: string;
  /** Where the line came from: the agent's stdout, its stderr, or the supervisor itself. */
  source: 'stdout' | 'stderr' | 'supervisor';
}

const LEVEL_ALIASES: Record<string, LogLevel> = {
  dbug: 'dbug',
  debug: 'dbug',
  trace: 'dbug',
  info: 'info',
  warn: 'warn',
  warning: 'warn',
  eror: 'eror',
  error: 'eror',
  err: 'eror',
  crit: 'crit',
  critical: 'crit',
  fatal: 'crit',
};

export function toLevel(value: unknown): LogLevel | undefined {
  return typeof value === 'string' ? (LEVEL_ALIASES[value] ?? LEVEL_ALIASES[value.toLowerCase()]) : undefined;
}

export function parseAgentLine(raw: string, source: AgentLogLine['source'] = 'stdout'): AgentLogLine {
  const first = raw.charCodeAt(0);
  if (first === 123 /* { */) {
    const json = lazyJson(raw, source) ?? parseJson(raw, source);
    if (json) return json;
  } else if (first === 116 /* t */ || raw.includes('lvl=')) {
    const fields = parseLogfmt(raw);
    const level = toLevel(fields.lvl);
    if (level && typeof fields.msg === 'string') return { level, msg: fields.msg, fields, raw, source };
  }
  return plainLine(raw, source);
}

/**
 * A json line whose level and message are read straight from the text; its other fields are parsed
 * only when someone looks at them (the few lines on screen, the few the state machine cares about).
 * Under a flood most lines are never looked at, and building an object for each is most of the cost.
 */
class LazyJsonLine implements AgentLogLine {
  private parsed?: Readonly<Record<string, unknown>>;
  constructor(
    readonly level: LogLevel,
    readonly msg: string,
    readonly raw: string,
    readonly source: AgentLogLine['source'],
  ) {}

  get fields(): Readonly<Record<string, unknown>> {
    if (!this.parsed) {
      try {
        const value: unknown = JSON.parse(this.raw);
        this.parsed =
          typeof value === 'object' && value !== null && !Array.isArray(value)
            ? (value as Record<string, unknown>)
            : {};
      } catch {
        this.parsed = {};
      }
    }
    return this.parsed;
  }
}

function lazyJson(raw: string, source: AgentLogLine['source']): AgentLogLine | undefined {
  // The line must at least end like an object; a cut one goes the slow way (and becomes text).
  if (raw.charCodeAt(raw.length - 1) !== 125 /* } */) return undefined;
  const level = toLevel(stringField(raw, '"lvl":"'));
  const msg = level && stringField(raw, '"msg":"');
  // The raw line was sanitised; its decoded message may hold what was written as \u001b escapes.
  return level && msg !== undefined ? new LazyJsonLine(level, sanitize(msg), raw, source) : undefined;
}

/**
 * The string value after `"key":"` in a json text. In valid json the key cannot occur inside another
 * string (its quotes would be escaped), so the first occurrence is the key.
 */
function stringField(raw: string, key: string): string | undefined {
  const at = raw.indexOf(key);
  if (at < 0) return undefined;
  const start = at + key.length;
  let escaped = false;
  for (let i = start; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c === 92 /* \ */) {
      escaped = true;
      i++;
    } else if (c === 34 /* " */) {
      const text = raw.slice(start, i);
      if (!escaped) return text;
      try {
        return JSON.parse(`"${text}"`) as string;
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

function parseJson(raw: string, source: AgentLogLine['source']): AgentLogLine | undefined {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const fields = value as Record<string, unknown>;
  const level = toLevel(fields.lvl) ?? toLevel(fields.level);
  if (!level) return undefined;
  return {
    level,
    msg: sanitize(typeof fields.msg === 'string' ? fields.msg : String(fields.msg ?? '')),
    fields,
    raw,
    source,
  };
}

/** ngrok's console form of a fatal error ("ERROR:  …") is an error; any other text keeps info. */
function plainLine(raw: string, source: AgentLogLine['source']): AgentLogLine {
  const error = /^(ERROR|CRIT|FATAL|PANIC)[:\s]\s*/i.exec(raw);
  const msg = error ? raw.slice(error[0].length) : raw;
  return { level: error ? 'eror' : source === 'stderr' ? 'warn' : 'info', msg, fields: {}, raw, source };
}

/**
 * logfmt as log15 writes it: key=value pairs separated by spaces; a value is bare or a JSON-style
 * quoted string (\" and \\ escapes). A key without `=` is a flag (true).
 */
export function parseLogfmt(text: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const n = text.length;
  let i = 0;
  while (i < n) {
    while (i < n && text.charCodeAt(i) === 32) i++;
    if (i >= n) break;
    const keyStart = i;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 61 /* = */ || c === 32) break;
      i++;
    }
    const key = text.slice(keyStart, i);
    if (i >= n || text.charCodeAt(i) === 32) {
      if (key) out[key] = true;
      continue;
    }
    i++; // '='
    if (text.charCodeAt(i) === 34 /* " */) {
      i++;
      let value = '';
      let chunkStart = i;
      while (i < n) {
        const c = text.charCodeAt(i);
        if (c === 92 /* \ */ && i + 1 < n) {
          value += text.slice(chunkStart, i) + unescape(text[i + 1]!);
          i += 2;
          chunkStart = i;
          continue;
        }
        if (c === 34) break;
        i++;
      }
      value += text.slice(chunkStart, i);
      i++; // closing quote
      out[key] = value;
    } else {
      const valueStart = i;
      while (i < n && text.charCodeAt(i) !== 32) i++;
      out[key] = text.slice(valueStart, i);
    }
  }
  return out;
}

function unescape(c: string): string {
  switch (c) {
    case 'n':
      return '\n';
    case 'r':
      return '\r';
    case 't':
      return '\t';
    default:
      return c;
  }
}

/** The first ERR_NGROK_… code a line carries (in `err`, in the message, anywhere). */
export function errorCodeIn(line: AgentLogLine): string | undefined {
  return /ERR_NGROK_\d+/.exec(line.raw)?.[0];
}
