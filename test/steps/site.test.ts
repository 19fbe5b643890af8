// Set Up The Application through the engine, with real python http.servers on the port: a server this
// tool did not start is never taken for the site (a question naming its pid: another port, or stop);
// the one it started and kept is; and once done, a server stopped on exit (the default) is "not
// running, `tunnel` starts it", not a step that no longer holds.
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runningProcesses, stopAll } from '../../src/core/process';
import { Store } from '../../src/core/store';
import { runApply, runCheck } from '../../src/steps/engine';
import { site } from '../../src/steps/site';
import { initialInput, type Input, type StepContext } from '../../src/steps/types';
import { runCli, tempDir } from '../helpers/cli';
import { startForeignSite, type ForeignSite } from '../helpers/foreign-site';
import { isAlive, waitUntilGone } from '../helpers/process';
import { unusedPort } from '../helpers/ports';

let foreign: ForeignSite | undefined;
const kept: number[] = [];
afterEach(async () => {
  await stopAll();
  await foreign?.stop();
  foreign = undefined;
  for (const pid of kept.splice(0)) {
    process.kill(pid, 'SIGTERM');
    await waitUntilGone(pid);
  }
});

const freePort = () => unusedPort();

function context(port: number, root = tempDir('site-step-')): StepContext {
  return {
    store: Store.open(path.join(root, 'config')),
    options: { siteDir: path.join(root, 'apptoprotect'), port },
    env: {},
    signal: new AbortController().signal,
  };
}
const input = (ctx: StepContext, extra: Input = {}): Input => ({ ...initialInput(site, ctx), ...extra });

describe('a server on the port that this tool did not start', () => {
  it("serving the guide's page from another folder on 0.0.0.0: asked about by pid (another port, or stop), never adopted", async () => {
    const port = await freePort();
    foreign = await startForeignSite(port);
    const ctx = context(port);
    const asked = await runApply(site, ctx, input(ctx));
    expect(asked.status).toBe('ask');
    if (asked.status !== 'ask') return;
    const warning = asked.findings.find((f) => f.level === 'warn');
    expect(warning?.title).toBe(`Port ${port} is used by another program (pid ${foreign.pid}).`);
    expect(warning?.fix).toMatch(/^Port (\d+) is free \(--port \1\)\.$/);
    const next = Number(/--port (\d+)/.exec(warning!.fix!)![1]);
    expect(asked.question.prompt).toBe(`Use port ${next} instead, or stop?`);
    expect(asked.question.choices.map((c) => [c.key, c.label])).toEqual([
      ['y', `use port ${next}`],
      ['s', `stop: I will free port ${port}`],
    ]);
    expect(asked.question.noInputAnswer).toBeUndefined();
    expect(ctx.store.step('site')?.status).not.toBe('done');

    const stopped = await runApply(site, ctx, input(ctx, { nextPort: 'no' }));
    expect(stopped).toMatchObject({
      status: 'failed',
      findings: expect.arrayContaining([
        {
          level: 'error',
          title: `Port ${port} is used by another program (pid ${foreign.pid}).`,
          fix: expect.stringContaining('--port'),
        },
      ]),
    });

    const moved = await runApply(site, ctx, input(ctx, { nextPort: asked.question.choices[0]!.value }));
    expect(moved.status).toBe('done');
    expect(ctx.store.values.sitePort).toBe(next);
    expect(moved.findings.map((f) => f.title)).toContain(`GET http://localhost:${next}/ returns the page`);
  });

  it('the check does not count it as the site either', async () => {
    const port = await freePort();
    foreign = await startForeignSite(port);
    const ctx = context(port);
    ctx.store.setValues({ siteDir: foreign.dir, sitePort: port });
    const check = await runCheck(site, ctx);
    expect(check.done).toBe(false);
    expect(check.findings).toEqual([
      {
        level: 'warn',
        title: `Port ${port} is used by another program (pid ${foreign.pid}).`,
        fix: 'Going on offers another port.',
      },
    ]);
  });
});

describe('the server this tool started', () => {
  it('kept running by an earlier run: used again (its pid said), no second server started', async () => {
    const port = await freePort();
    const root = tempDir('site-step-');
    const first = context(port, root);
    const done = await runApply(site, first, input(first, { keepServer: 'keep' }));
    expect(done.status).toBe('done');
    const pid = Number(/\(pid (\d+)\)/.exec(done.findings.map((f) => f.title).join('\n'))![1]);
    kept.push(pid);
    expect(runningProcesses()).toEqual([]); // detached: not ours to stop on exit

    const again = context(port, root);
    const second = await runApply(site, again, input(again));
    expect(second.status).toBe('done');
    expect(second.findings.map((f) => f.title)).toContain(
      `The web server this tool started (pid ${pid}) already serves ${path.join(root, 'apptoprotect')} on port ${port}`,
    );
    expect(runningProcesses()).toEqual([]);
    expect((await runCheck(site, again)).findings).toEqual([
      { level: 'ok', title: `http://127.0.0.1:${port}/ serves the page (pid ${pid}, started by this tool).` },
    ]);
    // `status` reads the same record: the server runs.
    const status = await runCli(['--config-dir', path.join(root, 'config'), 'status']);
    expect(status.stdout).toContain(`✔ 2. Set Up The Application — done (the web server runs, pid ${pid})`);
  });

  it('stopped on exit (the default): the done step stays done, "not running, `tunnel` starts it"; a step never done is applied', async () => {
    const port = await freePort();
    const ctx = context(port);
    expect((await runApply(site, ctx, input(ctx))).status).toBe('done');
    const pid = runningProcesses()[0]?.pid;
    await stopAll();
    expect(await waitUntilGone(pid)).toBe(true);

    const check = await runCheck(site, ctx);
    expect(check).toEqual({
      done: true,
      idle: true,
      findings: [{ level: 'info', title: 'The web server is not running: `ngrok-fusionauth tunnel` starts it.' }],
    });
    expect(ctx.store.step('site')?.status).toBe('done');
    expect(isAlive(pid)).toBe(false);

    ctx.store.clearSteps();
    expect((await runCheck(site, ctx)).done).toBe(false);
  });
});
