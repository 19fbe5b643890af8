// The ngrok step (and the ngrok side of Next Steps) through the engine, as both front ends run it,
// against the sandbox: where the key comes from and which is kept, the questions it asks (7008 →
// endpoint mode, a stored id gone, which domain), the manual path without a key, and the check.
import { statSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import YAML from 'yaml';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../src/core/store';
import { runApply, runCheck } from '../../src/steps/engine';
import { ngrokNextSteps } from '../../src/steps/next/ngrok';
import { ngrok } from '../../src/steps/ngrok';
import { fieldsFor, initialInput, validateInput, type Input, type StepContext } from '../../src/steps/types';
import { freshStore, startWorld, type World } from '../core/ngrok/fixture';
import { tempDir } from '../helpers/cli';
import { slots } from '../helpers/created';

let world: World;
beforeAll(async () => {
  world = await startWorld();
});
afterAll(() => world.close());
afterEach(() => {
  world.proxy.reset();
  world.ngrok.setEdgesSunset(false);
  world.ngrok.setPlan('pay-as-you-go');
});

const PLAN_NOTE = {
  level: 'info',
  title:
    "Endpoint mode needs ngrok's Pay-as-you-go plan: cloud endpoints and internal endpoints are not on the Free plan, where agent mode gives the same login.",
};

function context(store: Store, env: Record<string, string> = {}, options: StepContext['options'] = {}): StepContext {
  return {
    store,
    options: { port: 8000, ...options },
    env: { NGROK_API_URL: world.proxy.url, NGROK_OIDC_REDIRECT_URI: world.ngrok.redirectUri, ...env },
    signal: new AbortController().signal,
  };
}
const withEnvKey = (store: Store) => context(store, { NGROK_API_KEY: world.ngrok.apiKey });
const input = (ctx: StepContext, extra: Input): Input => ({ ...initialInput(ngrok, ctx), ...extra });
const keys = (ctx: StepContext, i: Input) => fieldsFor(ngrok, i, ctx).map((f) => f.key);

describe('the API key', () => {
  it('from NGROK_API_KEY: no key field, the domain instead of the manual fields; the key is never stored', async () => {
    const ctx = withEnvKey(freshStore(world));
    expect(keys(ctx, input(ctx, { mode: 'endpoint' }))).toEqual(['mode', 'domain', 'internalUrl']);
    expect(keys(ctx, input(ctx, { mode: 'edge' }))).toEqual(['mode', 'domain']);
    // Agent mode needs no key, but with one it finds the domain on the account, as endpoint mode does.
    expect(keys(ctx, input(ctx, { mode: 'agent' }))).toEqual(['mode', 'domain']);
    const result = await runApply(ngrok, ctx, input(ctx, { mode: 'endpoint', domain: 'env-key.ngrok.app' }));
    expect(result.status).toBe('done');
    // What the plan needs comes first, before what was found and created.
    expect(result.findings[0]).toEqual(PLAN_NOTE);
    expect(result.findings[1]!.title).toBe('ngrok accepts the API key (NGROK_API_KEY)');
    expect(ctx.store.values.ngrokApiKey).toBeUndefined();
    expect(JSON.stringify(ctx.store.snapshot())).not.toContain(world.ngrok.apiKey);
  });

  it('typed (masked field): kept in the store once ngrok accepted it; empty means the manual path', async () => {
    const ctx = context(freshStore(world));
    const field = ngrok.fields.find((f) => f.key === 'ngrokApiKey')!;
    expect(field.kind === 'text' && field.secret).toBe(true);
    expect(keys(ctx, input(ctx, { mode: 'endpoint', ngrokApiKey: '' }))).toEqual([
      'mode',
      'ngrokApiKey',
      'endpointUrl',
      'internalUrl',
    ]);
    expect(keys(ctx, input(ctx, { mode: 'edge', ngrokApiKey: world.ngrok.apiKey }))).toEqual([
      'mode',
      'ngrokApiKey',
      'domain',
    ]);

    const result = await runApply(
      ngrok,
      ctx,
      input(ctx, { mode: 'endpoint', ngrokApiKey: world.ngrok.apiKey, domain: 'typed-key.ngrok.app' }),
    );
    expect(result.status).toBe('done');
    expect(ctx.store.values.ngrokApiKey).toBe(world.ngrok.apiKey);
    expect(
      ngrok
        .summary(ctx.store.values)
        .map((r) => r.value)
        .join(' '),
    ).not.toContain(world.ngrok.apiKey);

    // Emptied on a later run: the manual path, and the stored key is forgotten.
    const manual = await runApply(
      ngrok,
      ctx,
      input(ctx, { mode: 'endpoint', ngrokApiKey: '', endpointUrl: 'https://typed-key.ngrok.app' }),
    );
    expect(manual.status).toBe('ask');
    expect(ctx.store.values.ngrokApiKey).toBeUndefined();
  });

  it('the agent authtoken typed as the key: recognised, explained, not kept', async () => {
    const ctx = context(freshStore(world));
    const result = await runApply(
      ngrok,
      ctx,
      input(ctx, { mode: 'endpoint', ngrokApiKey: world.ngrok.authtoken, domain: 'authtoken.ngrok.app' }),
    );
    expect(result.status).toBe('failed');
    expect(result.findings).toEqual([
      {
        level: 'error',
        title: 'That is your ngrok agent authtoken, not an API key (ERR_NGROK_207).',
        fix: expect.stringContaining('API Keys'),
      },
    ]);
    expect(ctx.store.values.ngrokApiKey).toBeUndefined();
  });

  it('from --ngrok-api-key-file; a missing file is one sentence', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'ngrok.key');
    writeFileSync(file, `${world.ngrok.apiKey}\n`);
    const ctx = context(freshStore(world), {}, { ngrokApiKeyFile: file });
    expect(keys(ctx, input(ctx, { mode: 'endpoint' }))).toEqual(['mode', 'domain', 'internalUrl']);
    const done = await runApply(ngrok, ctx, input(ctx, { mode: 'endpoint', domain: 'file-key.ngrok.app' }));
    expect(done.findings[1]!.title).toBe('ngrok accepts the API key (the key file)');
    expect(ctx.store.values.ngrokApiKey).toBeUndefined();

    const missing = context(freshStore(world), {}, { ngrokApiKeyFile: path.join(dir, 'nope') });
    const failed = await runApply(ngrok, missing, input(missing, { mode: 'endpoint', domain: 'file-key.ngrok.app' }));
    expect(failed).toMatchObject({
      status: 'failed',
      findings: [
        { level: 'error', title: `Cannot read the ngrok API key file ${path.join(dir, 'nope')}: it does not exist.` },
      ],
    });
  });
});

