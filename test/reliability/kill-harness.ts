// The machinery of the kill-and-rerun tests: a fresh world per kill point (its own config dir, site
// folder and port, and a sandbox whose state lives where `setup --sandbox` keeps it), the built CLI as
// a real process, SIGKILL at an exact point, the rerun, and an inventory of what the sandbox holds.
//
// Two ways to reach a kill point, both without sleeping:
//  - during the k-th management API call: `setup --no-input` pointed (by env) at a sandbox this test
//    runs, whose API tap (src/sandbox/api-tap.ts) holds the call. "before it lands": killed while the
//    call waits, then dropped unhandled. "after it lands": the call is carried out, its answer held,
//    the process killed, and the answer written into the closed connection.
//  - at a step boundary: `setup --sandbox --no-input` (its own sandbox, in its process) killed the
//    moment its output shows `== <next section>`.
// The rerun is always `setup --sandbox --no-input` on the same config dir: the sandbox comes back from
// `<configDir>/sandbox` with the same ports, keys and objects, and (unlike a process pointed at the
// sandbox by env) it can reach the sandbox's public URLs, so Test It Out proves the login works.
import { execa, type ResultPromise } from 'execa';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Store } from '../../src/core/store';
import type { TappedRequest } from '../../src/sandbox/api-tap';
import { FUSIONAUTH_APP_ID } from '../../src/sandbox/idp/model';
import { startSandbox } from '../../src/sandbox/index';
import { BIN, ROOT, tempDir } from '../helpers/cli';
import { scaled } from '../helpers/deadline';
import { unusedPort } from '../helpers/ports';

export type Mode = 'endpoint' | 'edge' | 'agent';

/** Every CLI process of the suite gets it: only loopback names resolve (see no-internet.mjs). */
export const NO_INTERNET = `--import=${pathToFileURL(path.join(ROOT, 'test/reliability/no-internet.mjs')).href}`;
/** Preloaded into a run that is to die at a point of its output (killAtSection). */
const KILL_AT_OUTPUT = `--import=${pathToFileURL(path.join(ROOT, 'test/reliability/kill-at-output.mjs')).href}`;
/** A CLI run's deadline on an unloaded machine (scaled by the load when the run starts). */
export const RUN_TIMEOUT_MS = 30_000;

export const SECTIONS = [
  'Before You Start',
  'Set Up The Application',
  'Set Up FusionAuth',
  'Set Up ngrok Cloud Edge',
  'Finishing Up With FusionAuth',
  'Test It Out',
  'Next Steps',
] as const;

export interface World {
  mode: Mode;
  root: string;
  configDir: string;
  sandboxDir: string;
  siteDir: string;
  port: number;
}

export async function newWorld(mode: Mode): Promise<World> {
  const root = tempDir('nf-reliability-');
  const configDir = path.join(root, 'config');
  const port = await unusedPort();
  return { mode, root, configDir, sandboxDir: path.join(configDir, 'sandbox'), siteDir: path.join(root, 'site'), port };
}

/**
 * The sandbox could not have a remembered port again when it was started after the kill (something
 * else on the machine bound it in between: ports below the ephemeral range make that rare, not
 * impossible, with six workers' worth of sandboxes drawing fresh ports at once). Its ngrok cloud's
 * port: the callback URL moved, and the rerun rightly added the new one and kept the old one it had
 * added (`--no-input` keeps a stale redirect URL of its own; the wizard asks). Its FusionAuth's port,
 * when the inventory's own start lost it: the stored FusionAuth URL is right, and the inventory's
 * sandbox answers elsewhere (seen once in `npm test`). That is the machine, not the recovery under
 * test: inWorld runs the point again in a fresh world.
 */
export class SandboxPortMoved extends Error {}

const SANDBOX_CALLBACK = /^http:\/\/127\.0\.0\.1:\d+\/oauth2\/callback$/;

