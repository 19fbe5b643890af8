// A reader that goes away: `tunnel --no-tui | head -2` (the reader closes the pipe after two lines),
// and `tunnel --no-tui | tee log` stopped with Ctrl-C (the terminal's SIGINT ends tee too, so the
// lines written while stopping meet a closed pipe). Node reports the closed pipe as an EPIPE 'error'
// event; unhandled, it crashed the CLI with a stack trace and left the children to execa's exit hook.
// The lifecycle root (src/commands/lifecycle.ts) stops instead: children stopped, nothing on stderr
// but what a stop says, exit 0 for the reader that had read enough, 130 for the Ctrl-C.
import { execa } from 'execa';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN } from '../helpers/cli';
import { cliEnv, killStrays, newWorld, runSandboxSetup, type World } from './kill-harness';
import { descendants, isAgent, isSiteServer } from './process-tree';
import { expectAllGone, watchTree } from './watch-tree';

let world: World;
beforeAll(async () => {
  world = await newWorld('endpoint');
  const setup = await runSandboxSetup(world);
  expect(setup.exitCode, setup.output).toBe(0);
}, 60_000);
afterAll(() => {
  if (world) killStrays(world.root);
});

/** `tunnel --no-tui --sandbox` with its stdout a pipe we read, and its stderr collected. */
function plainTunnel() {
  const child = execa(process.execPath, [BIN, '--config-dir', world.configDir, 'tunnel', '--no-tui', '--sandbox'], {
    reject: false,
    stdin: 'ignore',
    buffer: false,
    env: cliEnv(),
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  return { child, stderr: () => stderr, tree: watchTree(child.pid!) };
}

/**
 * Reads lines until `enough` says so, then (unless told to leave it open) closes the pipe as a reader
 * that exits does.
 */
async function readUntil(
  stdout: Readable,
  enough: (lines: string[]) => boolean,
  { close = true }: { close?: boolean } = {},
): Promise<string[]> {
  const lines: string[] = [];
  const reader = createInterface({ input: stdout });
  try {
    for await (const line of reader) {
      lines.push(line);
      if (enough(lines)) break;
    }
  } finally {
    reader.close();
    if (close) stdout.destroy();
  }
  return lines;
}

const pidIn = (line: string | undefined) => Number(/\(pid (\d+)\)/.exec(line ?? '')?.[1]);
const NO_CRASH = /EPIPE|Unhandled|unexpected failure|\n\s+at /;

describe('tunnel --no-tui whose reader goes away', () => {
  it('| head -2: stops quietly, exit 0, no stack trace, no child left', async () => {
    const run = plainTunnel();
    try {
      const lines = await readUntil(run.child.stdout, (read) => read.length === 2);
      const result = await run.child;
      run.tree.stop();

      expect(lines[0]).toBe('== starting');
      // The second line is the site server's start: a child was running when the reader left.
      const sitePid = pidIn(lines[1]);
      expect(sitePid, lines.join('\n')).toBeGreaterThan(0);
      expect(result.exitCode, run.stderr()).toBe(0);
      expect(run.stderr()).not.toMatch(NO_CRASH);
      // Quiet: the one who asked for the stop is not a person at this terminal.
      expect(run.stderr()).not.toContain('Stopping');
      await expectAllGone([{ pid: sitePid, ppid: 0, argv: ['the site server'] }, ...run.tree.seen()]);
    } finally {
      run.child.kill('SIGKILL');
    }
  });

  it('| tee, then Ctrl-C (tee gone too): exit 130, no stack trace, no child left', async () => {
    const run = plainTunnel();
    try {
      // The pipe stays open until the Ctrl-C: closed first, the tunnel's next line (a busy machine
      // reads "== online" late, with more behind it) meets EPIPE, and the tunnel rightly stops on its
      // own before the snapshot below, which then finds no child (seen under load).
      const lines = await readUntil(run.child.stdout, (read) => read.some((line) => line.startsWith('== online')), {
        close: false,
      });
      // Both children run when the stop comes. (One site server, also when pyenv's shim for python3
      // is still a bash and its fork, both with python's argv: isSiteServer counts the fork once.)
      const running = descendants(run.child.pid!);
      const seen = `${JSON.stringify(running)}\nstdout:\n${lines.join('\n')}\nstderr:\n${run.stderr()}`;
      expect(running.filter(isSiteServer), seen).toHaveLength(1);
      expect(running.filter(isAgent), seen).toHaveLength(1);

      // Ctrl-C at a terminal signals the tunnel and tee together: the SIGINT, and at once our end of
      // the pipe closed, so that what the tunnel prints while it stops meets EPIPE.
      process.kill(run.child.pid!, 'SIGINT');
      run.child.stdout.destroy();
      const result = await run.child;
      run.tree.stop();

      expect(result.exitCode, run.stderr()).toBe(130);
      expect(run.stderr()).toContain('Stopping the agent and the site server');
      expect(run.stderr()).not.toMatch(NO_CRASH);
      await expectAllGone(run.tree.seen());
    } finally {
      run.child.kill('SIGKILL');
    }
  });
});
