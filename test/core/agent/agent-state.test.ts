// The agent's state machine without a process: each event and each line the reducer understands,
// from the agent's own log format (the stand-in's formatter, read back by the real parser). Failed and
// stopped are final; a run's error lines decide, at exit, whether a restart can help.
import { describe, expect, it } from 'vitest';
import {
  exitProblem,
  initialMachine,
  parseAgentLine,
  reduceAgent,
  type AgentEvent,
  type AgentMachine,
  type AgentState,
} from '../../../src/core/agent';
import type { LogLevel } from '../../../src/core/agent';
import { formatLine } from '../../../src/sandbox/agent/log';

const AT = 1_700_000_000_000;

function line(level: LogLevel, msg: string, fields: Parameters<typeof formatLine>[3] = {}): AgentEvent {
  return { type: 'line', line: parseAgentLine(formatLine('json', level, msg, fields)), at: AT };
}

function run(machine: AgentMachine, ...events: AgentEvent[]): AgentMachine {
  return events.reduce(reduceAgent, machine);
}

const fresh = (publicUrl?: string) => initialMachine(publicUrl);
const webService = line('info', 'starting web service', { obj: 'web', addr: '127.0.0.1:4040' });
const tunnelStarted = line('info', 'started tunnel', { obj: 'tunnels', url: 'https://x.internal' });
/** A machine whose agent is online (private URL only). */
const online = () =>
  run(fresh(), { type: 'run-starting', restart: false }, { type: 'spawned', pid: 42 }, webService, tunnelStarted);

