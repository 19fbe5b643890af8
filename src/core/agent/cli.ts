// Questions for the ngrok agent's own CLI: is it there, which version (new enough for the mode?), is
// an authtoken configured, does it accept a configuration file. NGROK_BIN overrides the executable.
import YAML from 'yaml';
import { FileRefusedError, readSmallFile } from '../files';
import { finding, type Finding } from '../findings';
import { runForOutput } from '../process';
import type { NgrokMode } from '../store';

export function ngrokBin(env: NodeJS.ProcessEnv = process.env): string {
  return env.NGROK_BIN || 'ngrok';
}

export const INSTALL_HINT = 'Install the ngrok agent (https://ngrok.com/download), or set NGROK_BIN to its path.';

export interface AgentVersion {
  found: boolean;
  version?: string;
  major?: number;
  output?: string;
  /** Set when `ngrok version` did not finish in time (it and what it started were killed). */
  timedOutMs?: number;
}

/** `ngrok version` answers in milliseconds; ten seconds covers a cold disk and a slow wrapper. */
const AGENT_VERSION_TIMEOUT_MS = 10_000;

/**
 * The oldest agent each mode runs on, in the versions ngrok's changelog names
 * (https://ngrok.com/docs/agent/changelog; agent/changelog.mdx in github.com/ngrok/ngrok-docs):
 *   3.0.0  "Added the ability to start Labeled Tunnels" — edge mode's `ngrok tunnel --label`;
 *   3.12.1 "Added `--traffic-policy-file` flag" — agent mode;
 *   3.16.0 "Added `--url` agent CLI flag", "`endpoints:`" and config version 3 (3.15.0 had them as
 *          UNSTABLE) — endpoint and agent modes, and the version 3 file that export writes for them.
 * `--pooling-enabled` has no version there; an agent without it says "unknown flag", which
 * agentProblem turns into `ngrok update` too.
 */
export const MODE_FLOOR: Record<NgrokMode, { version: string; needs: string }> = {
  edge: { version: '3.0.0', needs: 'labeled tunnels (`ngrok tunnel --label`)' },
  endpoint: { version: '3.16.0', needs: '`--url` and agent endpoints' },
  agent: { version: '3.16.0', needs: '`--url` and `--traffic-policy-file`' },
};

export const UPDATE_HINT = 'Run `ngrok update` (or install the latest agent from https://ngrok.com/download).';

/** -1, 0 or 1, comparing dotted version numbers part by part. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  return 0;
}

/** `ngrok version` prints `ngrok version 3.1.0` (v2 printed `ngrok version 2.3.40` too). */
export function parseAgentVersion(output: string): { version: string; major: number } | undefined {
  const match = /ngrok(?: agent)? version v?(\d+)\.(\d+)\.(\d+)/i.exec(output);
  if (!match) return undefined;
  return { version: `${match[1]}.${match[2]}.${match[3]}`, major: Number(match[1]) };
}

export async function agentVersion(
  bin: string,
  signal?: AbortSignal,
  timeoutMs = AGENT_VERSION_TIMEOUT_MS,
): Promise<AgentVersion> {
  const run = await runForOutput(bin, ['version'], { signal, timeoutMs, needs: 'agent' });
  if (run.notFound) return { found: false };
  if (run.timedOut) return { found: true, timedOutMs: timeoutMs };
  const parsed = parseAgentVersion(run.output);
  return parsed ? { found: true, ...parsed } : { found: true, output: run.output.trim().slice(0, 200) };
}

/**
 * Whether the agent is new enough: for `mode` when it is chosen (an error below its floor); before
 * that, a warning when only edge mode would run (the guide's own 3.1.0 is such an agent).
 */
export function versionFinding(result: AgentVersion, bin: string, mode?: NgrokMode): Finding {
  if (!result.found) return finding.error(`The ngrok agent was not found (${bin}).`, INSTALL_HINT);
  if (result.timedOutMs !== undefined)
    return finding.error(
      `${bin} version did not finish within ${result.timedOutMs / 1000} s.`,
      `Check that ${bin} is the ngrok agent (NGROK_BIN may point at a wrapper that waits for something); run \`${bin} version\` yourself to see.`,
    );
  if (!result.version)
    return finding.error(
      `${bin} did not print an ngrok version${result.output ? `: ${result.output}` : '.'}`,
      INSTALL_HINT,
    );
  const version = result.version;
  if (result.major! < 3)
    return finding.error(`ngrok ${version} is too old: this guide needs agent version 3.`, UPDATE_HINT);
  if (mode) {
    const floor = MODE_FLOOR[mode];
    if (compareVersions(version, floor.version) < 0)
      return finding.error(
        `ngrok ${version} is too old for ${mode} mode: ${floor.needs} need agent ${floor.version} or later.`,
        UPDATE_HINT,
      );
    return finding.ok(`ngrok agent ${version}`);
  }
  const newest = MODE_FLOOR.endpoint;
  if (compareVersions(version, newest.version) < 0) {
    return finding.warn(
      `ngrok ${version} runs edge mode only: endpoint and agent modes need ${newest.needs}, from agent ${newest.version}.`,
      UPDATE_HINT,
    );
  }
  return finding.ok(`ngrok agent ${version}`);
}

export interface AuthtokenState {
  configured: boolean;
  configPath?: string;
  error?: string;
  /** Why the configuration file ngrok named could not be read (not a regular file, too large). */
  unreadable?: string;
}

/** ngrok.yml holds a few settings and tunnel definitions: a few KB. A megabyte is not one. */
const NGROK_CONFIG_MAX_BYTES = 1024 * 1024;

