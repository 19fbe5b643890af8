// Set Up FusionAuth with an API key, against the sandbox IdP through the real client: the issuer fixed
// and proven, the application created once and kept in line, crashes and lost answers recovered, and
// each failure in one sentence. The IdP's state is read back over its API with raw fetch.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CREATED_BY } from '../../src/core/fusionauth';
import { runApply, runCheck } from '../../src/steps/engine';
import { fusionauth } from '../../src/steps/fusionauth';
import type { ApplyResult, Input } from '../../src/steps/types';
import { startIdp, type Idp, type IdpOptions } from '../../src/sandbox/idp/index';
import { tempDir } from '../helpers/cli';
import { admin, contextFor, snapshot } from '../helpers/fusionauth-admin';
import { answer500, breakingProxy, dropConnection, faultyServer } from '../helpers/fusionauth-faults';
import { slots } from '../helpers/created';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

async function idpWith(options: IdpOptions = {}): Promise<Idp> {
  const idp = await startIdp(options);
  closers.push(() => idp.close());
  return idp;
}

const titles = (result: { findings: Array<{ title: string }> }) => result.findings.map((f) => f.title);
const NAME: Input = { applicationName: 'ngrok' };

/** Answers every question the way the prompt's first choice does, as a person pressing it would. */
async function applyAnswering(
  ctx: Parameters<typeof runApply>[1],
  input: Input,
  answers: Record<string, string> = {},
): Promise<{ result: ApplyResult; asked: string[]; input: Input }> {
  const asked: string[] = [];
  let current = { ...input };
  for (;;) {
    const result = await runApply(fusionauth, ctx, current);
    if (result.status !== 'ask') return { result, asked, input: current };
    asked.push(result.question.prompt);
    current = { ...current, [result.question.key]: answers[result.question.key] ?? result.question.choices[0]!.value };
  }
}