describe('questions', () => {
  it('edge creation answering 7008: a plain explanation and one key to switch; the switch creates the cloud endpoint', async () => {
    world.ngrok.setEdgesSunset(true);
    const ctx = withEnvKey(freshStore(world));
    const first = input(ctx, { mode: 'edge', domain: 'sunset-switch.ngrok.app' });
    const asked = await runApply(ngrok, ctx, first);
    expect(asked.status).toBe('ask');
    if (asked.status !== 'ask') return;
    expect(asked.findings[0]).toMatchObject({
      level: 'warn',
      title: expect.stringContaining('no longer offers Edges to this account (ERR_NGROK_7008)'),
    });
    expect(asked.question).toMatchObject({ key: 'switchMode', choices: [{ key: 'e', value: 'endpoint' }] });

    const switched = await runApply(ngrok, ctx, { ...first, switchMode: 'endpoint' });
    expect(switched.status).toBe('done');
    expect(switched.findings[0]!.title).toBe('Switched to endpoint mode.');
    expect(ctx.store.values).toMatchObject({
      ngrokMode: 'endpoint',
      endpointUrl: 'https://sunset-switch.ngrok.app',
      agentCommand: 'ngrok http 8000 --url https://sunset-switch.internal --pooling-enabled',
    });
    expect(slots(ctx.store.created).endpointId).toMatch(/^ep_/);
    expect(slots(ctx.store.created).edgeId).toBeUndefined();
    expect(ctx.store.step('ngrok')?.status).toBe('done');
  });

  it('endpoint mode on a Free account: one sentence for ERR_NGROK_18008, an offer of agent mode, and the switch sets it up there', async () => {
    world.ngrok.setPlan('free');
    const domains = (await world.raw('GET', '/reserved_domains?limit=100')).json!.reserved_domains as Array<{
      domain: string;
      is_dev: boolean;
    }>;
    const dev = domains.find((d) => d.is_dev)!.domain;
    const ctx = withEnvKey(freshStore(world));
    const first = input(ctx, { mode: 'endpoint', domain: dev });
    expect(ngrok.instructions(ctx, first)).toContain(PLAN_NOTE.title);
    const asked = await runApply(ngrok, ctx, first);
    expect(asked.status).toBe('ask');
    if (asked.status !== 'ask') return;
    expect(asked.findings).toEqual([
      {
        level: 'warn',
        title: expect.stringMatching(
          /^Your ngrok plan has no cloud endpoints, so ngrok refused .+ \(ERR_NGROK_18008\): endpoint mode needs the Pay-as-you-go plan\.$/,
        ),
        fix: expect.stringContaining('Agent mode (--ngrok-mode agent) gives the same login on the Free plan'),
      },
    ]);
    expect(asked.question).toMatchObject({ key: 'switchMode', choices: [{ key: 'a', value: 'agent' }] });
    expect(slots(ctx.store.created).endpointId).toBeUndefined();

    const switched = await runApply(ngrok, ctx, { ...first, switchMode: 'agent' });
    expect(switched.status).toBe('done');
    expect(switched.findings[0]!.title).toBe('Switched to agent mode.');
    expect(ctx.store.values).toMatchObject({
      ngrokMode: 'agent',
      endpointUrl: `https://${dev}`,
      agentCommand: `ngrok http 8000 --url https://${dev} --traffic-policy-file ${ctx.store.values.policyFile} --pooling-enabled`,
    });
    expect(ctx.store.step('ngrok')?.status).toBe('done');
  });

  it('a stored endpoint deleted in the dashboard: the check notices, apply asks, "y" recreates it', async () => {
    const ctx = withEnvKey(freshStore(world));
    await runApply(ngrok, ctx, input(ctx, { mode: 'endpoint', domain: 'dashboard-deleted.ngrok.app' }));
    expect((await runCheck(ngrok, ctx)).done).toBe(true);
    const old = slots(ctx.store.created).endpointId!;
    await world.raw('DELETE', `/endpoints/${old}`);

    const check = await runCheck(ngrok, ctx);
    expect(check.done).toBe(false);
    expect(check.findings[0]!.title).toBe(`The cloud endpoint ${old} no longer exists on ngrok.`);
    expect(ctx.store.step('ngrok')?.status).toBe('failed');

    const again = input(ctx, { mode: 'endpoint' });
    const asked = await runApply(ngrok, ctx, again);
    expect(asked).toMatchObject({
      status: 'ask',
      question: { key: 'recreate', prompt: `Create The cloud endpoint ${old} again?` },
    });
    const done = await runApply(ngrok, ctx, { ...again, recreate: 'yes' });
    expect(done.status).toBe('done');
    expect(slots(ctx.store.created).endpointId).not.toBe(old);
    expect((await runCheck(ngrok, ctx)).done).toBe(true);
  });

  it('no domain given and several on the account: a question with one key per domain and one for a new one', async () => {
    await world.raw('POST', '/reserved_domains', { domain: 'pick-me.ngrok.app' });
    const ctx = withEnvKey(freshStore(world));
    const asked = await runApply(ngrok, ctx, input(ctx, { mode: 'endpoint' }));
    expect(asked.status).toBe('ask');
    if (asked.status !== 'ask') return;
    expect(asked.question.key).toBe('domainChoice');
    // Newest first, as ngrok lists them; at most nine, each on a digit.
    expect(asked.question.choices[0]).toEqual({ key: '1', label: 'pick-me.ngrok.app', value: 'pick-me.ngrok.app' });
    expect(asked.question.choices.length).toBeLessThanOrEqual(10);
    expect(asked.question.choices.at(-1)).toEqual({ key: 'n', label: 'reserve a new domain', value: '(new)' });
    const done = await runApply(ngrok, ctx, { ...input(ctx, { mode: 'endpoint' }), domainChoice: 'pick-me.ngrok.app' });
    expect(done.status).toBe('done');
    expect(ctx.store.values).toMatchObject({ domain: 'pick-me.ngrok.app', endpointUrl: 'https://pick-me.ngrok.app' });
    // Not ours: picked, not created, so `destroy` will leave it alone.
    expect(slots(ctx.store.created).reservedDomainId).toBeUndefined();
  });
});

