// Runs the built CLI (dist/, as users get it) as a real process.
import { execa } from 'execa';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { scaled } from './deadline';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const BIN = path.join(ROOT, 'bin/ngrok-fusionauth.js');

export function tempDir(prefix = 'nf-test-'): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}

export async function runCli(args: string[], options: { env?: Record<string, string | undefined>; cwd?: string; timeout?: number } = {}) {
  const result = await execa(process.execPath, [BIN, ...args], {
    reject: false,
    stdin: 'ignore',
    cwd: options.cwd,
    env: { CI: 'true', NO_COLOR: '1', ...options.env },
    timeout: scaled(options.timeout ?? 20_000),
  });
  return { exitCode: result.exitCode, stdout: String(result.stdout), stderr: String(result.stderr) };
}
