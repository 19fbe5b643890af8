// Before You Start's questions to the agent's CLI, asked of real executables: the sandbox's agent
// stand-in, and two small scripts standing in for agents this machine does not have (an old v2 one,
// and one that prints nonsense).
import { chmodSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  agentVersion,
  authtokenFinding,
  authtokenState,
  parseAgentVersion,
  versionFinding,
} from '../../../src/core/agent';
import { runForOutput } from '../../../src/core/process';
import { startNgrok, type NgrokSandbox } from '../../../src/sandbox/ngrok/index';
import { ROOT, tempDir } from '../../helpers/cli';
import { hangingScript, killRunning, pidsRunning } from '../../helpers/process';

let ngrok: NgrokSandbox;
beforeAll(async () => {
  ngrok = await startNgrok({});
});
afterAll(() => ngrok?.close());

function script(body: string): string {
  const file = path.join(tempDir(), 'ngrok');
  writeFileSync(file, `#!/bin/sh\n${body}\n`);
  chmodSync(file, 0o755);
  return file;
}

describe('ngrok version', () => {
  it("parses the guide's output and newer ones", () => {
    expect(parseAgentVersion('ngrok version 3.1.0')).toEqual({ version: '3.1.0', major: 3 });
    expect(parseAgentVersion('ngrok version 2.3.40\n')).toEqual({ version: '2.3.40', major: 2 });
    expect(parseAgentVersion('command not found')).toBeUndefined();
  });

  it('the agent stand-in is v3: ok', async () => {
    const result = await agentVersion(ngrok.agentPath);
    expect(versionFinding(result, ngrok.agentPath)).toMatchObject({
      level: 'ok',
      title: expect.stringMatching(/^ngrok agent 3\./),
    });
  });

  it('missing: how to install, naming NGROK_BIN', async () => {
    const bin = path.join(tempDir(), 'no-such-ngrok');
    const result = await agentVersion(bin);
    expect(result.found).toBe(false);
    expect(versionFinding(result, bin)).toMatchObject({
      level: 'error',
      fix: expect.stringMatching(/ngrok\.com\/download.*NGROK_BIN/),
    });
  });

  it('v2: an error that says to update', async () => {
    const bin = script('echo "ngrok version 2.3.40"');
    expect(versionFinding(await agentVersion(bin), bin)).toMatchObject({
      level: 'error',
      title: expect.stringMatching(/2\.3\.40 is too old/),
      fix: expect.stringMatching(/ngrok update/),
    });
  });

  it("each mode has its floor from ngrok's changelog: the guide's 3.1.0 runs edge mode only, and says `ngrok update`", async () => {
    const at = (version: string) => ({ ...process.env, NGROK_SANDBOX_AGENT_VERSION: version });
    const guide = await agentVersion(script(`NGROK_SANDBOX_AGENT_VERSION=3.1.0 exec "${ngrok.agentPath}" "$@"`));
    expect(guide).toMatchObject({ found: true, version: '3.1.0', major: 3 });
    expect(versionFinding(guide, 'ngrok', 'edge')).toEqual({ level: 'ok', title: 'ngrok agent 3.1.0' });
    for (const mode of ['endpoint', 'agent'] as const) {
      expect(versionFinding(guide, 'ngrok', mode)).toMatchObject({
        level: 'error',
        title: expect.stringMatching(
          new RegExp(`^ngrok 3\\.1\\.0 is too old for ${mode} mode: .*--url.* need agent 3\\.16\\.0 or later\\.$`),
        ),
        fix: expect.stringContaining('ngrok update'),
      });
    }
    // No mode chosen yet: a warning, not an error (edge mode would run).
    expect(versionFinding(guide, 'ngrok')).toMatchObject({
      level: 'warn',
      title: expect.stringContaining('runs edge mode only'),
      fix: expect.stringContaining('ngrok update'),
    });
    // The floors are inclusive, and compared as numbers (3.9 < 3.16).
    expect(versionFinding({ found: true, version: '3.16.0', major: 3 }, 'ngrok', 'endpoint').level).toBe('ok');
    expect(versionFinding({ found: true, version: '3.9.0', major: 3 }, 'ngrok', 'agent').level).toBe('error');
    expect(versionFinding({ found: true, version: '3.15.9', major: 3 }, 'ngrok').level).toBe('warn');
    // The old agent itself refuses what it does not know: --url is an unknown flag to it.
    const refused = await runForOutput(ngrok.agentPath, ['http', '8000', '--url', 'https://x.internal'], {
      env: at('3.1.0'),
      needs: 'agent',
    });
    expect(refused.exitCode).toBe(1);
    expect(refused.output).toContain('unknown flag: --url');
  });

  it('something else answering: an error quoting what it said', async () => {
    const bin = script('echo "hello"');
    expect(versionFinding(await agentVersion(bin), bin)).toMatchObject({
      level: 'error',
      title: expect.stringMatching(/did not print an ngrok version: hello/),
    });
  });
});

describe('an NGROK_BIN that never finishes (a wrapper whose child keeps stdout open)', () => {
  let sleepArgv: string[] = [];
  afterEach(() => {
    killRunning(sleepArgv);
  });

  it(
    'ngrok version ends at its timeout with a sentence, and leaves no process behind',
    { timeout: 15_000 },
    async () => {
      const script = hangingScript(tempDir());
      sleepArgv = script.sleepArgv;
      const started = Date.now();
      const result = await agentVersion(script.file, undefined, 500);
      expect(Date.now() - started).toBeLessThan(5000);
      expect(versionFinding(result, script.file)).toMatchObject({
        level: 'error',
        title: `${script.file} version did not finish within 0.5 s.`,
        fix: expect.stringContaining('NGROK_BIN'),
      });
      const deadline = Date.now() + 2000;
      while (pidsRunning(sleepArgv).length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
      expect(pidsRunning(sleepArgv)).toEqual([]);
    },
  );
});

describe('authtoken', () => {
  it("configured in the stand-in's ngrok.yml", async () => {
    const state = await authtokenState(ngrok.agentPath, process.env);
    expect(state).toMatchObject({ configured: true, configPath: ngrok.agentConfigPath });
    expect(authtokenFinding(state).level).toBe('ok');
  });

  it('none configured (ERR_NGROK_4018): the fix is ngrok config add-authtoken', async () => {
    const config = path.join(tempDir(), 'ngrok.yml');
    writeFileSync(config, 'version: "3"\nagent: {}\n');
    const bin = script(
      `NGROK_SANDBOX_CONFIG=${config} exec "${process.execPath}" "${path.join(ROOT, 'dist/sandbox-agent.js')}" "$@"`,
    );
    const state = await authtokenState(bin, { ...process.env, NGROK_AUTHTOKEN: '' });
    expect(state.configured).toBe(false);
    expect(authtokenFinding(state)).toMatchObject({
      level: 'error',
      fix: expect.stringContaining('ngrok config add-authtoken'),
    });
  });
});
