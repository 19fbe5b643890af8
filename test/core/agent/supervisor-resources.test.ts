// What an AgentSupervisor holds, and when: nothing until start() (a screen may build one it never
// starts), the log file from start() until stop(), and nothing after. Checked on the file system and in
// this process's open file descriptors (/proc/self/fd), with a real spawn of an agent that is missing.
import { existsSync, readFileSync, readdirSync, readlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AgentSupervisor } from '../../../src/core/agent';
import { UserError } from '../../../src/core/errors';
import { runningProcesses, stopAll } from '../../../src/core/process';
import { tempDir } from '../../helpers/cli';

afterEach(() => stopAll());

/** The files this process has open right now. */
function openFiles(): string[] {
  return readdirSync('/proc/self/fd').flatMap((fd) => {
    try {
      return [readlinkSync(`/proc/self/fd/${fd}`)];
    } catch {
      return []; // closed between the listing and the look
    }
  });
}

/** A supervisor whose agent does not exist: it fails at once, after a real spawn attempt. */
function missingAgent(logFile: string) {
  return new AgentSupervisor({
    bin: path.join(tempDir(), 'no-such-ngrok'),
    args: ['http', '8000'],
    env: { PATH: process.env.PATH },
    logFile,
  });
}

describe("the supervisor's resources", () => {
  it('constructing one opens no file; the log file appears with start() and is closed by stop()', async () => {
    const file = path.join(tempDir('agent-log-'), 'logs', 'agent.log');
    const supervisor = missingAgent(file);
    expect(existsSync(path.dirname(file))).toBe(false);
    expect(openFiles()).not.toContain(file);

    await supervisor.start();
    expect(existsSync(file)).toBe(true);
    expect(openFiles()).toContain(file);
    expect(await supervisor.done).toMatchObject({ kind: 'failed' });
    await supervisor.stop();
    expect(openFiles()).not.toContain(file);
    expect(readFileSync(file, 'utf8')).toContain('was not found');
  });

  it('a second start() is the same start: one log file descriptor, one agent', async () => {
    const file = path.join(tempDir('agent-log-'), 'agent.log');
    const supervisor = missingAgent(file);
    const lines: string[] = [];
    supervisor.onLine((line) => lines.push(line.msg));
    await Promise.all([supervisor.start(), supervisor.start()]);
    expect(openFiles().filter((f) => f === file)).toHaveLength(1);
    await supervisor.done;
    await supervisor.start();
    expect(lines.filter((msg) => msg.startsWith('Started '))).toHaveLength(1);
    await supervisor.stop();
    expect(openFiles()).not.toContain(file);
  });

  it('stopped before it started, it never opens the file or starts a process, even if start() comes after', async () => {
    const file = path.join(tempDir('agent-log-'), 'agent.log');
    const supervisor = missingAgent(file);
    await supervisor.stop();
    expect(supervisor.status.state).toEqual({ kind: 'stopped' });
    await supervisor.start();
    expect(existsSync(file)).toBe(false);
    expect(runningProcesses()).toEqual([]);
    expect(supervisor.status.pid).toBeUndefined();
    expect(await supervisor.done).toEqual({ kind: 'stopped' });
  });

  it('a log file that cannot be written fails start() with the file named, and the state says so', async () => {
    const blocker = path.join(tempDir('agent-log-'), 'not-a-dir');
    writeFileSync(blocker, '');
    const file = path.join(blocker, 'agent.log');
    const supervisor = missingAgent(file);
    const error = await supervisor.start().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toContain(file);
    const final = await supervisor.done;
    expect(final).toMatchObject({
      kind: 'failed',
      problem: { message: expect.stringContaining(file), permanent: true },
    });
    expect(runningProcesses()).toEqual([]);
  });
});
