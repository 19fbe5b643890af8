// Runs a snippet of our source in a child process of its own, with a deadline: for the calls that,
// when broken, hang inside one system call or C++ loop (a FIFO's open, Node's recursive mkdir on
// /proc). In the test's own process such a call would freeze the vitest worker for good: no timeout
// can interrupt it. In a child, the deadline kills it and the test fails with a sentence.
//
// The snippet is bundled with esbuild (our code in, packages left to node_modules) into a file under
// node_modules/.cache, so that packages resolve from the repository as they do for the CLI.
import { build } from 'esbuild';
import { execa } from 'execa';
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './cli';

const OUT_DIR = path.join(ROOT, 'node_modules/.cache/ngrok-fusionauth-isolated');

export interface IsolatedRun {
  timedOut: boolean;
  exitCode: number | undefined;
  stdout: string;
  stderr: string;
  ms: number;
}

/**
 * `source` is TypeScript with imports relative to the repository root (`./src/core/...`); what it
 * prints is the answer. Killed (SIGKILL) after `timeoutMs`. `memoryLimitMb` caps the child's address
 * space (ulimit -v), so that code that reads without limit dies of it at once instead of taking the
 * machine's memory for the whole deadline.
 */
export async function runIsolated(
  source: string,
  options: { timeoutMs: number; memoryLimitMb?: number; env?: NodeJS.ProcessEnv },
): Promise<IsolatedRun> {
  mkdirSync(OUT_DIR, { recursive: true });
  const outfile = path.join(OUT_DIR, `run-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}.mjs`);
  await build({
    stdin: { contents: source, resolveDir: ROOT, loader: 'ts' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    outfile,
    logLevel: 'silent',
  });
  const started = Date.now();
  const [file, args]: [string, string[]] = options.memoryLimitMb
    ? ['/bin/sh', ['-c', `ulimit -v ${options.memoryLimitMb * 1024} && exec "$0" "$1"`, process.execPath, outfile]]
    : [process.execPath, [outfile]];
  const result = await execa(file, args, {
    reject: false,
    stdin: 'ignore',
    timeout: options.timeoutMs,
    killSignal: 'SIGKILL',
    env: options.env,
  }).finally(() => rmSync(outfile, { force: true }));
  return {
    timedOut: result.timedOut,
    exitCode: result.exitCode,
    stdout: String(result.stdout),
    stderr: String(result.stderr),
    ms: Date.now() - started,
  };
}
