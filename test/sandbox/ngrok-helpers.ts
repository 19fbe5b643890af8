// Shared by the ngrok / agent sandbox tests: raw API calls, a real python site, the agent stand-in
// as a child process, and a cookie-keeping HTTP client that behaves like a browser on 127.0.0.1.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { NgrokSandbox } from '../../src/sandbox/ngrok/index';
import { scaled } from '../helpers/deadline';
import { unusedPort } from '../helpers/ports';

export function apiCall(sandbox: Pick<NgrokSandbox, 'apiUrl' | 'apiKey'>) {
  return async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`${sandbox.apiUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${sandbox.apiKey}`,
        'ngrok-version': '2',
        ...(body ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return {
      status: res.status,
      text,
      json: text ? (JSON.parse(text) as Record<string, any>) : undefined,
      headers: res.headers,
    };
  };
}

/** A free port for python to bind later (or to find nothing listening on): see helpers/ports.ts. */
export const freePort = unusedPort;

export async function waitFor<T>(
  probe: () => Promise<T | undefined> | T | undefined,
  timeoutMs = scaled(10_000),
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch {
      // not yet
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export interface Site {
  url: string;
  port: number;
  dir: string;
  stop(): Promise<void>;
}

/** The guide's site: `python3 -m http.server --bind 127.0.0.1` over a folder with index.html. */
export async function startPythonSite(html = '<h1>Protected page</h1>'): Promise<Site> {
  const dir = mkdtempSync(path.join(tmpdir(), 'site-'));
  writeFileSync(path.join(dir, 'index.html'), html);
  const port = await freePort();
  const child = spawn('python3', ['-m', 'http.server', String(port), '--bind', '127.0.0.1'], {
    cwd: dir,
    stdio: 'ignore',
  });
  const url = `http://127.0.0.1:${port}`;
  await waitFor(async () => (await fetch(url)).ok, 10_000, 'python http.server');
  return {
    url,
    port,
    dir,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }).then(() => rmSync(dir, { recursive: true, force: true })),
  };
}

export interface AgentProcess {
  child: ChildProcess;
  stdout: string[];
  stderr: string[];
  /** Resolves with the nth (first) stdout/stderr line matching, or rejects on timeout / exit. */
  line(pattern: RegExp, timeoutMs?: number, nth?: number): Promise<string>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function runAgent(
  agentPath: string,
  args: string[],
  env: Record<string, string | undefined> = {},
): AgentProcess {
  const child = spawn(agentPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const stdout: string[] = [];
  const stderr: string[] = [];
  const waiters = new Set<() => void>();
  const collect = (into: string[]) => {
    let buffer = '';
    return (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      const parts = buffer.split('\n');
      buffer = parts.pop() ?? '';
      into.push(...parts);
      for (const w of waiters) w();
    };
  };
  child.stdout!.on('data', collect(stdout));
  child.stderr!.on('data', collect(stderr));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  let done = false;
  void exited.then(() => {
    done = true;
    for (const w of waiters) w();
  });
  return {
    child,
    stdout,
    stderr,
    exited,
    line(pattern, timeoutMs = scaled(10_000), nth = 1) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const hit = [...stdout, ...stderr].filter((l) => pattern.test(l))[nth - 1];
          if (hit !== undefined) {
            cleanup();
            resolve(hit);
          } else if (done) {
            cleanup();
            reject(new Error(`agent exited without printing ${pattern}:\n${[...stdout, ...stderr].join('\n')}`));
          }
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`timed out waiting for ${pattern}:\n${[...stdout, ...stderr].join('\n')}`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

// The cookie-keeping browser is the product's own (src/core/http/browser.ts), which verify uses too.
export { Browser } from '../../src/core/http';

/** A temp dir removed by the returned cleanup. */
export function tempDir(prefix: string): { dir: string; remove(): void } {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
