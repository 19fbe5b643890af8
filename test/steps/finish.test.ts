// Finishing Up With FusionAuth with an API key: ngrok's redirect URI added by read–edit–PUT, every URL
// already there kept, read back, then accepted by FusionAuth's authorize endpoint; a rerun changes nothing.
import { afterEach, describe, expect, it } from 'vitest';
import { runApply, runCheck } from '../../src/steps/engine';
import { finish } from '../../src/steps/finish';
import { fusionauth } from '../../src/steps/fusionauth';
import { startIdp, type Idp } from '../../src/sandbox/idp/index';
import { REDIRECT, admin, contextFor, snapshot } from '../helpers/fusionauth-admin';

let idp: Idp | undefined;
afterEach(async () => {
  await idp?.close();
  idp = undefined;
});

async function setUp() {
  idp = await startIdp();
  const ctx = contextFor(idp);
  const result = await runApply(fusionauth, ctx, { applicationName: 'ngrok', setIssuer: 'yes' });
  expect(result.status).toBe('done');
  return { idp, ctx, a: admin(idp) };
}

describe('Finishing Up With FusionAuth with an API key', () => {
  it('adds the redirect URI, keeps the URL already there, reads it back, and FusionAuth accepts it', async () => {
    const { ctx, a } = await setUp();
    const id = ctx.store.values.clientId!;
    await a.addRedirect(id, 'https://existing.example.com/callback');
    // Before apply, the check says what Enter will do (with a key, "not there yet" is not an error).
    const before = await runCheck(finish, ctx);
    expect(before.done).toBe(false);
    expect(before.findings).toEqual([
      {
        level: 'info',
        title: 'https://idp.ngrok.com/oauth2/callback is not an Authorized redirect URL yet: Enter adds it.',
      },
    ]);

    const result = await runApply(finish, ctx, {});
    expect(result.status).toBe('done');
    expect(result.findings.map((f) => f.title)).toEqual([
      `Added ${REDIRECT} to the Authorized redirect URLs of "ngrok"`,
      `Read back: https://existing.example.com/callback, ${REDIRECT}`,
      `FusionAuth accepts ${REDIRECT} as a redirect URI`,
    ]);
    const app = await a.application(id);
    expect(app.oauthConfiguration.authorizedRedirectURLs).toEqual(['https://existing.example.com/callback', REDIRECT]);
    expect(app.oauthConfiguration.clientSecret).toBe(ctx.store.values.clientSecret);
    expect(ctx.store.values.redirectUri).toBe(REDIRECT);
    expect((await runCheck(finish, ctx)).done).toBe(true);
  });

  it('a rerun changes nothing', async () => {
    const { idp: sandbox, ctx } = await setUp();
    await runApply(finish, ctx, {});
    const before = await snapshot(sandbox);
    const again = await runApply(finish, ctx, {});
    expect(again.status).toBe('done');
    expect(again.findings[0]?.title).toBe(`${REDIRECT} is already an Authorized redirect URL of "ngrok"`);
    expect(await snapshot(sandbox)).toEqual(before);
  });

  it('an application deleted since: says so and where to go', async () => {
    const { ctx, a } = await setUp();
    await a.call('DELETE', `/api/application/${ctx.store.values.clientId}?hardDelete=true`);
    const result = await runApply(finish, ctx, {});
    expect(result.status).toBe('failed');
    expect(result.findings[0]).toMatchObject({
      title: `FusionAuth has no application ${ctx.store.values.clientId} (any more).`,
      fix: 'Go back to Set Up FusionAuth: it creates the application again.',
    });
  });

  it('without a key it stays the manual check', async () => {
    const { idp: sandbox, ctx } = await setUp();
    const manual = contextFor(sandbox, { apiKey: null, configDir: ctx.store.dir });
    expect(finish.instructions(manual, {})[1]).toBe(`Add ${REDIRECT} to the Authorized redirect URLs field.`);
    const result = await runApply(finish, manual, {});
    expect(result.status).toBe('failed');
    expect(result.findings.map((f) => f.title)).toEqual([
      "FusionAuth refuses the redirect URI: it is not in the application's Authorized redirect URLs.",
    ]);
    expect(
      (await admin(sandbox).application(ctx.store.values.clientId!)).oauthConfiguration.authorizedRedirectURLs,
    ).toEqual([]);
  });
});