describe('the agent state reducer', () => {
  it('starts in starting, with nothing counted and the public URL known', () => {
    expect(fresh('https://a.ngrok.app').status).toEqual({
      state: { kind: 'starting' },
      restarts: 0,
      requests: 0,
      publicUrl: 'https://a.ngrok.app',
    });
    expect(fresh().run).toEqual({});
  });

  it('"starting web service" records the local API and moves starting to connecting (and only starting)', () => {
    const connecting = run(fresh(), webService);
    expect(connecting.status).toMatchObject({ state: { kind: 'connecting' }, webAddr: '127.0.0.1:4040' });
    const again = run(online(), line('info', 'starting web service', { addr: '127.0.0.1:4041' }));
    expect(again.status).toMatchObject({ state: { kind: 'online' }, webAddr: '127.0.0.1:4041' });
    // Without an address it says nothing we can use.
    const machine = fresh();
    expect(reduceAgent(machine, line('info', 'starting web service', {}))).toBe(machine);
  });

  it('a session being established means connecting, except once online', () => {
    for (const msg of ['client session established', 'tunnel session started']) {
      expect(run(fresh(), line('info', msg)).status.state).toEqual({ kind: 'connecting' });
      const reconnecting = run(online(), { type: 'restart-scheduled', delayMs: 400 });
      expect(run(reconnecting, line('info', msg)).status.state).toEqual({ kind: 'connecting' });
      const up = online();
      expect(reduceAgent(up, line('info', msg))).toBe(up);
    }
  });

  it('"started tunnel" is online: at the public URL when there is one, else at the agent\'s', () => {
    const up = online();
    expect(up.status).toMatchObject({
      state: { kind: 'online', url: 'https://x.internal' },
      agentUrl: 'https://x.internal',
      onlineSince: AT,
      pid: 42,
    });
    const endpoint = run(fresh('https://x.ngrok.app'), tunnelStarted);
    expect(endpoint.status.state).toEqual({ kind: 'online', url: 'https://x.ngrok.app' });
    expect(endpoint.status.agentUrl).toBe('https://x.internal');
    const noUrl = run(fresh(), line('info', 'started tunnel', { url: '' }));
    expect(noUrl.status.state).toEqual({ kind: 'online', url: '' });
    expect(noUrl.status.agentUrl).toBeUndefined();
  });

  it('a lost session at error level is reconnecting, with the reason in words and the URL kept; at info level it is not', () => {
    for (const msg of ['session closed, starting reconnect loop', 'session closing', 'failed to reconnect session']) {
      const lost = run(online(), line('eror', msg, { err: 'authentication failed\r\n\r\nERR_NGROK_108\r\n' }));
      expect(lost.status.state).toEqual({
        kind: 'reconnecting',
        reason: 'Your account already has as many agent sessions online as it may. (ERR_NGROK_108)',
        url: 'https://x.internal',
      });
      expect(lost.status.onlineSince).toBeUndefined();
      expect(run(online(), line('info', msg)).status.state.kind).toBe('online');
      // Before a session there is none to lose: the state stays.
      expect(run(fresh(), line('eror', msg, { err: 'read: connection reset' })).status.state).toEqual({
        kind: 'starting',
      });
    }
    const fromConnecting = run(fresh(), webService, line('eror', 'session closing', { err: 'read: connection reset' }));
    expect(fromConnecting.status.state).toEqual({ kind: 'reconnecting', reason: 'read: connection reset' });
  });

  // The sequence a real agent prints when its session drops and comes back (ngrok-go's reconnecting
  // session; logs in inconshreveable/ngrok#822, #66, #937), in both of its formats.
  for (const format of ['json', 'logfmt'] as const) {
    it(`a session that drops and comes back is online again at the same URL, without a new "started tunnel" (${format})`, () => {
      const at = (
        level: LogLevel,
        msg: string,
        fields: Parameters<typeof formatLine>[3],
        when: number,
      ): AgentEvent => ({ type: 'line', line: parseAgentLine(formatLine(format, level, msg, fields)), at: when });
      const states: AgentState[] = [];
      let machine = run(
        fresh('https://x.ngrok.app'),
        { type: 'run-starting', restart: false },
        webService,
        tunnelStarted,
      );
      const csess = { obj: 'csess', id: '70ac8594a6f5' };
      for (const event of [
        at(
          'eror',
          'session closed, starting reconnect loop',
          { ...csess, err: 'read EOF from remote peer' },
          AT + 1000,
        ),
        at(
          'eror',
          'failed to reconnect session',
          { ...csess, err: 'dial tcp 127.0.0.1:4443: connect: connection refused' },
          AT + 1100,
        ),
        at('dbug', 'sleep before reconnect', { ...csess, secs: 1 }, AT + 1200),
        at(
          'eror',
          'failed to reconnect session',
          { ...csess, err: 'The tunnel is already bound to another tunnel session\r\n\r\nERR_NGROK_334\r\n' },
          AT + 2200,
        ),
        at('dbug', 'sleep before reconnect', { ...csess, secs: 2 }, AT + 2300),
        at('info', 'tunnel session started', { obj: 'tunnels.session' }, AT + 4300),
        at('info', 'client session established', csess, AT + 4301),
      ]) {
        machine = reduceAgent(machine, event);
        if (states.at(-1) !== machine.status.state) states.push(machine.status.state);
      }
      expect(states).toEqual([
        { kind: 'reconnecting', reason: 'read EOF from remote peer', url: 'https://x.ngrok.app' },
        {
          kind: 'reconnecting',
          reason: 'dial tcp 127.0.0.1:4443: connect: connection refused',
          url: 'https://x.ngrok.app',
        },
        {
          kind: 'reconnecting',
          reason: 'dial tcp 127.0.0.1:4443: connect: connection refused — next try in 1 s',
          url: 'https://x.ngrok.app',
        },
        {
          kind: 'reconnecting',
          reason: 'Another agent session already serves this URL without pooling. (ERR_NGROK_334)',
          url: 'https://x.ngrok.app',
        },
        {
          kind: 'reconnecting',
          reason: 'Another agent session already serves this URL without pooling. (ERR_NGROK_334) — next try in 2 s',
          url: 'https://x.ngrok.app',
        },
        { kind: 'online', url: 'https://x.ngrok.app' },
      ]);
      expect(machine.status.onlineSince).toBe(AT + 4300);
      expect(machine.status.agentUrl).toBe('https://x.internal');
    });
  }

  it('a session that comes back in a run that was never online is connecting, until "started tunnel"', () => {
    const lost = run(
      fresh(),
      webService,
      line('eror', 'failed to reconnect session', { err: 'dial tcp: i/o timeout' }),
    );
    expect(lost.status.state).toEqual({ kind: 'reconnecting', reason: 'dial tcp: i/o timeout' });
    const back = run(lost, line('info', 'client session established', { obj: 'csess' }));
    expect(back.status.state).toEqual({ kind: 'connecting' });
    expect(run(back, tunnelStarted).status.state).toEqual({ kind: 'online', url: 'https://x.internal' });
    // A restart of the agent is a new run: its reconnecting has no URL to go back to.
    const restarting = run(online(), { type: 'restart-scheduled', delayMs: 500 });
    expect(run(restarting, line('info', 'client session established')).status.state).toEqual({ kind: 'connecting' });
  });

  it("the agent's API settles a doubt: no tunnel listed is not online, tunnels listed while reconnecting is", () => {
    const back = run(
      online(),
      line('eror', 'session closed, starting reconnect loop', { err: 'EOF' }),
      line('info', 'client session established'),
    );
    expect(back.status.state).toEqual({ kind: 'online', url: 'https://x.internal' });
    const empty = reduceAgent(back, { type: 'tunnels-listed', count: 0 });
    expect(empty.status.state).toEqual({
      kind: 'reconnecting',
      reason: "the session is back, but the agent's API lists no tunnel",
      url: 'https://x.internal',
    });
    expect(reduceAgent(empty, { type: 'tunnels-listed', count: 1 }).status.state).toEqual({
      kind: 'online',
      url: 'https://x.internal',
    });
    expect(reduceAgent(back, { type: 'tunnels-listed', count: 1 })).toEqual(back);
    // Without a URL of this run there is nothing to be online at.
    const connecting = run(fresh(), webService);
    expect(reduceAgent(connecting, { type: 'tunnels-listed', count: 2 }).status.state).toEqual({ kind: 'connecting' });
  });

  it('"failed to open private leg … connection refused" marks the site down until a visitor gets through', () => {
    const leg = (err: string) =>
      line('warn', 'failed to open private leg', { id: 'airt_1', typ: 'proxy', privaddr: 'localhost:8000', err });
    const down = run(
      online(),
      leg('dial tcp 127.0.0.1:8000: connect: connection refused'),
      line('info', 'join connections', { obj: 'join', l: 'nil', r: '1.2.3.4:5' }),
    );
    expect(down.status.siteDown).toEqual({ addr: 'localhost:8000', since: AT });
    expect(down.status.state.kind).toBe('online');
    // The same again changes nothing; another failure of the dial is not "down".
    expect(reduceAgent(down, leg('dial tcp 127.0.0.1:8000: connect: connection refused'))).toBe(down);
    expect(run(online(), leg('dial tcp 127.0.0.1:8000: i/o timeout')).status.siteDown).toBeUndefined();
    const up = reduceAgent(
      down,
      line('info', 'join connections', { obj: 'join', l: '127.0.0.1:8000', r: '1.2.3.4:6' }),
    );
    expect(up.status.siteDown).toBeUndefined();
    // While the site is up, a joined connection costs nothing.
    const fine = online();
    expect(reduceAgent(fine, line('info', 'join connections', { obj: 'join', l: '127.0.0.1:8000' }))).toBe(fine);
  });

  it('the bare "ERROR:  ERR_NGROK_…" line that ends a fatal error does not replace the words before it', () => {
    const words = 'failed to start tunnel: The frobnicator is unplugged.\r\n\r\nERR_NGROK_4242\r\n';
    const said = run(fresh(), line('eror', 'failed to start tunnel', { err: words }), {
      type: 'line',
      line: parseAgentLine('ERROR:  ERR_NGROK_4242', 'stderr'),
      at: AT,
    });
    expect(said.run.problem).toEqual({
      message: 'failed to start tunnel: The frobnicator is unplugged. (ERR_NGROK_4242)',
      fix: 'ngrok explains ERR_NGROK_4242 at https://ngrok.com/docs/errors/err_ngrok_4242',
      code: 'ERR_NGROK_4242',
      permanent: false,
    });
    const flag = run(fresh(), { type: 'line', line: parseAgentLine('ERROR:  unknown flag: --url', 'stderr'), at: AT });
    expect(exitProblem(flag.run, { exitCode: 1 })).toMatchObject({
      message: 'ngrok exited with code 1: This ngrok agent does not know --url: it is older than this setup needs.',
      permanent: true,
    });
    expect(flag.status.lastProblem).toMatchObject({ fix: expect.stringContaining('ngrok update') });
  });

  it("a permanent error code becomes the last problem and the run's reason: no restart can help", () => {
    const said = run(
      online(),
      line('eror', 'failed to reconnect session', {
        err: 'authentication failed: Your authtoken: ••••1234\r\n\r\nERR_NGROK_4018\r\n',
      }),
    );
    const problem = {
      message: 'The ngrok agent has no authtoken configured. (ERR_NGROK_4018)',
      fix: expect.stringContaining('ngrok config add-authtoken'),
      code: 'ERR_NGROK_4018',
      permanent: true,
    };
    expect(said.status.lastProblem).toEqual(problem);
    expect(said.run.problem).toEqual(problem);
    expect(exitProblem(said.run, { exitCode: 1 })).toEqual({
      ...problem,
      message: 'ngrok exited with code 1: The ngrok agent has no authtoken configured. (ERR_NGROK_4018)',
    });
  });

  it('a transient code may be restarted; an error without a code is its words, and an exit without one its code', () => {
    const busy = run(online(), line('eror', 'session closing', { err: 'ERR_NGROK_108' }));
    expect(exitProblem(busy.run, { exitCode: 1 })).toMatchObject({ code: 'ERR_NGROK_108', permanent: false });

    const words = run(online(), line('eror', 'tunnel failed', { err: 'dial tcp:\n   connection   refused ' }));
    expect(words.run).toEqual({ problem: undefined, lastErrorText: 'dial tcp: connection refused' });
    expect(words.status.lastProblem).toBeUndefined();
    expect(exitProblem(words.run, { exitCode: 3 })).toEqual({
      message: 'ngrok exited with code 3: dial tcp: connection refused',
      permanent: false,
    });
    expect(exitProblem({}, { exitCode: 3 })).toEqual({ message: 'ngrok exited with code 3.', permanent: false });
    expect(exitProblem({}, { signal: 'SIGKILL' })).toEqual({
      message: 'ngrok was killed (SIGKILL).',
      permanent: false,
    });
  });

  it('a crit line or "command failed" names the run\'s problem even without a code; later plain errors keep it', () => {
    const crit = run(online(), line('crit', 'something broke', { err: 'first line\nsecond line' }));
    expect(crit.run.problem).toEqual({ message: 'first line', code: undefined, permanent: false });
    const failed = run(online(), line('eror', 'command failed', { err: 'bad flag --nope' }));
    expect(failed.run.problem).toEqual({ message: 'bad flag --nope', code: undefined, permanent: false });
    const later = run(failed, line('eror', 'another thing', { err: 'noise' }));
    expect(later.run).toEqual({ problem: failed.run.problem, lastErrorText: 'noise' });
    // Without a code it is the run's reason, not the "last problem" the status shows with its fix.
    expect(later.status.lastProblem).toBeUndefined();
  });

  it('each run starts afresh: a restart is counted, the run report is emptied, the state is starting', () => {
    const said = run(online(), line('eror', 'x', { err: 'ERR_NGROK_8012' }), { type: 'exited', exit: { exitCode: 1 } });
    expect(said.status).toMatchObject({ state: { kind: 'online' }, lastExit: { exitCode: 1 }, onlineSince: undefined });
    const first = reduceAgent(said, { type: 'run-starting', restart: false });
    expect(first.status.restarts).toBe(0);
    const restarted = reduceAgent(said, { type: 'run-starting', restart: true });
    expect(restarted.status).toMatchObject({
      state: { kind: 'starting' },
      restarts: 1,
      lastProblem: { code: 'ERR_NGROK_8012' },
    });
    expect(restarted.run).toEqual({});
    const spawned = reduceAgent(restarted, { type: 'spawned', pid: 43 });
    expect(spawned.status).toMatchObject({ pid: 43, agentUrl: undefined, onlineSince: undefined, restarts: 1 });
  });

  it('a scheduled restart is reconnecting, with the delay in seconds', () => {
    expect(run(online(), { type: 'restart-scheduled', delayMs: 400 }).status.state).toEqual({
      kind: 'reconnecting',
      reason: 'restarting in 0.4 s',
    });
    expect(run(online(), { type: 'restart-scheduled', delayMs: 12_345 }).status.state).toEqual({
      kind: 'reconnecting',
      reason: 'restarting in 12.3 s',
    });
  });

  it('the site and the requests are counted into the status', () => {
    const site = run(fresh(), { type: 'site-started', pid: 7 });
    expect(site.status).toMatchObject({ sitePid: 7, siteStarted: true });
    const polled = run(
      online(),
      { type: 'requests-polled', fresh: 2, reachable: true },
      { type: 'requests-polled', fresh: 3, reachable: true },
    );
    expect(polled.status).toMatchObject({ requests: 5, webReachable: true });
    expect(run(polled, { type: 'requests-polled', fresh: 0, reachable: false }).status).toMatchObject({
      requests: 5,
      webReachable: false,
    });
  });

  it('failed is final: it keeps its problem, and nothing moves it (not even stopped)', () => {
    const problem = {
      message: 'ngrok exited with code 1: no authtoken (ERR_NGROK_4018)',
      code: 'ERR_NGROK_4018',
      permanent: true,
    };
    const failed = run(online(), { type: 'failed', problem });
    expect(failed.status).toMatchObject({
      state: { kind: 'failed', problem },
      lastProblem: problem,
      onlineSince: undefined,
    });
    for (const event of [
      tunnelStarted,
      webService,
      { type: 'run-starting', restart: true },
      { type: 'restart-scheduled', delayMs: 1 },
      { type: 'stopped' },
      { type: 'failed', problem: { message: 'other', permanent: false } },
    ] as AgentEvent[]) {
      expect(reduceAgent(failed, event).status.state).toBe(failed.status.state);
    }
    expect(reduceAgent(failed, { type: 'stopped' })).toBe(failed);
  });

  it('stopped is final too', () => {
    const stopped = run(online(), { type: 'stopped' });
    expect(stopped.status.state).toEqual({ kind: 'stopped' });
    expect(stopped.status.onlineSince).toBeUndefined();
    expect(reduceAgent(stopped, { type: 'failed', problem: { message: 'late', permanent: true } })).toBe(stopped);
    expect(run(stopped, tunnelStarted, line('info', 'client session established')).status.state).toEqual({
      kind: 'stopped',
    });
  });

  it('a crash series: online after each start, reconnecting between, failed when given up', () => {
    const states: AgentState['kind'][] = [];
    let machine = fresh();
    const track = (event: AgentEvent) => {
      const before = machine.status.state;
      machine = reduceAgent(machine, event);
      if (machine.status.state !== before) states.push(machine.status.state.kind);
    };
    for (let attempt = 0; attempt < 3; attempt++) {
      track({ type: 'run-starting', restart: attempt > 0 });
      track({ type: 'spawned', pid: 100 + attempt });
      track(webService);
      track(tunnelStarted);
      track({ type: 'exited', exit: { exitCode: 3 } });
      if (attempt < 2) track({ type: 'restart-scheduled', delayMs: 200 * 2 ** attempt });
    }
    track({ type: 'failed', problem: exitProblem(machine.run, { exitCode: 3 }) });
    expect(states).toEqual([
      'connecting',
      'online',
      'reconnecting',
      'starting',
      'connecting',
      'online',
      'reconnecting',
      'starting',
      'connecting',
      'online',
      'failed',
    ]);
    expect(machine.status.restarts).toBe(2);
    expect(machine.status.state).toEqual({
      kind: 'failed',
      problem: { message: 'ngrok exited with code 3.', permanent: false },
    });
  });

  it('an ordinary line changes nothing and allocates nothing; the same state keeps its object', () => {
    const up = online();
    expect(reduceAgent(up, line('info', 'join connections', { obj: 'join' }))).toBe(up);
    expect(reduceAgent(up, line('warn', 'slow', {}))).toBe(up);
    // Messages that are names of Object's own properties are lines like any other.
    for (const msg of ['constructor', '__proto__', 'toString', 'hasOwnProperty'])
      expect(reduceAgent(up, line('info', msg))).toBe(up);
    const starting = fresh();
    expect(reduceAgent(starting, { type: 'run-starting', restart: false }).status.state).toBe(starting.status.state);
    const twice = reduceAgent(up, tunnelStarted);
    expect(twice.status.state).toBe(up.status.state);
  });
});
