// Secrets — the FusionAuth and ngrok API keys, the ngrok authtoken and the client secret — never
// appear on any frame of the screen, in any plain output, in any log file, or in the command line of
// any process the tool starts (read from /proc while the site server and the agent run); the store
// and the traffic-policy file are 0600. The whole wizard is walked in a terminal, keys and all.
import { execa } from 'execa';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONFIG_FILE_NAME } from '../../src/core/store';
import { startSandbox } from '../../src/sandbox/index';
import { BIN } from '../helpers/cli';
import { scaled } from '../helpers/deadline';
import { cliEnv, killStrays, newWorld, openStore, runSandboxSetup, type World } from './kill-harness';
import { descendants, environOf, isAgent, isSiteServer, type ProcessInfo } from './process-tree';
import { runInPty } from './pty';
import { startPlainTunnel } from './tunnel-run';

type Secrets = Record<'FusionAuth API key' | 'ngrok API key' | 'ngrok authtoken' | 'client secret', string>;

/** The secrets of a world: the sandbox's keys (its own, from its data dir) and the application's secret. */
async function secretsOf(world: World): Promise<Secrets> {
  const sandbox = await startSandbox({ dataDir: world.sandboxDir });
  await sandbox.close();
  const clientSecret = openStore(world).values.clientSecret;
  if (!clientSecret) throw new Error('no client secret stored');
  return {
    'FusionAuth API key': sandbox.fusionauth.apiKey,
    'ngrok API key': sandbox.ngrok.apiKey,
    'ngrok authtoken': sandbox.ngrok.authtoken,
    'client secret': clientSecret,
  };
}

/** The names of the secrets found in a text (also across a line break: none holds whitespace). */
function leaked(secrets: Secrets, text: string): string[] {
  const joined = text.replace(/\s+/g, '');
  return Object.entries(secrets)
    .filter(([, value]) => text.includes(value) || joined.includes(value))
    .map(([name]) => name);
}

const cli = (world: World, args: string[]) =>
  execa(process.execPath, [BIN, '--config-dir', world.configDir, ...args], {
    reject: false,
    stdin: 'ignore',
    all: true,
    env: cliEnv(),
    timeout: scaled(30_000),
  });

/** What runs below a command: command lines (and the agent's environment) while the tunnel is up. */
function snapshot(pid: number): { processes: ProcessInfo[]; agentEnv: string[] } {
  const processes = descendants(pid);
  expect(
    processes.filter(isSiteServer).length + processes.filter(isAgent).length,
    JSON.stringify(processes),
  ).toBeGreaterThanOrEqual(1);
  const agent = processes.find(isAgent);
  return { processes, agentEnv: agent ? environOf(agent.pid) : [] };
}

function expectNoSecretBelow(secrets: Secrets, seen: { processes: ProcessInfo[]; agentEnv: string[] }): void {
  for (const p of seen.processes)
    expect(leaked(secrets, p.argv.join(' ')), `command line of ${p.argv.join(' ')}`).toEqual([]);
  // The agent needs neither API key, so it does not get them (FUSIONAUTH_API_KEY, NGROK_API_KEY).
  expect(seen.agentEnv.length).toBeGreaterThan(0);
  expect(
    leaked(secrets, seen.agentEnv.join('\n')).filter((name) => name.endsWith('API key')),
    "the agent's environment",
  ).toEqual([]);
}