describe('agent mode and --url', () => {
  it('with a key: no domain given picks one of the account (a question when there are several), a typed one is checked on the account', async () => {
    await world.raw('POST', '/reserved_domains', { domain: 'agent-pick.ngrok.app' });
    const ctx = withEnvKey(freshStore(world));
    const first = input(ctx, { mode: 'agent' });
    expect(validateInput(ngrok, first, ctx)).toEqual({});
    const asked = await runApply(ngrok, ctx, first);
    expect(asked.status).toBe('ask');
    if (asked.status !== 'ask') return;
    expect(asked.question.key).toBe('domainChoice');
    expect(asked.question.choices.map((c) => c.value)).toContain('agent-pick.ngrok.app');
    const done = await runApply(ngrok, ctx, { ...first, domainChoice: 'agent-pick.ngrok.app' });
    expect(done.status).toBe('done');
    expect(done.findings.slice(0, 2).map((f) => f.title)).toEqual([
      'ngrok accepts the API key (NGROK_API_KEY)',
      'Domain agent-pick.ngrok.app (reserved on your account)',
    ]);
    expect(ctx.store.values).toMatchObject({
      ngrokMode: 'agent',
      endpointUrl: 'https://agent-pick.ngrok.app',
      agentCommand: `ngrok http 8000 --url https://agent-pick.ngrok.app --traffic-policy-file ${ctx.store.values.policyFile} --pooling-enabled`,
    });
    expect(ctx.store.values.ngrokApiKey).toBeUndefined();
  });

  it("--url is where every mode's public URL field starts, and a rerun with another --url is not taken as done", async () => {
    const url = 'https://from-flag.ngrok.app';
    const keyed = context(freshStore(world), { NGROK_API_KEY: world.ngrok.apiKey }, { url });
    expect(input(keyed, { mode: 'endpoint' }).domain).toBe(url);
    expect(input(keyed, { mode: 'agent' }).domain).toBe(url);
    const manual = context(freshStore(world), {}, { url });
    expect(input(manual, { mode: 'agent' }).endpointUrl).toBe(url);
    expect(input(manual, { mode: 'endpoint', ngrokApiKey: '' }).endpointUrl).toBe(url);

    const done = await runApply(ngrok, manual, input(manual, { mode: 'agent' }));
    expect(done.status).toBe('done');
    expect(manual.store.values.endpointUrl).toBe(url);
    expect((await runCheck(ngrok, manual)).done).toBe(true);
    const moved = { ...manual, options: { ...manual.options, url: 'https://elsewhere.ngrok.app' } };
    const check = await runCheck(ngrok, moved);
    expect(check.done).toBe(false);
    expect(check.findings).toEqual([
      {
        level: 'info',
        title: `--url asks for https://elsewhere.ngrok.app; this setup has ${url}.`,
        fix: 'Going on sets the site up there.',
      },
    ]);
  });
});

