// `ngrok-fusionauth tunnel --no-tui --sandbox` as a long-running process over a store set up against
// a sandbox kept in `<configDir>/sandbox` (the command runs that sandbox in its own process), and what
// a test needs from that sandbox while it runs: its agent stand-in and its cloud's control address.
import { execa } from 'execa';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { startSandbox } from '../../src/sandbox/index';
import { BIN, tempDir } from './cli';
import { prepareProtectedSite } from './protected-setup';

/** A store set up in `mode` against a sandbox in `<configDir>/sandbox`; the values it holds. */
export async function sandboxStore(name: string, mode: 'endpoint' | 'agent' = 'agent') {
  const configDir = path.join(tempDir('cli-tunnel-'), 'config');
  const sandbox = await startSandbox({ dataDir: path.join(configDir, 'sandbox') });
  try {
    const { values } = await prepareProtectedSite(
      { ...sandbox.fusionauth },
      { ...sandbox.ngrok, redirectUri: sandbox.redirectUri },
      { name, configDir, mode },
    );
    return { configDir, values, clientSecret: values.clientSecret!, demoUser: sandbox.demoUser };
  } finally {
    await sandbox.close();
  }
}

/** The sandbox agent stand-in's files under a store: its `ngrok` wrapper, authtoken and the cloud's address. */
export function storeSandboxAgent(configDir: string) {
  const dir = path.join(configDir, 'sandbox', 'ngrok');
  const { agent } = YAML.parse(readFileSync(path.join(dir, 'ngrok.yml'), 'utf8')) as {
    agent: { authtoken: string; connect_url: string };
  };
  return { agentPath: path.join(dir, 'ngrok'), authtoken: agent.authtoken, serverAddr: agent.connect_url };
}

/** The CLI as a long-running process, its stdout collected line by line. */
export function tunnel(configDir: string, env: Record<string, string> = {}) {
  const child = execa(process.execPath, [BIN, '--config-dir', configDir, 'tunnel', '--no-tui', '--sandbox'], {
    reject: false,
    stdin: 'ignore',
    env: { CI: 'true', NO_COLOR: '1', ...env },
    all: true,
  });
  let output = '';
  let exited = false;
  void child.then(() => (exited = true));
  child.all!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const waitForText = async (pattern: RegExp, timeoutMs = 20_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!pattern.test(output)) {
      if (Date.now() > deadline || exited)
        throw new Error(`no ${pattern}${exited ? ' (it exited)' : ''} in:\n${output}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    return pattern.exec(output)!;
  };
  return { child, output: () => output, waitForText };
}
