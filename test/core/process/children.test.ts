// The one owner of child processes, with real processes: starts still in flight (the process library
// loads on the first start) are not missed by a stop or a kill, and a child's own children (a wrapper
// script's, holding its output open) go with it on a stop, a kill and a timeout.
import { afterEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gated, killAll, runForOutput, runningProcesses, startProcess, stopAll } from '../../../src/core/process';
import { tempDir } from '../../helpers/cli';
import { hangingScript, isAlive, killRunning, pidsRunning } from '../../helpers/process';

describe('processes', () => {
  it('stopAll waits for a start in flight and stops it', async () => {
    const starting = startProcess('sleeper', 'sleep', ['30']);
    await stopAll(2000);
    const sleeper = await starting;
    expect(await sleeper.exited).toMatchObject({ signal: 'SIGTERM' });
    expect(isAlive(sleeper.pid)).toBe(false);
    expect(runningProcesses()).toEqual([]);
  });

  it('killAll kills a start in flight as soon as it lands', async () => {
    const starting = startProcess('sleeper', 'sleep', ['30']);
    killAll();
    const sleeper = await starting;
    expect(await sleeper.exited).toMatchObject({ signal: 'SIGKILL' });
    expect(runningProcesses()).toEqual([]);
  });
});

describe('a child whose own children keep its output open (a wrapper script around ngrok)', () => {
  let sleepArgv: string[] = [];
  afterEach(() => {
    // Only what a failing run left: a passing one leaves nothing to kill.
    killRunning(sleepArgv);
  });

  async function until(condition: () => boolean, ms: number): Promise<boolean> {
    const deadline = Date.now() + ms;
    while (Date.now() < deadline) {
      if (condition()) return true;
      await new Promise((r) => setTimeout(r, 25));
    }
    return condition();
  }

  async function startHanging() {
    const script = hangingScript(tempDir());
    sleepArgv = script.sleepArgv;
    const child = await startProcess('hanging', script.file, []);
    expect(await until(() => pidsRunning(sleepArgv).length === 2, 5000), 'both sleeps started').toBe(true);
    return child;
  }

  it('stop() ends it and both of its sleeps, and returns', { timeout: 15_000 }, async () => {
    const child = await startHanging();
    await child.stop(1000);
    expect(pidsRunning(sleepArgv)).toEqual([]);
    expect(runningProcesses()).toEqual([]);
  });

  it('killAll (the second Ctrl-C) kills the whole group', { timeout: 15_000 }, async () => {
    const child = await startHanging();
    killAll();
    expect(await child.exited).toMatchObject({ signal: 'SIGKILL' });
    expect(await until(() => pidsRunning(sleepArgv).length === 0, 2000), 'no sleep survives').toBe(true);
  });

  it('runForOutput past its timeout: ends, says it timed out, and leaves no sleep', { timeout: 15_000 }, async () => {
    const script = hangingScript(tempDir());
    sleepArgv = script.sleepArgv;
    const started = Date.now();
    const run = await runForOutput(script.file, [], { timeoutMs: 500 });
    expect(run.timedOut).toBe(true);
    // The timeout, then SIGTERM to the group, which sh and sleep obey at once.
    expect(Date.now() - started).toBeLessThan(5000);
    expect(await until(() => pidsRunning(sleepArgv).length === 0, 2000), 'no sleep survives').toBe(true);
  });
});

describe('the gate: a child starts only once it is written down', () => {
  const through = (argv: string[], say: string) =>
    new Promise<number | null>((resolve) => {
      const child = spawn('/bin/sh', argv, { stdio: ['pipe', 'ignore', 'ignore'] });
      child.on('exit', (code) => resolve(code));
      child.stdin.end(say);
    });

  it('runs nothing when we die before the record (the pipe closes without "go"), and the program once told', async () => {
    const marker = path.join(tempDir(), 'started');
    const argv = gated('touch', [marker], process.env)!;
    expect(argv).toBeDefined();
    expect(await through(argv, '')).not.toBe(0);
    expect(existsSync(marker)).toBe(false);
    expect(await through(argv, 'go\n')).toBe(0);
    expect(existsSync(marker)).toBe(true);
  });

  it('leaves the program itself on the recorded pid, with its own command line', async () => {
    const sleeper = await startProcess('sleeper', 'sleep', ['31']);
    let argv = '';
    for (let i = 0; i < 100 && argv !== 'sleep\u000031\u0000'; i++) {
      argv = readFileSync(`/proc/${sleeper.pid}/cmdline`, 'utf8');
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(argv).toBe('sleep\u000031\u0000');
    await stopAll(2000);
  });

  it('is not used for a file that cannot be run: its error reaches the caller as before', async () => {
    expect(gated('/nonexistent/ngrok', [], process.env)).toBeUndefined();
    const missing = await startProcess('ngrok', '/nonexistent/ngrok', ['http', '80']);
    expect((await missing.child) as { code?: string }).toMatchObject({ code: 'ENOENT' });
  });
});
