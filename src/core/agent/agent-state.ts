// The agent's state machine, as a pure reducer: (machine, event) → machine. Everything the supervisor
// shows about the agent changes here and nowhere else, so the whole machine is tested without a
// process (test/core/agent/agent-state.test.ts):
//
//   starting → connecting → online(url) → reconnecting(url) → online(url) … → failed | stopped
//
// The agent's own lines move it through ON_MESSAGE, one entry per message it understands, in the
// words real agents print (v2 and v3, json and logfmt read alike by log.ts). A session that drops and
// comes back is the agent's own reconnect loop, as in ngrok-go's reconnecting session
// (https://github.com/ngrok/ngrok-go/blob/main/internal/tunnel/client/reconnecting.go):
//   eror "session closed, starting reconnect loop" err=…         (the session dropped)
//   eror "failed to reconnect session" err=…                     (each failed try)
//   dbug "sleep before reconnect" secs=N                         (the wait before the next)
//   info "tunnel session started" / "client session established" (back: the tunnels are rebound,
//                                                                  with no new "started tunnel")
// as in logs users posted: https://github.com/inconshreveable/ngrok/issues/822 (v2: obj=csess, secs=1)
// and https://github.com/inconshreveable/ngrok/issues/66 (v2: "tunnel session started", then
// "client session established"), https://github.com/inconshreveable/ngrok/issues/937 (v3: obj=csess,
// reconnects refused with ERR_NGROK_334). So reconnecting keeps the URL it was online at, and a session
// that comes back is online at it again. The error lines of a run are kept in the run's report, which
// says at exit why the agent ended (exitProblem). No clock and no I/O here: a line event carries its time.
import { agentProblem, namesProblem, type AgentProblem } from './errors';
import { LEVEL_RANK, errorCodeIn, type AgentLogLine } from './log';

export type AgentState =
  | { kind: 'starting' }
  | { kind: 'connecting' }
  | { kind: 'online'; url: string }
  /** `url`: the URL it was online at in this run; a session that comes back serves it again. */
  | { kind: 'reconnecting'; reason?: string; url?: string }
  | { kind: 'failed'; problem: AgentProblem }
  | { kind: 'stopped' };

export interface AgentStatus {
  state: AgentState;
  /** The URL the agent reported ("started tunnel … url="). */
  agentUrl?: string;
  publicUrl?: string;
  /** When the agent last came online (ms since the epoch); undefined while not online. */
  onlineSince?: number;
  restarts: number;
  /** Requests the agent's local API reported since we started. */
  requests: number;
  /** The agent's local API (host:port), from "starting web service". */
  webAddr?: string;
  /** False when the local API did not answer the last time we asked. */
  webReachable?: boolean;
  /**
   * The agent could not reach the site ("failed to open private leg … connection refused"): visitors
   * get ERR_NGROK_8012 until a request gets through again. Whoever started the site.
   */
  siteDown?: { addr: string; since: number };
  pid?: number;
  sitePid?: number;
  /** True when the site server is ours (started by this supervisor). */
  siteStarted?: boolean;
  lastProblem?: AgentProblem;
  lastExit?: ProcessExit;
}

export interface ProcessExit {
  exitCode?: number;
  signal?: string;
}

/** What the current run's error lines said; started afresh with each run of the agent. */
export interface RunReport {
  /** The problem a line named: a known ERR_NGROK code, a crit line, "command failed". */
  problem?: AgentProblem;
  /** The last error line's text, for an exit that no line named. */
  lastErrorText?: string;
}

export interface AgentMachine {
  readonly status: AgentStatus;
  readonly run: RunReport;
}

export type AgentEvent =
  /** A run of the agent is about to start; `restart` when one ran before it. */
  | { type: 'run-starting'; restart: boolean }
  | { type: 'spawned'; pid?: number }
  /** A line of the agent's (already redacted), received at `at` (ms since the epoch). */
  | { type: 'line'; line: AgentLogLine; at: number }
  | { type: 'exited'; exit: ProcessExit }
  /** The agent ended too soon and is started again after the delay. */
  | { type: 'restart-scheduled'; delayMs: number }
  | { type: 'site-started'; pid?: number }
  /** The agent's local API answered (with `fresh` requests not counted before), or did not. */
  | { type: 'requests-polled'; fresh: number; reachable: boolean }
  /** The agent's local API listed this many tunnels (asked after a session came back). */
  | { type: 'tunnels-listed'; count: number }
  | { type: 'failed'; problem: AgentProblem }
  | { type: 'stopped' };

export function initialMachine(publicUrl?: string): AgentMachine {
  return { status: { state: { kind: 'starting' }, restarts: 0, requests: 0, publicUrl }, run: {} };
}

/** Failed and stopped are final: no event moves the state out of them. */
export function isFinal(state: AgentState): boolean {
  return state.kind === 'failed' || state.kind === 'stopped';
}

