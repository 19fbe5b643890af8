// One setup per site: two profiles set up with `setup --sandbox --no-input --profile A|B`, tunnelled
// side by side (real site servers, real agent stand-ins, each profile's own sandbox), both verified
// while both tunnels run, listed by `profiles`; `destroy --yes --profile A` leaves B untouched.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isPortFree } from '../../src/core/site';
import { Store } from '../../src/core/store';
import { startSandbox } from '../../src/sandbox/index';
import { BIN, runCli, tempDir } from '../helpers/cli';
import { slots } from '../helpers/created';
import { unusedPort } from '../helpers/ports';
import { isAlive, waitUntilGone } from '../helpers/process';
import { tunnel } from '../helpers/tunnel-cli';
import { runInPty } from '../reliability/pty';

/** A free port whose next one is free too: profile B is offered the port after A's. */
async function portWithFreeNext(): Promise<number> {
  for (;;) {
    const port = await unusedPort();
    if (await isPortFree(port + 1)) return port;
  }
}

interface ProfilesJson {
  configDir: string;
  profiles: Array<{ name: string; state: string; pid?: number; publicUrl: string | null; section?: string }>;
}

const verifyJson = async (configDir: string, profile: string) => {
  const result = await runCli(['--config-dir', configDir, 'verify', '--json', '--profile', profile], {
    timeout: 60_000,
  });
  return { ...result, report: JSON.parse(result.stdout || '{}') as { ok?: boolean; notes?: Array<{ title: string }> } };
};

