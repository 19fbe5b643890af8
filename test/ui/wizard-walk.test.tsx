// The wizard walked by keys in manual mode, against the sandbox's FusionAuth stand-in and agent
// stand-in. The test plays the person at the FusionAuth admin screen (it makes the changes the screen
// tells them to make, through the management API) and at the keyboard.
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runningProcesses, stopAll } from '../../src/core/process';
import { Store } from '../../src/core/store';
import { startIdp, type Idp } from '../../src/sandbox/idp/index';
import { startNgrok, type NgrokSandbox } from '../../src/sandbox/ngrok/index';
import { App, type ExitReason } from '../../src/ui/App';
import type { StepContext } from '../../src/steps/types';
import { tempDir } from '../helpers/cli';
import { admin } from '../helpers/fusionauth-admin';
import { press, render, type, waitFor } from '../helpers/ink';
import { unusedPort } from '../helpers/ports';
import { waitUntilGone } from '../helpers/process';

let idp: Idp;
let ngrok: NgrokSandbox;

beforeAll(async () => {
  [idp, ngrok] = await Promise.all([startIdp({}), startNgrok({})]);
});
afterAll(async () => {
  await Promise.all([idp?.close(), ngrok?.close()]);
});
afterEach(() => stopAll());

/** What the person does in FusionAuth's admin screens, done through its management API. */
const person = {
  setIssuer: () => admin(idp).call('PATCH', `/api/tenant/${idp.tenantId}`, { tenant: { issuer: idp.url } }),
  async createApplication() {
    const { application } = await admin(idp).call('POST', '/api/application', {
      application: {
        name: 'ngrok',
        oauthConfiguration: {
          enabledGrants: ['authorization_code', 'refresh_token'],
          clientAuthenticationPolicy: 'Required',
        },
      },
    });
    return application as { id: string; oauthConfiguration: { clientId: string; clientSecret: string } };
  },
  addRedirect: (id: string, uri: string) => admin(idp).addRedirect(id, uri),
};

async function context(configDir: string, siteDir: string, port: number): Promise<Omit<StepContext, 'signal'>> {
  return {
    store: Store.open(configDir),
    options: { siteDir, port },
    env: { ...process.env, NGROK_BIN: ngrok.agentPath, NGROK_OIDC_REDIRECT_URI: ngrok.redirectUri, FUSIONAUTH_URL: '' },
    reach: (url) => ngrok.publicUrlFor(url),
  };
}

function mount(ctx: Omit<StepContext, 'signal'>) {
  const exits: ExitReason[] = [];
  const app = render(<App ctx={ctx} onExit={(reason) => exits.push(reason)} />);
  return { app, exits };
}