export function movedCallback(listed: string[], current: string): void {
  if (listed.length > 1 && listed.includes(current) && listed.every((url) => SANDBOX_CALLBACK.test(url)))
    throw new SandboxPortMoved(`the sandbox's callback moved between the runs: ${listed.join(', ')}`);
}

/** The ports the sandbox of a data dir remembers (src/sandbox/index.ts writes ports.json at each start). */
function rememberedPorts(sandboxDir: string): { idp?: number; ngrok?: number } {
  try {
    return JSON.parse(readFileSync(path.join(sandboxDir, 'ports.json'), 'utf8')) as { idp?: number; ngrok?: number };
  } catch {
    return {};
  }
}

/**
 * Runs `test` in a fresh world and kills what it left running (a SIGKILLed run's site server and agent)
 * whatever the outcome. Each world has its own folders and port, so the kill-point tests run several at
 * a time (it.concurrent): a point waits mostly on its CLI's children, and one file of 30 points one
 * after the other was the suite's longest run. A point whose sandbox lost its port to another process
 * between the runs (converged.ts, SandboxPortMoved) runs again in a fresh world, at most twice.
 */
export async function inWorld(mode: Mode, test: (world: World) => Promise<void>): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const world = await newWorld(mode);
    try {
      await test(world);
      return;
    } catch (error) {
      if (!(error instanceof SandboxPortMoved) || attempt === 3) throw error;
      console.warn(`${error.message}: running the point again in a fresh world`);
    } finally {
      killStrays(world.root);
    }
  }
}

export function cliEnv(extra: Record<string, string> = {}): Record<string, string> {
  return { CI: 'true', NO_COLOR: '1', NODE_OPTIONS: NO_INTERNET, ...extra };
}

function setupArgs(world: World, sandbox: boolean): string[] {
  return [
    '--config-dir',
    world.configDir,
    'setup',
    ...(sandbox ? ['--sandbox'] : []),
    '--no-input',
    '--ngrok-mode',
    world.mode,
    '--site-dir',
    world.siteDir,
    '--port',
    String(world.port),
  ];
}

export function startSetup(
  world: World,
  sandbox: boolean,
  env: Record<string, string> = {},
): ResultPromise<{ reject: false; stdin: 'ignore'; all: true }> {
  return execa(process.execPath, [BIN, ...setupArgs(world, sandbox)], {
    reject: false,
    stdin: 'ignore',
    all: true,
    env: cliEnv(env),
    timeout: scaled(RUN_TIMEOUT_MS),
  });
}

// ---------------------------------------------------------------- calls

export interface Call {
  n: number;
  service: TappedRequest['service'];
  method: string;
  /** The path with ids replaced by `{id}`: the same call in every fresh run. */
  path: string;
  /** It changes something (POST/PUT/PATCH/DELETE), so "landed, answer lost" differs from "never landed". */
  write: boolean;
}

const ID_PATTERN = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|\b[a-z]+_[0-9A-Za-z]{20,}/g;

export function callOf(request: Pick<TappedRequest, 'n' | 'service' | 'method' | 'path'>): Call {
  // POST /api/application/{id} creates (FusionAuth) and POST /api/application/search reads.
  const write = request.method !== 'GET' && !(request.method === 'POST' && request.path.endsWith('/search'));
  return {
    n: request.n,
    service: request.service,
    method: request.method,
    path: request.path.replace(ID_PATTERN, '{id}'),
    write,
  };
}

export const describeCall = (call: Call) => `call ${call.n}: ${call.service} ${call.method} ${call.path}`;

/**
 * Every management API call of a fresh `--no-input` setup up to Test It Out, in order. The process is
 * pointed at the sandbox by env, so Test It Out fails on the public URL (no-internet.mjs) and the run
 * ends there; Test It Out and Next Steps are covered by the step-boundary kills.
 */
