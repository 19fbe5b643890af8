// `ngrok-fusionauth tunnel --no-tui --sandbox` as a process: the site server and the agent come up,
// plain lines show the agent's life, the site is served through the sandbox's cloud, and a signal
// stops everything (checked by pid) with the contract's exit codes.
import { describe, expect, it } from 'vitest';
import { STOP_GRACE_MS } from '../../src/core/process';
import { runCli, tempDir } from '../helpers/cli';
import { isAlive, waitUntilGone } from '../helpers/process';
import { sandboxStore, storeSandboxAgent, tunnel } from '../helpers/tunnel-cli';

describe('tunnel --no-tui', () => {
  it("starts the site and the agent, prints the agent's lines, and SIGTERM stops both: exit 130, no pid left", async () => {
    const { configDir, clientSecret } = await sandboxStore('cli-tunnel');
    const run = tunnel(configDir);
    try {
      await run.waitForText(/== online: https:\/\/cli-tunnel\.ngrok\.app/);
      const sitePid = Number((await run.waitForText(/Started python3 -m http\.server \d+ for .* \(pid (\d+)\)/))[1]);
      const agentPid = Number(
        (
          await run.waitForText(
            /Started \S+ http \d+ --url https:\/\/cli-tunnel\.ngrok\.app --traffic-policy-file \S+ --pooling-enabled --log stdout --log-format json \(pid (\d+)\)/,
          )
        )[1],
      );
      // Awaited, not looked for: the supervisor prints "== online" as it reads this line, before it
      // prints the line itself, and the two can reach us in separate chunks.
      await run.waitForText(
        /INFO started tunnel obj=tunnels name=command_line addr=http:\/\/localhost:\d+ url=https:\/\/cli-tunnel\.ngrok\.app/,
      );
      expect(isAlive(sitePid)).toBe(true);
      expect(isAlive(agentPid)).toBe(true);
      // The agent's command line carries no secret: the policy file holds the client secret.
      expect(clientSecret.length).toBeGreaterThan(20);
      expect(run.output()).not.toContain(clientSecret);

      run.child.kill('SIGTERM');
      const result = await run.child;
      expect(result.exitCode).toBe(130);
      expect(run.output()).toContain('Stopping the agent and the site server');
      expect(run.output()).toContain('== stopped');
      expect(await waitUntilGone(agentPid, 2000)).toBe(true);
      expect(await waitUntilGone(sitePid, 2000)).toBe(true);
    } finally {
      run.child.kill('SIGKILL');
    }
  });

  it('prints online → reconnecting → online when the cloud drops the session and the agent brings it back', async () => {
    const { configDir } = await sandboxStore('cli-tunnel-drop');
    const run = tunnel(configDir);
    try {
      await run.waitForText(/== online: https:\/\/cli-tunnel-drop\.ngrok\.app/);
      // The cloud of the sandbox inside `tunnel` drops every session, as an outage would.
      const agent = storeSandboxAgent(configDir);
      const dropped = await fetch(`http://${agent.serverAddr}/_sandbox/agent/drop`, {
        method: 'POST',
        headers: { authorization: `Bearer ${agent.authtoken}` },
      });
      expect(await dropped.json()).toEqual({ dropped: 1 });
      await run.waitForText(/EROR session closed, starting reconnect loop obj=csess/);
      await run.waitForText(
        /== online: https:\/\/cli-tunnel-drop\.ngrok\.app[\s\S]*== reconnecting: [^\n]+\n[\s\S]*== online: https:\/\/cli-tunnel-drop\.ngrok\.app/,
      );
      // Awaited, not looked for: the supervisor prints the second "== online" as it reads this line,
      // before it echoes it, and the two can reach us in separate chunks (failed once under load 13).
      await run.waitForText(
        /INFO client session established obj=csess[\s\S]*INFO client session established obj=csess/,
      );
      // Back by the agent's own reconnect: one agent process, one "started tunnel", no restart.
      expect(run.output().match(/INFO started tunnel /g)).toHaveLength(1);
      expect(run.output().match(/» Started \S+ http /g)).toHaveLength(1);
    } finally {
      run.child.kill('SIGTERM');
      await run.child;
    }
  });

  it('a second Ctrl-C forces an agent that ignores SIGTERM; SIGHUP stops like SIGTERM', async () => {
    const { configDir } = await sandboxStore('cli-tunnel-force');
    const stubborn = tunnel(configDir, { NGROK_SANDBOX_FAULT: 'ignore-sigterm' });
    try {
      await stubborn.waitForText(/== online/);
      const agentPid = Number((await stubborn.waitForText(/Started \S+ http .* \(pid (\d+)\)/))[1]);
      const firstAt = Date.now();
      stubborn.child.kill('SIGINT');
      await stubborn.waitForText(/ignoring stop request/);
      // The store's when-exit sends our first Ctrl-C to us a second time: that must not force.
      await new Promise((r) => setTimeout(r, 600));
      expect(isAlive(agentPid)).toBe(true);
      expect(stubborn.output()).not.toContain('== stopped');
      stubborn.child.kill('SIGINT');
      const result = await stubborn.child;
      // Forced, not waited out. Without the second Ctrl-C this agent (it ignores SIGTERM) dies by the
      // SIGKILL at the end of the first Ctrl-C's grace, which the CLI starts when it has our first
      // SIGINT, not before: the CLI could not exit before firstAt + STOP_GRACE_MS. An exit before then
      // is the force, whatever the machine's speed; a margin below it (2500 ms, once) only asked the
      // machine to be quick as well, and failed at 2852 ms under a busy loop per core.
      expect(Date.now() - firstAt).toBeLessThan(STOP_GRACE_MS);
      expect(result.exitCode).toBe(130);
      expect(await waitUntilGone(agentPid, 1000)).toBe(true);
    } finally {
      stubborn.child.kill('SIGKILL');
    }

    const hangup = tunnel(configDir);
    try {
      await hangup.waitForText(/== online/);
      const agentPid = Number((await hangup.waitForText(/Started \S+ http .* \(pid (\d+)\)/))[1]);
      hangup.child.kill('SIGHUP');
      expect((await hangup.child).exitCode).toBe(130);
      expect(await waitUntilGone(agentPid, 2000)).toBe(true);
    } finally {
      hangup.child.kill('SIGKILL');
    }
  });

  it('an agent that cannot start shows the reason and the fix, masks the token, and exits 1', async () => {
    const { configDir } = await sandboxStore('cli-tunnel-bad-token');
    const run = tunnel(configDir, { NGROK_AUTHTOKEN: 'definitely-not-a-token-9876' });
    const result = await run.child;
    expect(result.exitCode).toBe(1);
    expect(run.output()).toContain(
      '== failed: ngrok exited with code 1: The configured authtoken is not a valid ngrok authtoken (an API key in its place?). (ERR_NGROK_105)',
    );
    expect(run.output()).toContain('→ Copy your authtoken from the ngrok dashboard');
    expect(run.output()).toContain('••••••••9876');
    expect(run.output()).not.toContain('definitely-not-a-token-9876');
    const sitePid = Number(/Started python3 -m http\.server \d+ for .* \(pid (\d+)\)/.exec(run.output())![1]);
    expect(await waitUntilGone(sitePid, 2000)).toBe(true);
  });

  it('with nothing set up, names what is missing: exit 2', async () => {
    const result = await runCli(['--config-dir', tempDir(), 'tunnel', '--no-tui']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('The tunnel cannot start yet: the ngrok mode, the public URL are not set.');
  });
});