describe('without a key: the manual path, checked where it can be', () => {
  /** The sandbox's cloud is where this machine reaches a public URL (as `setup --sandbox` is told). */
  const reaching = (ctx: StepContext): StepContext => ({ ...ctx, reach: (url) => world.ngrok.publicUrlFor(url) });
  const unchecked = (findings: Array<{ level: string; title: string }>) =>
    findings.filter((f) => f.level === 'unchecked').map((f) => f.title);

  it('edge: the pasted tunnel command and redirect URI; what cannot be seen before the agent runs is "not checked", never ✔', async () => {
    const ctx = reaching(context(freshStore(world)));
    const edge = input(ctx, {
      mode: 'edge',
      ngrokApiKey: '',
      endpointUrl: 'https://by-hand.ngrok.app',
      tunnelCommand: 'ngrok tunnel --region us --label edge=edghts_2HhKN3ozOCbPO6eDYlXnUgUyiEn http://localhost:80',
      redirectUri: world.ngrok.redirectUri,
    });
    expect(validateInput(ngrok, edge, ctx)).toEqual({});
    const result = await runApply(ngrok, ctx, edge);
    expect(result.status).toBe('done');
    expect(ctx.store.values.agentCommand).toBe(
      'ngrok tunnel --region us --label edge=edghts_2HhKN3ozOCbPO6eDYlXnUgUyiEn http://localhost:8000',
    );
    expect(unchecked(result.findings)).toEqual([
      expect.stringMatching(
        /^Not checked: the edge's OIDC settings \(https:\/\/by-hand\.ngrok\.app does not send strangers to the FusionAuth login yet: .+\)\. Test It Out checks them with the agent running\.$/,
      ),
    ]);
    expect(result.findings.filter((f) => f.level === 'ok').map((f) => f.title)).not.toContain(
      'Edge edghts_2HhKN3ozOCbPO6eDYlXnUgUyiEn at https://by-hand.ngrok.app',
    );
    // A second path by hand: the backend to create carries the labels of the second app's tunnel, not edge=….
    const second = await ngrokNextSteps.apply(ctx, { ngrokSettings: 'change', secondPath: '/api', secondPort: '8001' });
    expect(second.find((f) => f.title.startsWith('Without an ngrok API key'))?.fix).toContain(
      'labelled for-edge=edghts_2HhKN3ozOCbPO6eDYlXnUgUyiEn and app=api (not edge=…',
    );
  });

  it('endpoint: "y" at "Have you created the cloud endpoint?" is checked at the public URL: nothing there fails; once it is there, ✔ for what is seen and "not checked" for the rest', async () => {
    const ctx = reaching(context(freshStore(world)));
    const endpoint = input(ctx, {
      mode: 'endpoint',
      ngrokApiKey: '',
      endpointUrl: 'https://by-hand-endpoint.ngrok.app',
      internalUrl: 'https://by-hand.internal',
    });
    expect(validateInput(ngrok, endpoint, ctx)).toEqual({});
    const asked = await runApply(ngrok, ctx, endpoint);
    expect(asked).toMatchObject({ status: 'ask', question: { key: 'endpointCreated' } });
    const policyFile = ctx.store.values.policyFile!;
    expect(statSync(policyFile).mode & 0o777).toBe(0o600);
    const policy = YAML.parse(await readFile(policyFile, 'utf8'));
    expect(policy.on_http_request[0].actions[0]).toMatchObject({
      type: 'openid-connect',
      config: { issuer_url: world.idp.url, client_id: world.app.clientId },
    });
    expect(policy.on_http_request.at(-1).actions).toEqual([
      { type: 'forward-internal', config: { url: 'https://by-hand.internal' } },
    ]);

    // "y" with nothing created: not a ✔, a failure that says what to do.
    const trusted = await runApply(ngrok, ctx, { ...endpoint, endpointCreated: 'yes' });
    expect(trusted.status).toBe('failed');
    expect(trusted.findings.filter((f) => f.level === 'ok').map((f) => f.title)).not.toContain(
      'Endpoint https://by-hand-endpoint.ngrok.app forwards to https://by-hand.internal',
    );
    expect(trusted.findings.find((f) => f.level === 'error')).toEqual({
      level: 'error',
      title: 'Nothing serves https://by-hand-endpoint.ngrok.app: no cloud endpoint answers there yet.',
      fix: expect.stringContaining(
        `Endpoints → New → Cloud Endpoint: URL https://by-hand-endpoint.ngrok.app; Traffic Policy: the contents of ${policyFile}`,
      ),
    });
    expect(ctx.store.step('ngrok')?.status).toBe('failed');

    // The person creates it in the dashboard (here: its API) with the policy the wizard wrote.
    await world.raw('POST', '/reserved_domains', { domain: 'by-hand-endpoint.ngrok.app' });
    const created = await world.raw('POST', '/endpoints', {
      type: 'cloud',
      url: 'https://by-hand-endpoint.ngrok.app',
      traffic_policy: await readFile(policyFile, 'utf8'),
    });
    expect(created.status).toBe(201);
    const done = await runApply(ngrok, ctx, { ...endpoint, endpointCreated: 'yes' });
    expect(done.status).toBe('done');
    expect(done.findings.filter((f) => f.level === 'ok').map((f) => f.title)).toContain(
      `https://by-hand-endpoint.ngrok.app sends strangers to the FusionAuth login (client ${world.app.clientId}): the cloud endpoint is there`,
    );
    expect(unchecked(done.findings)).toEqual([
      'Not checked: the Client secret in the policy you pasted, and its forward to https://by-hand.internal: ngrok uses them only once someone logs in (Test It Out does).',
    ]);
    expect(ctx.store.values.agentCommand).toBe('ngrok http 8000 --url https://by-hand.internal --pooling-enabled');
    expect(world.proxy.seen).toEqual([]);

    // The check on resume asks the public URL again: an endpoint deleted in the dashboard is noticed.
    expect((await runCheck(ngrok, ctx)).done).toBe(true);
    await world.raw('DELETE', `/endpoints/${created.json!.id}`);
    const gone = await runCheck(ngrok, ctx);
    expect(gone.done).toBe(false);
    expect(gone.findings.find((f) => f.level === 'error')?.title).toMatch(
      /^https:\/\/by-hand-endpoint\.ngrok\.app answered 404: The endpoint is offline: no agent serves it\. \(ERR_NGROK_3200\)$/,
    );
  });

  it('agent: that the domain is the account\'s cannot be known without a key: "not checked", never ✔', async () => {
    const ctx = reaching(context(freshStore(world)));
    const done = await runApply(
      ngrok,
      ctx,
      input(ctx, { mode: 'agent', endpointUrl: 'https://agent-by-hand.ngrok.app' }),
    );
    expect(done.status).toBe('done');
    expect(unchecked(done.findings)).toEqual([
      'Not checked: that agent-by-hand.ngrok.app is a domain of your ngrok account (dashboard → Domains); the agent refuses any other when it starts (Test It Out starts it).',
    ]);
  });
});

