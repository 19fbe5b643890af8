// Questions for the ngrok agent's own CLI: is it there, which version, is an authtoken configured.
// NGROK_BIN overrides the executable.
import { readFile } from 'node:fs/promises';
import YAML from 'yaml';
import { finding, type Finding } from '../findings';
import { runForOutput } from '../process';

export function ngrokBin(env: NodeJS.ProcessEnv = process.env): string {
  return env.NGROK_BIN || 'ngrok';
}

export const INSTALL_HINT = 'Install the ngrok agent (https://ngrok.com/download), or set NGROK_BIN to its path.';

export interface AgentVersion {
  found: boolean;
  version?: string;
  major?: number;
  output?: string;
}

/** `ngrok version` prints `ngrok version 3.1.0` (v2 printed `ngrok version 2.3.40` too). */
export function parseAgentVersion(output: string): { version: string; major: number } | undefined {
  const match = /ngrok(?: agent)? version v?(\d+)\.(\d+)\.(\d+)/i.exec(output);
  if (!match) return undefined;
  return { version: `${match[1]}.${match[2]}.${match[3]}`, major: Number(match[1]) };
}

export async function agentVersion(bin: string, signal?: AbortSignal): Promise<AgentVersion> {
  const run = await runForOutput(bin, ['version'], { signal, timeoutMs: 10_000, needs: 'agent' });
  if (run.notFound) return { found: false };
  const parsed = parseAgentVersion(run.output);
  return parsed ? { found: true, ...parsed } : { found: true, output: run.output.trim().slice(0, 200) };
}

export function versionFinding(result: AgentVersion, bin: string): Finding {
  if (!result.found) return finding.error(`The ngrok agent was not found (${bin}).`, INSTALL_HINT);
  if (!result.version) return finding.error(`${bin} did not print an ngrok version${result.output ? `: ${result.output}` : '.'}`, INSTALL_HINT);
  if (result.major! < 3) return finding.error(`ngrok ${result.version} is too old: this guide needs agent version 3.`, 'Run `ngrok update`, or install version 3 from https://ngrok.com/download.');
  return finding.ok(`ngrok agent ${result.version}`);
}

export interface AuthtokenState {
  configured: boolean;
  configPath?: string;
  error?: string;
}

/** ngrok's configuration file, v2 (top level) or v3 (under `agent:`) layout. */
type AgentConfigFile = { authtoken?: unknown; api_key?: unknown; agent?: { authtoken?: unknown; api_key?: unknown } } | null;

/** `ngrok config check` validates the configuration file and names it. */
async function configCheck(bin: string, env: NodeJS.ProcessEnv, signal?: AbortSignal) {
  const run = await runForOutput(bin, ['config', 'check'], { signal, env, needs: 'agent' });
  return { run, configPath: /configuration file at (\S+)/i.exec(run.output)?.[1] };
}

async function readAgentConfig(file: string): Promise<AgentConfigFile> {
  return YAML.parse(await readFile(file, 'utf8')) as AgentConfigFile;
}

/**
 * The secrets in ngrok's own configuration file (the authtoken and API key, either layout): never
 * given to us, yet the agent may quote them, so they are on the list of what is masked.
 */
export async function agentConfigSecrets(bin: string, env: NodeJS.ProcessEnv, signal?: AbortSignal): Promise<string[]> {
  const { configPath } = await configCheck(bin, env, signal);
  if (!configPath) return [];
  const doc = await readAgentConfig(configPath).catch(() => null);
  return [doc?.agent?.authtoken, doc?.authtoken, doc?.agent?.api_key, doc?.api_key].filter((v): v is string => typeof v === 'string');
}

/** `ngrok config check` validates the file and names it; the authtoken itself we read from that file. */
export async function authtokenState(bin: string, env: NodeJS.ProcessEnv, signal?: AbortSignal): Promise<AuthtokenState> {
  const { run, configPath } = await configCheck(bin, env, signal);
  // ngrok refuses a configuration without an authtoken with ERR_NGROK_4018: that is "not configured", not a broken file.
  if (run.exitCode !== 0 && /ERR_NGROK_4018|no authtoken/i.test(run.output)) return { configured: Boolean(env.NGROK_AUTHTOKEN), configPath };
  if (run.exitCode !== 0) return { configured: Boolean(env.NGROK_AUTHTOKEN), configPath, error: run.output.trim().split('\n').at(-1) };
  if (env.NGROK_AUTHTOKEN) return { configured: true, configPath };
  if (!configPath) return { configured: false };
  try {
    const doc = await readAgentConfig(configPath);
    const token = doc?.agent?.authtoken ?? doc?.authtoken;
    return { configured: typeof token === 'string' && token.length > 0, configPath };
  } catch {
    return { configured: false, configPath };
  }
}

export function authtokenFinding(state: AuthtokenState): Finding {
  if (state.error && !state.configured) return finding.error(`\`ngrok config check\` failed: ${state.error}`, 'Fix the ngrok configuration file it names, then check again.');
  if (!state.configured) return finding.error('No ngrok authtoken is configured.', 'Copy it from the ngrok dashboard (Your Authtoken) and run `ngrok config add-authtoken <TOKEN>`.');
  return finding.ok(`ngrok authtoken configured${state.configPath ? ` (${state.configPath})` : ''}`);
}

export async function pythonFinding(signal?: AbortSignal): Promise<Finding> {
  const run = await runForOutput('python3', ['--version'], { signal, needs: 'python' });
  if (run.notFound) return finding.error('python3 was not found; the guide serves the site with it.', 'Install Python 3 (e.g. `apt-get install python3`), or serve the folder with any web server.');
  const match = /Python (\d+\.\d+\.\d+)/.exec(run.output);
  return match ? finding.ok(`python ${match[1]}`) : finding.warn(`python3 answered oddly: ${run.output.trim().slice(0, 100)}`);
}