describe('profiles', () => {
  it('with no setup: "no setups yet", exit 0; a bad --profile is a usage error, exit 2, nothing made', async () => {
    const configDir = path.join(tempDir(), 'config');
    const none = await runCli(['--config-dir', configDir, 'profiles']);
    expect(none.exitCode).toBe(0);
    expect(none.stdout).toContain(`No setups yet in ${configDir}`);
    const json = await runCli(['--config-dir', configDir, 'profiles', '--json']);
    expect(JSON.parse(json.stdout)).toEqual({ configDir, profiles: [] });

    for (const args of [
      ['--profile', '../elsewhere', 'setup', '--no-input'],
      ['status', '--profile', 'a/b'],
      ['--profile=..', 'status', '--json'],
      ['tunnel', '--no-tui', '--profile', '.hidden'],
    ]) {
      const result = await runCli(['--config-dir', configDir, ...args]);
      expect(result.exitCode, `${args.join(' ')}: ${result.stderr}`).toBe(2);
      expect(result.stderr).toMatch(/--profile.*The profile name "[^"]+" is not usable: use 1 to 40 letters/);
    }
    const fromEnv = await runCli(['--config-dir', configDir, 'status'], { env: { NGROK_FUSIONAUTH_PROFILE: 'x/y' } });
    expect(fromEnv.exitCode).toBe(2);
    expect(fromEnv.stderr).toContain('NGROK_FUSIONAUTH_PROFILE: The profile name "x/y" is not usable');
    expect(existsSync(configDir)).toBe(false);
  });

  it('two profiles: set up, tunnelled side by side, both verify, both listed; destroying A leaves B working', async () => {
    const root = tempDir('nf-profiles-');
    const configDir = path.join(root, 'config');
    const portA = await portWithFreeNext();
    const setup = (profile: string, ...more: string[]) =>
      runCli(
        [
          '--config-dir',
          configDir,
          'setup',
          '--sandbox',
          '--no-input',
          '--profile',
          profile,
          '--site-dir',
          path.join(root, `site-${profile}`),
          ...more,
        ],
        { timeout: 90_000 },
      );
    const a = await setup('A', '--port', String(portA));
    expect(a.exitCode, a.stdout + a.stderr).toBe(0);
    // B names no port: it is offered the one after A's, and records it.
    const b = await setup('B');
    expect(b.exitCode, b.stdout + b.stderr).toBe(0);

    const storeOf = (profile: string) => Store.open(path.join(configDir, 'profiles', profile));
    const [valuesA, valuesB] = [storeOf('A').values, storeOf('B').values];
    expect(valuesA.sitePort).toBe(portA);
    expect(valuesB.sitePort).toBe(portA + 1);
    expect(valuesA.endpointUrl).toBeTruthy();
    expect(valuesB.endpointUrl).toBeTruthy();
    expect(valuesA.endpointUrl).not.toBe(valuesB.endpointUrl);
    // The default profile is the config folder itself, and neither setup touched it.
    expect(existsSync(path.join(configDir, 'config.json'))).toBe(false);
    const createdB = storeOf('B').created;

    const tunnelA = tunnel(configDir, { NGROK_FUSIONAUTH_PROFILE: 'A' });
    const tunnelB = tunnel(configDir, { NGROK_FUSIONAUTH_PROFILE: 'B' });
    try {
      await tunnelA.waitForText(new RegExp(`== online: ${valuesA.endpointUrl}`), 40_000);
      await tunnelB.waitForText(new RegExp(`== online: ${valuesB.endpointUrl}`), 40_000);
      // Each its own site server on its own port, and its own agent with its own local API.
      const sitePid = (run: typeof tunnelA, port: number) =>
        run.waitForText(new RegExp(`Started python3 -m http\\.server ${port} for .* \\(pid (\\d+)\\)`));
      const [siteA, siteB] = [await sitePid(tunnelA, portA), await sitePid(tunnelB, portA + 1)];
      expect(siteA[1]).not.toBe(siteB[1]);
      const webAddr = (run: typeof tunnelA) => run.waitForText(/starting web service obj=web addr=(\S+)/);
      const [webA, webB] = [await webAddr(tunnelA), await webAddr(tunnelB)];
      expect(webA[1]).not.toBe(webB[1]);
      const agentPid = async (run: typeof tunnelA) =>
        Number((await run.waitForText(/Started \S+ http .* \(pid (\d+)\)/))[1]);
      const [agentA, agentB] = [await agentPid(tunnelA), await agentPid(tunnelB)];
      expect(agentA).not.toBe(agentB);

      // Both verify while both tunnels run: each checks the tunnel of its own profile (none is started for it).
      for (const profile of ['A', 'B']) {
        const verified = await verifyJson(configDir, profile);
        expect(verified.exitCode, verified.stdout + verified.stderr).toBe(0);
        expect(verified.report.ok).toBe(true);
        expect(verified.report.notes?.map((n) => n.title).join(' ')).not.toMatch(/started for the check/);
      }

      const listed = await runCli(['--config-dir', configDir, 'profiles', '--json']);
      expect(listed.exitCode).toBe(0);
      const list = JSON.parse(listed.stdout) as ProfilesJson;
      expect(list.profiles.map(({ name, state, publicUrl }) => ({ name, state, publicUrl }))).toEqual([
        { name: 'A', state: 'tunnel-running', publicUrl: valuesA.endpointUrl },
        { name: 'B', state: 'tunnel-running', publicUrl: valuesB.endpointUrl },
      ]);
      expect(list.profiles.map((p) => p.pid)).toEqual([tunnelA.child.pid, tunnelB.child.pid]);
      const text = await runCli(['--config-dir', configDir, 'profiles']);
      expect(text.stdout).toMatch(
        new RegExp(`\\n  A +tunnel running \\(pid ${tunnelA.child.pid}\\) +${valuesA.endpointUrl}\\n`),
      );
      expect(text.stdout).toMatch(
        new RegExp(`\\n  B +tunnel running \\(pid ${tunnelB.child.pid}\\) +${valuesB.endpointUrl}\\n`),
      );

      // Destroying A stops A's tunnel and removes A's objects; B's tunnel, agent and site keep running.
      const destroyed = await runCli(['--config-dir', configDir, 'destroy', '--yes', '--profile', 'A'], {
        timeout: 60_000,
      });
      expect(destroyed.exitCode, destroyed.stdout + destroyed.stderr).toBe(0);
      expect(destroyed.stdout).toContain(`Forgot the local settings in ${path.join(configDir, 'profiles', 'A')}`);
      expect((await tunnelA.child).exitCode).toBe(130);
      expect(await waitUntilGone(agentA, 5000)).toBe(true);
      expect(isAlive(agentB)).toBe(true);
      expect(isAlive(Number(siteB[1]))).toBe(true);
      expect(storeOf('B').values).toEqual(valuesB);
      expect(storeOf('B').created).toEqual(createdB);

      const stillB = await verifyJson(configDir, 'B');
      expect(stillB.exitCode, stillB.stdout + stillB.stderr).toBe(0);
      expect(stillB.report.ok).toBe(true);
      const after = JSON.parse(
        (await runCli(['--config-dir', configDir, 'profiles', '--json'])).stdout,
      ) as ProfilesJson;
      expect(after.profiles.map((p) => `${p.name}:${p.state}`)).toEqual(['B:tunnel-running']);
    } finally {
      tunnelA.child.kill('SIGTERM');
      tunnelB.child.kill('SIGTERM');
      await Promise.all([tunnelA.child, tunnelB.child]);
    }
    // Once B's tunnel has stopped, B is a finished setup.
    const finished = JSON.parse(
      (await runCli(['--config-dir', configDir, 'profiles', '--json'])).stdout,
    ) as ProfilesJson;
    expect(finished.profiles.map((p) => `${p.name}:${p.state}`)).toEqual(['B:done']);
  });

  it('on one account (one running sandbox): each profile its own domain and application; a taken URL is refused; destroying A leaves B', async () => {
    const sandbox = await startSandbox();
    const root = tempDir('nf-profiles-shared-');
    const configDir = path.join(root, 'config');
    const setup = async (profile: string, ...more: string[]) =>
      runCli(
        [
          '--config-dir',
          configDir,
          'setup',
          '--no-input',
          '--profile',
          profile,
          '--site-dir',
          path.join(root, `site-${profile}`),
          '--port',
          String(await unusedPort()),
          ...more,
        ],
        { env: sandbox.env, timeout: 90_000 },
      );
    const status = (base: string, key: string, url: string) =>
      fetch(`${base}${url}`, {
        headers: key.startsWith('Bearer') ? { authorization: key, 'ngrok-version': '2' } : { authorization: key },
      }).then((r) => r.status);
    const fusionauth = (url: string) => status(sandbox.fusionauth.url, sandbox.fusionauth.apiKey, url);
    const ngrok = (url: string) => status(sandbox.ngrok.apiUrl, `Bearer ${sandbox.ngrok.apiKey}`, url);
    try {
      for (const profile of ['A', 'B']) {
        const result = await setup(profile);
        expect(result.exitCode, result.stdout + result.stderr).toBe(0);
      }
      const storeOf = (profile: string) => Store.open(path.join(configDir, 'profiles', profile));
      const [a, b] = [storeOf('A'), storeOf('B')];
      // The account's one domain went to A; B reserved its own rather than take A's.
      expect(a.values.domain).toBeTruthy();
      expect(b.values.domain).toBeTruthy();
      expect(b.values.domain).not.toBe(a.values.domain);
      expect(slots(b.created).endpointId).not.toBe(slots(a.created).endpointId);
      expect([a.values.applicationName, b.values.applicationName]).toEqual(['ngrok (A)', 'ngrok (B)']);
      expect(slots(b.created).fusionauthApplicationId).not.toBe(slots(a.created).fusionauthApplicationId);

      // A third site asking for A's URL is told whose it is, and how to go on.
      const taken = await setup('C', '--url', a.values.endpointUrl!);
      expect(taken.exitCode).toBe(1);
      expect(taken.stdout).toContain(
        `${a.values.domain} is the public URL of the setup in profile A: two sites cannot share one.`,
      );
      expect(await ngrok(`/endpoints/${slots(a.created).endpointId}`)).toBe(200);

      const destroyed = await runCli(['--config-dir', configDir, 'destroy', '--yes', '--profile', 'A'], {
        env: sandbox.env,
        timeout: 60_000,
      });
      expect(destroyed.exitCode, destroyed.stdout + destroyed.stderr).toBe(0);
      expect(await ngrok(`/endpoints/${slots(a.created).endpointId}`)).toBe(404);
      expect(await fusionauth(`/api/application/${slots(a.created).fusionauthApplicationId}`)).toBe(404);
      expect(await ngrok(`/endpoints/${slots(b.created).endpointId}`)).toBe(200);
      expect(await fusionauth(`/api/application/${slots(b.created).fusionauthApplicationId}`)).toBe(200);
      const stillB = await runCli(['--config-dir', configDir, 'verify', '--json', '--profile', 'B'], {
        env: sandbox.env,
        timeout: 60_000,
      });
      expect(stillB.exitCode, stillB.stdout + stillB.stderr).toBe(0);
    } finally {
      await sandbox.close();
    }
  });

  it('the wizard without --profile asks which site when several are kept, and works on the one picked', async () => {
    const configDir = path.join(tempDir(), 'config');
    const keep = (profile: string, url: string) => {
      const store = Store.open(path.join(configDir, 'profiles', profile));
      store.setValues({ endpointUrl: url });
      store.setStep('prereqs', 'done');
    };
    keep('blog', 'https://blog.ngrok.app');
    keep('shop', 'https://shop.ngrok.app');
    const run = runInPty([process.execPath, BIN, '--config-dir', configDir], { NO_COLOR: '1' });
    try {
      const first = await run.waitFor('Which site?');
      expect(first).toContain('blog — in progress at Set Up The Application, https://blog.ngrok.app');
      expect(first).toContain('shop — in progress at Set Up The Application, https://shop.ngrok.app');
      run.press('\u001b[B');
      await new Promise((r) => setTimeout(r, 100));
      run.press('\r');
      // The wizard opens shop's store: its "welcome back" names the file.
      await run.waitFor(/Welcome back[\s\S]*A setup is in progress in[\s\S]*shop/);
      run.press('\u0003');
      const result = await run.child;
      expect(result.exitCode).toBe(130);
      // The terminal wraps the long line: compared without whitespace.
      expect(run.screen().replace(/\s+/g, '')).toContain(
        `Progresssavedin${path.join(configDir, 'profiles', 'shop', 'config.json')}`,
      );
    } finally {
      run.child.kill('SIGKILL');
    }
  });
});
