// The agent supervisor: the tunnel as one thing to start, watch and stop. It composes four jobs, each
// in its own module, and owns nothing else than their wiring:
//   the site       ManagedSite (site/managed-site.ts): serves the page unless something already does;
//   the agent      AgentProcess (agent-process.ts): spawn, redacted lines, restarts with backoff;
//   the requests   RequestPoller (request-poller.ts): the agent's local API, while online;
//   the log file   CappedLogFile (capped-log.ts): every line, ours and the agent's, size-capped.
// What they report goes through the pure reducer of agent-state.ts, the one place the status changes:
//
//   starting → connecting → online(url) → reconnecting → … → failed | stopped
//
// Resources are acquired in start(), never in the constructor (a screen may build a supervisor it
// never starts); stop() tears the jobs down together, like wrangler's DevEnv.teardown():
// https://github.com/cloudflare/workers-sdk/blob/main/packages/wrangler/src/api/startDevWorker/DevEnv.ts
import { AgentProcess, DEFAULT_RESTART, type RestartPolicy, type SecretSource } from './agent-process';
import {
  exitProblem,
  initialMachine,
  isFinal,
  reduceAgent,
  type AgentEvent,
  type AgentMachine,
  type AgentState,
  type AgentStatus,
} from './agent-state';
import { CappedLogFile } from './capped-log';
import type { AgentLogLine, LogLevel } from './log';
import { RequestPoller } from './request-poller';
import { fetchAgentTunnelCount, type AgentRequest } from './requests';
import { UserError } from '../errors';
import { sleep } from '../http';
import { onStopAll, STOP_GRACE_MS } from '../process';
import { ManagedSite } from '../site';

export interface SupervisorOptions {
  /** The agent executable (NGROK_BIN or `ngrok`). */
  bin: string;
  /** The mode's arguments (command.ts `agentArgs`); never a secret. */
  args: readonly string[];
  /** Where the agent's environment is taken from; core/process passes on only what the agent reads. */
  env: NodeJS.ProcessEnv;
  /** The URL a visitor opens (the endpoint); the agent's own URL is internal in endpoint mode. */
  publicUrl?: string;
  /** The site to serve; started with python3 unless the server this tool started (recorded in recordIn) serves it. */
  site?: { dir: string; port: number; python?: string; recordIn?: string };
  /** Where the full log goes (size-capped); opened by start(). */
  logFile?: string;
  logFileMaxBytes?: number;
  /** Replaced by their masks in every line shown or written (core/secrets.ts has the run's list). */
  secrets?: SecretSource;
  restart?: Partial<RestartPolicy>;
  /** How long the agent and the site get to exit on SIGTERM before SIGKILL. */
  graceMs?: number;
  /** How often the agent's local API is asked for requests while online. */
  requestsEveryMs?: number;
}

type Listener<T> = (value: T) => void;

export class AgentSupervisor {
  /** Resolves with the final state: failed or stopped. */
  readonly done: Promise<AgentState>;
  private machine: AgentMachine;
  private readonly lineListeners = new Set<Listener<AgentLogLine>>();
  private readonly statusListeners = new Set<Listener<AgentStatus>>();
  private readonly agent: AgentProcess;
  private readonly site?: ManagedSite;
  private readonly poller: RequestPoller;
  private logFile?: CappedLogFile;
  private unregister?: () => void;
  private starting?: Promise<void>;
  private stopping = false;
  private stopPromise?: Promise<void>;
  private resolveDone!: (state: AgentState) => void;

  constructor(private readonly options: SupervisorOptions) {
    const graceMs = options.graceMs ?? STOP_GRACE_MS;
    this.machine = initialMachine(options.publicUrl);
    this.agent = new AgentProcess(
      {
        bin: options.bin,
        args: options.args,
        env: options.env,
        secrets: options.secrets ?? [],
        restart: { ...DEFAULT_RESTART, ...options.restart },
        graceMs,
      },
      {
        event: (event) => this.dispatch(event),
        line: (line) => this.agentLine(line),
        say: (level, message) => this.say(level, message),
        runProblem: (exit) => exitProblem(this.machine.run, exit),
      },
    );
    if (options.site)
      this.site = new ManagedSite({ ...options.site, graceMs }, (level, message) => this.say(level, message));
    this.poller = new RequestPoller({
      everyMs: options.requestsEveryMs ?? 1000,
      target: () => (this.status.state.kind === 'online' ? this.status.webAddr : undefined),
      onChange: (change) => this.dispatch({ type: 'requests-polled', ...change }),
    });
    this.done = new Promise((resolve) => (this.resolveDone = resolve));
  }

  /** Where everything stands; a new object after each change (the state object only when it changes). */
  get status(): AgentStatus {
    return this.machine.status;
  }