describe('Set Up FusionAuth with an API key', () => {
  it('on a fresh instance: shows the issuer beside the URL, sets it on confirmation, proves it through discovery, creates the application', async () => {
    const idp = await idpWith();
    const a = admin(idp);
    const ctx = contextFor(idp);

    const check = await runCheck(fusionauth, ctx);
    expect(check.done).toBe(false);
    expect(titles(check)).toContain(`Tenant "Default": issuer "acme.com" · FusionAuth URL ${idp.url}`);

    const first = await runApply(fusionauth, ctx, NAME);
    expect(first.status).toBe('ask');
    if (first.status !== 'ask') return;
    expect(first.question.prompt).toBe(`Set the issuer of tenant "Default" to ${idp.url}?`);
    expect(first.findings.find((f) => f.title.includes('acme.com'))?.fix).toMatch(
      /ngrok fetches <issuer>\/.well-known\/openid-configuration/,
    );
    expect((await a.tenant()).issuer).toBe('acme.com'); // nothing changed before the answer

    const done = await runApply(fusionauth, ctx, { ...NAME, setIssuer: 'yes' });
    expect(done.status).toBe('done');
    expect(titles(done)).toEqual(
      expect.arrayContaining([
        'FusionAuth 1.69.0 accepts FUSIONAUTH_API_KEY',
        `Tenant "Default": issuer set to ${idp.url} (was "acme.com")`,
        `Discovery at ${idp.url}/.well-known/openid-configuration says issuer ${idp.url}: exactly the URL, as ngrok requires`,
        'FusionAuth accepts the Client secret',
      ]),
    );
    expect((await a.tenant()).issuer).toBe(idp.url);
    expect(await a.discoveryIssuer()).toBe(idp.url);

    const { values, created } = ctx.store;
    const app = await a.application(values.clientId!);
    expect(app.name).toBe('ngrok');
    expect(app.oauthConfiguration.enabledGrants).toEqual(['authorization_code', 'refresh_token']);
    expect(app.oauthConfiguration.clientAuthenticationPolicy).toBe('Required');
    expect(app.data.createdBy).toBe(CREATED_BY);
    expect(values.clientSecret).toBe(app.oauthConfiguration.clientSecret);
    expect(slots(created).fusionauthApplicationId).toBe(app.id);
    expect(values.tenantId).toBe(idp.tenantId);
    expect(values.fusionauthApiKey).toBeUndefined(); // a key from the environment is never copied into the store
    expect((await runCheck(fusionauth, ctx)).done).toBe(true);
  });

  it('a rerun is a no-op: same application, same secret, no new objects, nothing updated', async () => {
    const idp = await idpWith();
    const ctx = contextFor(idp);
    expect((await applyAnswering(ctx, NAME)).result.status).toBe('done');
    const before = await snapshot(idp);
    const { clientId, clientSecret } = ctx.store.values;

    const { result, asked } = await applyAnswering(contextFor(idp, { configDir: ctx.store.dir }), NAME);
    expect(result.status).toBe('done');
    expect(asked).toEqual([]);
    expect(await snapshot(idp)).toEqual(before);
    expect(titles(result)).toContain(`Application "ngrok" (Client Id ${clientId}): already as the guide wants it`);
    expect(ctx.store.values.clientId).toBe(clientId);
    expect(ctx.store.values.clientSecret).toBe(clientSecret);
  });

  it('a stored application that drifted is brought in line by one PUT of the whole object', async () => {
    const idp = await idpWith();
    const a = admin(idp);
    const ctx = contextFor(idp);
    await applyAnswering(ctx, NAME);
    const app = await a.application(ctx.store.values.clientId!);
    app.oauthConfiguration.enabledGrants = ['authorization_code', 'password'];
    app.oauthConfiguration.authorizedRedirectURLs = ['https://kept.example.com/cb'];
    app.roles = [];
    await a.call('PUT', `/api/application/${app.id}`, { application: app });

    const { result } = await applyAnswering(ctx, NAME);
    expect(result.status).toBe('done');
    expect(titles(result)).toContain(`Application "ngrok" (Client Id ${app.id}): enable the Refresh Token grant`);
    const after = await a.application(app.id);
    expect(after.oauthConfiguration.enabledGrants).toEqual(['authorization_code', 'password', 'refresh_token']);
    expect(after.oauthConfiguration.authorizedRedirectURLs).toEqual(['https://kept.example.com/cb']);
    expect(after.oauthConfiguration.clientSecret).toBe(ctx.store.values.clientSecret);
    expect(await a.applications()).toHaveLength(2); // FusionAuth's own admin application and ours
  });

  it('a deactivated (soft-deleted) application is reactivated, not replaced', async () => {
    const idp = await idpWith();
    const a = admin(idp);
    const ctx = contextFor(idp);
    await applyAnswering(ctx, NAME);
    const id = ctx.store.values.clientId!;
    await a.call('DELETE', `/api/application/${id}`);
    expect((await a.application(id)).active).toBe(false);
    expect((await runCheck(fusionauth, ctx)).done).toBe(false);

    const { result } = await applyAnswering(ctx, NAME);
    expect(result.status).toBe('done');
    expect(titles(result)).toContain(`Application "ngrok" (Client Id ${id}): reactivate it`);
    expect((await a.application(id)).active).toBe(true);
    expect(ctx.store.values.clientId).toBe(id);
  });

  it('interrupted after FusionAuth created the application (its answer lost, the wizard stopped): the rerun adopts it', async () => {
    const idp = await idpWith();
    const a = admin(idp);
    const controller = new AbortController();
    let breakNext = true;
    const proxy = await breakingProxy(
      idp.url,
      (method, url) => method === 'POST' && /^\/api\/application\/[0-9a-f-]{36}$/.test(url) && breakNext,
      () => {
        breakNext = false;
        controller.abort(); // the person pressed Ctrl-C (or the machine died) while the answer was on its way
      },
    );
    closers.push(() => proxy.close());
    const configDir = tempDir();
    const ctx = contextFor(idp, { url: proxy.url, configDir, signal: controller.signal });
    await expect(runApply(fusionauth, ctx, { ...NAME, setIssuer: 'yes' })).rejects.toMatchObject({
      name: 'AbortError',
    });
    expect(proxy.broken).toBe(1);
    expect(ctx.store.values.clientId).toBeUndefined();
    expect(slots(ctx.store.created).fusionauthApplicationId).toBeUndefined();
    const made = (await a.applications()).filter((app) => app.name === 'ngrok');
    expect(made).toHaveLength(1);

    const rerun = contextFor(idp, { url: proxy.url, configDir });
    const { result, asked } = await applyAnswering(rerun, NAME);
    expect(result.status).toBe('done');
    expect(asked).toEqual([]);
    expect(titles(result)).toContain(
      `Found the application this wizard created in an earlier run: "ngrok" (Client Id ${made[0]!.id}): already as the guide wants it`,
    );
    expect(rerun.store.values.clientId).toBe(made[0]!.id);
    expect(rerun.store.values.clientSecret).toBe(made[0]!.oauthConfiguration.clientSecret);
    expect(slots(rerun.store.created).fusionauthApplicationId).toBe(made[0]!.id);
    expect((await a.applications()).filter((app) => app.name === 'ngrok')).toHaveLength(1);
  });

  it('interrupted after recording the created id but before keeping the Client Id and secret: found by the stored id', async () => {
    const idp = await idpWith();
    const ctx = contextFor(idp);
    await applyAnswering(ctx, NAME);
    const { clientId, clientSecret } = ctx.store.values;
    ctx.store.setValues({ clientId: undefined, clientSecret: undefined });
    const before = await snapshot(idp);

    const { result } = await applyAnswering(ctx, NAME);
    expect(result.status).toBe('done');
    expect(ctx.store.values).toMatchObject({ clientId, clientSecret });
    expect(await snapshot(idp)).toEqual(before);
  });

  it('a dropped answer to the create is retried with the same id and finds its own application, never a second one', async () => {
    const idp = await idpWith();
    const a = admin(idp);
    const proxy = await breakingProxy(
      idp.url,
      (method, url) => method === 'POST' && /^\/api\/application\/[0-9a-f-]{36}$/.test(url) && proxy.broken === 0,
    );
    closers.push(() => proxy.close());
    const ctx = contextFor(idp, { url: proxy.url });
    const { result } = await applyAnswering(ctx, NAME);
    expect(result.status).toBe('done');
    expect(proxy.broken).toBe(1);
    const creates = proxy.requests.filter(
      (r) => r.method === 'POST' && r.path.startsWith('/api/application/') && !r.path.endsWith('/search'),
    );
    expect(creates).toHaveLength(2);
    expect(creates[0]!.path).toBe(creates[1]!.path);
    const ours = (await a.applications()).filter((app) => app.name === 'ngrok');
    expect(ours.map((app) => app.id)).toEqual([ctx.store.values.clientId]);
    expect(slots(ctx.store.created).fusionauthApplicationId).toBe(ctx.store.values.clientId);
  });

  it("someone else's application with the same name is offered for reuse, and not recorded as ours", async () => {
    const idp = await idpWith();
    const a = admin(idp);
    const theirs = await a.createApplication('ngrok', ['https://theirs.example.com/cb']);
    const ctx = contextFor(idp);
    const first = await runApply(fusionauth, ctx, { ...NAME, setIssuer: 'yes' });
    expect(first.status).toBe('ask');
    if (first.status !== 'ask') return;
    expect(first.question.prompt).toContain(
      `FusionAuth already has an application named "ngrok" (Client Id ${theirs.id}). Use it for ngrok?`,
    );

    const declined = await runApply(fusionauth, ctx, {
      ...NAME,
      setIssuer: 'yes',
      reuseApplication: first.question.choices[1]!.value,
    });
    expect(declined.status).toBe('failed');
    expect(declined.findings.at(-1)).toMatchObject({
      title: 'FusionAuth already has an application named "ngrok".',
      fix: 'Press e and give the application another name.',
    });

    const reused = await runApply(fusionauth, ctx, {
      ...NAME,
      setIssuer: 'yes',
      reuseApplication: first.question.choices[0]!.value,
    });
    expect(reused.status).toBe('done');
    expect(titles(reused)).toContain(
      `Using the existing application "ngrok" (Client Id ${theirs.id}): enable the Refresh Token grant`,
    );
    const app = await a.application(theirs.id);
    expect(app.oauthConfiguration.enabledGrants).toEqual(['authorization_code', 'refresh_token']);
    expect(app.oauthConfiguration.authorizedRedirectURLs).toEqual(['https://theirs.example.com/cb']);
    expect(ctx.store.values.clientId).toBe(theirs.id);
    expect(slots(ctx.store.created).fusionauthApplicationId).toBeUndefined(); // `destroy` must not delete it
    expect(await a.applications()).toHaveLength(2);
  });

  it('several tenants: the user picks one, and every call then names it', async () => {
    const idp = await idpWith({ secondTenant: { name: 'Staging' } });
    const a = admin(idp);
    const ctx = contextFor(idp);
    const first = await runApply(fusionauth, ctx, NAME);
    expect(first.status).toBe('ask');
    if (first.status !== 'ask') return;
    expect(first.question.prompt).toBe(
      'This FusionAuth has several tenants. Which one should hold the application for ngrok?',
    );
    expect(first.question.choices).toEqual([
      { key: '1', label: 'Default (issuer acme.com)', value: idp.tenantId },
      { key: '2', label: 'Staging (issuer acme.com)', value: idp.secondTenantId },
    ]);
    const { result } = await applyAnswering(ctx, { ...NAME, tenantId: idp.tenantId });
    expect(result.status).toBe('done');
    expect((await a.application(ctx.store.values.clientId!)).tenantId).toBe(idp.tenantId);
    expect((await a.tenant(idp.secondTenantId)).issuer).toBe('acme.com');

    // The second tenant: its issuer is set, but ngrok reads the default tenant's discovery document.
    const staging = contextFor(idp);
    const { result: second } = await applyAnswering(staging, { ...NAME, tenantId: idp.secondTenantId! });
    expect((await a.tenant(idp.secondTenantId)).issuer).toBe(idp.url);
    expect((await a.application(staging.store.values.clientId!)).tenantId).toBe(idp.secondTenantId);
    expect(second.status).toBe('done'); // the default tenant's issuer was fixed by the first run
  });

  it('a key scoped to the tenant picks it without asking; a key for another tenant than the stored one says so', async () => {
    const idp = await idpWith({ secondTenant: { name: 'Staging' } });
    idp.addApiKey({ key: 'staging-key-0123456789', tenantId: idp.secondTenantId });
    const ctx = contextFor(idp, { apiKey: 'staging-key-0123456789' });
    const { result, asked } = await applyAnswering(ctx, NAME);
    expect(asked).toEqual([`Set the issuer of tenant "Staging" to ${idp.url}?`]);
    expect(ctx.store.values.tenantId).toBe(idp.secondTenantId);
    expect(titles(result)).toContain('FusionAuth 1.69.0 accepts FUSIONAUTH_API_KEY');

    const wrong = contextFor(idp, { apiKey: 'staging-key-0123456789' });
    wrong.store.setValues({ tenantId: idp.tenantId });
    const failed = await runApply(fusionauth, wrong, NAME);
    expect(failed.status).toBe('failed');
    expect(failed.findings.at(-1)?.title).toBe(
      `This setup uses tenant ${idp.tenantId}, which this API key does not see (it sees "Staging").`,
    );
    expect(failed.findings.at(-1)?.fix).toMatch(/scoped to another tenant/);
  });

  it('a wrong key fails at once with what to check; nothing is created', async () => {
    const idp = await idpWith();
    const ctx = contextFor(idp, { apiKey: 'not-the-key-0123456789' });
    const result = await runApply(fusionauth, ctx, { ...NAME, setIssuer: 'yes' });
    expect(result.status).toBe('failed');
    expect(result.findings).toEqual([
      expect.objectContaining({
        level: 'error',
        title: 'FusionAuth rejected the API key while checking the API key (GET /api/system/version).',
        fix: expect.stringContaining('Settings → API Keys'),
      }),
    ]);
    expect(ctx.store.step('fusionauth')?.status).toBe('failed');
    expect(ctx.store.values.applicationName).toBe('ngrok'); // what was typed is kept
    expect(await admin(idp).applications()).toHaveLength(1);
  });

  it('the key from --fusionauth-api-key-file; an unreadable file is named', async () => {
    const idp = await idpWith();
    const file = path.join(tempDir(), 'key');
    writeFileSync(file, `${idp.apiKey}\n`);
    const ctx = contextFor(idp, { apiKey: 'wrong-env-key-0123456789', options: { fusionauthApiKeyFile: file } });
    const { result } = await applyAnswering(ctx, NAME);
    expect(result.status).toBe('done');
    expect(titles(result)).toContain('FusionAuth 1.69.0 accepts the key file');

    const missing = contextFor(idp, { options: { fusionauthApiKeyFile: path.join(tempDir(), 'nope') } });
    const failed = await runApply(fusionauth, missing, NAME);
    expect(failed.findings[0]?.title).toMatch(/^Cannot read the FusionAuth API key file .*nope: it does not exist\.$/);
  });

  it('a FusionAuth answering 500, or dropping the connection, gives its message after the retries', async () => {
    for (const [handler, message] of [
      [
        answer500,
        /^FusionAuth had an internal error \(HTTP 500\) while checking the API key: \[ServerError\]: Something broke\.$/,
      ],
      [dropConnection, /^http:\/\/127\.0\.0\.1:\d+ closed the connection while checking the API key\.$/],
    ] as const) {
      const broken = await faultyServer(handler);
      closers.push(() => broken.close());
      const idp = await idpWith();
      const result = await runApply(fusionauth, contextFor(idp, { url: broken.url }), NAME);
      expect(result.status).toBe('failed');
      expect(result.findings[0]?.title).toMatch(message);
      expect(broken.requests).toHaveLength(4);
    }
  });

  it('"I will change it myself": the issuer is left alone, the application still made, the step not done until it holds', async () => {
    const idp = await idpWith();
    const a = admin(idp);
    const ctx = contextFor(idp);
    const result = await runApply(fusionauth, ctx, { ...NAME, setIssuer: 'manual' });
    expect(result.status).toBe('failed');
    expect(result.findings.find((f) => f.level === 'error')).toMatchObject({
      title: `The tenant's issuer is "acme.com" (a new FusionAuth's default), not ${idp.url}.`,
      fix: expect.stringContaining(`Tenants → Default → Issuer: set it to ${idp.url}`),
    });
    expect((await a.tenant()).issuer).toBe('acme.com');
    expect((await a.application(ctx.store.values.clientId!)).name).toBe('ngrok');
    await a.call('PATCH', `/api/tenant/${idp.tenantId}`, { tenant: { issuer: idp.url } });
    expect((await runApply(fusionauth, ctx, { ...NAME, setIssuer: 'manual' })).status).toBe('done');
  });

  it('the tenant-wide issuer: the question says which applications it touches; --no-input says it as it changes it; --keep-issuer changes nothing and fails with the fix', async () => {
    const idp = await idpWith();
    const a = admin(idp);
    const asked = await runApply(fusionauth, contextFor(idp), NAME);
    expect(asked.status).toBe('ask');
    expect(asked.findings).toContainEqual({
      level: 'info',
      title:
        'The issuer is the tenant\'s: every application of tenant "Default" uses it, not only the application for ngrok.',
    });

    const kept = contextFor(idp, { options: { noInput: true, keepIssuer: true } });
    const refused = await runApply(fusionauth, kept, NAME);
    expect(refused.status).toBe('failed');
    expect(refused.findings.at(-1)).toEqual({
      level: 'error',
      title: `The tenant's issuer is "acme.com", not ${idp.url}, and --keep-issuer keeps it.`,
      fix: expect.stringContaining(
        `Tenants → Default → Issuer: set it to ${idp.url} yourself when the other applications of the tenant allow it (every application of tenant "Default" uses it), or run without --keep-issuer.`,
      ),
    });
    expect((await a.tenant()).issuer).toBe('acme.com');
    expect(kept.store.values.clientId).toBeUndefined();

    const scripted = contextFor(idp, { options: { noInput: true } });
    const changed = await runApply(fusionauth, scripted, NAME);
    expect(changed.status).toBe('done');
    expect(changed.findings).toContainEqual({
      level: 'warn',
      title: `The tenant's issuer changes from "acme.com" to ${idp.url}: every application of tenant "Default" uses it.`,
      fix: 'To leave it as it is, run with --keep-issuer (the step then stops with what to do).',
    });
    expect((await a.tenant()).issuer).toBe(idp.url);
  });
});
