// Every child gets an environment built from an allow-list, never ours: read back from
// /proc/<pid>/environ of the real python http.server and the sandbox's agent stand-in, started by the
// built CLI (`tunnel --no-tui`) in an environment that holds both API keys and another tool's token.
import { execa } from 'execa';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runForOutput } from '../../../src/core/process';
import { writeSiteFile } from '../../../src/core/site';
import { CONFIG_FILE_NAME } from '../../../src/core/store';
import { startSandbox, type Sandbox } from '../../../src/sandbox/index';
import { BIN, tempDir } from '../../helpers/cli';
import { descendants, environOf, isAgent, isSiteServer } from '../../reliability/process-tree';
import { unusedPort } from '../../helpers/ports';

const SECRETS = {
  FUSIONAUTH_API_KEY: 'fa-key-child-env-0123456789',
  NGROK_API_KEY: 'ngrok-key-child-env-0123456789',
  OTHER_TOOL_TOKEN: 'other-tool-token-0123456789',
};

/** The names (NAME=value → NAME) of an environment. */
const names = (environ: string[]) => environ.map((entry) => entry.slice(0, entry.indexOf('=')));

function expectNoneOfOurs(environ: string[], who: string): void {
  expect(environ.length, who).toBeGreaterThan(0);
  expect(names(environ), who).toContain('PATH');
  for (const [name, value] of Object.entries(SECRETS)) {
    expect(names(environ), `${who} gets ${name}`).not.toContain(name);
    expect(environ.join('\n'), `${who} gets the value of ${name}`).not.toContain(value);
  }
}

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(() => sandbox?.close());

describe('the environment of every child', () => {
  it("python http.server and the agent get neither API key nor another tool's token; the agent gets its authtoken", async () => {
    const root = tempDir('nf-child-env-');
    const configDir = path.join(root, 'config');
    const siteDir = path.join(root, 'site');
    await writeSiteFile(siteDir);
    const port = await unusedPort();
    mkdirSync(configDir, { recursive: true, mode: 0o700 });
    const values = {
      ngrokMode: 'endpoint',
      endpointUrl: 'https://child-env.ngrok.app',
      internalUrl: 'https://child-env.internal',
      siteDir,
      sitePort: port,
    };
    writeFileSync(path.join(configDir, CONFIG_FILE_NAME), JSON.stringify({ values }), { mode: 0o600 });

    const env = {
      CI: 'true',
      NO_COLOR: '1',
      NGROK_BIN: sandbox.agentPath,
      NGROK_AUTHTOKEN: sandbox.ngrok.authtoken,
      ...SECRETS,
    };
    const child = execa(process.execPath, [BIN, '--config-dir', configDir, 'tunnel', '--no-tui'], {
      reject: false,
      stdin: 'ignore',
      all: true,
      env,
    });
    let output = '';
    child.all.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    try {
      for (let i = 0; i < 400 && !output.includes('== online'); i++) await new Promise((r) => setTimeout(r, 50));
      expect(output).toContain('== online');
      // The CLI itself was given the keys: what its children lack, they did not inherit.
      expect(names(environOf(child.pid!))).toEqual(expect.arrayContaining(Object.keys(SECRETS)));
      const below = descendants(child.pid!);
      const site = below.find(isSiteServer);
      const agent = below.find(isAgent);
      expect(site, JSON.stringify(below)).toBeDefined();
      expect(agent, JSON.stringify(below)).toBeDefined();
      expectNoneOfOurs(environOf(site!.pid), 'python http.server');
      const agentEnv = environOf(agent!.pid);
      expectNoneOfOurs(agentEnv, 'the agent');
      expect(agentEnv).toContain(`NGROK_AUTHTOKEN=${sandbox.ngrok.authtoken}`);
    } finally {
      child.kill('SIGTERM');
      await child;
    }
  });

  it('a command run for its output (ngrok version, ngrok config check) gets the same allow-list', async () => {
    const run = await runForOutput('env', [], {
      needs: 'agent',
      env: { PATH: process.env.PATH, LC_ALL: 'C', NGROK_CONFIG: '/tmp/ngrok.yml', ...SECRETS },
    });
    const environ = run.stdout.split('\n').filter(Boolean);
    expectNoneOfOurs(environ, '`env`');
    expect(environ).toEqual(expect.arrayContaining(['LC_ALL=C', 'NGROK_CONFIG=/tmp/ngrok.yml']));
    // Nothing of the test's own environment comes along either: only what was given and allowed.
    expect(names(environ).sort()).toEqual(['LC_ALL', 'NGROK_CONFIG', 'PATH']);
  });
});
