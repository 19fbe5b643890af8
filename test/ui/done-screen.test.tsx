// The done screen lists what the guide would have had in a text file: every setting once, however
// many sections showed it, and no two settings merged because they happen to have the same value.
// Then what to run next, written the way the wizard was started.
import { afterEach, describe, expect, it } from 'vitest';
import { setInvocationForTests } from '../../src/core/text';
import { DoneScreen } from '../../src/ui/screens/DoneScreen';
import { plain, render, waitFor, type TestApp } from '../helpers/ink';

let app: TestApp | undefined;
afterEach(() => {
  app?.unmount();
  setInvocationForTests(undefined);
});

const values = {
  ngrokMode: 'endpoint',
  endpointUrl: 'https://my-site.ngrok.app',
  redirectUri: 'https://idp.ngrok.com/oauth2/callback',
  sessionInactivity: '1h',
  sessionMaxDuration: '1h',
  userinfoRefresh: '1h',
} as const;

describe('the done screen', () => {
  it('shows a value two sections share once, and equal values of different settings each', async () => {
    app = render(<DoneScreen values={values} ctx={{}} onExit={() => undefined} />);
    const frame = plain(await waitFor(app, 'Your site is set up'));
    expect(frame.match(/idp\.ngrok\.com\/oauth2\/callback/g)).toHaveLength(1);
    expect(frame.match(/https:\/\/my-site\.ngrok\.app/g)).toHaveLength(2); // the summary and "Public URL"
    for (const label of ['Log out after inactivity', 'Maximum session', 'User info refresh'])
      expect(frame).toContain(label);
  });

  it('ends with what to run next, as the wizard was started (npx, its config dir)', async () => {
    setInvocationForTests(['npx', 'ngrok-fusionauth'], { configDir: '/tmp/my setups' });
    app = render(<DoneScreen values={values} ctx={{}} onExit={() => undefined} />);
    const frame = plain(await waitFor(app, 'What to run next'));
    expect(frame).toContain("Start the tunnel: npx ngrok-fusionauth tunnel --config-dir '/tmp/my setups'");
    expect(frame).toContain("Check the login: npx ngrok-fusionauth verify --config-dir '/tmp/my setups'");
    expect(frame).toContain('Public URL: https://my-site.ngrok.app');
    expect(frame).not.toContain('Demo login');
  });

  it('in the sandbox, names the loopback address that works here and the demo login', async () => {
    setInvocationForTests(['node', 'bin/ngrok-fusionauth.js'], { sandbox: true });
    const ctx = {
      reach: (url: string) => (url === values.endpointUrl ? 'http://127.0.0.1:4567' : undefined),
      sandboxLogin: { email: 'demo@example.com', password: 'demo-password' },
    };
    app = render(<DoneScreen values={values} ctx={ctx} onExit={() => undefined} />);
    const frame = plain(await waitFor(app, 'What to run next'));
    expect(frame).toContain('Start the tunnel: node bin/ngrok-fusionauth.js tunnel --sandbox');
    expect(frame).toContain('In the sandbox: http://127.0.0.1:4567');
    expect(frame).toContain('Demo login: demo@example.com / demo-password');
    expect(frame).toContain('Everything stored: node bin/ngrok-fusionauth.js status');
  });
});
