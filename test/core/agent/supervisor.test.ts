// The agent supervisor against the sandbox's agent stand-in and cloud, with a real python site:
// online with its URL, an authtoken error with its fix, crashes restarted with backoff then given up,
// and stops that leave no process behind (checked by pid).
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { AgentSupervisor, type AgentState, type SupervisorOptions } from '../../../src/core/agent';
import type { AgentLogLine } from '../../../src/core/agent';
import { killAll, runningProcesses, stopAll } from '../../../src/core/process';
import { GUIDE_INDEX_HTML, writeSiteFile } from '../../../src/core/site';
import { startNgrok, type NgrokSandbox } from '../../../src/sandbox/ngrok/index';
import { tempDir } from '../../helpers/cli';
import { scaled } from '../../helpers/deadline';
import { unusedPort } from '../../helpers/ports';
import { isAlive, waitUntilGone } from '../../helpers/process';
import { apiCall, runAgent } from '../../sandbox/ngrok-helpers';

const REBIND_AGENT = fileURLToPath(new URL('../../helpers/rebind-agent.mjs', import.meta.url));

let ngrok: NgrokSandbox;
let siteDir: string;
const supervisors: AgentSupervisor[] = [];

beforeAll(async () => {
  ngrok = await startNgrok({});
  siteDir = tempDir('agent-site-');
  await writeSiteFile(siteDir);
});
afterEach(async () => {
  await Promise.all(supervisors.splice(0).map((s) => s.stop()));
  await stopAll();
});
afterAll(() => ngrok?.close());

const port = unusedPort;

/** A supervisor for `ngrok http PORT --url https://NAME.internal`, recording its states and lines. */
async function supervise(
  name: string,
  extra: Partial<SupervisorOptions> & { extraArgs?: string[]; fault?: string } = {},
) {
  const sitePort = await port();
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    ...(extra.fault ? { NGROK_SANDBOX_FAULT: extra.fault } : {}),
    ...extra.env,
  };
  const supervisor = new AgentSupervisor({
    bin: ngrok.agentPath,
    args: ['http', String(sitePort), '--url', `https://${name}.internal`, ...(extra.extraArgs ?? [])],
    env,
    site: { dir: siteDir, port: sitePort },
    requestsEveryMs: 200,
    ...extra,
  });
  supervisors.push(supervisor);
  const states: AgentState[] = [];
  const lines: AgentLogLine[] = [];
  supervisor.onStatus((s) => {
    if (states.at(-1) !== s.state) states.push(s.state);
  });
  supervisor.onLine((l) => lines.push(l));
  await supervisor.start();
  return { supervisor, states, lines, sitePort };
}

