// The done screen lists what the guide would have had in a text file: every setting once, however
// many sections showed it, and no two settings merged because they happen to have the same value.
import { afterEach, describe, expect, it } from 'vitest';
import { DoneScreen } from '../../src/ui/screens/DoneScreen';
import { plain, render, waitFor, type TestApp } from '../helpers/ink';

let app: TestApp | undefined;
afterEach(() => app?.unmount());

describe('the done screen', () => {
  it('shows a value two sections share once, and equal values of different settings each', async () => {
    app = render(
      <DoneScreen
        values={{
          ngrokMode: 'endpoint',
          endpointUrl: 'https://my-site.ngrok.app',
          redirectUri: 'https://idp.ngrok.com/oauth2/callback',
          sessionInactivity: '1h',
          sessionMaxDuration: '1h',
          userinfoRefresh: '1h',
        }}
        onExit={() => undefined}
      />,
    );
    const frame = plain(await waitFor(app, 'Your site is set up'));
    expect(frame.match(/idp\.ngrok\.com\/oauth2\/callback/g)).toHaveLength(1);
    expect(frame.match(/https:\/\/my-site\.ngrok\.app/g)).toHaveLength(1);
    for (const label of ['Log out after inactivity', 'Maximum session', 'User info refresh'])
      expect(frame).toContain(label);
  });
});
