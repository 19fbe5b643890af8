// The Test It Out screen, driven by keys over the sandbox (FusionAuth-compatible IdP, ngrok cloud,
// agent stand-in, real python site): it starts the tunnel, shows it live, proves the protection with
// one line per check, and leaves no process behind.
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runningProcesses, stopAll } from '../../src/core/process';
import { Store } from '../../src/core/store';
import { startIdp, type Idp } from '../../src/sandbox/idp/index';
import { startNgrok, type NgrokSandbox } from '../../src/sandbox/ngrok/index';
import { testItOut } from '../../src/steps/test-it-out';
import type { StepContext } from '../../src/steps/types';
import { TestItOutScreen } from '../../src/ui/screens/TestItOutScreen';
import { tempDir } from '../helpers/cli';
import { press, render, type, waitFor, type TestApp } from '../helpers/ink';
import { isAlive, waitUntilGone } from '../helpers/process';
import { prepareProtectedSite, setIssuer } from '../helpers/protected-setup';

let idp: Idp;
let ngrok: NgrokSandbox;
const apps: TestApp[] = [];

beforeAll(async () => {
  [idp, ngrok] = await Promise.all([startIdp({}), startNgrok({})]);
});
afterEach(async () => {
  for (const app of apps.splice(0)) app.unmount();
  await stopAll();
});
afterAll(async () => {
  await Promise.all([idp?.close(), ngrok?.close()]);
});

function context(store: Store): Omit<StepContext, 'signal'> {
  return {
    store,
    options: {},
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NGROK_BIN: ngrok.agentPath,
      NGROK_OIDC_REDIRECT_URI: ngrok.redirectUri,
    },
    reach: (url) => ngrok.publicUrlFor(url),
    sandboxLogin: { email: idp.demoUser.email, password: idp.demoUser.password },
  };
}

function mount(ctx: Omit<StepContext, 'signal'>) {
  const events: string[] = [];
  const app = render(
    <TestItOutScreen
      step={testItOut}
      ctx={ctx}
      onDone={() => events.push('done')}
      onSkip={() => events.push('skip')}
      onBack={() => events.push('back')}
      onChange={() => events.push('change')}
      onQuit={() => events.push('quit')}
      openUrl={async (url) => events.push(`open ${url}`)}
    />,
  );
  apps.push(app);
  return { app, events };
}

const setup = (name: string, mode: 'endpoint' | 'agent' = 'endpoint') =>
  prepareProtectedSite(idp, ngrok, { name, configDir: path.join(tempDir('test-it-out-'), 'config'), mode });

describe('Test It Out', () => {
  it('starts the tunnel, proves each check as soon as it is online, and continues on Enter', async () => {
    const good = await setup('tio-good');
    const { app, events } = mount(context(good.store));
    let frame = await waitFor(app, 'They run as soon as the agent is online', 10_000);
    frame = await waitFor(app, 'The site is protected: strangers must log into FusionAuth first.');
    expect(frame).toMatch(/● online\s+https:\/\/tio-good\.ngrok\.app/);
    expect(frame).toContain(`✔ FusionAuth issuer: The discovery document's issuer is ${idp.url}.`);
    expect(frame).toContain(
      `✔ Strangers are sent to the login: A visitor without a session is sent to the FusionAuth login (${idp.url}/oauth2/authorize).`,
    );
    expect(frame).toContain('✔ FusionAuth accepts the login request:');
    expect(frame).toContain(`✔ Logging in shows the site: ${idp.demoUser.email} logged in and got the site's page.`);
    expect(frame).toContain('started tunnel');
    expect(frame).not.toContain(good.values.clientSecret!);
    // The login went through the agent: the requests table shows it.
    frame = await waitFor(app, /GET\s+200 .* \/\s*$/m);
    expect(Store.open(path.dirname(good.store.path)).step('test')?.status).toBe('done');

    const { pid, sitePid } = {
      pid: runningProcesses().find((p) => p.name === 'ngrok')?.pid,
      sitePid: runningProcesses().find((p) => p.name === 'site')?.pid,
    };
    expect(isAlive(pid)).toBe(true);
    expect(isAlive(sitePid)).toBe(true);
    await press(app, 'enter');
    expect(events.filter((e) => e !== 'change')).toEqual(['done']);
    // Leaving the screen stops what it started.
    app.unmount();
    expect(await waitUntilGone(pid, 5000)).toBe(true);
    expect(await waitUntilGone(sitePid, 5000)).toBe(true);
  });

  it('names a wrong issuer the agent refused; after the fix, v checks again and r restarts the tunnel', async () => {
    const wrong = await setup('tio-issuer', 'agent');
    await setIssuer(idp, 'acme.com');
    try {
      const { app, events } = mount(context(wrong.store));
      let frame = await waitFor(app, /✘ FusionAuth issuer: The tenant's issuer is "acme\.com"/);
      expect(frame).toContain(`→ In FusionAuth: Tenants → edit the tenant → Issuer = ${idp.url}`);
      // In agent mode the agent itself refuses a policy whose issuer has no discovery document.
      expect(frame).toContain('✘ failed  https://tio-issuer.ngrok.app');
      expect(frame).toContain('(ERR_NGROK_2227)');
      expect(frame).toMatch(/✘ Strangers are sent to the login:/);
      expect(frame).not.toContain('The site is protected');
      await press(app, 'enter');
      expect(events).not.toContain('done');
      await setIssuer(idp, idp.url);
      await press(app, 'v');
      frame = await waitFor(app, '✔ FusionAuth issuer');
      expect(frame).toMatch(/✘ Strangers are sent to the login:/);
      await press(app, 'r');
      frame = await waitFor(app, 'The site is protected', 20_000);
      expect(frame).toContain('✔ FusionAuth issuer');
    } finally {
      await setIssuer(idp, idp.url);
    }
  });

  it('Enter in the log filter applies the filter, as in `tunnel`; the next Enter continues', async () => {
    const good = await setup('tio-filter');
    const { app, events } = mount(context(good.store));
    await waitFor(app, 'The site is protected');
    await press(app, '/');
    await type(app, 'tunnel');
    let frame = await waitFor(app, 'filter "tunnel"▏');
    expect(frame).toContain('enter apply filter');
    await press(app, 'enter');
    frame = await waitFor(app, /filter "tunnel" ·/);
    expect(events).not.toContain('done');
    expect(frame).toContain('enter continue');
    await press(app, 'enter');
    expect(events).toContain('done');
  });

  it('q quits, s skips, Esc goes back (no b); a setup that is not finished says what is missing', async () => {
    const empty = Store.open(path.join(tempDir('test-it-out-empty-'), 'config'));
    const { app, events } = mount(context(empty));
    await waitFor(app, 'The tunnel cannot start yet: the ngrok mode, the public URL are not set.');
    await press(app, 's');
    await press(app, 'b');
    await press(app, 'escape');
    await press(app, 'q');
    expect(events).toEqual(['skip', 'back', 'quit']);
    expect(runningProcesses()).toEqual([]);

    const good = await setup('tio-keys');
    const live = mount(context(good.store));
    await waitFor(live.app, '● online');
    await press(live.app, 'o');
    await waitFor(live.app, 'Opened');
    expect(live.events).toContain(`open ${ngrok.publicUrlFor('https://tio-keys.ngrok.app')}`);
    await press(live.app, 'q');
    expect(live.events).toContain('quit');
  });
});