describe('the agent supervisor', () => {
  it('brings the agent online, shows its URL, serves the site, and counts requests', async () => {
    const { supervisor, states, lines, sitePort } = await supervise('sup-online');
    const online = await supervisor.waitFor((s) => s.kind === 'online', 15_000);
    expect(online).toEqual({ kind: 'online', url: 'https://sup-online.internal' });
    expect(states.map((s) => s.kind)).toEqual(['starting', 'connecting', 'online']);
    expect(supervisor.status.agentUrl).toBe('https://sup-online.internal');
    expect(supervisor.status.webAddr).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(supervisor.status.siteStarted).toBe(true);
    expect(supervisor.commandLine).toBe(
      `${ngrok.agentPath} http ${sitePort} --url https://sup-online.internal --log stdout --log-format json`,
    );
    expect(lines.some((l) => l.msg === 'started tunnel' && l.level === 'info' && l.source === 'stdout')).toBe(true);

    // A request through a cloud endpoint in front of the internal one reaches the agent's API.
    const call = apiCall(ngrok);
    await call('POST', '/reserved_domains', { domain: 'sup-online.ngrok.app' });
    const created = await call('POST', '/endpoints', {
      type: 'cloud',
      url: 'https://sup-online.ngrok.app',
      traffic_policy: JSON.stringify({
        on_http_request: [{ actions: [{ type: 'forward-internal', config: { url: 'https://sup-online.internal' } }] }],
      }),
    });
    expect(created.status).toBe(201);
    const page = await fetch(`${ngrok.publicUrlFor('sup-online.ngrok.app')}/`);
    expect(await page.text()).toBe(GUIDE_INDEX_HTML);
    // Until the request is reported with its answer: a poll of the agent's API that lands while the
    // request is in flight (long on a loaded machine) counts it first, with no status yet.
    const deadline = Date.now() + scaled(5000);
    while (supervisor.recentRequests[0]?.status === undefined && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    expect(supervisor.status.requests).toBe(1);
    expect(supervisor.recentRequests[0]).toMatchObject({ method: 'GET', path: '/', status: 200 });
  });

  it('an authtoken error (ERR_NGROK_4018) fails at once with its fix, without restarting', async () => {
    const config = path.join(tempDir('agent-config-'), 'ngrok.yml');
    writeFileSync(config, 'version: "3"\n');
    const { supervisor, states } = await supervise('sup-4018', { extraArgs: ['--config', config] });
    const final = await supervisor.done;
    expect(final.kind).toBe('failed');
    const problem = (final as Extract<AgentState, { kind: 'failed' }>).problem;
    expect(problem).toMatchObject({ code: 'ERR_NGROK_4018', permanent: true });
    expect(problem.message).toContain('no authtoken configured');
    expect(problem.fix).toContain('ngrok config add-authtoken');
    expect(supervisor.status.restarts).toBe(0);
    expect(states.map((s) => s.kind)).not.toContain('online');
  });

  it('on a Free account: the .internal URL of endpoint mode (ERR_NGROK_9027) and a custom subdomain (313) fail at once, with agent mode or the dev domain as the fix', async () => {
    ngrok.setPlan('free');
    try {
      const internal = await supervise('sup-9027');
      const final = (await internal.supervisor.done) as Extract<AgentState, { kind: 'failed' }>;
      expect(final.kind).toBe('failed');
      expect(final.problem).toMatchObject({ code: 'ERR_NGROK_9027', permanent: true });
      expect(final.problem.message).toContain(
        'Your ngrok plan has no internal endpoints, so the agent cannot serve the .internal URL of endpoint mode. (ERR_NGROK_9027)',
      );
      expect(final.problem.fix).toContain('ngrok-fusionauth setup --ngrok-mode agent');
      expect(internal.supervisor.status.restarts).toBe(0);

      const custom = await supervise('sup-313', { args: ['http', '1', '--url', 'https://sup-custom.ngrok.app'] });
      const refused = (await custom.supervisor.done) as Extract<AgentState, { kind: 'failed' }>;
      expect(refused.problem).toMatchObject({ code: 'ERR_NGROK_313', permanent: true });
      expect(refused.problem.message).toContain('custom subdomain');
      expect(refused.problem.fix).toContain('dev domain');
      expect(custom.supervisor.status.restarts).toBe(0);
    } finally {
      ngrok.setPlan('pay-as-you-go');
    }
  });

  it('a plan without pooling (ERR_NGROK_18019) fails at once with the way on, not a retry loop', async () => {
    const { supervisor } = await supervise('sup-18019', { env: { NGROK_SANDBOX_FAULT: 'refuse:18019' } });
    const final = (await supervisor.done) as Extract<AgentState, { kind: 'failed' }>;
    expect(final.kind).toBe('failed');
    expect(final.problem).toMatchObject({ code: 'ERR_NGROK_18019', permanent: true });
    expect(final.problem.message).toContain('Your ngrok plan cannot pool endpoints');
    expect(final.problem.fix).toContain('without --pooling-enabled');
    expect(supervisor.status.restarts).toBe(0);
  });

  it('never shows an authtoken the agent quotes back', async () => {
    const token = 'not-a-real-token-4242';
    const { supervisor, lines } = await supervise('sup-105', { env: { NGROK_AUTHTOKEN: token } });
    const final = await supervisor.done;
    expect((final as Extract<AgentState, { kind: 'failed' }>).problem.code).toBe('ERR_NGROK_105');
    const text = lines.map((l) => l.raw).join('\n');
    expect(text).toContain('Your authtoken');
    expect(text).toContain('••••••••4242');
    expect(text).not.toContain(token);
  });

  it('a crash is restarted with growing backoff; repeated quick failures give up with the last error', async () => {
    const { supervisor, states, lines } = await supervise('sup-crash', {
      fault: 'crash-after:700ms|exit-code:3',
      restart: { baseMs: 400, maxDelayMs: 5000, quickMs: 10_000, maxQuickFailures: 3 },
    });
    // No jitter: each delay is then exactly half its backoff, which doubles from one failure to the next.
    vi.spyOn(Math, 'random').mockReturnValue(0);
    const final = await supervisor.done.finally(() => vi.restoreAllMocks());
    expect(final.kind).toBe('failed');
    const problem = (final as Extract<AgentState, { kind: 'failed' }>).problem;
    expect(problem.message).toContain('exited with code 3');
    expect(problem.message).toContain('failed 3 times in a row');
    expect(supervisor.status.restarts).toBe(2);
    // Online after each start, then reconnecting while waiting to restart.
    expect(states.filter((s) => s.kind === 'online')).toHaveLength(3);
    const delays = lines
      .map((l) => /restarting in (\d+\.\d) s/.exec(l.msg)?.[1])
      .filter(Boolean)
      .map(Number);
    expect(delays).toEqual([0.2, 0.4]);
    expect(runningProcesses().map((p) => p.name)).toEqual(['site']);
  });

  it('ERR_NGROK_334 is retried with backoff, saying so, and the agent comes online once the other session is gone', async () => {
    // Someone's own `ngrok http` without pooling holds the URL: ngrok refuses the pooled newcomer.
    const other = runAgent(ngrok.agentPath, ['http', '1', '--url', 'https://sup-334.internal', '--log', 'stdout']);
    try {
      await other.line(/started tunnel/);
      const { supervisor, states, lines } = await supervise('sup-334', {
        extraArgs: ['--pooling-enabled'],
        restart: { baseMs: 200, maxDelayMs: 400, quickMs: 10_000, maxQuickFailures: 2 },
      });
      const retrying = () =>
        lines.filter((l) =>
          /ERR_NGROK_334\) — restarting in \d+\.\d s \(ERR_NGROK_334 can clear by itself: retrying for up to 2 min\)/.test(
            l.msg,
          ),
        );
      const deadline = Date.now() + 15_000;
      // More refusals than the two quick failures a crash may have: 334 has its own, longer budget.
      while (retrying().length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(retrying().length).toBeGreaterThanOrEqual(3);
      expect(supervisor.status.state.kind).not.toBe('failed');
      expect(supervisor.status.lastProblem).toMatchObject({
        code: 'ERR_NGROK_334',
        fix: expect.stringContaining('--pooling-enabled'),
      });
      await other.stop();
      expect(await supervisor.waitFor((s) => s.kind === 'online', 15_000)).toEqual({
        kind: 'online',
        url: 'https://sup-334.internal',
      });
      expect(states.map((s) => s.kind)).toContain('reconnecting');
    } finally {
      await other.stop();
    }
  });

  it("an ERR_NGROK code nobody knows keeps the agent's words and ngrok's link, and is restarted once only", async () => {
    const { supervisor } = await supervise('sup-unknown', {
      fault: 'refuse:4242',
      restart: { baseMs: 100, maxDelayMs: 200, quickMs: 10_000, maxQuickFailures: 5 },
    });
    const final = await supervisor.done;
    expect(final).toEqual({
      kind: 'failed',
      problem: {
        message:
          'ngrok exited with code 1: failed to start tunnel: The sandbox was told to refuse this tunnel (NGROK_SANDBOX_FAULT). (ERR_NGROK_4242) It failed the same way after one restart, so it is not restarted again.',
        fix: 'ngrok explains ERR_NGROK_4242 at https://ngrok.com/docs/errors/err_ngrok_4242',
        code: 'ERR_NGROK_4242',
        permanent: false,
      },
    });
    expect(supervisor.status.restarts).toBe(1);
  });

  it("back online after a reconnect only if the agent's own API lists its tunnels again (as pyngrok checks)", async () => {
    for (const [listed, expected] of [
      [1, { kind: 'online', url: 'https://rebind.internal' }],
      [
        0,
        {
          kind: 'reconnecting',
          reason: "the session is back, but the agent's API lists no tunnel",
          url: 'https://rebind.internal',
        },
      ],
    ] as const) {
      const supervisor = new AgentSupervisor({
        bin: process.execPath,
        args: [REBIND_AGENT],
        env: { PATH: process.env.PATH, NGROK_REBIND_TUNNELS: String(listed) },
      });
      supervisors.push(supervisor);
      const kinds: string[] = [];
      supervisor.onStatus((s) => kinds.at(-1) !== s.state.kind && kinds.push(s.state.kind));
      await supervisor.start();
      await supervisor.waitFor(() => kinds.filter((k) => k === 'online').length === 2, 10_000);
      // Three asks, half a second apart, before an empty list counts.
      await new Promise((r) => setTimeout(r, 1500));
      expect(supervisor.status.state).toEqual(expected);
      expect(kinds).toEqual([
        'starting',
        'connecting',
        'online',
        'reconnecting',
        'online',
        ...(listed ? [] : ['reconnecting']),
      ]);
      await supervisor.stop();
    }
  });

  it('a long healthy run that crashes starts a fresh series instead of counting toward giving up', async () => {
    const { supervisor, states } = await supervise('sup-healthy', {
      fault: 'crash-after:600ms',
      restart: { baseMs: 100, maxDelayMs: 1000, quickMs: 400, maxQuickFailures: 1 },
    });
    const deadline = Date.now() + 10_000;
    while (states.filter((s) => s.kind === 'online').length < 3 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    expect(states.filter((s) => s.kind === 'online').length).toBeGreaterThanOrEqual(3);
    expect(supervisor.status.state.kind).not.toBe('failed');
    expect(supervisor.status.restarts).toBeGreaterThanOrEqual(2);
  });

  it('stop ends the agent and the site server it started: no pid is left', async () => {
    const { supervisor } = await supervise('sup-stop');
    await supervisor.waitFor((s) => s.kind === 'online', 15_000);
    const { pid, sitePid } = supervisor.status;
    expect(isAlive(pid)).toBe(true);
    expect(isAlive(sitePid)).toBe(true);
    await supervisor.stop();
    expect(isAlive(pid)).toBe(false);
    expect(isAlive(sitePid)).toBe(false);
    expect(supervisor.status.state).toEqual({ kind: 'stopped' });
    expect(runningProcesses()).toEqual([]);
  });

  it('a stop that comes while the agent is being started still stops it: nothing is left running', async () => {
    // The process library loads on the first start, so a stop can land between "starting" and the
    // spawn; the supervisor must not start the agent anyway and wait for it forever.
    const supervisor = new AgentSupervisor({
      bin: ngrok.agentPath,
      args: ['http', String(await port()), '--url', 'https://sup-race.internal'],
      env: { PATH: process.env.PATH, HOME: process.env.HOME },
    });
    supervisors.push(supervisor);
    // Without a site to serve, start() runs synchronously up to the spawn: stop() lands in the gap.
    const started = supervisor.start();
    expect(supervisor.status.state).toEqual({ kind: 'starting' });
    const stopped = supervisor.stop();
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>(
      (_, reject) => (timer = setTimeout(() => reject(new Error('stop() did not finish')), 10_000)),
    );
    await Promise.race([stopped, late]).finally(() => clearTimeout(timer));
    await started;
    expect(runningProcesses()).toEqual([]);
    expect(supervisor.status.state).toEqual({ kind: 'stopped' });
  });

  it('an agent that ignores SIGTERM is killed after the grace period', async () => {
    const { supervisor } = await supervise('sup-stubborn', { fault: 'ignore-sigterm', graceMs: 500 });
    await supervisor.waitFor((s) => s.kind === 'online', 15_000);
    const { pid } = supervisor.status;
    const started = Date.now();
    await supervisor.stop();
    expect(Date.now() - started).toBeGreaterThanOrEqual(450);
    expect(isAlive(pid)).toBe(false);
    expect(supervisor.status.lastExit?.signal).toBe('SIGKILL');
  });

  it('stopAll (quit, Ctrl-C) reaches the supervisor first: the agent is not restarted', async () => {
    const { supervisor } = await supervise('sup-stopall');
    await supervisor.waitFor((s) => s.kind === 'online', 15_000);
    const { pid, sitePid } = supervisor.status;
    await stopAll();
    expect(await waitUntilGone(pid, 1000)).toBe(true);
    expect(isAlive(sitePid)).toBe(false);
    await new Promise((r) => setTimeout(r, 300));
    expect(supervisor.status.state).toEqual({ kind: 'stopped' });
    expect(supervisor.status.restarts).toBe(0);
    expect(runningProcesses()).toEqual([]);
  });

  it('killAll (a second Ctrl-C) kills an agent that ignores SIGTERM at once, and nothing restarts it', async () => {
    const { supervisor } = await supervise('sup-killall', { fault: 'ignore-sigterm', graceMs: 5000 });
    await supervisor.waitFor((s) => s.kind === 'online', 15_000);
    const { pid, sitePid } = supervisor.status;
    const started = Date.now();
    killAll();
    expect(await waitUntilGone(pid, 1000)).toBe(true);
    expect(await waitUntilGone(sitePid, 1000)).toBe(true);
    expect(Date.now() - started).toBeLessThan(1000);
    await supervisor.done;
    expect(supervisor.status.state).toEqual({ kind: 'stopped' });
    expect(supervisor.status.restarts).toBe(0);
  });

  it('an agent that is not installed is a failure naming NGROK_BIN', async () => {
    const supervisor = new AgentSupervisor({
      bin: path.join(tempDir(), 'no-such-ngrok'),
      args: ['http', '8000'],
      env: { PATH: process.env.PATH },
    });
    supervisors.push(supervisor);
    await supervisor.start();
    const final = await supervisor.done;
    expect(final).toMatchObject({
      kind: 'failed',
      problem: { message: expect.stringContaining('was not found'), fix: expect.stringContaining('NGROK_BIN') },
    });
  });

  it('writes the full log to a size-capped file', async () => {
    const file = path.join(tempDir('agent-log-'), 'agent.log');
    const { supervisor } = await supervise('sup-logfile', { logFile: file, logFileMaxBytes: 100_000 });
    await supervisor.waitFor((s) => s.kind === 'online', 15_000);
    await supervisor.stop();
    const text = readFileSync(file, 'utf8');
    const parsed = text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { msg: string });
    expect(parsed.some((l) => l.msg === 'started tunnel')).toBe(true);
    expect(parsed.some((l) => l.msg.startsWith('Started '))).toBe(true);
  });
});
