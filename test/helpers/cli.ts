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

/** Another user, to run the CLI as: for a folder that is not the user's own (see test/helpers/other-user.ts). */
export interface RunAs {
  uid: number;
  gid: number;
  /** A node executable that user may run (ours may sit in a folder closed to others). */
  node: string;
}

export async function runCli(
  args: string[],
  options: { env?: Record<string, string | undefined>; cwd?: string; timeout?: number; as?: RunAs } = {},
) {
  const result = await execa(options.as?.node ?? process.execPath, [BIN, ...args], {
    reject: false,
    stdin: 'ignore',
    cwd: options.cwd,
    uid: options.as?.uid,
    gid: options.as?.gid,
    // npm's markers of an npx run, which vitest inherits when `npx vitest` started it, would make the
    // CLI write its hints as `npx ngrok-fusionauth …` (src/core/text/invocation.ts): this is node on
    // the launcher, and its hints say so, unless a test sets them.
    env: { CI: 'true', NO_COLOR: '1', npm_command: undefined, npm_lifecycle_event: undefined, ...options.env },
    timeout: scaled(options.timeout ?? 20_000),
  });
  return { exitCode: result.exitCode, stdout: String(result.stdout), stderr: String(result.stderr) };
}
