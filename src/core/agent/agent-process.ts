// The ngrok agent as a process: spawned with `--log stdout --log-format json`, its output read as
// redacted lines, and started again when it ends. An unexpected exit restarts it with exponential
// backoff (the one retry policy, core/http/retry.ts) for as long as its RestartBudget allows: repeated quick
// failures, an error that a restart cannot fix (no authtoken), a code nobody knows to pass, or a
// refusal that outlasted its window (334) give up with the last error. It keeps no state of its own to show: it tells its
// owner what happens (AgentEvent, for the state reducer) and asks it why a run ended.
// Every child goes through core/process/children.ts, so `stopAll` and Ctrl-C reach it too.
//
// The shape (a job acquired in start(), released by an idempotent teardown() that its owner awaits
// together with the others') follows wrangler's dev-server controllers:
// https://github.com/cloudflare/workers-sdk/blob/main/packages/wrangler/src/api/startDevWorker/BaseController.ts
import { cleanLine, lineSplitter } from './agent-output';
import type { AgentEvent, ProcessExit } from './agent-state';
import { INSTALL_HINT } from './cli';
import type { AgentProblem } from './errors';
import { parseAgentLine, type AgentLogLine, type LogLevel } from './log';
import { RestartBudget, type RestartVerdict } from './restart-budget';
import { startProcess, type ManagedProcess } from '../process';
import { retry, sleep } from '../http';
import { redactor, shellCommand } from '../text';

export interface RestartPolicy {
  /** First delay before a restart; doubles on each quick failure. */
  baseMs: number;
  maxDelayMs: number;
  /** A run shorter than this that ends in an exit is a quick failure. */
  quickMs: number;
  /** This many quick failures in a row and we give up. */
  maxQuickFailures: number;
}

export const DEFAULT_RESTART: RestartPolicy = {
  baseMs: 1000,
  maxDelayMs: 30_000,
  quickMs: 10_000,
  maxQuickFailures: 5,
};

export interface AgentProcessOptions {
  /** The agent executable (NGROK_BIN or `ngrok`). */
  bin: string;
  /** The mode's arguments (command.ts `agentArgs`); never a secret. */
  args: readonly string[];
  /** Where the agent's environment is taken from; only what the agent reads is passed on. */
  env: NodeJS.ProcessEnv;
  /** Replaced by their masks in every line; a function when finding them takes a while (ngrok's config file). */
  secrets: SecretSource;
  restart: RestartPolicy;
  /** How long the agent gets to exit on SIGTERM before SIGKILL. */
  graceMs: number;
}

/** The secrets to mask, or how to find them (read once, before the first run). */
export type SecretSource = ReadonlyArray<string | undefined> | (() => Promise<ReadonlyArray<string | undefined>>);

export type AgentProcessEvent = Extract<
  AgentEvent,
  { type: 'run-starting' | 'spawned' | 'exited' | 'restart-scheduled' | 'failed' }
>;

/** What the agent process tells its owner, as it happens. */
export interface AgentProcessHooks {
  event(event: AgentProcessEvent): void;
  /** A line of the agent's, redacted and parsed. */
  line(line: AgentLogLine): void;
  /** A sentence of ours about the agent: started, restarting, given up. */
  say(level: LogLevel, message: string): void;
  /** Why the run that just ended ended, from what its lines said (the state's run report). */
  runProblem(exit: ProcessExit): AgentProblem;
}

class AgentExit extends Error {
  constructor(readonly problem: AgentProblem) {
    super(problem.message);
  }
}

export class AgentProcess {
  private readonly abort = new AbortController();
  private redact: (text: string) => string;
  private current?: ManagedProcess;
  private tearingDown = false;
  private loop?: Promise<void>;

  constructor(
    private readonly options: AgentProcessOptions,
    private readonly hooks: AgentProcessHooks,
  ) {
    // Until the list is known, values under a secret's name are masked all the same.
    this.redact = redactor(typeof options.secrets === 'function' ? [] : options.secrets);
  }

  /** The whole list, when it has to be looked up: before the first line can arrive. */
  private async loadSecrets(): Promise<void> {
    const source = this.options.secrets;
    if (typeof source !== 'function') return;
    this.redact = redactor(await source().catch(() => []));
  }

  /** The full command line, as shown to the user (no secrets: the authtoken stays in ngrok's config). */
  get commandLine(): string {
    return shellCommand([this.options.bin, ...this.argv]);
  }

  private get argv(): string[] {
    return [...this.options.args, '--log', 'stdout', '--log-format', 'json'];
  }

  /**
   * Runs the agent until it is torn down or given up; resolves once the first run is spawned (or when
   * the loop ended before that: not installed, torn down). Everything else comes through the hooks.
   */
  start(): Promise<void> {
    let spawned!: () => void;
    const started = new Promise<void>((resolve) => (spawned = resolve));
    this.loop = this.runUntilDone(spawned).catch((error: unknown) => {
      this.hooks.event({
        type: 'failed',
        problem: {
          message: `The supervisor failed: ${error instanceof Error ? error.message : String(error)}`,
          permanent: true,
        },
      });
    });
    return Promise.race([started, this.loop]);
  }

