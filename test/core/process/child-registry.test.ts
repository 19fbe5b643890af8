// The record of our children beside the store, with real processes: a child of a command killed with
// SIGKILL is found and stopped (with whatever it started), and a process that only looks like one of
// ours (its pid reused by a later process, another command line on a recorded pid, the child of a
// command that still runs) is left alone.
import { execa } from 'execa';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CHILDREN_FILE, stopOrphans, type ChildRecord } from '../../../src/core/process';
import { startTimeOf, thisProcess } from '../../../src/core/process';
import { tempDir } from '../../helpers/cli';
import { runIsolated } from '../../helpers/isolated';
import { hangingScript, isRunningNotZombie, killRunning, pidsRunning, waitUntilStopped } from '../../helpers/process';

// No file is no record: the registry deletes its file when the last child is forgotten.
const recordsIn = (dir: string) =>
  existsSync(path.join(dir, CHILDREN_FILE))
    ? (JSON.parse(readFileSync(path.join(dir, CHILDREN_FILE), 'utf8')) as { children: ChildRecord[] }).children
    : [];
const writeRecords = (dir: string, children: ChildRecord[]) =>
  writeFileSync(path.join(dir, CHILDREN_FILE), JSON.stringify({ children }));

let leftovers: string[][] = [];
afterEach(() => {
  for (const argv of leftovers.splice(0)) killRunning(argv);
});

describe('orphans of a command killed with SIGKILL', () => {
  it('are recorded as they start (0600), found by the next command, stopped with what they started, and said', async () => {
    const dir = tempDir();
    // A wrapper script around two sleeps (as NGROK_BIN may be): the record names the script.
    const script = hangingScript(tempDir());
    leftovers.push(script.sleepArgv);
    const run = await runIsolated(
      `import { recordChildrenIn, startProcess } from './src/core/process';
       recordChildrenIn(${JSON.stringify(dir)});
       const child = await startProcess('ngrok', ${JSON.stringify(script.file)}, ['http', '8000']);
       console.log(child.pid);
       setInterval(() => undefined, 1000);`,
      { timeoutMs: 4000 },
    );
    expect(run.timedOut, run.stderr).toBe(true);
    const pid = Number(run.stdout.trim());
    expect(pidsRunning(script.sleepArgv)).toHaveLength(2);
    expect(statSync(path.join(dir, CHILDREN_FILE)).mode & 0o777).toBe(0o600);
    expect(recordsIn(dir)).toEqual([
      expect.objectContaining({
        pid,
        label: 'the agent',
        argv: [script.file, 'http', '8000'],
        startTime: startTimeOf(pid),
      }),
    ]);

    const stopped = await stopOrphans(dir, 1000);
    expect(stopped).toEqual([{ label: 'the agent', pid }]);
    expect(await waitUntilStopped(pid, 2000)).toBe(true);
    // The script's own children went with it: the whole process group was stopped.
    for (let i = 0; i < 40 && pidsRunning(script.sleepArgv).length; i++) await new Promise((r) => setTimeout(r, 50));
    expect(pidsRunning(script.sleepArgv)).toEqual([]);
    expect(recordsIn(dir)).toEqual([]);
  }, 30_000);

  it('a process that only looks like one of ours is left alone', async () => {
    const dir = tempDir();
    const seconds = String(800_000 + Math.floor(Math.random() * 99_999));
    const argv = ['sleep', seconds];
    leftovers.push(argv);
    const sleeper = execa('sleep', [seconds], { detached: true });
    sleeper.catch(() => undefined);
    try {
      const pid = sleeper.pid!;
      const startTime = startTimeOf(pid)!;
      const deadOwner = { pid: 999_999_999, startTime: '1' };
      const records: ChildRecord[] = [
        // Its pid, a later start time than recorded: the pid was reused by another process.
        { pid, startTime: String(Number(startTime) - 1), label: 'the agent', argv, owner: deadOwner },
        // Its pid and start time, but not the command line we started.
        { pid, startTime, label: 'the site server', argv: ['python3', '-m', 'http.server', '8000'], owner: deadOwner },
        // The child of a command that still runs (this one): not an orphan, and kept.
        { pid, startTime, label: 'the agent', argv, owner: thisProcess() },
      ];
      writeRecords(dir, records);
      expect(await stopOrphans(dir, 500)).toEqual([]);
      expect(isRunningNotZombie(pid)).toBe(true);
      // What names nothing of ours is dropped; the living command's child stays recorded.
      expect(recordsIn(dir)).toEqual([records[2]]);

      // The same process recorded rightly, with its owner gone: it is ours, and is stopped.
      writeRecords(dir, [{ pid, startTime, label: 'the agent', argv, owner: deadOwner }]);
      expect(await stopOrphans(dir, 500)).toEqual([{ label: 'the agent', pid }]);
      expect(await sleeper.catch((e: { signal?: string }) => e)).toMatchObject({ signal: 'SIGTERM' });
    } finally {
      sleeper.kill('SIGKILL');
    }
  });
});
