// An ngrok agent that says what a test wants it to say: an executable (sh) with the agent's CLI
// surface as far as `tunnel` and the prerequisites use it — `version`, `config check` naming its own
// ngrok.yml, and a run that prints the given stdout and stderr lines, byte for byte, then waits to be
// stopped — and a finished endpoint-mode setup (store, site folder, free port) that `tunnel --no-tui`
// runs with it. For what reaches the terminal and the log when the agent (or whoever answers in its
// place) prints something hostile.
import { execa } from 'execa';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { writeSiteFile } from '../../src/core/site';
import { CONFIG_FILE_NAME } from '../../src/core/store';
import { BIN, tempDir } from './cli';
import { scaled } from './deadline';
import { unusedPort } from './ports';

export interface FakeAgentOptions {
  /** Printed on stdout, each followed by a newline: text (UTF-8) or raw bytes. */
  stdout?: Array<string | Buffer>;
  stderr?: Array<string | Buffer>;
  /** The text of the ngrok.yml that `config check` names. */
  ngrokYml?: string;
}

export interface FakeAgentWorld {
  root: string;
  configDir: string;
  bin: string;
  ngrokYml: string;
  agentLog: string;
}

const quote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;

export async function fakeAgentWorld(options: FakeAgentOptions): Promise<FakeAgentWorld> {
  const root = tempDir('nf-fake-agent-');
  const configDir = path.join(root, 'config');
  const siteDir = path.join(root, 'site');
  const agentDir = path.join(root, 'agent');
  mkdirSync(agentDir, { recursive: true });
  await writeSiteFile(siteDir);
  const port = await unusedPort();
  mkdirSync(configDir, { recursive: true, mode: 0o700 });
  const values = {
    ngrokMode: 'endpoint',
    endpointUrl: 'https://fake-agent.ngrok.app',
    internalUrl: 'https://fake-agent.internal',
    siteDir,
    sitePort: port,
  };
  writeFileSync(path.join(configDir, CONFIG_FILE_NAME), JSON.stringify({ values }), { mode: 0o600 });

  const ngrokYml = path.join(agentDir, 'ngrok.yml');
  writeFileSync(ngrokYml, options.ngrokYml ?? 'version: "3"\n', { mode: 0o600 });
  const bytes = (lines: Array<string | Buffer> = []) =>
    Buffer.concat(lines.flatMap((l) => [Buffer.from(l), Buffer.from('\n')]));
  writeFileSync(path.join(agentDir, 'stdout.txt'), bytes(options.stdout));
  writeFileSync(path.join(agentDir, 'stderr.txt'), bytes(options.stderr));
  const bin = path.join(agentDir, 'ngrok');
  writeFileSync(
    bin,
    `#!/bin/sh
dir=${quote(agentDir)}
case "$1" in
  version) echo "ngrok version 3.20.0" ;;
  config) echo "Valid configuration file at $dir/ngrok.yml" ;;
  *) cat "$dir/stdout.txt"; cat "$dir/stderr.txt" >&2; echo ' fake agent stderr done' >&2; echo '{"lvl":"info","msg":"fake agent done","obj":"test"}'; exec sleep 60 ;;
esac
`,
  );
  chmodSync(bin, 0o755);
  return { root, configDir, bin, ngrokYml, agentLog: path.join(configDir, 'agent.log') };
}

/**
 * `tunnel --no-tui` with the fake agent until it has printed everything (its last line), then
 * SIGTERM: what reached stdout and stderr, and the agent's log file.
 */
export async function runTunnelWithFakeAgent(
  world: FakeAgentWorld,
  env: Record<string, string> = {},
): Promise<{ stdout: string; stderr: string; log: string; bytes: Record<'stdout' | 'stderr' | 'log', Buffer> }> {
  const child = execa(process.execPath, [BIN, '--config-dir', world.configDir, 'tunnel', '--no-tui'], {
    reject: false,
    stdin: 'ignore',
    env: { CI: 'true', NO_COLOR: '1', NGROK_BIN: world.bin, ...env },
    // Bytes, not text: what reaches the terminal is checked as it was written.
    encoding: 'buffer',
  });
  let seen = '';
  child.stdout.on('data', (chunk: Buffer) => (seen += chunk.toString('latin1')));
  try {
    // Both legs: the last line of its stdout and of its stderr (the two pipes are read apart, so one
    // can come through before the other).
    const done = () => seen.includes('fake agent done') && seen.includes('fake agent stderr done');
    const deadline = Date.now() + scaled(20_000);
    while (!done() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    if (!done()) throw new Error(`the fake agent's lines never came:\n${seen}`);
  } finally {
    child.kill('SIGTERM');
  }
  const result = await child;
  const bytes = {
    stdout: Buffer.from(result.stdout),
    stderr: Buffer.from(result.stderr),
    log: readFileSync(world.agentLog),
  };
  return {
    stdout: bytes.stdout.toString('utf8'),
    stderr: bytes.stderr.toString('utf8'),
    log: bytes.log.toString('utf8'),
    bytes,
  };
}
