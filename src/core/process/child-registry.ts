// Every child we start, written down beside the store (`<config dir>/children.json`, 0600) the moment
// it starts and crossed out when it exits: what a process killed with SIGKILL (kill -9, the OOM
// killer, a crash) cannot stop itself, the next command on the store finds there and stops. Left
// running, the agent keeps the endpoint (the next agent fails with ERR_NGROK_334) and keeps the keys
// it was given in its environment.
//
// A record is recognised as one of our orphans only when all of it holds: its owner (the command that
// started it) is gone, and the process on its pid has the recorded start time AND the recorded
// command line, never by its name alone. A pid reused by another program starts later, and one of
// ours that exec'd (the sandbox's `ngrok` wrapper becomes node) keeps its start time and its arguments.
// The stop goes to the child's process group (children.ts starts each in its own), as a normal stop.
//
// Only the command that holds the store's lock (store-lock.ts) writes it, so no two processes write
// the file at once; each write replaces it whole (a temporary file renamed over it).
import { renameSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { argvOf, isRunning, processGroupOf, startTimeOf, thisProcess, type ProcessIdentity } from './identity';

/**
 * How long a child has, after SIGTERM, to stop on its own before SIGKILL: the first Ctrl-C's graceful
 * stop (a second Ctrl-C does not wait for it). Kept here, beside stopOrphans, rather than in
 * children.ts, which imports this module (the other way round would be an import cycle).
 */
export const STOP_GRACE_MS = 3000;

export const CHILDREN_FILE = 'children.json';

export interface ChildRecord extends ProcessIdentity {
  /** What it is, for a person: "the agent", "the site server", "`ngrok version`". */
  label: string;
  /** The argv we started it with (file and arguments). */
  argv: string[];
  /** The command that started it. */
  owner: ProcessIdentity;
}

export interface StoppedOrphan {
  label: string;
  pid: number;
}

/** Where this process records its children: the store's folder, set by the lifecycle root. */
let recordDir: string | undefined;

export function recordChildrenIn(dir: string | undefined): void {
  recordDir = dir;
}

const fileIn = (dir: string) => path.join(dir, CHILDREN_FILE);

function readRecords(dir: string): ChildRecord[] {
  try {
    const value = JSON.parse(readFileSync(fileIn(dir), 'utf8')) as { children?: unknown };
    return Array.isArray(value.children)
      ? (value.children as ChildRecord[]).filter((r) => Number.isInteger(r?.pid) && Array.isArray(r.argv) && r.owner)
      : [];
  } catch {
    return [];
  }
}

function writeRecords(dir: string, records: ChildRecord[]): void {
  const file = fileIn(dir);
  // No child left: no file left either, so a finished run leaves only the files it means to keep in
  // the user's config folder (reset deletes only what the store records).
  if (records.length === 0) {
    rmSync(file, { force: true });
    return;
  }
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify({ children: records }, undefined, '\t')}\n`, { mode: 0o600 });
  renameSync(temporary, file);
}

/**
 * Writes the child down (no-op outside a command that holds a store). A failed write must not stop
 * the child from running: the cost is only that a crash right now would leave it unrecorded.
 */
export function recordChild(label: string, pid: number | undefined, argv: readonly string[]): void {
  const dir = recordDir;
  if (!dir || !pid) return;
  try {
    const record: ChildRecord = { pid, startTime: startTimeOf(pid), label, argv: [...argv], owner: thisProcess() };
    writeRecords(dir, [...readRecords(dir).filter((r) => r.pid !== pid), record]);
  } catch {
    // see above
  }
}

/** Crosses the child out once it has exited. */
export function forgetChild(pid: number | undefined): void {
  const dir = recordDir;
  if (!dir || !pid) return;
  try {
    const records = readRecords(dir);
    const kept = records.filter((r) => !(r.pid === pid && r.owner.pid === process.pid));
    if (kept.length !== records.length) writeRecords(dir, kept);
  } catch {
    // The next command finds the record, and the pid gone or another process: it drops it.
  }
}

/**
 * The process the record names, if it is still that one: same start time, and the command line we
 * started (or, after an exec or through a script's interpreter, one that ends with our arguments).
 */
export function stillRunning(record: ChildRecord): boolean {
  if (record.startTime === undefined || startTimeOf(record.pid) !== record.startTime) return false;
  const argv = argvOf(record.pid);
  if (!argv) return false;
  if (argv.join('\0') === record.argv.join('\0')) return true;
  const args = record.argv.slice(1);
  return args.length > 0 && argv.length > args.length && argv.slice(-args.length).join('\0') === args.join('\0');
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    // Its own group (children.ts starts every child detached): the wrapper and what it started go too.
    process.kill(processGroupOf(pid) === pid ? -pid : pid, signal);
  } catch {
    // gone meanwhile
  }
}

async function stopOne(record: ChildRecord, graceMs: number): Promise<void> {
  signalGroup(record.pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!stillRunning(record)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  signalGroup(record.pid, 'SIGKILL');
  for (let i = 0; i < 40 && stillRunning(record); i++) await new Promise((r) => setTimeout(r, 25));
}

/**
 * Stops the children that commands on this store started and left running when they died, and drops
 * every record that names nothing of ours any more. Children of a command that still runs are kept.
 * Returns what was stopped, for the sentence that says so.
 */
export async function stopOrphans(dir: string, graceMs = STOP_GRACE_MS): Promise<StoppedOrphan[]> {
  const records = readRecords(dir);
  if (!records.length) return [];
  const orphans = records.filter((r) => !isRunning(r.owner) && stillRunning(r));
  await Promise.all(orphans.map((r) => stopOne(r, graceMs)));
  // What a live command owns stays; so does an orphan that would not stop (tried again next time).
  const kept = records.filter((r) => isRunning(r.owner) || (orphans.includes(r) && stillRunning(r)));
  try {
    writeRecords(dir, kept);
  } catch {
    // Read again next time: what was stopped is gone by then, and dropped.
  }
  return orphans.map((r) => ({ label: r.label, pid: r.pid }));
}

/** "Stopped the agent left running by an earlier run (pid 123)." */
export const stoppedOrphanLine = (orphan: StoppedOrphan): string =>
  `Stopped ${orphan.label} left running by an earlier run (pid ${orphan.pid}).`;
