// The one place that owns child processes. Everything we start (the site server, the agent) is
// registered here, so that quitting, Ctrl-C, SIGTERM or SIGHUP stop all of them and none is left.
//
// Each child runs in a process group of its own, and every signal we send goes to the whole group
// (execa's `killDescendants`: the child is spawned detached, and kill() signals -pid; its `cleanup` on
// our exit still applies, see node_modules/execa/lib/terminate/kill-descendants.js). Why: NGROK_BIN
// may be a wrapper script, and what it starts is not ours to know. Signalled alone, the script died
// and its children lived on, holding its stdout open, so execa waited for the output to end: a
// timeout of `ngrok version` did not end the run, and a stop left `sleep`s (or agents) behind.
// A side effect: a terminal's Ctrl-C reaches only us, not our children; we stop them ourselves.
//
// Every child's environment is built here too, from an allow-list (child-env.ts), never inherited.
import type { ResultPromise, Options } from 'execa';
import { spawn } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';
import { childEnv, type ChildNeeds } from './child-env';
import { forgetChild, recordChild, STOP_GRACE_MS } from './child-registry';

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

/** How a child is named to a person, should a later command find it orphaned (child-registry.ts). */
const LABELS: Record<string, string> = { ngrok: 'the agent', site: 'the site server' };
const labelOf = (name: string, file: string, args: readonly string[]) =>
  LABELS[name] ?? `\`${[path.basename(file), ...args.slice(0, 1)].join(' ')}\``;

/**
 * The gate every long-running child passes: it is started as `sh -c 'read go && exec "$@"'` and told
 * to go only once it is written down (child-registry.ts). A SIGKILL of ours between the spawn and that
 * write used to leave a child no record names (the next run then refused the site's port to "another
 * program"); now our end of the pipe closes with us, `read` ends without "go", and sh exits before the
 * program starts. exec keeps the pid and the start time the record holds, and the record's argv is
 * the program's own. A file that cannot be found or run is spawned as is, so its ENOENT or EACCES
 * reaches the caller as before (the agent's "not found" sentence); Windows has no sh: no gate there.
 */
const GATE = 'IFS= read -r go && [ "$go" = go ] && exec "$@" </dev/null';

export function gated(file: string, args: readonly string[], env: NodeJS.ProcessEnv | undefined): string[] | undefined {
  if (process.platform === 'win32' || !isExecutable(file, env?.PATH)) return undefined;
  return ['-c', GATE, 'sh', file, ...args];
}

/** Whether `file` (a path, or a name looked up in PATH as the shell would) is an executable file. */
function isExecutable(file: string, searchPath = ''): boolean {
  const candidates = file.includes('/')
    ? [file]
    : searchPath.split(path.delimiter).map((dir) => path.join(dir || '.', file));
  return candidates.some((candidate) => {
    try {
      accessSync(candidate, constants.X_OK);
      return statSync(candidate).isFile();
    } catch {
      return false;
    }
  });
}

export function startProcess(
  name: string,
  file: string,
  args: readonly string[],
  options: ChildOptions = {},
): Promise<ManagedProcess> {
  const started = loadExeca().then(({ execa }) => {
    const execaOpts = execaOptions(options);
    const gate = gated(file, args, execaOpts.env);
    const child = execa(gate ? '/bin/sh' : file, gate ?? args, {
      reject: false,
      stdin: 'ignore',
      // We stop our children ourselves, gracefully; execa's own kill on parent exit is the safety net.
      cleanup: true,
      forceKillAfterDelay: STOP_GRACE_MS,
      killDescendants: true,
      ...execaOpts,
      ...(gate ? { stdin: 'pipe' } : {}),
    }) as ResultPromise<Options>;
    const managed = register(name, labelOf(name, file, args), [file, ...args], child);
    // Recorded: it may start.
    child.stdin?.end('go\n');
    return managed;
  });
  starting.add(started);
  const settled = () => starting.delete(started);
  started.then(settled, settled);
  return started;
}

function register(name: string, label: string, argv: readonly string[], child: ResultPromise<Options>): ManagedProcess {
  // Written down before anything else can happen to us: a SIGKILL from now on leaves a known orphan.
  recordChild(label, child.pid, argv);
  const exited = child.then(
    (result) => ({ exitCode: result.exitCode, signal: result.signal }),
    (error: { exitCode?: number; signal?: string }) => ({ exitCode: error.exitCode, signal: error.signal }),
  );
  void exited.then(() => forgetChild(child.pid));
  let done = false;
  void exited.then(() => (done = true));
  const managed: ManagedProcess = {
    name,
    pid: child.pid,
    child,
    exited,
    async stop(graceMs = STOP_GRACE_MS) {
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
export async function stopAll(graceMs = STOP_GRACE_MS): Promise<void> {
  await Promise.allSettled([...starting]);
  await Promise.all([...stopHooks].map(async (hook) => hook()));
  await Promise.all([...running].map((p) => p.stop(graceMs)));
}

/** SIGKILLs everything at once: the second Ctrl-C. Supervisors are told first, so none restarts. */
export function killAll(): void {
  for (const hook of stopHooks) void hook();
  for (const p of running) p.child.kill('SIGKILL');
  for (const started of starting)
    started.then(
      (p) => p.child.kill('SIGKILL'),
      () => undefined,
    );
}

/**
 * Starts a process that is meant to outlive us (the site server the user chose to keep): detached,
 * in its own process group, not registered for cleanup. Returns its pid.
 */
export function startDetached(
  file: string,
  args: readonly string[],
  options: { needs?: ChildNeeds; env?: NodeJS.ProcessEnv } = {},
): { pid: number | undefined; exited: Promise<void> } {
  const child = spawn(file, args, {
    detached: true,
    stdio: 'ignore',
    env: childEnv(options.needs ?? 'plain', options.env),
  });
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.once('error', () => resolve());
  });
  child.unref();
  return { pid: child.pid, exited };
}

/**
 * Runs a command to completion for its output (ngrok version, python3 --version). At the timeout or
 * the caller's abort its whole process group gets SIGTERM, then SIGKILL a second later.
 */
export async function runForOutput(
  file: string,
  args: readonly string[],
  options: { signal?: AbortSignal; timeoutMs?: number; needs?: ChildNeeds; env?: NodeJS.ProcessEnv } = {},
) {
  const { execa } = await loadExeca();
  const subprocess = execa(file, args, {
    reject: false,
    stdin: 'ignore',
    timeout: options.timeoutMs ?? 10_000,
    cancelSignal: options.signal,
    ...execaOptions({ needs: options.needs, env: options.env }),
    all: true,
    killDescendants: true,
    forceKillAfterDelay: 1000,
  });
  // A wrapper's `ngrok version` that hangs outlives a SIGKILLed us (its timeout died with us): recorded too.
  recordChild(labelOf('', file, args), subprocess.pid, [file, ...args]);
  const result = await subprocess.finally(() => forgetChild(subprocess.pid));
  return {
    exitCode: result.exitCode,
    stdout: String(result.stdout ?? ''),
    output: String(result.all ?? ''),
    notFound: (result as { code?: string }).code === 'ENOENT',
    failed: result.failed,
    timedOut: result.timedOut,
  };
}