  /** Stops the agent (SIGTERM, then SIGKILL after the grace) and the restarts; resolves when both are over. */
  async teardown(): Promise<void> {
    this.tearingDown = true;
    this.abort.abort();
    await this.current?.stop(this.options.graceMs);
    await this.loop;
  }

  private async runUntilDone(spawned: () => void): Promise<void> {
    const { baseMs, maxDelayMs, quickMs, maxQuickFailures } = this.options.restart;
    await this.loadSecrets();
    while (!this.tearingDown) {
      // One retry run lasts until a run is healthy (longer than quickMs) or the budget says no; a
      // healthy run that ends starts a fresh series (and budget), so only failures in a row count.
      const budget = new RestartBudget(maxQuickFailures);
      let verdict: RestartVerdict = { restart: false, why: '' };
      try {
        await retry(
          async () => {
            const startedAt = Date.now();
            const exit = await this.runOnce(spawned);
            if (this.tearingDown) return;
            if (exit.problem.permanent || Date.now() - startedAt < quickMs) throw new AgentExit(exit.problem);
            this.hooks.say('warn', `${exit.problem.message} — restarting it.`);
          },
          {
            // The budget decides when to stop; the retry policy only spaces the tries.
            attempts: Number.POSITIVE_INFINITY,
            baseMs,
            maxDelayMs,
            signal: this.abort.signal,
            retryAfter: (error) => {
              if (!(error instanceof AgentExit)) return undefined;
              verdict = budget.judge(error.problem);
              return verdict.restart ? 0 : undefined;
            },
            onRetry: (error, _attempt, delayMs) => {
              this.hooks.event({ type: 'restart-scheduled', delayMs });
              this.hooks.say(
                'warn',
                `${(error as AgentExit).problem.message} — restarting in ${(delayMs / 1000).toFixed(1)} s (${verdict.why}).`,
              );
            },
          },
        );
      } catch (error) {
        if (this.tearingDown) break;
        if (!(error instanceof AgentExit)) throw error;
        const problem = verdict.why
          ? { ...error.problem, message: `${error.problem.message} ${verdict.why}` }
          : error.problem;
        this.hooks.say('crit', problem.message);
        this.hooks.event({ type: 'failed', problem });
        return;
      }
    }
  }

  /** Starts the agent once and resolves when it exits, with what went wrong. */
  private async runOnce(spawned: () => void): Promise<{ problem: AgentProblem }> {
    this.hooks.event({ type: 'run-starting', restart: this.current !== undefined });
    const agent = await startProcess('ngrok', this.options.bin, this.argv, {
      // Built from the allow-list of what the agent reads (core/process/child-env.ts): no API key of ours.
      needs: 'agent',
      env: this.options.env,
      stdout: 'pipe',
      stderr: 'pipe',
      // The agent runs for hours: never keep its output in memory.
      buffer: false,
    });
    this.current = agent;
    if (this.tearingDown) {
      // teardown() came while the process library was loading: it found no agent to stop, so this
      // one is stopped here instead of being left running.
      await agent.stop(this.options.graceMs);
      return { problem: { message: 'Stopped.', permanent: true } };
    }
    this.hooks.event({ type: 'spawned', pid: agent.pid });
    this.hooks.say('info', `Started ${this.commandLine}${agent.pid ? ` (pid ${agent.pid})` : ''}.`);
    spawned();
    const streams = [this.readLines(agent, 'stdout'), this.readLines(agent, 'stderr')];
    const exit = await agent.exited;
    // The last lines may still be in the pipes; a grandchild holding them open must not hang us.
    await Promise.race([Promise.all(streams), sleep(500)]);
    this.hooks.event({ type: 'exited', exit });
    const result = (await agent.child) as { code?: string };
    if (result.code === 'ENOENT')
      return {
        problem: {
          message: `The ngrok agent was not found (${this.options.bin}).`,
          fix: INSTALL_HINT,
          permanent: true,
        },
      };
    return { problem: this.hooks.runProblem(exit) };
  }

  /** Reads one of the agent's streams as lines until it closes. */
  private readLines(agent: ManagedProcess, source: 'stdout' | 'stderr'): Promise<void> {
    const stream = agent.child[source];
    if (!stream) return Promise.resolve();
    stream.setEncoding('utf8');
    // Redacted, then sanitised: what the view, the state and agent.log get is text without a secret.
    const split = lineSplitter((text) => this.hooks.line(parseAgentLine(cleanLine(this.redact(text)), source)));
    stream.on('data', (chunk: string) => split.push(chunk));
    return new Promise<void>((resolve) => {
      stream.once('close', () => {
        split.flush();
        resolve();
      });
    });
  }
}
