// Which web server on the site port this tool started: written down beside the store the moment it
// serves the page (`<config dir>/site-server.json`, 0600), crossed out when it stops while we watch.
// Only a server found here, still running with the recorded start time and command line, is adopted
// as the site; any other server on the port is someone else's (server-holder.ts).
//
// A file of its own rather than a field of the settings: the schema is not touched, and the file
// stays right when the settings are rewritten by another process. A pid alone names a process only
// while it lives (Linux hands it on), so the start time from /proc/<pid>/stat (field 22, clock ticks
// since boot, see proc(5); read by core/process/identity.ts, as for every child) is kept with it; a reused pid starts later. Without /proc (macOS) the start
// time and command line are unknown, and a living pid is taken at its word.
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { argvOf, isRunning, startTimeOf } from '../process';

export const SITE_SERVER_FILE = 'site-server.json';

export interface SiteServerRecord {
  pid: number;
  /** Field 22 of /proc/<pid>/stat; undefined where there is no /proc. */
  startTime?: string;
  /** The argv it was started with (python and its arguments). */
  argv: string[];
  port: number;
  /** The folder it serves (absolute). */
  dir: string;
}

/** The recorded process still runs: same start time and, where /proc tells, the same command line. */
export function isRecordRunning(record: SiteServerRecord): boolean {
  if (!isRunning({ pid: record.pid, startTime: record.startTime })) return false;
  if (record.startTime === undefined) return true;
  // python's own argv[0] may differ from the name we ran (pyenv shims exec the real python): the arguments must not.
  const argv = argvOf(record.pid);
  return argv !== undefined && ['', ...argv.slice(1)].join('\0').endsWith(['', ...record.argv.slice(1)].join('\0'));
}

const fileIn = (dir: string) => path.join(dir, SITE_SERVER_FILE);

function readRecords(dir: string): SiteServerRecord[] {
  try {
    const value = JSON.parse(readFileSync(fileIn(dir), 'utf8')) as { servers?: unknown };
    return Array.isArray(value.servers)
      ? (value.servers as SiteServerRecord[]).filter(
          (r) =>
            Number.isInteger(r?.pid) && Number.isInteger(r.port) && Array.isArray(r.argv) && typeof r.dir === 'string',
        )
      : [];
  } catch {
    return [];
  }
}

function writeRecords(dir: string, records: SiteServerRecord[]): void {
  const file = fileIn(dir);
  if (!records.length) return void rmSync(file, { force: true });
  // Replaced whole (a temporary file renamed over it): a reader never sees half a file.
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify({ servers: records }, undefined, '\t')}\n`, { mode: 0o600 });
  renameSync(temporary, file);
}

/**
 * Writes down the server just started (and drops records of servers that are gone). A failed write
 * does not stop the site: the only cost is that a later run asks about the server instead of using it.
 */
export function recordSiteServer(
  dir: string,
  server: { pid: number; argv: readonly string[]; port: number; dir: string },
): void {
  try {
    const record: SiteServerRecord = {
      pid: server.pid,
      startTime: startTimeOf(server.pid),
      argv: [...server.argv],
      port: server.port,
      dir: server.dir,
    };
    writeRecords(dir, [...readRecords(dir).filter((r) => r.pid !== server.pid && isRecordRunning(r)), record]);
  } catch {
    // see above
  }
}

/** Crosses a server out once it has stopped. */
export function forgetSiteServer(dir: string, pid: number): void {
  try {
    const records = readRecords(dir);
    if (records.some((r) => r.pid === pid))
      writeRecords(
        dir,
        records.filter((r) => r.pid !== pid),
      );
  } catch {
    // A record left behind names a process that is gone: isRecordRunning says so.
  }
}

/** The running server this tool started on `port`, as recorded in `dir` (the store's folder). */
export function recordedSiteServer(dir: string | undefined, port: number): SiteServerRecord | undefined {
  if (!dir) return undefined;
  return readRecords(dir).find((r) => r.port === port && isRecordRunning(r));
}
