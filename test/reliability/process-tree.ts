// The processes below a pid, read from /proc: what a command started (the site server, the agent),
// with the command line and environment each one runs with.
import { readdirSync, readFileSync } from 'node:fs';

export interface ProcessInfo {
  pid: number;
  ppid: number;
  /** argv, as /proc/<pid>/cmdline holds it (what `ps` shows every user of the machine). */
  argv: string[];
  /** When it started, in clock ticks after boot (/proc/<pid>/stat field 22): with the pid, its identity. */
  startTime?: number;
}

/** Parent pid and start time, read from /proc/<pid>/stat (proc(5)). */
function statOf(pid: number): { ppid: number; startTime: number } | undefined {
  try {
    // "pid (comm) state ppid …": comm may hold spaces and parentheses, so read after the last ')'.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // After comm, field 3 (state) is at index 0: ppid (4) at 1, starttime (22) at 19.
    return { ppid: Number(fields[1]), startTime: Number(fields[19]) };
  } catch {
    return undefined; // gone meanwhile
  }
}

export function argvOf(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  } catch {
    return [];
  }
}

/** The environment a process started with, as NAME=value strings. */
export function environOf(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').filter(Boolean);
  } catch {
    return [];
  }
}

/** Every process of the machine whose command line names `text`. */
export function processesNaming(text: string): ProcessInfo[] {
  const found: ProcessInfo[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const argv = argvOf(Number(entry));
    const stat = statOf(Number(entry));
    if (stat && argv.some((arg) => arg.includes(text))) found.push({ pid: Number(entry), ...stat, argv });
  }
  return found;
}

/** Every living process whose chain of parents leads to `root` (root itself not included). */
export function descendants(root: number): ProcessInfo[] {
  const parents = new Map<number, number>();
  const started = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = statOf(Number(entry));
    if (!stat) continue;
    parents.set(Number(entry), stat.ppid);
    started.set(Number(entry), stat.startTime);
  }
  const below = new Set<number>([root]);
  // Bounded: each pass adds a generation; a tree deeper than the process count cannot exist.
  for (let pass = 0; pass < parents.size; pass++) {
    let added = false;
    for (const [pid, ppid] of parents) {
      if (!below.has(pid) && below.has(ppid)) {
        below.add(pid);
        added = true;
      }
    }
    if (!added) break;
  }
  below.delete(root);
  return [...below]
    .map((pid) => ({ pid, ppid: parents.get(pid)!, argv: argvOf(pid), startTime: started.get(pid) }))
    .filter((p) => p.argv.length > 0);
}

const sameCommandLine = (a: ProcessInfo, b: ProcessInfo) =>
  a.argv.length === b.argv.length && a.argv.every((arg, i) => arg === b.argv[i]);

/**
 * A fork of its parent that has not exec'd anything yet: same command line, started no earlier. A
 * launcher shell (pyenv's `python3` shim is a bash script that execs `pyenv exec`, which execs the
 * real python) forks for each `$(…)`, and the fork shows the shim's argv until it execs: one server,
 * not two. Identity is pid + start time + command line, never the name alone.
 */
function isForkOfParent(p: ProcessInfo, all: readonly ProcessInfo[]): boolean {
  return all.some(
    (parent) =>
      parent.pid === p.ppid &&
      sameCommandLine(parent, p) &&
      (parent.startTime === undefined || p.startTime === undefined || parent.startTime <= p.startTime),
  );
}

/**
 * A site server (python3 -m http.server, whatever launched it) in a list of processes; for
 * `.filter(isSiteServer)`, which passes the list: a launcher's momentary fork is not counted again.
 */
export const isSiteServer = (p: ProcessInfo, _index = 0, all: readonly ProcessInfo[] = []) =>
  p.argv.includes('http.server') && !isForkOfParent(p, all);
/** The agent stand-in (dist/sandbox-agent.js), run by the `ngrok` wrapper NGROK_BIN points at. */
export const isAgent = (p: ProcessInfo) => p.argv.some((arg) => arg.endsWith('sandbox-agent.js'));
