// Every process seen below a pid while a command runs, sampled from /proc: what it started, also what
// lived only a moment (an agent started as the output closed). A child left behind is reparented
// when the command exits, so it is no longer below it: it is looked up by the pid seen earlier.
import { expect } from 'vitest';
import { waitUntilGone } from '../helpers/process';
import { descendants, type ProcessInfo } from './process-tree';

export function watchTree(root: number, everyMs = 50) {
  const seen = new Map<number, ProcessInfo>();
  const sample = () => {
    for (const p of descendants(root)) if (!seen.has(p.pid)) seen.set(p.pid, p);
  };
  sample();
  const timer = setInterval(sample, everyMs);
  return {
    seen: () => [...seen.values()],
    stop: () => clearInterval(timer),
  };
}

/** Each of these processes is gone within 5 s (the grace period of a graceful stop is 3 s). */
export async function expectAllGone(processes: ProcessInfo[]): Promise<void> {
  const left: ProcessInfo[] = [];
  for (const p of processes) if (!(await waitUntilGone(p.pid, 5000))) left.push(p);
  expect(left.map((p) => `${p.pid} ${p.argv.join(' ')}`)).toEqual([]);
}
