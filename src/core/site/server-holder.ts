// Who holds the site port: nobody, the web server this tool started (server-record.ts), or another
// program, named by its pid when this machine tells. A server this tool did not start is never taken
// for the site, even when it serves the same page: it may serve another folder, on every interface
// (0.0.0.0), and stopping it is not ours to do.
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';
import path from 'node:path';
import { isPortFree } from './server';
import { recordedSiteServer, type SiteServerRecord } from './server-record';

export type PortHolder =
  | { kind: 'free' }
  | { kind: 'ours'; server: SiteServerRecord }
  | { kind: 'other'; pid?: number; server?: SiteServerRecord };

/**
 * The inodes of the sockets listening on `port`, from /proc/net/tcp and tcp6 (proc(5): the local
 * address is hex `ADDR:PORT`, state 0A is LISTEN).
 */
function listeningInodes(port: number): Set<string> {
  const inodes = new Set<string>();
  const wanted = port.toString(16).toUpperCase().padStart(4, '0');
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields[3] === '0A' && fields[1]?.endsWith(`:${wanted}`) && fields[9] && fields[9] !== '0')
        inodes.add(fields[9]);
    }
  }
  return inodes;
}

/**
 * The pid of the process listening on `port`, when /proc tells (Linux, and a process of this user):
 * the one whose open files include the listening socket. Undefined otherwise.
 */
export function pidListeningOn(port: number): number | undefined {
  const inodes = listeningInodes(port);
  if (!inodes.size) return undefined;
  const sockets = new Set([...inodes].map((inode) => `socket:[${inode}]`));
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((entry) => /^\d+$/.test(entry));
  } catch {
    return undefined;
  }
  for (const pid of pids) {
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue; // another user's process, or gone meanwhile
    }
    for (const fd of fds) {
      try {
        if (sockets.has(readlinkSync(`/proc/${pid}/fd/${fd}`))) return Number(pid);
      } catch {
        // closed meanwhile
      }
    }
  }
  return undefined;
}

/**
 * Who holds `port`: ours only when it is the server this tool started for `dir` (recorded in
 * `recordIn`, the store's folder). Ours for another folder is named as such, and not used.
 */
export async function portHolder(port: number, dir: string, recordIn: string | undefined): Promise<PortHolder> {
  const server = recordedSiteServer(recordIn, port);
  if (await isPortFree(port)) return { kind: 'free' };
  const listening = pidListeningOn(port);
  // A recorded server that lost the port to another program (bound on 0.0.0.0 first) does not make
  // that program ours; where /proc cannot tell who listens, the record is taken at its word.
  if (!server || (listening !== undefined && listening !== server.pid)) return { kind: 'other', pid: listening };
  return server.dir === path.resolve(dir) ? { kind: 'ours', server } : { kind: 'other', pid: server.pid, server };
}

/** `Port 8000 is used by another program (pid 123).`, or by our own server of another folder. */
export function portUsedSentence(port: number, holder: { pid?: number; server?: SiteServerRecord }): string {
  if (holder.server)
    return `Port ${port} is used by the web server this tool started for ${holder.server.dir} (pid ${holder.server.pid}).`;
  return `Port ${port} is used by another program${holder.pid ? ` (pid ${holder.pid})` : ''}.`;
}
