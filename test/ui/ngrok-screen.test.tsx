// The Set Up ngrok Cloud Edge screen with an API key, driven by keys against the sandbox: the key typed
// masked (the authtoken by mistake first: explained, and nothing typed lost), the domain picked from a
// question, and Edges retired (7008) turned into endpoint mode with one key press.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../src/core/store';
import { ngrok } from '../../src/steps/ngrok';
import type { StepContext } from '../../src/steps/types';
import { StepScreen } from '../../src/ui/screens/StepScreen';
import { freshStore, startWorld, type World } from '../core/ngrok/fixture';
import { plain, press, render, type, waitFor, type TestApp } from '../helpers/ink';
import { slots } from '../helpers/created';

let world: World;
let app: TestApp | undefined;
beforeAll(async () => {
  world = await startWorld();
});
afterAll(() => world.close());
afterEach(() => {
  app?.unmount();
  app = undefined;
  world.ngrok.setEdgesSunset(false);
});

function mount(store: Store, env: Record<string, string> = {}) {
  const ctx: Omit<StepContext, 'signal'> = {
    store,
    options: { port: 8000 },
    env: { NGROK_API_URL: world.ngrok.apiUrl, NGROK_OIDC_REDIRECT_URI: world.ngrok.redirectUri, ...env },
  };
  const done: string[] = [];
  app = render(
    <StepScreen
      step={ngrok}
      ctx={ctx}
      onDone={() => done.push('done')}
      onSkip={() => done.push('skip')}
      onChange={() => {}}
      onQuit={() => {}}
    />,
  );
  return { app, done };
}
const everything = (a: TestApp) => a.frames.map(plain).join('\n');

describe('Set Up ngrok Cloud Edge, automated', () => {
  it('a key typed masked: the authtoken is explained, the typed text kept; the real key does the setup', async () => {
    const store = freshStore(world);
    const { app, done } = mount(store);
    let frame = await waitFor(app, 'ngrok mode:');
    expect(frame).toContain(
      'An ngrok API key (ngrok dashboard → API Keys; not the authtoken) lets the wizard do this for you',
    );
    await press(app, 'enter');
    frame = await waitFor(app, 'ngrok API key:');
    expect(frame).toContain('Leave empty to do this step by hand.');

    await type(app, world.ngrok.authtoken);
    await waitFor(app, 'looks right');
    await press(app, 'enter');
    frame = await waitFor(app, 'Domain:');
    expect(frame).toContain('With your API key the wizard creates a cloud endpoint');
    await type(app, 'screen-site.ngrok.app');
    await press(app, 'enter');
    await waitFor(app, 'Internal URL:');
    await press(app, 'enter');
    frame = await waitFor(app, 'That is your ngrok agent authtoken, not an API key (ERR_NGROK_207).');
    expect(frame).toContain('API Keys');
    expect(store.values.ngrokApiKey).toBeUndefined();

    // Edit: what was typed is still there (masked); replaced by the API key, the setup runs.
    await press(app, 'e');
    await waitFor(app, 'ngrok mode:');
    await press(app, 'enter');
    frame = await waitFor(app, 'ngrok API key:');
    expect(frame).toContain('•'.repeat(world.ngrok.authtoken.length));
    await press(app, '\u0015'); // ctrl+u clears the line
    await type(app, world.ngrok.apiKey);
    await waitFor(app, 'looks right');
    await press(app, 'enter');
    frame = await waitFor(app, 'Domain:');
    expect(frame).toContain('screen-site.ngrok.app');
    await press(app, 'enter');
    await waitFor(app, 'Internal URL:');
    await press(app, 'enter');
    frame = await waitFor(app, 'Agent command: ngrok http 8000 --url https://screen-site.internal --pooling-enabled');
    expect(frame).toContain(
      `Cloud endpoint ${slots(store.created).endpointId} created at https://screen-site.ngrok.app`,
    );
    expect(store.values.ngrokApiKey).toBe(world.ngrok.apiKey);
    await press(app, 'enter');
    expect(done).toEqual(['done']);
    // Neither secret was ever on the screen.
    expect(everything(app)).not.toContain(world.ngrok.apiKey);
    expect(everything(app)).not.toContain(world.ngrok.authtoken);
    expect(everything(app)).not.toContain(world.app.clientSecret);
  });

  it("no domain typed: picked from the account's domains with a digit", async () => {
    await world.raw('POST', '/reserved_domains', { domain: 'screen-pick.ngrok.app' });
    const store = freshStore(world);
    const { app } = mount(store, { NGROK_API_KEY: world.ngrok.apiKey });
    await waitFor(app, 'ngrok mode:');
    await press(app, 'enter');
    await waitFor(app, 'Domain:');
    await press(app, 'enter');
    await waitFor(app, 'Internal URL:');
    await press(app, 'enter');
    const frame = await waitFor(app, 'Which domain should the site be on?');
    expect(frame).toMatch(/1 screen-pick\.ngrok\.app/);
    expect(frame).toMatch(/n reserve a new domain/);
    await press(app, '1');
    await waitFor(app, 'Agent command: ngrok http 8000 --url https://screen-pick.internal --pooling-enabled');
    expect(store.values.domain).toBe('screen-pick.ngrok.app');
  });

  it('edge mode on an account without Edges: a plain explanation, and "e" switches to endpoint mode', async () => {
    world.ngrok.setEdgesSunset(true);
    const store = freshStore(world);
    const { app } = mount(store, { NGROK_API_KEY: world.ngrok.apiKey });
    await waitFor(app, 'ngrok mode:');
    await press(app, '2');
    await press(app, 'enter');
    let frame = await waitFor(app, 'Domain:');
    expect(frame).toContain('a tunnel-group backend labelled edge=<edge id>');
    await type(app, 'screen-sunset.ngrok.app');
    await press(app, 'enter');
    frame = await waitFor(app, 'Switch to endpoint mode (a cloud endpoint with the same login)?');
    expect(frame).toContain('ngrok no longer offers Edges to this account (ERR_NGROK_7008)');
    expect(frame).toContain('switch to endpoint mode');
    await press(app, 'e');
    frame = await waitFor(app, 'Agent command: ngrok http 8000 --url https://screen-sunset.internal --pooling-enabled');
    expect(frame).toContain('Switched to endpoint mode.');
    expect(store.values.ngrokMode).toBe('endpoint');
  });
});
