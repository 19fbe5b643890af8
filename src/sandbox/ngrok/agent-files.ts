// The files that let any process use the agent stand-in as `ngrok`: an ngrok.yml (authtoken and
// connect_url (v3's server_addr) of this sandbox) and a small sh wrapper, so `NGROK_BIN=<wrapper>` works from anywhere.
import { existsSync } from 'node:fs';
import { chmod, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';

export interface AgentFiles {
  agentPath: string;
  agentConfigPath: string;
}

/**
 * dist/sandbox-agent.js, found from this module's location: src/sandbox/ngrok/ under tests, dist/
 * (or a chunk in it) when bundled. NGROK_SANDBOX_AGENT_JS overrides it.
 */
function agentScript(): string {
  const override = process.env.NGROK_SANDBOX_AGENT_JS;
  if (override) return path.resolve(override);
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    for (const candidate of [path.join(dir, 'sandbox-agent.js'), path.join(dir, 'dist', 'sandbox-agent.js')]) {
      if (existsSync(candidate)) return candidate;
    }
    dir = path.dirname(dir);
  }
  return path.resolve('dist', 'sandbox-agent.js');
}

const quote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;

export async function writeAgentFiles(dir: string, authtoken: string, serverAddr: string): Promise<AgentFiles> {
  const agentConfigPath = path.join(dir, 'ngrok.yml');
  const agentPath = path.join(dir, 'ngrok');
  // Version 3 layout, as `ngrok config add-authtoken` writes it today.
  const config = YAML.stringify({ version: '3', agent: { authtoken, connect_url: serverAddr } });
  await writeFile(agentConfigPath, config, { mode: 0o600 });
  await chmod(agentConfigPath, 0o600);
  const script = agentScript();
  const wrapper = `#!/bin/sh
# ngrok agent stand-in of the ngrok-fusionauth sandbox (generated; rewritten at every sandbox start).
if [ ! -f ${quote(script)} ]; then
  echo "ERROR:  the sandbox agent is not built (${script.replace(/[`$"\\]/g, '')}): run npm run build" >&2
  exit 127
fi
NGROK_SANDBOX_CONFIG=${quote(agentConfigPath)}
NGROK_SANDBOX_SERVER_ADDR=${quote(serverAddr)}
export NGROK_SANDBOX_CONFIG NGROK_SANDBOX_SERVER_ADDR
exec ${quote(process.execPath)} ${quote(script)} "$@"
`;
  await writeFile(agentPath, wrapper, { mode: 0o755 });
  await chmod(agentPath, 0o755);
  return { agentPath, agentConfigPath };
}
