// Ports for servers a test has another process bind later (python's http.server, the CLI's site
// server), so they cannot be held open until then: they are chosen free and must stay free.
//
// Not from the kernel's ephemeral range (ip_local_port_range, 32768–60999 by default): every outgoing
// connection on the machine, and every listen(0), takes its port from there, so a port found free in it
// can be taken before python binds it. Under load the suite saw exactly that ("Port 45247 is in use by
// another program", "Port 45366 is already in use"). Worse than a refusal: a server that serves the
// guide's page there (another test's) is taken by the setup for its own. Below the range only an
// explicit bind takes a port, and each vitest worker has a band of its own, so no two workers ever
// choose the same one.
import { readFileSync } from 'node:fs';
import { isPortFree } from '../../src/core/site';
import { MAX_WORKERS } from './workers';

/** Clear of the well-known ports and of development servers' favourites (3000, 5173, 8000, 8080, 9011…). */
export const LOWEST = 20_000;
/** Where the ephemeral range starts when the kernel does not say: IANA's (also macOS's) 49152. */
const IANA_EPHEMERAL_START = 49_152;

export function ephemeralStart(): number {
  try {
    const [start] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    if (start && start > LOWEST) return start;
  } catch {
    // not Linux
  }
  return IANA_EPHEMERAL_START;
}

/**
 * This worker's ports: [from, to). vitest numbers its workers 1…maxWorkers in VITEST_POOL_ID. One
 * band per worker, as wide as can be, since another suite on the machine draws from the same bands
 * (only the check that a port is free keeps the two apart). With more workers than MAX_WORKERS
 * (--maxWorkers), the extra ones share bands, and again only that check keeps them apart.
 */
export function portBand(): [number, number] {
  const worker = Number(process.env.VITEST_POOL_ID ?? 1);
  const size = Math.floor((ephemeralStart() - LOWEST) / MAX_WORKERS);
  const from = LOWEST + ((worker - 1) % MAX_WORKERS) * size;
  return [from, from + size];
}

/** Handed out by this process: free until their server starts, so not free for anyone else. */
const handedOut = new Set<number>();

/** A free port on 127.0.0.1 that nothing but an explicit bind can take before the test uses it. */
export async function unusedPort(): Promise<number> {
  const [from, to] = portBand();
  for (let attempt = 0; attempt < 100; attempt++) {
    const port = from + Math.floor(Math.random() * (to - from));
    if (handedOut.has(port) || !(await isPortFree(port))) continue;
    handedOut.add(port);
    return port;
  }
  throw new Error(`no free port in ${from}–${to - 1} after 100 tries`);
}