  /** The requests the agent's local API listed last, newest first. */
  get recentRequests(): AgentRequest[] {
    return this.poller.recent;
  }

  /** The full command line, as shown to the user (no secrets: the authtoken stays in ngrok's config). */
  get commandLine(): string {
    return this.agent.commandLine;
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
   * Opens the log file, starts the site (when needed) and the agent, and returns once the agent is
   * spawned. A site that cannot be served (or a log file that cannot be written) is a UserError;
   * everything about the agent is reported through the state. Called again, it is the same start;
   * after stop(), it starts nothing.
   */
  start(): Promise<void> {
    return (this.starting ??= this.startOnce());
  }

  private async startOnce(): Promise<void> {
    if (this.stopping) return;
    this.unregister = onStopAll(() => this.stop());
    try {
      if (this.options.logFile) this.logFile = openLogFile(this.options.logFile, this.options.logFileMaxBytes);
      await this.site?.start((pid) => this.dispatch({ type: 'site-started', pid }));
    } catch (error) {
      if (this.stopping) {
        await this.stop();
        return;
      }
      this.dispatch({
        type: 'failed',
        problem: {
          message: error instanceof Error ? error.message : String(error),
          fix: error instanceof UserError ? error.hint : undefined,
          permanent: true,
        },
      });
      await this.stop();
      throw error;
    }
    await this.agent.start();
  }

  /** Stops the agent and the site server we started, gracefully (SIGTERM, then SIGKILL after the grace). */
  stop(): Promise<void> {
    if (this.stopPromise) return this.stopPromise;
    this.stopping = true;
    this.poller.teardown();
    this.stopPromise = (async () => {
      await Promise.all([this.agent.teardown(), this.site?.teardown()]);
      this.dispatch({ type: 'stopped' });
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
        reject(
          new UserError(
            `The agent did not come online within ${Math.round(timeoutMs / 1000)} s (it is ${this.status.state.kind}).`,
            { hint: this.status.lastProblem?.fix },
          ),
        );
      }, timeoutMs);
    });
  }

  private agentLine(line: AgentLogLine): void {
    this.logFile?.write(line.raw);
    this.dispatch({ type: 'line', line, at: Date.now() });
    for (const listener of this.lineListeners) listener(line);
  }

  /** A line of our own, in the same stream as the agent's. */
  private say(level: LogLevel, msg: string): void {
    const fields = { t: new Date().toISOString(), lvl: level, msg, obj: 'ngrok-fusionauth' };
    const raw = JSON.stringify(fields);
    const line: AgentLogLine = { level, msg, fields, raw, source: 'supervisor' };
    this.logFile?.write(raw);
    for (const listener of this.lineListeners) listener(line);
  }

  /** The one way the status changes: the reducer, then what follows from the change. */
  private dispatch(event: AgentEvent): void {
    const before = this.machine.status;
    this.machine = reduceAgent(this.machine, event);
    const after = this.machine.status;
    if (after === before) return;
    this.pollWhileOnline(before.state, after.state, event);
    if (before.state.kind === 'reconnecting' && after.state.kind === 'online' && event.type === 'line')
      void this.confirmTunnels();
    for (const listener of this.statusListeners) listener(after);
    if (isFinal(after.state) && !isFinal(before.state)) this.resolveDone(after.state);
  }

  /**
   * Back online from a log line alone (a session came back, no "started tunnel"): the agent's API is
   * asked whether it serves its tunnels again, as pyngrok does before it calls an agent healthy. An
   * empty list may be a rebind still under way, so it counts only when it stays empty for three asks;
   * an API that does not answer (web_addr: false) settles nothing, and the lines are trusted.
   */
  private async confirmTunnels(): Promise<void> {
    const webAddr = this.status.webAddr;
    for (let ask = 0; ask < 3 && webAddr && !this.stopping && this.status.state.kind === 'online'; ask++) {
      if (ask > 0) await sleep(500);
      const count = await fetchAgentTunnelCount(webAddr);
      if (count === undefined || this.stopping) return;
      if (count > 0 || ask === 2) return this.dispatch({ type: 'tunnels-listed', count });
    }
  }

  /** The local API is asked from the moment the agent is online until it is not (or has exited). */
  private pollWhileOnline(before: AgentState, after: AgentState, event: AgentEvent): void {
    if (after.kind === 'online' && before.kind !== 'online') this.poller.start();
    else if (event.type === 'exited' || (before.kind === 'online' && after.kind !== 'online')) this.poller.stop();
  }
}

function openLogFile(file: string, maxBytes: number | undefined): CappedLogFile {
  try {
    return new CappedLogFile(file, maxBytes);
  } catch (error) {
    throw new UserError(
      `Cannot write the agent's log file ${file}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}