describe('the wizard in manual mode', () => {
  it('walks all seven sections by keys', async () => {
    const root = tempDir();
    const configDir = path.join(root, 'config');
    const siteDir = path.join(root, 'apptoprotect');
    const port = await unusedPort();
    const ctx = await context(configDir, siteDir, port);
    const { app, exits } = mount(ctx);

    // 1. Before You Start: an invalid URL is refused as typed, then the real one.
    await waitFor(app, 'FusionAuth URL:');
    await type(app, 'localhost:9011');
    await waitFor(app, 'needs its scheme');
    await press(app, 'enter');
    expect(await waitFor(app, 'FusionAuth URL:')).toContain('Before You Start');
    await press(app, 'backspace', 'localhost:9011'.length);
    await type(app, idp.url);
    await waitFor(app, 'looks right');
    await press(app, 'enter');
    let frame = await waitFor(app, /Issuer|issuer/);
    await waitFor(app, 'continue');
    frame = await waitFor(app, 'ngrok agent 3.');
    expect(frame).toContain('authtoken configured');
    expect(frame).toMatch(/tenant's issuer is "acme\.com"/);
    expect(frame).toMatch(/local or private address/);
    await press(app, 'enter');

    // 2. Set Up The Application: defaults from flags; python serves the page.
    await waitFor(app, 'Folder:');
    await press(app, 'enter');
    await waitFor(app, 'Port:');
    await press(app, 'enter');
    await waitFor(app, 'When the wizard exits');
    await press(app, 'enter');
    frame = await waitFor(app, 'returns the page');
    expect(frame).toContain(`http.server ${port}`);
    expect(readFileSync(path.join(siteDir, 'index.html'), 'utf8')).toContain('This is a protected application.');
    await press(app, 'enter');

    // 3. Set Up FusionAuth: the check finds the issuer wrong; the person fixes it and creates the app.
    frame = await waitFor(app, 'Client Id:');
    expect(frame).toContain(`change it to ${idp.url}`);
    expect(frame).toContain('acme.com');
    await person.setIssuer();
    const application = await person.createApplication();
    await type(app, 'not-a-uuid');
    await waitFor(app, 'is a UUID');
    await press(app, 'backspace', 'not-a-uuid'.length);
    await type(app, application.id);
    await press(app, 'enter');
    await waitFor(app, 'Client secret:');
    await type(app, application.oauthConfiguration.clientSecret);
    frame = await waitFor(app, 'looks right');
    expect(frame).not.toContain(application.oauthConfiguration.clientSecret);
    await press(app, 'enter');
    frame = await waitFor(app, 'accepts the Client secret');
    expect(frame).toContain(`Issuer is ${idp.url}`);
    expect(frame).not.toContain(application.oauthConfiguration.clientSecret);
    await press(app, 'enter');

    // 4. Set Up ngrok Cloud Edge, agent mode (no API key): a policy file and the agent command.
    await waitFor(app, 'ngrok mode:');
    await press(app, '3');
    await press(app, 'enter');
    await waitFor(app, 'Public URL:');
    await type(app, 'demo-site.ngrok.app');
    await press(app, 'enter');
    frame = await waitFor(app, 'Agent command');
    const store = Store.open(configDir);
    const policyFile = store.values.policyFile!;
    expect(statSync(policyFile).mode & 0o777).toBe(0o600);
    expect(readFileSync(policyFile, 'utf8')).toContain('openid-connect');
    expect(store.values.agentCommand).toBe(
      `ngrok http ${port} --url https://demo-site.ngrok.app --traffic-policy-file ${policyFile} --pooling-enabled`,
    );
    await press(app, 'enter');

    // 5. Finishing Up: FusionAuth refuses the redirect URI until the person adds it.
    await waitFor(app, 'Authorized redirect URLs');
    await press(app, 'enter');
    await waitFor(app, 'refuses the redirect URI');
    await person.addRedirect(application.id, ngrok.redirectUri);
    await press(app, 'enter');
    await waitFor(app, `accepts ${ngrok.redirectUri}`);
    // The person has the domain on their ngrok account (dashboard → Domains): reserved by raw API.
    const reserved = await fetch(`${ngrok.apiUrl}/reserved_domains`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ngrok.apiKey}`, 'ngrok-version': '2', 'content-type': 'application/json' },
      body: JSON.stringify({ domain: 'demo-site.ngrok.app' }),
    });
    expect(reserved.status).toBe(201);
    await press(app, 'enter');

    // 6. Test It Out: the screen starts the agent (reusing the site server) and proves the protection.
    frame = await waitFor(app, 'The site is protected');
    expect(frame).toMatch(/● online\s+https:\/\/demo-site\.ngrok\.app/);
    expect(frame).toContain('✔ FusionAuth issuer');
    expect(frame).toContain('✔ Strangers are sent to the login');
    expect(frame).toContain('✔ FusionAuth accepts the login request');
    expect(frame).toContain('The site is already served');
    await press(app, 'enter');

    // 7. Next Steps, then the summary.
    await waitFor(app, 'IP restrictions');
    await press(app, 'enter');
    await waitFor(app, 'Set Up ngrok Cloud Edge');
    await press(app, 'enter');
    frame = await waitFor(app, 'Your site is set up');
    expect(frame).toContain(application.id);
    expect(frame).not.toContain(application.oauthConfiguration.clientSecret);
    await press(app, 'enter');
    expect(exits).toEqual(['finished']);
    app.unmount();

    const steps = Store.open(configDir).steps;
    expect(Object.values(steps).map((s) => s?.status)).toEqual(Array(7).fill('done'));
  });

  it('quitting halfway and reopening the same config dir lands on Resume, re-checking what was done', async () => {
    const root = tempDir();
    const configDir = path.join(root, 'config');
    const port = await unusedPort();
    const ctx = await context(configDir, path.join(root, 'site'), port);
    const first = mount(ctx);
    await waitFor(first.app, 'FusionAuth URL:');
    await type(first.app, idp.url);
    await press(first.app, 'enter');
    await waitFor(first.app, 'continue');
    await press(first.app, 'enter');
    await waitFor(first.app, 'Folder:');
    await press(first.app, 'enter');
    await waitFor(first.app, 'Port:');
    await press(first.app, 'enter');
    await waitFor(first.app, 'When the wizard exits');
    await press(first.app, 'enter');
    await waitFor(first.app, 'returns the page');
    const pid = runningProcesses()[0]?.pid;
    await press(first.app, 'enter');
    await waitFor(first.app, 'Client Id:');
    await press(first.app, 'ctrlC');
    expect(first.exits).toEqual(['interrupted']);
    first.app.unmount();
    await stopAll(); // what the lifecycle root does on exit
    expect(await waitUntilGone(pid)).toBe(true);

    // Reopened: Resume is offered at the first unfinished section.
    const second = mount(await context(configDir, path.join(root, 'site'), port));
    let frame = await waitFor(second.app, 'Welcome back');
    expect(frame).toContain('Resume at Set Up FusionAuth');
    expect(frame).toContain('Start over');
    expect(frame).toContain('Review');
    await press(second.app, 'enter');
    // The site server was stopped with the wizard, as the default says: the re-check finds it not
    // running, which is no failure (`tunnel` starts it), and resumes where the person stopped.
    frame = await waitFor(second.app, 'Client Id:');
    expect(frame).toContain('Set Up FusionAuth');
    expect(Store.open(configDir).step('site')?.status).toBe('done');
    expect(Store.open(configDir).step('prereqs')?.status).toBe('done');
    second.app.unmount();
  });

  it('Start over forgets the progress but keeps the values as defaults', async () => {
    const root = tempDir();
    const configDir = path.join(root, 'config');
    const store = Store.open(configDir);
    store.setValues({ fusionauthUrl: idp.url });
    store.setStep('prereqs', 'done');
    store.setStep('site', 'done');
    store.setStep('fusionauth', 'failed', 'issuer');
    const { app } = mount(await context(configDir, path.join(root, 'site'), 8000));
    await waitFor(app, 'Welcome back');
    await press(app, 'down');
    await press(app, 'enter');
    await waitFor(app, 'Before You Start');
    const steps = Store.open(configDir).steps;
    expect(steps.site).toBeUndefined();
    expect(steps.fusionauth).toBeUndefined();
    expect(Store.open(configDir).values.fusionauthUrl).toBe(idp.url);
    expect(existsSync(configDir)).toBe(true);
    app.unmount();
  });
});
