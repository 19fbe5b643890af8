// The Set Up FusionAuth screen in API mode, driven by keys against the sandbox IdP: a key typed on the
// screen (masked, kept when rejected), the issuer confirmed with a key press, the secret masked until
// `v`; and with a key in the environment, the tenant picked from a question.
import { afterEach, describe, expect, it } from 'vitest';
import { fusionauth } from '../../src/steps/fusionauth';
import type { StepContext } from '../../src/steps/types';
import { StepScreen } from '../../src/ui/screens/StepScreen';
import { startIdp, type Idp, type IdpOptions } from '../../src/sandbox/idp/index';
import { admin, contextFor } from '../helpers/fusionauth-admin';
import { press, render, type, waitFor, type TestApp } from '../helpers/ink';

let idp: Idp | undefined;
let app: TestApp | undefined;
afterEach(async () => {
  app?.unmount();
  app = undefined;
  await idp?.close();
  idp = undefined;
});

/** `apiKey` null: none in the environment; undefined: the IdP's key in FUSIONAUTH_API_KEY. */
async function mount(options: IdpOptions, apiKey?: string | null, onChange = () => {}) {
  idp = await startIdp(options);
  const { signal: _signal, ...ctx } = contextFor(idp, { apiKey });
  const done: string[] = [];
  app = render(
    <StepScreen
      step={fusionauth}
      ctx={ctx as Omit<StepContext, 'signal'>}
      onDone={() => done.push('done')}
      onSkip={() => done.push('skip')}
      onChange={onChange}
      onQuit={() => {}}
    />,
  );
  return { idp, ctx, app, done };
}

describe('Set Up FusionAuth, automated', () => {
  it('a key typed on the screen: masked, checked at once, kept when rejected; then the issuer and the application by key presses', async () => {
    const { idp, ctx, app, done } = await mount({}, null);
    let frame = await waitFor(app, 'Client Id:');
    expect(frame).toContain('Or leave the Client Id empty and give a FusionAuth API key');
    await press(app, 'enter');
    frame = await waitFor(app, 'FusionAuth API key:');
    expect(frame).toContain('No key? Press esc and enter the Client Id and secret instead.');

    // A wrong key first: refused in one sentence, and what was typed is still there.
    await type(app, 'wrong-key-0123456789');
    frame = await waitFor(app, 'looks right');
    expect(frame).not.toContain('wrong-key-0123456789');
    await press(app, 'enter');
    frame = await waitFor(app, 'Application name:');
    expect(frame).toContain('ngrok');
    expect(frame).toContain('The wizard checks the API key');
    await press(app, 'enter');
    frame = await waitFor(app, 'FusionAuth rejected the API key while checking the API key (GET /api/system/version).');
    expect(frame).toContain('Settings → API Keys');
    expect(ctx.store.values.fusionauthApiKey).toBe('wrong-key-0123456789');

    // Edit: the Client Id stays empty, the key field starts from the rejected key (masked).
    await press(app, 'e');
    await waitFor(app, 'Client Id:');
    await press(app, 'enter');
    frame = await waitFor(app, 'FusionAuth API key:');
    expect(frame).toContain('•'.repeat('wrong-key-0123456789'.length));
    await press(app, '\u0015'); // ctrl+u: clear the line
    await type(app, idp.apiKey);
    await waitFor(app, 'looks right');
    await press(app, 'enter');
    await waitFor(app, 'Application name:');
    await press(app, 'enter');

    frame = await waitFor(app, `Set the issuer of tenant "Default" to ${idp.url}?`);
    expect(frame).toContain(`Tenant "Default": issuer "acme.com" · FusionAuth URL ${idp.url}`);
    expect(frame).toContain('y yes, set it');
    await press(app, 'y');
    frame = await waitFor(app, 'FusionAuth accepts the Client secret', 20_000);
    expect(frame).toContain(`issuer set to ${idp.url} (was "acme.com")`);
    expect(frame).toContain('Created the application "ngrok"');

    const secret = ctx.store.values.clientSecret!;
    expect(frame).toContain(`Client secret: ••••••••${secret.slice(-4)}`);
    expect(frame).not.toContain(secret);
    expect(frame).not.toContain(idp.apiKey);
    await press(app, 'v');
    frame = await waitFor(app, `Client secret: ${secret}`);
    await press(app, 'v');
    frame = await waitFor(app, 'reveal secret');
    expect(frame).not.toContain(secret);
    await press(app, 'enter');
    expect(done).toEqual(['done']);

    expect(ctx.store.values.fusionauthApiKey).toBe(idp.apiKey);
    expect((await admin(idp).tenant()).issuer).toBe(idp.url);
    expect(ctx.store.step('fusionauth')?.status).toBe('done');
  });

  it('with FUSIONAUTH_API_KEY set: no Client Id to type, the tenant chosen by its key', async () => {
    const { idp, ctx, app } = await mount({ secondTenant: { name: 'Staging' } });
    let frame = await waitFor(app, 'Application name:');
    expect(frame).not.toContain('Client Id:');
    await press(app, '\u0015');
    await type(app, 'my site');
    await press(app, 'enter');
    frame = await waitFor(app, 'Which one should hold the application for ngrok?');
    expect(frame).toContain('1 Default (issuer acme.com)');
    expect(frame).toContain('2 Staging (issuer acme.com)');
    await press(app, '1');
    await waitFor(app, 'Set the issuer of tenant "Default"');
    await press(app, 'y');
    frame = await waitFor(app, 'Created the application "my site"', 20_000);
    expect(ctx.store.values).toMatchObject({ tenantId: idp.tenantId, applicationName: 'my site' });
    expect(ctx.store.values.fusionauthApiKey).toBeUndefined();
  });

  it('a throw after the check (here from the redraw) ends on the screen as a failed result, not as an unhandled rejection', async () => {
    const { app } = await mount({}, undefined, () => {
      throw new Error('the redraw broke');
    });
    const frame = await waitFor(app, 'the redraw broke');
    expect(frame).not.toContain('Application name:');
  });
});