describe('Next Steps, ngrok side', () => {
  it('"leave them" changes nothing; "change" stores the settings, applies them through the API and shows them', async () => {
    const ctx = withEnvKey(freshStore(world));
    await runApply(ngrok, ctx, input(ctx, { mode: 'endpoint', domain: 'next-steps.ngrok.app' }));
    world.proxy.reset();
    expect(await ngrokNextSteps.apply(ctx, { ngrokSettings: 'keep' })).toEqual([]);
    expect(world.proxy.seen).toEqual([]);

    const findings = await ngrokNextSteps.apply(ctx, {
      ngrokSettings: 'change',
      sessionInactivity: '30m',
      sessionMaxDuration: '',
      userinfoRefresh: '',
      allowCidrs: '127.0.0.0/8',
      addHeaders: 'X-Site=demo',
      removeHeaders: '',
      secondPath: '',
      secondPort: '',
    });
    expect(findings.filter((f) => f.level === 'error')).toEqual([]);
    expect(findings.map((f) => f.title)).toEqual(
      expect.arrayContaining([
        'Sessions: log out after 30m without a visit',
        'Only 127.0.0.0/8 get to the login (restrict-ips)',
        'Headers of the request to your app: +X-Site: demo',
        'Its traffic policy is updated',
      ]),
    );
    const policy = YAML.parse(
      (await world.raw('GET', `/endpoints/${slots(ctx.store.created).endpointId}`)).json!.traffic_policy,
    );
    expect(policy.on_http_request[0].actions.map((a: { type: string }) => a.type)).toEqual([
      'restrict-ips',
      'openid-connect',
      'add-headers',
    ]);
    expect(ngrokNextSteps.summary(ctx.store.values)).toEqual(
      expect.arrayContaining([
        { label: 'Log out after inactivity', value: '30m' },
        { label: 'Allowed networks', value: '127.0.0.0/8' },
      ]),
    );
    // The ngrok step still holds with the new settings.
    expect((await runCheck(ngrok, ctx)).done).toBe(true);
  });

  it("edge mode: a route's headers module takes 5 headers each way; a sixth is refused before anything is sent", async () => {
    const ctx = withEnvKey(freshStore(world));
    expect((await runApply(ngrok, ctx, input(ctx, { mode: 'edge', domain: 'six-headers.ngrok.app' }))).status).toBe(
      'done',
    );
    world.proxy.reset();
    const six = Array.from({ length: 6 }, (_, i) => `X-H${i}=v`).join('; ');
    const findings = await ngrokNextSteps.apply(ctx, { ngrokSettings: 'change', addHeaders: six });
    expect(findings).toEqual([
      { level: 'error', title: "An edge route's request headers module takes at most 5 headers to add; 6 are set." },
    ]);
    expect(world.proxy.writes()).toEqual([]);
    expect(ctx.store.values.addHeaders).toBeUndefined();
  });

  it('in agent mode the policy file is rewritten, and a bad value is refused as typed', async () => {
    const ctx = context(freshStore(world));
    await runApply(ngrok, ctx, input(ctx, { mode: 'agent', endpointUrl: 'https://next-agent.ngrok.app' }));
    const findings = await ngrokNextSteps.apply(ctx, {
      ngrokSettings: 'change',
      sessionMaxDuration: '12h',
      secondPath: '/api',
      secondPort: '8001',
    });
    expect(findings.map((f) => f.title)).toEqual(
      expect.arrayContaining([
        'Sessions: log in again after 12h',
        '/api goes to the app on port 8001',
        'Second app (/api): ngrok http 8001 --url https://next-agent-api.internal --pooling-enabled',
      ]),
    );
    const doc = YAML.parse(await readFile(ctx.store.values.policyFile!, 'utf8'));
    expect(doc.on_http_request[1]).toEqual({
      expressions: ["req.url.path == '/api' || req.url.path.startsWith('/api/')"],
      actions: [{ type: 'forward-internal', config: { url: 'https://next-agent-api.internal' } }],
    });

    const field = ngrokNextSteps.fields.find((f) => f.key === 'allowCidrs')!;
    expect(field.kind === 'text' && field.validate('10.0.0.0/33', {})).toEqual({
      ok: false,
      message: 'Not a network in CIDR notation: 10.0.0.0/33 (like 203.0.113.0/24 or 2001:db8::/32).',
    });
  });
});
