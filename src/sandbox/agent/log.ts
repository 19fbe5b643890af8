// The agent's log lines in ngrok's three formats (log15 underneath):
//   logfmt: t=2026-08-10T07:20:40+0000 lvl=info msg="starting web service" obj=web addr=127.0.0.1:4040
//   json:   {"t":"2026-08-10T07:20:40+0000","lvl":"info","msg":"starting web service","obj":"web","addr":"127.0.0.1:4040"}
//   term:   INFO[08-10|07:20:40] starting web service                     obj=web addr=127.0.0.1:4040
// Levels are spelled dbug info warn eror crit.
import { appendFileSync } from 'node:fs';

export type Level = 'dbug' | 'info' | 'warn' | 'eror' | 'crit';
export type LogFormat = 'logfmt' | 'json' | 'term';
export type Fields = Record<string, string | number | boolean | undefined | null>;

const ORDER: Record<Level, number> = { dbug: 0, info: 1, warn: 2, eror: 3, crit: 4 };

/** --log-level accepts ngrok's spellings and the common ones. */
export function parseLevel(text: string): Level | undefined {
  const map: Record<string, Level> = {
    debug: 'dbug',
    dbug: 'dbug',
    info: 'info',
    warn: 'warn',
    warning: 'warn',
    error: 'eror',
    eror: 'eror',
    crit: 'crit',
  };
  return map[text.toLowerCase()];
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** Go's "2006-01-02T15:04:05-0700" in local time. */
function timestamp(date = new Date()): string {
  const offset = -date.getTimezoneOffset();
  const sign = offset >= 0 ? '+' : '-';
  const abs = Math.abs(offset);
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}${sign}${pad(Math.floor(abs / 60))}${pad(abs % 60)}`;
}

/** logfmt quoting as log15 does it: quote when empty or containing space, '=', '"' or control chars. */
function logfmtValue(value: string): string {
  if (value !== '' && !/[\s="\\\x00-\x1f]/.test(value)) return value;
  return JSON.stringify(value);
}

export function formatLine(format: LogFormat, level: Level, msg: string, fields: Fields, date = new Date()): string {
  const entries = Object.entries(fields).filter(([, v]) => v !== undefined) as Array<
    [string, string | number | boolean | null]
  >;
  if (format === 'json') {
    return JSON.stringify({ t: timestamp(date), lvl: level, msg, ...Object.fromEntries(entries) });
  }
  const kv = entries.map(([k, v]) => `${k}=${logfmtValue(v === null ? 'nil' : String(v))}`).join(' ');
  if (format === 'term') {
    const head = `${level.toUpperCase()}[${pad(date.getMonth() + 1)}-${pad(date.getDate())}|${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}] ${msg}`;
    return kv ? `${head.padEnd(60)} ${kv}` : head;
  }
  return `t=${timestamp(date)} lvl=${level} msg=${logfmtValue(msg)}${kv ? ` ${kv}` : ''}`;
}

export class Logger {
  constructor(
    /** 'stdout' | 'stderr' | a file path | undefined (logging off, ngrok's default `--log=false`). */
    private readonly target: string | undefined,
    private readonly format: LogFormat,
    private readonly minimum: Level,
  ) {}

  get enabled(): boolean {
    return this.target !== undefined;
  }

  get toStdout(): boolean {
    return this.target === 'stdout';
  }

  log(level: Level, msg: string, fields: Fields = {}): void {
    if (!this.target || ORDER[level] < ORDER[this.minimum]) return;
    const line = `${formatLine(this.format, level, msg, fields)}\n`;
    if (this.target === 'stdout') process.stdout.write(line);
    else if (this.target === 'stderr') process.stderr.write(line);
    else appendFileSync(this.target, line);
  }

  dbug(msg: string, fields?: Fields): void {
    this.log('dbug', msg, fields);
  }
  info(msg: string, fields?: Fields): void {
    this.log('info', msg, fields);
  }
  warn(msg: string, fields?: Fields): void {
    this.log('warn', msg, fields);
  }
  eror(msg: string, fields?: Fields): void {
    this.log('eror', msg, fields);
  }
  crit(msg: string, fields?: Fields): void {
    this.log('crit', msg, fields);
  }
}

/** ngrok's console form of a fatal error: every line prefixed with "ERROR:  ". */
export function printError(text: string): void {
  const lines = text.replace(/\r/g, '').replace(/\n+$/, '').split('\n');
  process.stderr.write(lines.map((line) => `ERROR:  ${line}`.trimEnd()).join('\n') + '\n');
}
