// Counting site servers in a process tree: a launcher shell in front of python (pyenv's `python3`
// shim is a bash script; it forks for each `$(…)`, and the fork shows the shim's argv until it execs)
// is one server, not two. A stand-in for the shim, run for real: a bash script that forks a subshell
// with its own argv, then execs the real python3 -m http.server.
import { execa } from 'execa';
import { chmodSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { tempDir } from '../helpers/cli';
import { scaled } from '../helpers/deadline';
import { unusedPort } from '../helpers/ports';
import { waitUntilGone } from '../helpers/process';
import { descendants, isSiteServer } from './process-tree';

async function until(what: string, holds: () => boolean): Promise<void> {
  const deadline = Date.now() + scaled(10_000);
  while (!holds()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

it("a shim's fork of itself is not a second site server, before and after it execs python", async () => {
  const dir = tempDir('shim-');
  const gate = path.join(dir, 'gate');
  const shim = path.join(dir, 'python3');
  // Like pyenv's shim and `pyenv exec`: a command substitution (a fork of this bash, same argv) that
  // waits here until the gate exists, then exec of the real interpreter.
  writeFileSync(
    shim,
    `#!/usr/bin/env bash\nv="$(while [ ! -e '${gate}' ]; do sleep 0.02; done; echo)"\nexec python3 "$@"\n`,
  );
  chmodSync(shim, 0o755);
  const port = await unusedPort();
  const launcher = execa('bash', ['-c', `"$0" -m http.server ${port} --bind 127.0.0.1 & wait`, shim], {
    reject: false,
    stdin: 'ignore',
  });
  let serverPid: number | undefined;
  let seen: number[] = [];
  try {
    // The shim and its fork, both with http.server in their argv.
    await until(
      'the shim has forked',
      () => descendants(launcher.pid!).filter((p) => p.argv.includes('http.server')).length === 2,
    );
    const forked = descendants(launcher.pid!);
    seen = forked.map((p) => p.pid);
    expect(forked.filter(isSiteServer), JSON.stringify(forked)).toHaveLength(1);

    writeFileSync(gate, '');
    // The fork is gone and the shim's pid is python now.
    await until("the shim has exec'd python", () =>
      descendants(launcher.pid!).some((p) => p.argv[0]?.endsWith('python3') && p.argv.includes('http.server')),
    );
    const serving = descendants(launcher.pid!);
    const servers = serving.filter(isSiteServer);
    expect(servers, JSON.stringify(serving)).toHaveLength(1);
    serverPid = servers[0]!.pid;
  } finally {
    writeFileSync(gate, '');
    // Everything below the launcher (the shim is python by now, or about to be): stopped, so no
    // server outlives the test and holds execa's pipes open.
    for (const pid of new Set([...seen, ...descendants(launcher.pid!).map((p) => p.pid)])) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone already
      }
    }
    launcher.kill('SIGKILL');
    await launcher;
    if (serverPid) expect(await waitUntilGone(serverPid, scaled(5000))).toBe(true);
  }
});