export async function census(mode: Mode): Promise<Call[]> {
  const world = await newWorld(mode);
  const calls: Call[] = [];
  const sandbox = await startSandbox({
    dataDir: world.sandboxDir,
    tap: { arrived: (request) => void calls.push(callOf(request)) },
  });
  try {
    const result = await startSetup(world, false, sandbox.env);
    const output = String(result.all);
    if (
      !/== Finishing Up With FusionAuth\n(?:.*\n)*?.*FusionAuth accepts .* as a redirect URI\n== Test It Out/.test(
        output,
      )
    ) {
      throw new Error(`the census run did not get through Finishing Up With FusionAuth:\n${output}`);
    }
  } finally {
    await sandbox.close();
    killStrays(world.root);
  }
  return calls;
}

// ---------------------------------------------------------------- kills

export type Landing = 'before it lands' | 'after it lands, answer lost';

/** Runs a fresh setup until `call` is in flight, SIGKILLs it, and lets the call land or not. */
export async function killDuringCall(
  world: World,
  call: Call,
  landing: Landing,
): Promise<{ output: string; held: Call; status: number }> {
  let reached!: (request: TappedRequest) => void;
  const atKillPoint = new Promise<TappedRequest>((resolve) => (reached = resolve));
  const dropBefore = landing === 'before it lands';
  const sandbox = await startSandbox({
    dataDir: world.sandboxDir,
    tap: {
      async arrived(request) {
        if (request.n < call.n) return;
        // The killed process can send nothing after the kill point; anything that does arrive is dropped.
        if (request.n > call.n || dropBefore) {
          if (request.n === call.n) reached(request);
          await request.clientGone;
          throw new Error('dropped by the test: the client was killed before the call landed');
        }
      },
      async answering(request) {
        if (request.n !== call.n || dropBefore) return;
        reached(request);
        await request.clientGone;
      },
    },
  });
  const child = startSetup(world, false, sandbox.env);
  try {
    const first = await Promise.race([
      atKillPoint.then((request) => ({ request })),
      child.then((result) => ({ result })),
    ]);
    if ('result' in first)
      throw new Error(`setup ended (exit ${first.result.exitCode}) before ${describeCall(call)}:\n${first.result.all}`);
    child.kill('SIGKILL');
    const result = await child;
    const status = await first.request.handled;
    return { output: String(result.all), held: callOf(first.request), status };
  } finally {
    child.kill('SIGKILL');
    await child;
    await sandbox.close();
  }
}

/**
 * Runs a fresh `setup --sandbox --no-input` that SIGKILLs itself the moment it has printed
 * `== <section>` (kill-at-output.mjs: a kill sent when the test reads the line lands late on a busy
 * machine).
 */
export async function killAtSection(
  world: World,
  section: (typeof SECTIONS)[number],
): Promise<{ output: string; stdout: string }> {
  const marker = `== ${section}\n`;
  const result = await startSetup(world, true, {
    KILL_AT_OUTPUT: marker,
    NODE_OPTIONS: `${NO_INTERNET} ${KILL_AT_OUTPUT}`,
  });
  // execa takes the last newline off: the marker's own, the process having died right after it.
  const output = `${String(result.all)}\n`;
  if (result.signal !== 'SIGKILL' || !output.includes(marker))
    throw new Error(
      `setup was not killed at "${marker.trim()}" (exit ${result.exitCode}, ${result.signal ?? 'no signal'}):\n${output}`,
    );
  return { output, stdout: `${String(result.stdout)}\n` };
}

/** `setup --sandbox --no-input` to the end (the run after a kill): the sandbox from the config dir. */
export async function runSandboxSetup(world: World): Promise<{ exitCode: number | undefined; output: string }> {
  const result = await startSetup(world, true);
  return { exitCode: result.exitCode, output: String(result.all) };
}

/**
 * SIGKILL leaves orphans (a site server, an agent): nothing can stop them but us. They are found by
 * the world's own temp folder in their command line, and killed by pid. Returns how many there were.
 */
