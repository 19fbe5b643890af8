// The one owner of child processes, with real processes: starts still in flight (the process library
// loads on the first start) are not missed by a stop or a kill.
import { describe, expect, it } from 'vitest';
import { killAll, runningProcesses, startProcess, stopAll } from '../../../src/core/process';
import { isAlive } from '../../helpers/process';

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