describe('secrets in endpoint mode: the wizard in a terminal, then every command', () => {
  let world: World;
  let screen = '';
  let whileTesting: { processes: ProcessInfo[]; agentEnv: string[] };
  let secrets: Secrets;

  beforeAll(async () => {
    world = await newWorld('endpoint');
    // In colour, as in a person's terminal (the screen is read with escape sequences removed).
    const run = runInPty(
      [
        process.execPath,
        BIN,
        '--config-dir',
        world.configDir,
        '--sandbox',
        '--site-dir',
        world.siteDir,
        '--port',
        String(world.port),
      ],
      cliEnv({ NO_COLOR: '' }),
    );
    const enter = '\r';
    const steps: Array<[string | RegExp, string]> = [
      // Before You Start
      ['enter continue', enter],
      // Set Up The Application
      ['Folder:', enter],
      ['Port:', enter],
      ['When the wizard exits', enter],
      ['returns the page', enter],
      // Set Up FusionAuth (the key comes from the sandbox's environment)
      ['Application name:', enter],
      ['Set the issuer of tenant', 'y'],
      ['FusionAuth accepts the Client secret', enter],
      // Set Up ngrok Cloud Edge
      ['ngrok mode:', enter],
      ['Domain:', enter],
      ['Internal URL:', enter],
      ['Which domain should the site be on?', '1'],
      [/Agent command: ngrok http \d+/, enter],
      // Finishing Up With FusionAuth
      ['Enter adds it', enter],
      ['as a redirect URI', enter],
    ];
    try {
      for (const [text, key] of steps) {
        await run.waitFor(text);
        run.press(key);
      }
      // Test It Out: the site server and the agent run now, below the wizard.
      await run.waitFor('The site is protected');
      whileTesting = snapshot(run.cliPid()!);
      run.press(enter);
      for (const [text, key] of [
        ['ngrok settings:', enter],
        ['Who may log in:', enter],
        ['Login webhook URL:', enter],
        ['lets every user of the tenant log in', enter],
        ['Your site is set up', enter],
      ] as const) {
        await run.waitFor(text);
        run.press(key);
      }
      const result = await run.child;
      screen = run.screen();
      expect(result.exitCode, screen.slice(-3000)).toBe(0);
    } finally {
      run.child.kill('SIGKILL');
    }
    secrets = await secretsOf(world);
  }, scaled(90_000));
  afterAll(() => {
    if (world) killStrays(world.root);
  });

  it('no frame of the wizard shows one (the secret is shown masked)', () => {
    expect(screen).toContain(`Client secret: ••••••••${secrets['client secret'].slice(-4)}`);
    expect(screen).toContain('The site is protected');
    expect(leaked(secrets, screen)).toEqual([]);
  });

  it('no command line of the site server or the agent holds one, and the agent gets no API key', () => {
    expect(whileTesting.processes.filter(isAgent)).toHaveLength(1);
    expectNoSecretBelow(secrets, whileTesting);
  });

  it('no plain output of any command shows one', async () => {
    const outputs: Record<string, string> = {};
    for (const args of [
      ['setup', '--sandbox', '--no-input'],
      ['status'],
      ['status', '--json'],
      ['verify', '--sandbox'],
      ['verify', '--sandbox', '--json'],
      ['export', '--format', 'ngrok-yml'],
      ['export', '--format', 'policy'],
      ['export', '--format', 'systemd'],
    ]) {
      const result = await cli(world, args);
      expect(result.exitCode, `${args.join(' ')}:\n${result.all}`).toBe(0);
      outputs[args.join(' ')] = String(result.all);
    }
    const tunnel = startPlainTunnel(world.configDir);
    try {
      await tunnel.online();
      expectNoSecretBelow(secrets, snapshot(tunnel.child.pid!));
      tunnel.child.kill('SIGTERM');
      await tunnel.child;
      outputs['tunnel --no-tui --sandbox'] = tunnel.output();
    } finally {
      tunnel.child.kill('SIGKILL');
    }
    expect(outputs['status']).toContain(`••••••••${secrets['client secret'].slice(-4)}`);
    for (const [command, output] of Object.entries(outputs)) expect(leaked(secrets, output), command).toEqual([]);
  });

  it('no log or other file in the config folder holds one; the store holds only the client secret, 0600 in a 0700 folder', () => {
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        // The sandbox's own state (its keys included), not the tool's.
        if (entry.isDirectory() && full !== world.sandboxDir) walk(full);
        else if (entry.isFile()) files.push(full);
      }
    };
    walk(world.configDir);
    const store = path.join(world.configDir, CONFIG_FILE_NAME);
    expect(files).toContain(store);
    expect(files).toContain(path.join(world.configDir, 'agent.log'));
    for (const file of files.filter((f) => f !== store))
      expect(leaked(secrets, readFileSync(file, 'utf8')), file).toEqual([]);
    // Keys from the environment are read again each run, never copied into the store.
    expect(leaked(secrets, readFileSync(store, 'utf8'))).toEqual(['client secret']);
    expect(statSync(store).mode & 0o777).toBe(0o600);
    expect(statSync(world.configDir).mode & 0o777).toBe(0o700);
  });
});

describe('secrets in agent mode: the traffic-policy file holds the client secret, the command line does not', () => {
  it(
    'policy file 0600; setup and tunnel show no secret; the agent gets the file, not the secret',
    async () => {
      const world = await newWorld('agent');
      try {
        // Agent mode takes the endpoint URL from the store (the wizard asks for it): the account's domain.
        const sandbox = await startSandbox({ dataDir: world.sandboxDir });
        const domains = (await (
          await fetch(`${sandbox.ngrok.apiUrl}/reserved_domains`, {
            headers: { authorization: `Bearer ${sandbox.ngrok.apiKey}`, 'ngrok-version': '2' },
          })
        ).json()) as { reserved_domains: Array<{ domain: string }> };
        await sandbox.close();
        openStore(world).setValues({ endpointUrl: `https://${domains.reserved_domains[0]!.domain}` });

        const setup = await runSandboxSetup(world);
        expect(setup.exitCode, setup.output).toBe(0);
        const secrets = await secretsOf(world);
        const policyFile = openStore(world).values.policyFile!;
        expect(statSync(policyFile).mode & 0o777).toBe(0o600);
        // The sandbox run has an ngrok API key: the client secret is in ngrok's vault, the file names it.
        expect(leaked(secrets, readFileSync(policyFile, 'utf8'))).toEqual([]);
        expect(readFileSync(policyFile, 'utf8')).toContain('secrets.get(');
        expect(leaked(secrets, setup.output)).toEqual([]);

        const tunnel = startPlainTunnel(world.configDir);
        try {
          await tunnel.online();
          const seen = snapshot(tunnel.child.pid!);
          expect(seen.processes.find(isAgent)?.argv).toEqual(
            expect.arrayContaining(['--traffic-policy-file', policyFile]),
          );
          expectNoSecretBelow(secrets, seen);
          tunnel.child.kill('SIGTERM');
          await tunnel.child;
          expect(leaked(secrets, tunnel.output())).toEqual([]);
        } finally {
          tunnel.child.kill('SIGKILL');
        }
        expect(leaked(secrets, readFileSync(path.join(world.configDir, 'agent.log'), 'utf8'))).toEqual([]);
      } finally {
        killStrays(world.root);
      }
    },
    scaled(60_000),
  );
});