export function killStrays(root: string): number {
  let killed = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    let cmdline: string;
    try {
      cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
    } catch {
      continue; // gone meanwhile
    }
    if (!cmdline.split('\0').some((arg) => arg.includes(root))) continue;
    try {
      process.kill(Number(entry), 'SIGKILL');
      killed++;
    } catch {
      // gone meanwhile
    }
  }
  return killed;
}

// ---------------------------------------------------------------- what the sandbox holds

type Json = Record<string, any>;

export interface Inventory {
  /** Every application but FusionAuth's own admin application. */
  applications: Json[];
  tenants: Json[];
  reservedDomains: Json[];
  cloudEndpoints: Json[];
  edges: Json[];
  backends: Json[];
  ipPolicies: Json[];
  vaults: Json[];
  vaultSecrets: Json[];
  webhooks: Json[];
  redirectUri: string;
  fusionauthUrl: string;
}

/** Starts the world's sandbox from its data dir and lists everything through the management APIs. */
export async function inventory(world: World): Promise<Inventory> {
  const remembered = rememberedPorts(world.sandboxDir);
  const sandbox = await startSandbox({ dataDir: world.sandboxDir });
  try {
    const idpPort = Number(new URL(sandbox.fusionauth.url).port);
    if (remembered.idp && remembered.idp !== idpPort) {
      // The sandbox moves only on EADDRINUSE (index.ts), so this is the machine's doing, and the
      // caller retries in a fresh world. Not asked again here whether the port is free: other workers'
      // port probes hold ports for a moment, and a check after the fact would call that a bug. A
      // sandbox that lost its port memory for good still fails: it moves in every attempt, and the
      // third SandboxPortMoved is thrown.
      throw new SandboxPortMoved(
        `the inventory's sandbox lost FusionAuth's port ${remembered.idp}: it is on ${idpPort}`,
      );
    }
    const fa = async (pathname: string) => {
      const res = await fetch(`${sandbox.fusionauth.url}${pathname}`, {
        headers: { authorization: sandbox.fusionauth.apiKey },
      });
      if (!res.ok) throw new Error(`GET ${pathname}: ${res.status}`);
      return (await res.json()) as Json;
    };
    const ng = async (pathname: string, key: string) => {
      const res = await fetch(`${sandbox.ngrok.apiUrl}${pathname}?limit=100`, {
        headers: { authorization: `Bearer ${sandbox.ngrok.apiKey}`, 'ngrok-version': '2' },
      });
      if (!res.ok) throw new Error(`GET ${pathname}: ${res.status}`);
      const body = (await res.json()) as Json;
      if (body.next_page_uri) throw new Error(`more than 100 ${key}`);
      return body[key] as Json[];
    };
    const [
      applications,
      tenants,
      webhooks,
      reservedDomains,
      endpoints,
      edges,
      backends,
      ipPolicies,
      vaults,
      vaultSecrets,
    ] = await Promise.all([
      fa('/api/application').then((b) => (b.applications as Json[]).filter((a) => a.id !== FUSIONAUTH_APP_ID)),
      fa('/api/tenant').then((b) => b.tenants as Json[]),
      fa('/api/webhook').then((b) => (b.webhooks ?? []) as Json[]),
      ng('/reserved_domains', 'reserved_domains'),
      ng('/endpoints', 'endpoints'),
      ng('/edges/https', 'https_edges'),
      ng('/backends/tunnel_group', 'backends'),
      ng('/ip_policies', 'ip_policies'),
      ng('/vaults', 'vaults'),
      ng('/vault_secrets', 'secrets'),
    ]);
    return {
      applications,
      tenants,
      webhooks,
      reservedDomains,
      // Agent endpoints exist only while an agent is online; none is after the rerun.
      cloudEndpoints: endpoints.filter((e) => e.type === 'cloud'),
      edges,
      backends,
      ipPolicies,
      vaults,
      vaultSecrets,
      redirectUri: sandbox.redirectUri,
      fusionauthUrl: sandbox.fusionauth.url,
    };
  } finally {
    await sandbox.close();
  }
}

export function openStore(world: World): Store {
  return Store.open(world.configDir);
}
