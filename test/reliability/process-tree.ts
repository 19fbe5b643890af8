// The processes below a pid, read from /proc: what a command started (the site server, the agent),
// with the command line and environment each one runs with.
import { readdirSync, readFileSync } from 'node:fs';

export interface ProcessInfo {
  pid: number;
  ppid: number;
  /** argv, as /proc/<pid>/cmdline holds it (what `ps` shows every user of the machine). */
  argv: string[];
}

function parentOf(pid: number): number | undefined {
  try {
    // "pid (comm) state ppid …": comm may hold spaces and parentheses, so read after the last ')'.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
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

/** Every living process whose chain of parents leads to `root` (root itself not included). */
export function descendants(root: number): ProcessInfo[] {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const ppid = parentOf(Number(entry));
    if (ppid !== undefined) parents.set(Number(entry), ppid);
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
    .map((pid) => ({ pid, ppid: parents.get(pid)!, argv: argvOf(pid) }))
    .filter((p) => p.argv.length > 0);
}

export const isSiteServer = (p: ProcessInfo) => p.argv.includes('http.server');
/** The agent stand-in (dist/sandbox-agent.js), run by the `ngrok` wrapper NGROK_BIN points at. */
export const isAgent = (p: ProcessInfo) => p.argv.some((arg) => arg.endsWith('sandbox-agent.js'));
