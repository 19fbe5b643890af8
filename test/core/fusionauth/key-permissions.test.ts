// The permissions a limited FusionAuth API key needs, as the hint names them: a key granted exactly
// those endpoints and methods (FusionAuth's apiKey.permissions.endpoints) carries the whole tool,
// from the key check through Next Steps to `destroy`. The sandbox IdP refuses any other call with a
// 401, as FusionAuth does, so a call missing from the hint fails this test.
import { afterEach, describe, expect, it } from 'vitest';
import { destroyRemote } from '../../../src/core/destroy';
import { ANSWERS, FusionAuthApi, KEY_PERMISSIONS } from '../../../src/core/fusionauth';
import { startIdp, type Idp } from '../../../src/sandbox/idp/index';
import { runApply } from '../../../src/steps/engine';
import { finish } from '../../../src/steps/finish';
import { fusionauth } from '../../../src/steps/fusionauth';
import { fusionauthNextSteps } from '../../../src/steps/next/fusionauth';
import { admin, contextFor } from '../../helpers/fusionauth-admin';
import { slots } from '../../helpers/created';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

/** `/api/tenant GET PATCH, /api/webhook GET …` → FusionAuth's { '/api/tenant': ['GET', 'PATCH'], … }: what a person would tick. */
function grantedByHint(hint: string): Record<string, string[]> {
  return Object.fromEntries(
    hint.split(', ').map((entry) => {
      const [endpoint, ...methods] = entry.split(' ');
      return [endpoint!, methods];
    }),
  );
}

const LIMITED = 'limited-as-the-hint-says-0123456789';

async function idpWithLimitedKey(): Promise<Idp> {
  const idp = await startIdp({
    apiKeys: [{ key: 'main-key-0123456789' }, { key: LIMITED, permissions: grantedByHint(KEY_PERMISSIONS) }],
  });
  closers.push(() => idp.close());
  return idp;
}

describe('a FusionAuth key limited to the endpoints the hint names', () => {
  it('names DELETE on the application and the webhook, which destroy needs', () => {
    const granted = grantedByHint(KEY_PERMISSIONS);
    expect(granted['/api/application']).toContain('DELETE');
    expect(granted['/api/webhook']).toContain('DELETE');
  });

  it('every call is checked against the list: one it does not name is a programming error', async () => {
    const idp = await idpWithLimitedKey();
    const api = await FusionAuthApi.connect({
      url: idp.url,
      apiKey: 'main-key-0123456789',
      signal: new AbortController().signal,
    });
    await expect(
      api.call({ action: 'listing the users', method: 'DELETE', endpoint: '/api/user' }, (c) => c.retrieveVersion(), {
        answer: ANSWERS.version,
      }),
    ).rejects.toThrow('DELETE /api/user is missing from KEY_PERMISSION_ENDPOINTS');
  });

  it('carries setup, Next Steps (a rerun included) and destroy', async () => {
    const idp = await idpWithLimitedKey();
    const ctx = contextFor(idp, { apiKey: LIMITED });
    expect((await runApply(fusionauth, ctx, { applicationName: 'ngrok', setIssuer: 'yes' })).status).toBe('done');
    expect((await runApply(finish, ctx, {})).status).toBe('done');
    const next = {
      requireRegistration: 'yes',
      registerEmail: idp.demoUser.email,
      webhookUrl: 'http://127.0.0.1:9/hooks/login',
    };
    for (const run of [1, 2]) {
      const findings = await fusionauthNextSteps.apply(ctx, next);
      expect(
        findings.filter((f) => f.level === 'error'),
        `Next Steps, run ${run}`,
      ).toEqual([]);
    }
    const { fusionauthApplicationId, fusionauthWebhookId } = slots(ctx.store.created);
    expect(fusionauthApplicationId && fusionauthWebhookId).toBeTruthy();

    const destroyed = await destroyRemote({ store: ctx.store, options: {}, env: ctx.env, signal: ctx.signal });
    expect(destroyed.findings.filter((f) => f.level === 'error')).toEqual([]);
    expect(destroyed.left).toEqual([]);
    const a = admin(idp);
    expect((await a.applications()).map((app) => app.id)).not.toContain(fusionauthApplicationId);
    expect(await a.webhooks()).toEqual([]);
  });
});
