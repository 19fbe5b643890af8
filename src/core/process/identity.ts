// Which process a pid is, read from /proc: a pid alone names a process only while it lives, and Linux
// hands it to the next process once it is gone. With its start time (field 22 of /proc/<pid>/stat,
// in clock ticks since boot, see proc(5)) it names one process for good: a reused pid starts later.
// Where there is no /proc (macOS), the start time is unknown and a living pid is taken as the same
// process: the cautious answer for a lock (wait) and for an orphan (leave it alone, see child-registry).
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';

export interface ProcessIdentity {
  pid: number;
  /** Field 22 of /proc/<pid>/stat; undefined where there is no /proc. */
  startTime?: string;
}

/** The fields of /proc/<pid>/stat after the command name, which may hold spaces and parentheses. */
function statFields(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** Field 22 (starttime); the fields after the name start at field 3 (state). */
export function startTimeOf(pid: number): string | undefined {
  return statFields(pid)?.[19];
}

/** Field 5 (pgrp): the process group the process is in. */
export function processGroupOf(pid: number): number | undefined {
  const group = statFields(pid)?.[2];
  return group === undefined ? undefined : Number(group);
}

/** The process's argv, as /proc/<pid>/cmdline holds it; undefined when it is gone (or no /proc). */
export function argvOf(pid: number): string[] | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return text ? text.replace(/\0$/, '').split('\0') : undefined;
  } catch {
    return undefined;
  }
}

const hasProc = (): boolean => startTimeOf(process.pid) !== undefined;

function pidExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, under another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function identityOf(pid: number): ProcessIdentity {
  const startTime = startTimeOf(pid);
  return startTime === undefined ? { pid } : { pid, startTime };
}

export const thisProcess = (): ProcessIdentity => identityOf(process.pid);

export const thisHost = (): string => hostname();

/** Whether the process that had this identity is still running (not gone, not a new one on its pid). */
export function isRunning(identity: ProcessIdentity): boolean {
  if (!Number.isInteger(identity.pid) || identity.pid <= 0) return false;
  if (identity.startTime === undefined || !hasProc()) return pidExists(identity.pid);
  return startTimeOf(identity.pid) === identity.startTime;
}
