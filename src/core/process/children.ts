// The one place that owns child processes. Everything we start (the site server, the agent) is
// registered here, so that quitting, Ctrl-C, SIGTERM or SIGHUP stop all of them and none is left.
// Every child's environment is built here too, from an allow-list (child-env.ts), never inherited.
import type { ResultPromise, Options } from 'execa';
import { spawn } from 'node:child_process';
import { childEnv, type ChildNeeds } from './child-env';

/** execa costs ~17 ms to load: it is loaded by the first process we start, not by the first frame. */
let execaModule: Promise<typeof import('execa')> | undefined;
const loadExeca = () => (execaModule ??= import('execa'));

export interface ManagedProcess {
  readonly name: string;
  readonly pid: number | undefined;
  readonly child: ResultPromise<Options>;
  /** Resolves when the process has exited (never rejects). */
  readonly exited: Promise<{ exitCode?: number; signal?: string }>;
  stop(graceMs?: number): Promise<void>;
}

const running = new Set<ManagedProcess>();
/** Starts still waiting for execa: stopAll waits for them, killAll kills them as they arrive. */
const starting = new Set<Promise<ManagedProcess>>();
/** Owners of processes that would restart them (the agent supervisor): told first, so they do not. */
const stopHooks = new Set<() => Promise<void> | void>();

/**
 * Registers what to do before every process is stopped: a supervisor stops its restart loop (and its
 * children, gracefully) here. Returns the unregister function.
 */
export function onStopAll(hook: () => Promise<void> | void): () => void {
  stopHooks.add(hook);
  return () => stopHooks.delete(hook);
}

/** How a child is started: execa's options, with its environment given as what it needs. */
export interface ChildOptions extends Omit<Options, 'env' | 'extendEnv'> {
  /** What the child reads from its environment besides the basics (child-env.ts); 'plain' by default. */
  needs?: ChildNeeds;
  /** Where its environment is taken from (the run's, which may add the sandbox's); ours by default. */
  env?: NodeJS.ProcessEnv;
}

function execaOptions({ needs = 'plain', env, ...options }: ChildOptions): Options {
  return { ...options, env: childEnv(needs, env), extendEnv: false } as Options;
}

export function startProcess(name: string, file: string, args: readonly string[], options: ChildOptions = {}): Promise<ManagedProcess> {
  const started = loadExeca().then(({ execa }) => register(name, execa(file, args, {
    reject: false,
    stdin: 'ignore',
    // We stop our children ourselves, gracefully; execa's own kill on parent exit is the safety net.
    cleanup: true,
    forceKillAfterDelay: 3000,
    ...execaOptions(options),
  }) as ResultPromise<Options>));
  starting.add(started);
  const settled = () => starting.delete(started);
  started.then(settled, settled);
  return started;
}

function register(name: string, child: ResultPromise<Options>): ManagedProcess {
  const exited = child.then(
    (result) => ({ exitCode: result.exitCode, signal: result.signal }),
    (error: { exitCode?: number; signal?: string }) => ({ exitCode: error.exitCode, signal: error.signal }),
  );
  let done = false;
  void exited.then(() => (done = true));
  const managed: ManagedProcess = {
    name,
    pid: child.pid,
    child,
    exited,
    async stop(graceMs = 3000) {
      if (!done) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
        await exited;
        clearTimeout(timer);
      }
      running.delete(managed);
    },
  };
  running.add(managed);
  void exited.then(() => running.delete(managed));
  return managed;
}

export function runningProcesses(): ManagedProcess[] {
  return [...running];
}

/** Stops every process we started, in parallel; resolves when all have exited. */
export async function stopAll(graceMs = 3000): Promise<void> {
  await Promise.allSettled([...starting]);
  await Promise.all([...stopHooks].map(async (hook) => hook()));
  await Promise.all([...running].map((p) => p.stop(graceMs)));
}

/** SIGKILLs everything at once: the second Ctrl-C. Supervisors are told first, so none restarts. */
export function killAll(): void {
  for (const hook of stopHooks) void hook();
  for (const p of running) p.child.kill('SIGKILL');
  for (const started of starting) started.then((p) => p.child.kill('SIGKILL'), () => undefined);
}

/**
 * Starts a process that is meant to outlive us (the site server the user chose to keep): detached,
 * in its own process group, not registered for cleanup. Returns its pid.
 */
export function startDetached(file: string, args: readonly string[], options: { needs?: ChildNeeds; env?: NodeJS.ProcessEnv } = {}): { pid: number | undefined; exited: Promise<void> } {
  const child = spawn(file, args, { detached: true, stdio: 'ignore', env: childEnv(options.needs ?? 'plain', options.env) });
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.once('error', () => resolve());
  });
  child.unref();
  return { pid: child.pid, exited };
}

/** Runs a command to completion for its output (ngrok version, python3 --version). */
export async function runForOutput(file: string, args: readonly string[], options: { signal?: AbortSignal; timeoutMs?: number; needs?: ChildNeeds; env?: NodeJS.ProcessEnv } = {}) {
  const { execa } = await loadExeca();
  const result = await execa(file, args, {
    reject: false,
    stdin: 'ignore',
    timeout: options.timeoutMs ?? 10_000,
    cancelSignal: options.signal,
    ...execaOptions({ needs: options.needs, env: options.env }),
    all: true,
  });
  return {
    exitCode: result.exitCode,
    stdout: String(result.stdout ?? ''),
    output: String(result.all ?? ''),
    notFound: (result as { code?: string }).code === 'ENOENT',
    failed: result.failed,
    timedOut: result.timedOut,
  };
}
