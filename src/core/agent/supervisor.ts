// The agent supervisor: starts the site server (unless something already serves the page) and the
// ngrok agent with `--log stdout --log-format json`, reads the agent's lines as they come, and keeps a
// state machine driven by them:
//
//   starting → connecting → online(url) → reconnecting → … → failed | stopped
//
// An unexpected exit restarts the agent with exponential backoff (the one retry policy, retry.ts);
// repeated quick failures, or an error that a restart cannot fix (no authtoken), stop with the last
// error shown. Every child goes through processes.ts, so `stopAll` and Ctrl-C reach them too.
import { INSTALL_HINT } from './cli';
import { agentProblem, type AgentProblem } from './errors';
import { LEVEL_RANK, errorCodeIn, parseAgentLine, type AgentLogLine, type LogLevel } from './log';
import { fetchAgentRequests, type AgentRequest } from './requests';
import { CappedLogFile } from './capped-log';
import { UserError } from '../errors';
import { onStopAll, startProcess, type ManagedProcess } from '../process';
import { mask, redact } from '../text';
import { retry, sleep } from '../http';
import { probeSite, startSiteServer } from '../site';

export type AgentState =
  | { kind: 'starting' }
  | { kind: 'connecting' }
  | { kind: 'online'; url: string }
  | { kind: 'reconnecting'; reason?: string }
  | { kind: 'failed'; problem: AgentProblem }
  | { kind: 'stopped' };

export interface RestartPolicy {
  /** First delay before a restart; doubles on each quick failure. */
  baseMs: number;
  maxDelayMs: number;
  /** A run shorter than this that ends in an exit is a quick failure. */
  quickMs: number;
  /** This many quick failures in a row and we give up. */
  maxQuickFailures: number;
}

export const DEFAULT_RESTART: RestartPolicy = { baseMs: 1000, maxDelayMs: 30_000, quickMs: 10_000, maxQuickFailures: 5 };

export interface SupervisorOptions {
  /** The agent executable (NGROK_BIN or `ngrok`). */
  bin: string;
  /** The mode's arguments (agent-command.ts `agentArgs`); never a secret. */
  args: readonly string[];
  /** The agent's whole environment (our API keys already left out by the caller). */
  env: NodeJS.ProcessEnv;
  /** The URL a visitor opens (the endpoint); the agent's own URL is internal in endpoint mode. */
  publicUrl?: string;
  /** The site to serve; started with python3 unless the page is already served on the port. */
  site?: { dir: string; port: number; python?: string };
  /** Where the full log goes (size-capped). */
  logFile?: string;
  logFileMaxBytes?: number;
  /** Replaced by their masks in every line shown or written. */
  secrets?: ReadonlyArray<string | undefined>;
  restart?: Partial<RestartPolicy>;
  /** How long the agent and the site get to exit on SIGTERM before SIGKILL. */
  graceMs?: number;
  /** How often the agent's local API is asked for requests while online. */
  requestsEveryMs?: number;
}

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
  pid?: number;
  sitePid?: number;
  /** True when the site server is ours (started by this supervisor). */
  siteStarted?: boolean;
  lastProblem?: AgentProblem;
  lastExit?: { exitCode?: number; signal?: string };
}

type Listener<T> = (value: T) => void;

class AgentExit extends Error {
  constructor(readonly problem: AgentProblem) {
    super(problem.message);
  }
}

/** The one split of a byte stream into lines (CRLF tolerated); an endless line is cut at 64 KB. */
export function lineSplitter(onLine: (line: string) => void, maxLine = 64 * 1024) {
  let rest = '';
  return {
    push(chunk: string) {
      const text = rest ? rest + chunk : chunk;
      let start = 0;
      let nl: number;
      while ((nl = text.indexOf('\n', start)) >= 0) {
        const end = nl > start && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
        if (end > start) onLine(text.slice(start, end));
        start = nl + 1;
      }
      rest = start === 0 ? text : text.slice(start);
      if (rest.length > maxLine) {
        onLine(rest);
        rest = '';
      }
    },
    flush() {
      if (rest) onLine(rest);
      rest = '';
    },
  };
}

