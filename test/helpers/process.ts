import { chmodSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';

/** True while a process with this pid exists (signal 0 checks without touching it). */
export function isAlive(pid: number | undefined): boolean {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * True while the process runs: not gone, and not a zombie (dead, waiting to be reaped, which signal 0
 * does not tell apart). For orphans, whose new parent may reap them only a while later.
 */
export function isRunningNotZombie(pid: number | undefined): boolean {
  if (!pid) return false;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^[ZX]/.test(stat.slice(stat.lastIndexOf(')') + 2));
  } catch {
    return false;
  }
}

/** Like waitUntilGone, for orphans: a zombie counts as stopped (see isRunningNotZombie). */
export async function waitUntilStopped(pid: number | undefined, timeoutMs = 5000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isRunningNotZombie(pid)) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return !isRunningNotZombie(pid);
}

export async function waitUntilGone(pid: number | undefined, timeoutMs = 5000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return !isAlive(pid);
}

/** The pids of living processes whose command line is exactly `argv` (read from /proc). */
export function pidsRunning(argv: readonly string[]): number[] {
  const wanted = argv.join('\0');
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0$/, '') === wanted) pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

/**
 * A shell script standing in for a program whose child keeps stdout open: `sleep` in the background
 * and in the foreground, both with a duration no other process uses, so that they can be found (and
 * cleaned up) by command line.
 */
export function hangingScript(dir: string): { file: string; sleepArgv: string[] } {
  const seconds = String(900_000 + Math.floor(Math.random() * 99_999));
  const file = `${dir}/hanging-ngrok`;
  writeFileSync(file, `#!/bin/sh\nsleep ${seconds} &\nsleep ${seconds}\n`);
  chmodSync(file, 0o755);
  return { file, sleepArgv: ['sleep', seconds] };
}

/** SIGKILLs what a failed test left behind; returns how many there were. */
export function killRunning(argv: readonly string[]): number {
  const pids = pidsRunning(argv);
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone meanwhile
    }
  }
  return pids.length;
}