export function reduceAgent(machine: AgentMachine, event: AgentEvent): AgentMachine {
  const { status, run } = machine;
  switch (event.type) {
    case 'line':
      return reduceLine(machine, event.line, event.at);
    case 'run-starting':
      return {
        status: moveTo(event.restart ? { ...status, restarts: status.restarts + 1 } : status, { kind: 'starting' }),
        run: {},
      };
    case 'spawned':
      return { status: { ...status, pid: event.pid, agentUrl: undefined, onlineSince: undefined }, run };
    case 'exited':
      return { status: { ...status, lastExit: event.exit, onlineSince: undefined }, run };
    case 'restart-scheduled':
      return {
        status: moveTo(status, {
          kind: 'reconnecting',
          reason: `restarting in ${(event.delayMs / 1000).toFixed(1)} s`,
        }),
        run,
      };
    case 'site-started':
      return { status: { ...status, sitePid: event.pid, siteStarted: true }, run };
    case 'requests-polled':
      return { status: { ...status, requests: status.requests + event.fresh, webReachable: event.reachable }, run };
    case 'tunnels-listed':
      return { status: tunnelsListed(status, event.count), run };
    case 'failed':
      return finish(machine, { kind: 'failed', problem: event.problem });
    case 'stopped':
      return finish(machine, { kind: 'stopped' });
  }
}

/**
 * The agent's own API settles a doubt about a session that came back: serving nothing, it is not
 * online (reconnecting, the URL kept); serving something while we still wait, it is.
 */
function tunnelsListed(status: AgentStatus, count: number): AgentStatus {
  const state = status.state;
  if (state.kind === 'online' && count === 0)
    return moveTo(status, {
      kind: 'reconnecting',
      reason: "the session is back, but the agent's API lists no tunnel",
      url: state.url,
    });
  if (state.kind === 'reconnecting' && state.url !== undefined && count > 0)
    return moveTo(status, { kind: 'online', url: state.url });
  return status;
}

/** Why the run that just ended ended, as its lines told it (the exit alone when they did not). */
export function exitProblem(run: RunReport, exit: ProcessExit): AgentProblem {
  const how = exit.signal ? `was killed (${exit.signal})` : `exited with code ${exit.exitCode}`;
  if (run.problem) return { ...run.problem, message: `ngrok ${how}: ${run.problem.message}` };
  return { message: `ngrok ${how}${run.lastErrorText ? `: ${run.lastErrorText}` : '.'}`, permanent: false };
}

// --- the agent's lines

/** How one of the agent's messages moves the status. */
type LineRule = (status: AgentStatus, line: AgentLogLine, at: number) => AgentStatus;

const webServiceStarted: LineRule = (status, line) => {
  const addr = line.fields.addr;
  if (typeof addr !== 'string') return status;
  const next = { ...status, webAddr: addr };
  return status.state.kind === 'starting' ? moveTo(next, { kind: 'connecting' }) : next;
};

/**
 * A session is up. While reconnecting from a run that was online, the agent has rebound its tunnels
 * (ngrok-go restartBinds, then "client session established") and prints no new "started tunnel":
 * online again at the URL it had. Otherwise it is connecting, until "started tunnel" says where.
 */
const sessionStarted: LineRule = (status, _line, at) => {
  const state = status.state;
  if (state.kind === 'online') return status;
  if (state.kind === 'reconnecting' && state.url !== undefined)
    return moveTo({ ...status, onlineSince: at }, { kind: 'online', url: state.url });
  return moveTo(status, { kind: 'connecting' });
};

const tunnelStarted: LineRule = (status, line, at) => {
  const url = line.fields.url;
  const agentUrl = typeof url === 'string' && url ? url : undefined;
  // The URL a visitor opens: the endpoint's, when the agent's own is internal (endpoint mode).
  return moveTo({ ...status, agentUrl, onlineSince: at }, { kind: 'online', url: status.publicUrl ?? agentUrl ?? '' });
};

/** The session dropped, or a try to bring it back failed: reconnecting, with the reason in words. */
const sessionLost: LineRule = (status, line) => {
  const state = status.state;
  if (state.kind !== 'online' && state.kind !== 'connecting' && state.kind !== 'reconnecting') return status;
  const url = state.kind === 'online' ? state.url : state.kind === 'reconnecting' ? state.url : undefined;
  const reason = agentProblem(errorText(line)).message;
  return moveTo(
    { ...status, onlineSince: undefined },
    { kind: 'reconnecting', reason, ...(url !== undefined ? { url } : {}) },
  );
};