/** ngrok's configuration file, v2 (top level) or v3 (under `agent:`) layout. */
type AgentConfigFile = {
  authtoken?: unknown;
  api_key?: unknown;
  agent?: { authtoken?: unknown; api_key?: unknown };
} | null;

/** `ngrok config check` validates the configuration file and names it. */
async function configCheck(bin: string, env: NodeJS.ProcessEnv, signal?: AbortSignal) {
  const run = await runForOutput(bin, ['config', 'check'], { signal, env, needs: 'agent' });
  return { run, configPath: /configuration file at (\S+)/i.exec(run.output)?.[1] };
}

/** Read bounded (readSmallFile: a regular file of at most NGROK_CONFIG_MAX_BYTES), then parsed. */
function readAgentConfig(file: string): AgentConfigFile {
  return YAML.parse(
    readSmallFile(file, { what: "ngrok's configuration file", maxBytes: NGROK_CONFIG_MAX_BYTES }),
  ) as AgentConfigFile;
}

/**
 * The secrets in ngrok's own configuration file (the authtoken and API key, either layout): never
 * given to us, yet the agent may quote them, so they are on the list of what is masked.
 */
export async function agentConfigSecrets(bin: string, env: NodeJS.ProcessEnv, signal?: AbortSignal): Promise<string[]> {
  const { configPath } = await configCheck(bin, env, signal);
  if (!configPath) return [];
  let doc: AgentConfigFile = null;
  try {
    doc = readAgentConfig(configPath);
  } catch {
    // unreadable or not YAML: nothing to add to the list (authtokenState says why)
  }
  return [doc?.agent?.authtoken, doc?.authtoken, doc?.agent?.api_key, doc?.api_key].filter(
    (v): v is string => typeof v === 'string',
  );
}

/** `ngrok config check` validates the file and names it; the authtoken itself we read from that file. */
export async function authtokenState(
  bin: string,
  env: NodeJS.ProcessEnv,
  signal?: AbortSignal,
): Promise<AuthtokenState> {
  const { run, configPath } = await configCheck(bin, env, signal);
  // ngrok refuses a configuration without an authtoken with ERR_NGROK_4018: that is "not configured", not a broken file.
  if (run.exitCode !== 0 && /ERR_NGROK_4018|no authtoken/i.test(run.output))
    return { configured: Boolean(env.NGROK_AUTHTOKEN), configPath };
  if (run.exitCode !== 0)
    return { configured: Boolean(env.NGROK_AUTHTOKEN), configPath, error: run.output.trim().split('\n').at(-1) };
  if (env.NGROK_AUTHTOKEN) return { configured: true, configPath };
  if (!configPath) return { configured: false };
  let text: string;
  try {
    text = readSmallFile(configPath, { what: "ngrok's configuration file", maxBytes: NGROK_CONFIG_MAX_BYTES });
  } catch (error) {
    // Gone since ngrok checked it: no authtoken, as before. Anything else is worth its own sentence.
    if (error instanceof FileRefusedError && error.reason === 'missing') return { configured: false, configPath };
    return { configured: false, configPath, unreadable: (error as Error).message };
  }
  try {
    const doc = YAML.parse(text) as { authtoken?: unknown; agent?: { authtoken?: unknown } } | null;
    const token = doc?.agent?.authtoken ?? doc?.authtoken;
    return { configured: typeof token === 'string' && token.length > 0, configPath };
  } catch {
    return { configured: false, configPath };
  }
}

export function authtokenFinding(state: AuthtokenState): Finding {
  if (state.unreadable)
    return finding.error(
      state.unreadable,
      'Point ngrok at a regular ngrok.yml (ngrok config check names the one it uses), or set NGROK_AUTHTOKEN.',
    );
  if (state.error && !state.configured)
    return finding.error(
      `\`ngrok config check\` failed: ${state.error}`,
      'Fix the ngrok configuration file it names, then check again.',
    );
  if (!state.configured)
    return finding.error(
      'No ngrok authtoken is configured.',
      'Copy it from the ngrok dashboard (Your Authtoken) and run `ngrok config add-authtoken <TOKEN>`.',
    );
  return finding.ok(`ngrok authtoken configured${state.configPath ? ` (${state.configPath})` : ''}`);
}

export interface ConfigCheck {
  /** False when there is no agent to ask. */
  found: boolean;
  accepted: boolean;
  /** What the agent said, its error lines first. */
  output: string;
}

/** `ngrok config check --config FILE`: does this agent accept the file? */
export async function checkConfigFile(
  bin: string,
  file: string,
  env: NodeJS.ProcessEnv,
  signal?: AbortSignal,
): Promise<ConfigCheck> {
  const run = await runForOutput(bin, ['config', 'check', '--config', file], { signal, env, needs: 'agent' });
  if (run.notFound) return { found: false, accepted: false, output: '' };
  return { found: true, accepted: run.exitCode === 0, output: run.output.trim() };
}

export async function pythonFinding(signal?: AbortSignal): Promise<Finding> {
  const run = await runForOutput('python3', ['--version'], { signal, needs: 'python' });
  if (run.notFound)
    return finding.error(
      'python3 was not found; the guide serves the site with it.',
      'Install Python 3 (e.g. `apt-get install python3`), or serve the folder with any web server.',
    );
  const match = /Python (\d+\.\d+\.\d+)/.exec(run.output);
  return match
    ? finding.ok(`python ${match[1]}`)
    : finding.warn(`python3 answered oddly: ${run.output.trim().slice(0, 100)}`);
}
