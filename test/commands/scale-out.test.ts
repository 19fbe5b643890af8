// Scale-out as a user does it: the first machine runs `ngrok-fusionauth tunnel`, a second one runs
// `ngrok start --config <export --format ngrok-yml> --all` (the authtoken filled in), and visitors who
// logged in are served by both. Both machines are this one: the second agent is the sandbox's
// stand-in reading the exported file, as ngrok's agent would, against the cloud inside `tunnel`.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { Browser, loginForm } from '../../src/core/http';
import { runCli, tempDir } from '../helpers/cli';
import { sandboxStore, storeSandboxAgent, tunnel } from '../helpers/tunnel-cli';
import { runAgent, waitFor } from '../sandbox/ngrok-helpers';
import { scaled } from '../helpers/deadline';

describe('scale-out: a second machine from the exported config', () => {
  it("endpoint mode: joins the first machine's pool behind the cloud endpoint and serves logged-in visitors", async () => {
    const { configDir, values, demoUser } = await sandboxStore('scale-out', 'endpoint');
    const first = tunnel(configDir);
    let second: ReturnType<typeof runAgent> | undefined;
    try {
      await first.waitForText(/== online: https:\/\/scale-out\.ngrok\.app/);
      const exported = await runCli(['--config-dir', configDir, 'export', '--format', 'ngrok-yml']);
      expect(exported.exitCode).toBe(0);
      const sandbox = storeSandboxAgent(configDir);
      const file = path.join(tempDir('second-machine-'), 'ngrok.yml');
      writeFileSync(file, exported.stdout.replaceAll('<YOUR_NGROK_AUTHTOKEN>', sandbox.authtoken), { mode: 0o600 });
      expect(YAML.parse(exported.stdout).endpoints[0]).toMatchObject({
        url: values.internalUrl,
        pooling_enabled: true,
      });

      second = runAgent(sandbox.agentPath, [
        'start',
        '--config',
        file,
        '--all',
        '--log',
        'stdout',
        '--log-format',
        'logfmt',
      ]);
      // Refused with ERR_NGROK_334 while the first machine's agent ran without --pooling-enabled.
      await second.line(
        /msg="started tunnel" obj=tunnels name=protected-site addr=http:\/\/localhost:\d+ url=https:\/\/scale-out\.internal/,
        15_000,
      );

      // A visitor logs in once at the cloud endpoint, then comes back a few times.
      const urls = (await (await fetch(`http://${sandbox.serverAddr}/_sandbox/public-urls`)).json()) as Record<
        string,
        string
      >;
      const site = urls['scale-out.ngrok.app']!;
      const browser = new Browser();
      const form = loginForm(await browser.go(site));
      expect(form).toBeDefined();
      const page = await browser.go(form!.action, {
        form: { ...form!.hidden, loginId: demoUser.email, password: demoUser.password },
      });
      expect(page.status).toBe(200);
      for (let i = 0; i < 6; i++) expect((await browser.go(site)).status).toBe(200);

      // ngrok balances the pool: both agents forwarded some of them to the site.
      const joined = (lines: string) => (lines.match(/join connections/g) ?? []).length;
      // The agents' log lines arrive after the answers: wait for all seven, not only one from each.
      const both = () => [joined(second!.stdout.join('\n')), joined(first.output())];
      await waitFor(
        () => both().every((n) => n > 0) && both()[0]! + both()[1]! >= 7,
        scaled(5000),
        'both agents to serve all seven requests',
      );
      expect(joined(second.stdout.join('\n')) + joined(first.output())).toBeGreaterThanOrEqual(7);
    } finally {
      await second?.stop();
      first.child.kill('SIGTERM');
      await first.child;
    }
  });

  it('agent mode: the exported endpoint carries the policy (secret filled in) and pools with the first machine on the public URL', async () => {
    const { configDir, clientSecret, demoUser } = await sandboxStore('scale-agent', 'agent');
    const first = tunnel(configDir);
    let second: ReturnType<typeof runAgent> | undefined;
    try {
      await first.waitForText(/== online: https:\/\/scale-agent\.ngrok\.app/);
      const exported = await runCli(['--config-dir', configDir, 'export', '--format', 'ngrok-yml']);
      const sandbox = storeSandboxAgent(configDir);
      const file = path.join(tempDir('second-machine-'), 'ngrok.yml');
      writeFileSync(
        file,
        exported.stdout
          .replaceAll('<YOUR_NGROK_AUTHTOKEN>', sandbox.authtoken)
          .replaceAll('<CLIENT_SECRET>', clientSecret),
        { mode: 0o600 },
      );
      second = runAgent(sandbox.agentPath, [
        'start',
        '--config',
        file,
        '--all',
        '--log',
        'stdout',
        '--log-format',
        'logfmt',
      ]);
      await second.line(
        /msg="started tunnel" obj=tunnels name=protected-site .*url=https:\/\/scale-agent\.ngrok\.app/,
        15_000,
      );

      const urls = (await (await fetch(`http://${sandbox.serverAddr}/_sandbox/public-urls`)).json()) as Record<
        string,
        string
      >;
      const site = urls['scale-agent.ngrok.app']!;
      const browser = new Browser();
      const form = loginForm(await browser.go(site));
      expect(form).toBeDefined();
      expect(
        (
          await browser.go(form!.action, {
            form: { ...form!.hidden, loginId: demoUser.email, password: demoUser.password },
          })
        ).status,
      ).toBe(200);
      for (let i = 0; i < 6; i++) expect((await browser.go(site)).status).toBe(200);
      const joined = (lines: string) => (lines.match(/join connections/g) ?? []).length;
      await waitFor(
        () => joined(second!.stdout.join('\n')) > 0 && joined(first.output()) > 0,
        5000,
        'both agents to serve',
      );
    } finally {
      await second?.stop();
      first.child.kill('SIGTERM');
      await first.child;
    }
  });
});