/** "Your authtoken: 2abc…" (the agent quotes a bad one back): only its mask is ever shown. */
const AUTHTOKEN_ECHO = /(authtoken:\s*)([^\s\\"]{6,})/gi;

export class AgentSupervisor {
  readonly status: AgentStatus;
  recentRequests: AgentRequest[] = [];
  private readonly policy: RestartPolicy;
  private readonly lineListeners = new Set<Listener<AgentLogLine>>();
  private readonly statusListeners = new Set<Listener<AgentStatus>>();
  private readonly abort = new AbortController();
  private readonly secrets: string[];
  private readonly logFile?: CappedLogFile;
  private agent?: ManagedProcess;
  private site?: ManagedProcess;
  private stopping = false;
  private stopPromise?: Promise<void>;
  private loopDone?: Promise<void>;
  private runProblem?: AgentProblem;
  private lastErrorText?: string;
  private seenRequests = new Set<string>();
  private pollTimer?: NodeJS.Timeout;
  private unregister?: () => void;
  private resolveDone!: (state: AgentState) => void;
  /** Resolves with the final state: failed or stopped. */
  readonly done: Promise<AgentState>;

  constructor(private readonly options: SupervisorOptions) {
    this.policy = { ...DEFAULT_RESTART, ...options.restart };
    this.status = { state: { kind: 'starting' }, restarts: 0, requests: 0, publicUrl: options.publicUrl };
    this.secrets = (options.secrets ?? []).filter((s): s is string => Boolean(s && s.length >= 4));
    if (options.logFile) this.logFile = new CappedLogFile(options.logFile, options.logFileMaxBytes);
    this.done = new Promise((resolve) => (this.resolveDone = resolve));
  }

  /** The full command line, as shown to the user (no secrets: the authtoken stays in ngrok's config). */
  get commandLine(): string {
    return [this.options.bin, ...this.agentArgv].join(' ');
  }

  private get agentArgv(): string[] {
    return [...this.options.args, '--log', 'stdout', '--log-format', 'json'];
  }

  onLine(listener: Listener<AgentLogLine>): () => void {
    this.lineListeners.add(listener);
    return () => this.lineListeners.delete(listener);
  }

  onStatus(listener: Listener<AgentStatus>): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  /**
   * Starts the site (when needed) and the agent, and returns once the agent is spawned. A site that
   * cannot be served is a UserError; everything about the agent is reported through the state.
   */
  async start(): Promise<void> {
    this.unregister = onStopAll(() => this.stop());
    try {
      if (this.options.site) await this.ensureSite(this.options.site);
    } catch (error) {
      if (this.stopping) {
        await this.stop();
        return;
      }
      this.finish({ kind: 'failed', problem: { message: error instanceof Error ? error.message : String(error), fix: error instanceof UserError ? error.hint : undefined, permanent: true } });
      await this.stop();
      throw error;
    }
    let spawned!: () => void;
    const started = new Promise<void>((resolve) => (spawned = resolve));
    this.loopDone = this.loop(spawned).catch((error: unknown) => {
      this.finish({ kind: 'failed', problem: { message: `The supervisor failed: ${error instanceof Error ? error.message : String(error)}`, permanent: true } });
    });
    await Promise.race([started, this.loopDone]);
  }

  /** Stops the agent and the site server we started, gracefully (SIGTERM, then SIGKILL after the grace). */
  stop(): Promise<void> {
    if (this.stopPromise) return this.stopPromise;
    this.stopping = true;
    this.abort.abort();
    clearTimeout(this.pollTimer);
    this.stopPromise = (async () => {
      const grace = this.options.graceMs ?? 3000;
      await Promise.all([this.agent?.stop(grace), this.site?.stop(grace)]);
      await this.loopDone;
      if (this.status.state.kind !== 'failed') this.finish({ kind: 'stopped' });
      this.unregister?.();
      this.logFile?.close();
    })();
    return this.stopPromise;
  }

  /** Resolves when a state matching the test is reached (or rejects after the timeout). */
  waitFor(test: (state: AgentState) => boolean, timeoutMs: number, signal?: AbortSignal): Promise<AgentState> {
    return new Promise((resolve, reject) => {
      if (test(this.status.state)) return resolve(this.status.state);
      const cleanup = () => {
        clearTimeout(timer);
        off();
        signal?.removeEventListener('abort', onAbort);
      };
      const off = this.onStatus((status) => {
        if (test(status.state)) {
          cleanup();
          resolve(status.state);
        }
      });
      const onAbort = () => {
        cleanup();
        reject(signal!.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      const timer = setTimeout(() => {
        cleanup();
        reject(new UserError(`The agent did not come online within ${Math.round(timeoutMs / 1000)} s (it is ${this.status.state.kind}).`, { hint: this.status.lastProblem?.fix }));
      }, timeoutMs);
    });
  }

  // --- the site

  private async ensureSite(site: NonNullable<SupervisorOptions['site']>): Promise<void> {
    const served = await probeSite(site.port, site.dir, this.abort.signal);
    if (served.ok) {
      this.say('info', `The site is already served at http://localhost:${site.port} (not started here, so not stopped here).`);
      return;
    }
    const server = await startSiteServer({ dir: site.dir, port: site.port, python: site.python, signal: this.abort.signal });
    this.site = server.process;
    // Stopped while python was starting: stop() found no site yet, so it is stopped here.
    if (this.stopping) await server.process?.stop(this.options.graceMs);
    this.update({ sitePid: server.pid, siteStarted: true });
    this.say('info', `Started python3 -m http.server ${site.port} for ${site.dir} (pid ${server.pid}).`);
    void server.process?.exited.then((exit) => {
      if (!this.stopping) this.say('warn', `The site server stopped (exit ${exit.exitCode ?? exit.signal}): visitors get ERR_NGROK_8012 until it is started again.`);
    });
  }

  // --- the agent

  private async loop(spawned: () => void): Promise<void> {
    const { baseMs, maxDelayMs, quickMs, maxQuickFailures } = this.policy;
    while (!this.stopping) {
      try {
        // One retry run lasts until a run is healthy (longer than quickMs) or we give up; a healthy
        // run that ends starts a fresh series, so only failures in a row count.
        await retry(
          async () => {
            const startedAt = Date.now();
            const exit = await this.runOnce(spawned);
            if (this.stopping) return;
            if (exit.problem.permanent || Date.now() - startedAt < quickMs) throw new AgentExit(exit.problem);
            this.say('warn', `${exit.problem.message} — restarting it.`);
          },
          {
            attempts: maxQuickFailures,
            baseMs,
            maxDelayMs,
            signal: this.abort.signal,
            retryAfter: (error) => (error instanceof AgentExit && !error.problem.permanent ? 0 : undefined),
            onRetry: (error, attempt, delayMs) => {
              this.setState({ kind: 'reconnecting', reason: `restarting in ${(delayMs / 1000).toFixed(1)} s` });
              this.say('warn', `${(error as AgentExit).problem.message} — restarting in ${(delayMs / 1000).toFixed(1)} s (failure ${attempt} of ${maxQuickFailures}).`);
            },
          },
        );
      } catch (error) {
        if (this.stopping) break;
        if (!(error instanceof AgentExit)) throw error;
        const problem = error.problem.permanent
          ? error.problem
          : { ...error.problem, message: `${error.problem.message} It failed ${maxQuickFailures} times in a row, so it is not restarted again.` };
        this.say('crit', problem.message);
        this.finish({ kind: 'failed', problem });
        return;
      }
    }
  }

  /** Starts the agent once and resolves when it exits, with what went wrong. */
  private async runOnce(spawned: () => void): Promise<{ problem: AgentProblem }> {
    if (this.agent) this.update({ restarts: this.status.restarts + 1 });
    this.runProblem = undefined;
    this.lastErrorText = undefined;
    this.setState({ kind: 'starting' });
    const agent = await startProcess('ngrok', this.options.bin, this.agentArgv, {
      env: this.options.env,
      extendEnv: false,
      stdout: 'pipe',
      stderr: 'pipe',
      // The agent runs for hours: never keep its output in memory.
      buffer: false,
    });
    this.agent = agent;
    if (this.stopping) {
      // stop() came while the process library was loading: it found no agent to stop, so this one
      // is stopped here instead of being left running.
      await agent.stop(this.options.graceMs ?? 3000);
      return { problem: { message: 'Stopped.', permanent: true } };
    }
    this.update({ pid: agent.pid, agentUrl: undefined, onlineSince: undefined });
    this.say('info', `Started ${this.commandLine}${agent.pid ? ` (pid ${agent.pid})` : ''}.`);
    spawned();
    const streams = (['stdout', 'stderr'] as const).map((name) => {
      const stream = agent.child[name];
      if (!stream) return Promise.resolve();
      stream.setEncoding('utf8');
      const split = lineSplitter((line) => this.agentLine(line, name));
      stream.on('data', (chunk: string) => split.push(chunk));
      return new Promise<void>((resolve) => {
        stream.once('close', () => {
          split.flush();
          resolve();
        });
      });
    });
    const exit = await agent.exited;
    await Promise.race([Promise.all(streams), sleep(500)]);
    clearTimeout(this.pollTimer);
    this.update({ lastExit: exit, onlineSince: undefined });
    const result = (await agent.child) as { code?: string };
    if (result.code === 'ENOENT') return { problem: { message: `The ngrok agent was not found (${this.options.bin}).`, fix: INSTALL_HINT, permanent: true } };
    const how = exit.signal ? `was killed (${exit.signal})` : `exited with code ${exit.exitCode}`;
    // Set by the line handlers while the agent ran (TypeScript cannot see that through the awaits).
    const said = this.runProblem as AgentProblem | undefined;
    if (said) return { problem: { ...said, message: `ngrok ${how}: ${said.message}` } };
    return { problem: { message: `ngrok ${how}${this.lastErrorText ? `: ${this.lastErrorText}` : '.'}`, permanent: false } };
  }

  private agentLine(text: string, source: 'stdout' | 'stderr'): void {
    const clean = this.redactLine(text);
    const line = parseAgentLine(clean, source);
    this.logFile?.write(clean);
    this.observe(line);
    for (const listener of this.lineListeners) listener(line);
  }

  private redactLine(text: string): string {
    let out = this.secrets.some((secret) => text.includes(secret)) ? redact(text, this.secrets) : text;
    if (out.includes('uthtoken')) out = out.replace(AUTHTOKEN_ECHO, (_, prefix: string, token: string) => prefix + mask(token));
    return out;
  }

  /** The state machine: the agent's own lines move it. */
  private observe(line: AgentLogLine): void {
    // Only the few lines that matter have their fields read (parsing them is the costly part).
    const { msg } = line;
    const state = this.status.state.kind;
    if (msg === 'starting web service' && typeof line.fields.addr === 'string') {
      this.update({ webAddr: line.fields.addr });
      if (state === 'starting') this.setState({ kind: 'connecting' });
    } else if (msg === 'client session established' || msg === 'tunnel session started') {
      if (state !== 'online') this.setState({ kind: 'connecting' });
    } else if (msg === 'started tunnel') {
      const url = line.fields.url;
      const agentUrl = typeof url === 'string' && url ? url : undefined;
      this.update({ agentUrl, onlineSince: Date.now() });
      this.setState({ kind: 'online', url: this.options.publicUrl ?? agentUrl ?? '' });
      this.pollRequests();
    }
    if (LEVEL_RANK[line.level] >= LEVEL_RANK.eror) {
      const err = typeof line.fields.err === 'string' ? line.fields.err : line.msg;
      this.lastErrorText = err.replace(/\s+/g, ' ').trim();
      if (errorCodeIn(line) || line.level === 'crit' || msg === 'command failed') this.runProblem = agentProblem(err);
      if (this.runProblem?.code) this.update({ lastProblem: this.runProblem });
      if ((msg === 'failed to reconnect session' || msg === 'session closing') && (state === 'online' || state === 'connecting')) {
        this.update({ onlineSince: undefined });
        this.setState({ kind: 'reconnecting', reason: agentProblem(err).message });
      }
    }
  }

  private pollRequests(): void {
    clearTimeout(this.pollTimer);
    const every = this.options.requestsEveryMs ?? 1000;
    const tick = async () => {
      const webAddr = this.status.webAddr;
      if (this.stopping || this.status.state.kind !== 'online' || !webAddr) return;
      try {
        const requests = await fetchAgentRequests(webAddr, { signal: this.abort.signal });
        let fresh = 0;
        for (const r of requests) {
          if (!this.seenRequests.has(r.id)) {
            this.seenRequests.add(r.id);
            fresh++;
          }
        }
        // Bounded memory: the agent keeps a bounded list too, so old ids never come back.
        if (this.seenRequests.size > 5000) this.seenRequests = new Set(requests.map((r) => r.id));
        const changed = fresh > 0 || requests.some((r, i) => r.status !== this.recentRequests[i]?.status) || this.status.webReachable !== true;
        this.recentRequests = requests.slice(0, 50);
        if (changed) this.update({ requests: this.status.requests + fresh, webReachable: true });
      } catch {
        if (this.stopping) return;
        if (this.status.webReachable !== false) this.update({ webReachable: false });
      }
      if (!this.stopping) {
        this.pollTimer = setTimeout(() => void tick(), every);
        this.pollTimer.unref();
      }
    };
    void tick();
  }

  // --- state and events

  /** A line of our own, in the same stream as the agent's. */
  private say(level: LogLevel, msg: string): void {
    const fields = { t: new Date().toISOString(), lvl: level, msg, obj: 'ngrok-fusionauth' };
    const raw = JSON.stringify(fields);
    const line: AgentLogLine = { level, msg, fields, raw, source: 'supervisor' };
    this.logFile?.write(raw);
    for (const listener of this.lineListeners) listener(line);
  }

  private setState(state: AgentState): void {
    const before = this.status.state;
    if (before.kind === 'failed' || before.kind === 'stopped') return;
    if (before.kind === state.kind && JSON.stringify(before) === JSON.stringify(state)) return;
    this.update({ state });
  }

  private update(partial: Partial<AgentStatus>): void {
    Object.assign(this.status, partial);
    for (const listener of this.statusListeners) listener(this.status);
  }

  private finish(state: Extract<AgentState, { kind: 'failed' | 'stopped' }>): void {
    const before = this.status.state.kind;
    if (before === 'failed' || before === 'stopped') return;
    clearTimeout(this.pollTimer);
    this.update({ state, onlineSince: undefined, ...(state.kind === 'failed' ? { lastProblem: state.problem } : {}) });
    this.resolveDone(state);
  }
}