/** "sleep before reconnect secs=N" (debug level): the reason gains when the next try comes. */
const sleepBeforeReconnect: LineRule = (status, line) => {
  const state = status.state;
  const secs = Number(line.fields.secs);
  if (state.kind !== 'reconnecting' || !Number.isFinite(secs)) return status;
  const reason = `${(state.reason ?? 'the session dropped').replace(/ — next try in \d+ s$/, '')} — next try in ${secs} s`;
  return moveTo(status, { ...state, reason });
};

/**
 * "failed to open private leg … connection refused": nothing listens on the site's port, and the
 * visitor got ERR_NGROK_8012 (https://github.com/inconshreveable/ngrok/issues/739 for the line).
 */
const privateLegFailed: LineRule = (status, line, at) => {
  if (status.siteDown) return status;
  const err = line.fields.err;
  if (typeof err !== 'string' || !/connection refused|actively refused/i.test(err)) return status;
  const addr = line.fields.privaddr;
  return { ...status, siteDown: { addr: typeof addr === 'string' ? addr : 'the site', since: at } };
};

/**
 * "join connections l=127.0.0.1:8000": a visitor reached the site; `l=nil` follows a failed leg
 * (https://github.com/inconshreveable/ngrok/issues/244). Looked at only while the site is down.
 */
const connectionsJoined: LineRule = (status, line) => {
  if (!status.siteDown) return status;
  const local = line.fields.l;
  return typeof local === 'string' && local !== 'nil' ? { ...status, siteDown: undefined } : status;
};

const onlyIfError =
  (rule: LineRule): LineRule =>
  (status, line, at) =>
    isError(line) ? rule(status, line, at) : status;

/**
 * The agent's messages that move the state, one entry each (a Map: a message is never mistaken for
 * an Object property). Any other line changes nothing but, at error level, the run's report.
 */
const ON_MESSAGE = new Map<string, LineRule>([
  ['starting web service', webServiceStarted],
  ['client session established', sessionStarted],
  ['tunnel session started', sessionStarted],
  ['started tunnel', tunnelStarted],
  ['session closed, starting reconnect loop', onlyIfError(sessionLost)],
  ['failed to reconnect session', onlyIfError(sessionLost)],
  ['session closing', onlyIfError(sessionLost)],
  ['sleep before reconnect', sleepBeforeReconnect],
  ['failed to open private leg', privateLegFailed],
  ['join connections', connectionsJoined],
]);

function reduceLine(machine: AgentMachine, line: AgentLogLine, at: number): AgentMachine {
  const rule = ON_MESSAGE.get(line.msg);
  // The hot path under a flood of lines: nothing to do, nothing allocated, no field parsed.
  if (!rule && !isError(line)) return machine;
  const status = rule ? rule(machine.status, line, at) : machine.status;
  if (isError(line)) return noteError({ status, run: machine.run }, line);
  return status === machine.status ? machine : { status, run: machine.run };
}

/**
 * An error line: kept in the run's report; one that names the problem also becomes the last problem.
 * A later line with the same code (the bare "ERROR:  ERR_NGROK_…" that ends a fatal error on stderr)
 * does not replace the fuller words an earlier one gave.
 */
function noteError(machine: AgentMachine, line: AgentLogLine): AgentMachine {
  const text = errorText(line);
  const code = errorCodeIn(line);
  const sameCode = code !== undefined && code === machine.run.problem?.code;
  const names =
    ((code !== undefined || namesProblem(text)) && !sameCode) || line.level === 'crit' || line.msg === 'command failed';
  const run: RunReport = {
    problem: names ? agentProblem(text) : machine.run.problem,
    lastErrorText: text.replace(/\s+/g, ' ').trim(),
  };
  const coded = run.problem?.code || run.problem?.permanent ? run.problem : undefined;
  const status =
    coded && coded !== machine.status.lastProblem ? { ...machine.status, lastProblem: coded } : machine.status;
  return { status, run };
}

function isError(line: AgentLogLine): boolean {
  return LEVEL_RANK[line.level] >= LEVEL_RANK.eror;
}

/** An error line's words: its `err` field when it has one, else its message. */
function errorText(line: AgentLogLine): string {
  const err = line.fields.err;
  return typeof err === 'string' ? err : line.msg;
}

// --- moving the state

/** The status in the new state; unchanged (the same object) when the state is final or the same. */
function moveTo(status: AgentStatus, state: AgentState): AgentStatus {
  const before = status.state;
  if (isFinal(before)) return status;
  if (before.kind === state.kind && JSON.stringify(before) === JSON.stringify(state)) return status;
  return { ...status, state };
}

function finish(machine: AgentMachine, state: Extract<AgentState, { kind: 'failed' | 'stopped' }>): AgentMachine {
  if (isFinal(machine.status.state)) return machine;
  const lastProblem = state.kind === 'failed' ? state.problem : machine.status.lastProblem;
  return { status: { ...machine.status, state, onlineSince: undefined, lastProblem }, run: machine.run };
}
