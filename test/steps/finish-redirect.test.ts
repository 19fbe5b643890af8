// NGROK_OIDC_REDIRECT_URI is checked like typed input before it reaches FusionAuth's authorized
// redirect URLs (a javascript: URL or another host would be added to the application otherwise), with
// the reason said; and when the redirect URI changes, the old one this tool added is offered for
// removal, kept unless the person says so (--no-input keeps it). Against the sandbox IdP, over HTTP.
import { afterEach, describe, expect, it } from 'vitest';
import { runApply, runCheck } from '../../src/steps/engine';
import { finish } from '../../src/steps/finish';
import { fusionauth } from '../../src/steps/fusionauth';
import { startIdp, type Idp } from '../../src/sandbox/idp/index';
import { REDIRECT, admin, contextFor } from '../helpers/fusionauth-admin';

let idp: Idp | undefined;
afterEach(async () => {
  await idp?.close();
  idp = undefined;
});

async function setUp() {
  idp = await startIdp();
  const ctx = contextFor(idp);
  expect((await runApply(fusionauth, ctx, { applicationName: 'ngrok', setIssuer: 'yes' })).status).toBe('done');
  return { idp, ctx, a: admin(idp) };
}

/** The same setup, run again with another NGROK_OIDC_REDIRECT_URI. */
const withRedirect = (ctx: ReturnType<typeof contextFor>, uri: string) => ({
  ...ctx,
  env: { ...ctx.env, NGROK_OIDC_REDIRECT_URI: uri },
});

describe('NGROK_OIDC_REDIRECT_URI', () => {
  const refused: Array<[string, RegExp]> = [
    ['javascript:alert(1)//x', /must use https/],
    ['https://evil.example.com/cb', /idp\.ngrok\.com/],
    ['http://idp.ngrok.com/oauth2/callback', /must use https/],
    ['https://idp.ngrok.com/', /callback path/],
  ];
  it.each(refused)('%s is refused, with the reason, and never reaches the application', async (uri, why) => {
    const { ctx, a } = await setUp();
    const hostile = withRedirect(ctx, uri);
    const check = await runCheck(finish, hostile);
    expect(check.done).toBe(false);
    const result = await runApply(finish, hostile, {});
    expect(result.status).toBe('failed');
    const refusal = result.findings.find((f) => f.level === 'error')!;
    expect(refusal.title).toMatch(/^NGROK_OIDC_REDIRECT_URI is refused: /);
    expect(refusal.title).toMatch(why);
    expect(refusal.fix).toContain('https://idp.ngrok.com/oauth2/callback');
    expect((await a.application(ctx.store.values.clientId!)).oauthConfiguration.authorizedRedirectURLs).toEqual([]);
    expect(ctx.store.values.redirectUri).toBeUndefined();
    // The screen's instructions say so too, rather than failing to draw.
    expect(finish.instructions(hostile, {}).join(' ')).toContain('NGROK_OIDC_REDIRECT_URI is refused');
  });
});

describe('a changed redirect URI', () => {
  it('offers to remove the old one this tool added: keep by default (and without a prompt), remove when asked', async () => {
    const { ctx, a } = await setUp();
    const id = ctx.store.values.clientId!;
    await a.addRedirect(id, 'https://existing.example.com/callback');
    expect((await runApply(finish, ctx, {})).status).toBe('done');

    const next = 'https://idp.ngrok.com/oauth2/other-callback';
    const changed = withRedirect(ctx, next);
    const asked = await runApply(finish, changed, {});
    expect(asked.status).toBe('ask');
    if (asked.status !== 'ask') return;
    expect(asked.question.prompt).toContain(REDIRECT);
    expect(asked.question.noInputAnswer).toBe('keep');
    expect(asked.question.choices.map((c) => c.value)).toEqual(['keep', 'remove']);
    const urls = async () => (await a.application(id)).oauthConfiguration.authorizedRedirectURLs;
    // Asked before anything changes: the answer and the new URI go in one update.
    expect(await urls()).toEqual(['https://existing.example.com/callback', REDIRECT]);

    const kept = await runApply(finish, changed, { [asked.question.key]: 'keep' });
    expect(kept.status).toBe('done');
    expect(await urls()).toEqual(['https://existing.example.com/callback', REDIRECT, next]);

    const removed = await runApply(finish, changed, { [asked.question.key]: 'remove' });
    expect(removed.status).toBe('done');
    expect(removed.findings.map((f) => f.title)).toContain(
      `Removed ${REDIRECT} from the Authorized redirect URLs of "ngrok"`,
    );
    // Only the one this tool added goes: the URL that was there before stays.
    expect(await urls()).toEqual(['https://existing.example.com/callback', next]);
    expect(ctx.store.values.redirectUri).toBe(next);
    // Nothing left to offer: the next run is quiet.
    expect((await runApply(finish, changed, {})).status).toBe('done');
  });

  it('a URL this tool did not add is never offered', async () => {
    const { ctx, a } = await setUp();
    const id = ctx.store.values.clientId!;
    await a.addRedirect(id, REDIRECT);
    expect((await runApply(finish, ctx, {})).status).toBe('done');
    const result = await runApply(finish, withRedirect(ctx, 'https://idp.ngrok.com/oauth2/other-callback'), {});
    expect(result.status).toBe('done');
  });
});
