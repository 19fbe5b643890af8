// FusionAuth on localhost, published through ngrok (issue R2 5/5, item 1), through the built CLI and
// the sandbox with a FusionAuth that ngrok's cloud cannot reach on loopback (privateFusionAuth): the
// setup reserves a second domain, makes it the tenant's issuer, and a stranger at the site's public URL
// is sent to the *published* login, logs in and sees the page; destroy removes the site's cloud
// endpoint and FusionAuth's domain. Without --publish-fusionauth the login cannot work, and the run
// says which flag makes it work.
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { Store } from '../../src/core/store';
import { startSandbox, type Sandbox } from '../../src/sandbox/index';
import { runCli, tempDir } from '../helpers/cli';
import { slots } from '../helpers/created';
import { scaled } from '../helpers/deadline';
import { tunnel } from '../helpers/tunnel-cli';
import { unusedPort } from '../helpers/ports';

const sandboxes: Sandbox[] = [];
afterEach(async () => {
  await Promise.all(sandboxes.splice(0).map((s) => s.close()));
});

async function setupArgs(dir: string): Promise<string[]> {
  return ['--config-dir', dir, 'setup', '--no-input', '--site-dir', path.join(dir, 'site')];
}

/** What the sandbox of a store holds on ngrok, read over its API after the CLI is gone. */
async function ngrokObjects(dir: string) {
  const sandbox = await startSandbox({ dataDir: path.join(dir, 'sandbox') });
  sandboxes.push(sandbox);
  const get = async (pathname: string) =>
    (await (
      await fetch(`${sandbox.ngrok.apiUrl}${pathname}`, {
        headers: { authorization: `Bearer ${sandbox.ngrok.apiKey}`, 'ngrok-version': '2' },
      })
    ).json()) as Record<string, Array<Record<string, unknown>>>;
  return {
    sandbox,
    domains: (await get('/reserved_domains')).reserved_domains!,
    endpoints: (await get('/endpoints')).endpoints!,
  };
}

it('setup --publish-fusionauth: the stranger logs in through the published FusionAuth; destroy removes both', async () => {
  const dir = tempDir();
  const args = [...(await setupArgs(dir)), '--port', String(await unusedPort())];
  const setup = await runCli([...args, '--sandbox', '--publish-fusionauth'], { timeout: 90_000 });
  expect(setup.exitCode, setup.stdout + setup.stderr).toBe(0);

  const values = Store.open(dir).values;
  const publicUrl = values.fusionauthPublicUrl!;
  expect(publicUrl).toMatch(/^https:\/\/[a-z0-9]+\.ngrok\.app$/);
  expect(values.fusionauthUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  // The issuer is the public URL, proven through it, and ngrok's OIDC settings use it.
  expect(setup.stdout).toContain(`issuer set to ${publicUrl}`);
  expect(setup.stdout).toContain(`Discovery at ${publicUrl}/.well-known/openid-configuration says issuer ${publicUrl}`);
  expect(setup.stdout).toContain(`It logs visitors in with FusionAuth (issuer ${publicUrl}`);
  // Test It Out: the stranger is sent to the published login, logs in, and gets the page.
  expect(setup.stdout).toContain(`sent to the FusionAuth login (${publicUrl}/oauth2/authorize)`);
  expect(setup.stdout).toMatch(/✔ Logging in shows the site: .* logged in and got the site's page/);

  // verify on its own starts both agents again and proves the same.
  const verify = await runCli(['--config-dir', dir, 'verify'], { timeout: 60_000 });
  expect(verify.exitCode, verify.stdout + verify.stderr).toBe(0);
  expect(verify.stdout).toContain(`FusionAuth was published at ${publicUrl} for the check`);

  // tunnel runs both agents: FusionAuth's state lines are its own, `== online:` stays the site's.
  const running = tunnel(dir);
  await running.waitForText(new RegExp(`== FusionAuth online: ${publicUrl}\n`), scaled(30_000));
  await running.waitForText(new RegExp(`== online: ${values.endpointUrl!}\n`), scaled(30_000));
  running.child.kill('SIGINT');
  await running.child;
  expect(running.output()).toMatch(/== FusionAuth stopped/);

  // export includes FusionAuth's endpoint, with the proxy header FusionAuth needs.
  const exported = await runCli(['--config-dir', dir, 'export', '--format', 'ngrok-yml']);
  expect(exported.exitCode, exported.stderr).toBe(0);
  expect(exported.stdout).toContain(`url: ${publicUrl}`);
  expect(exported.stdout).toContain(`url: ${values.fusionauthUrl}`);
  expect(exported.stdout).toContain('x-forwarded-port: "443"');

  const before = await ngrokObjects(dir);
  const fusionauthDomain = before.domains.find((d) => `https://${String(d.domain)}` === publicUrl);
  expect(fusionauthDomain).toBeDefined();
  // Recorded as this setup's, a reserved domain with FusionAuth's role (the site's has none).
  expect(slots(Store.open(dir).created).fusionauthDomainId).toBe(fusionauthDomain!.id);
  expect(before.endpoints.some((e) => e.type === 'cloud')).toBe(true);
  await before.sandbox.close();
  sandboxes.length = 0;

  const destroy = await runCli(['--config-dir', dir, 'destroy', '--yes'], { timeout: 60_000 });
  expect(destroy.exitCode, destroy.stdout + destroy.stderr).toBe(0);
  expect(destroy.stdout).toContain(`Deleted the reserved domain ${String(fusionauthDomain!.id)}`);
  const after = await ngrokObjects(dir);
  // Left: the account's dev domain only; no endpoint at all (the agent endpoints ended with their agents).
  expect(after.domains.map((d) => d.is_dev)).toEqual([true]);
  expect(after.endpoints).toEqual([]);
});

it('without --publish-fusionauth a FusionAuth only this machine reaches fails the login, and the flag is named', async () => {
  const sandbox = await startSandbox({ privateFusionAuth: true });
  sandboxes.push(sandbox);
  const dir = tempDir();
  const run = await runCli([...(await setupArgs(dir)), '--port', String(await unusedPort())], {
    env: sandbox.env,
    timeout: 90_000,
  });
  expect(run.exitCode, run.stdout + run.stderr).toBe(1);
  expect(run.stdout).toContain("is a local or private address: ngrok's cloud cannot reach it");
  expect(run.stdout).toContain('--publish-fusionauth');
  expect(Store.open(dir).values.fusionauthPublicUrl).toBeUndefined();
});

it("on ngrok's Free plan publishing is refused with what the plan needs", async () => {
  const sandbox = await startSandbox({ privateFusionAuth: true, plan: 'free' });
  sandboxes.push(sandbox);
  const dir = tempDir();
  const run = await runCli(
    [...(await setupArgs(dir)), '--port', String(await unusedPort()), '--ngrok-mode', 'agent', '--publish-fusionauth'],
    { env: sandbox.env, timeout: 60_000 },
  );
  expect(run.exitCode, run.stdout + run.stderr).toBe(1);
  expect(run.stdout).toContain(
    'Publishing FusionAuth needs a second domain, and reserving one needs a paid ngrok plan',
  );
  expect(run.stdout).not.toContain('== Set Up The Application');
});
