// The FusionAuth client wrapper, through @fusionauth/typescript-client itself, against the sandbox IdP
// and against small broken servers. First the library's defects this module exists for are pinned.
import { FusionAuthClient } from '@fusionauth/typescript-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApplication } from '../../../src/core/fusionauth';
import { FusionAuthApi } from '../../../src/core/fusionauth';
import { FusionAuthError } from '../../../src/core/fusionauth';
import { checkKey, listTenants } from '../../../src/core/fusionauth';
import { startIdp, type Idp } from '../../../src/sandbox/idp/index';
import {
  answer500,
  dropConnection,
  faultyServer,
  neverAnswer,
  selfSignedServer,
  version,
} from '../../helpers/fusionauth-faults';

const TEST_OWNER = { setupId: '00000000-0000-4000-8000-00000000a11a', dir: '/tmp/own-test' };

let idp: Idp;
beforeAll(async () => {
  idp = await startIdp({
    apiKeys: [
      { key: 'fresh-key-0123456789', unauthorizedForFirstCalls: 2 },
      { key: 'read-only-key-0123456789', permissions: { '/api/system/version': ['GET'], '/api/application': ['GET'] } },
    ],
  });
});
afterAll(() => idp?.close());

const connect = (
  url: string,
  apiKey = idp.apiKey,
  extra: { timeoutMs?: number; signal?: AbortSignal; tenantId?: string } = {},
) =>
  FusionAuthApi.connect({
    url,
    apiKey,
    signal: extra.signal ?? new AbortController().signal,
    timeoutMs: extra.timeoutMs,
    tenantId: extra.tenantId,
  });

async function failure(promise: Promise<unknown>): Promise<FusionAuthError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(FusionAuthError);
  return error as FusionAuthError;
}

describe('the library, unwrapped (the defects the wrapper exists for)', () => {
  it('rejects with a ClientResponse, not an Error; exception is the JSON body only for application/json', async () => {
    const client = new FusionAuthClient(idp.apiKey, idp.url);
    const duplicate = await client
      .createApplication(null as never, { application: { name: 'FusionAuth' } })
      .catch((e: unknown) => e);
    expect(duplicate).not.toBeInstanceOf(Error);
    expect(duplicate).toMatchObject({
      statusCode: 400,
      exception: { fieldErrors: { 'application.name': [{ code: '[duplicate]application.name' }] } },
    });
    const unauthorized = await new FusionAuthClient('wrong-key', idp.url).retrieveVersion().catch((e: unknown) => e);
    expect(unauthorized).toMatchObject({ statusCode: 401 });
    expect((unauthorized as { exception?: unknown }).exception).toBeUndefined();
    const refused = await new FusionAuthClient(idp.apiKey, 'http://127.0.0.1:9')
      .retrieveVersion()
      .catch((e: unknown) => e);
    expect((refused as { statusCode?: number }).statusCode).toBeUndefined();
    expect((refused as { exception?: Error }).exception).toBeInstanceOf(Error);
  });

  it('has no timeout: a FusionAuth that never answers keeps the call pending, where the wrapper gives up', async () => {
    const silent = await faultyServer(neverAnswer);
    try {
      const pending = new FusionAuthClient(idp.apiKey, silent.url).retrieveVersion();
      pending.catch(() => {}); // rejected when the server is closed below
      const outcome = await Promise.race([
        pending.then(
          () => 'settled',
          () => 'settled',
        ),
        new Promise((r) => setTimeout(() => r('still pending'), 1500)),
      ]);
      expect(outcome).toBe('still pending');

      const started = Date.now();
      const error = await failure(checkKey(await connect(silent.url, idp.apiKey, { timeoutMs: 1000 })));
      expect(Date.now() - started).toBeLessThan(3000);
      expect(error.message).toBe(`${silent.url} did not answer within 1 s while checking the API key.`);
      expect(error.hint).toMatch(/server is up/);
    } finally {
      await silent.close();
    }
  });
});

describe('the wrapper against the sandbox IdP', () => {
  it("answers through the library with the caller's tenant header", async () => {
    const api = await connect(idp.url);
    expect(await checkKey(api)).toBe('1.69.0');
    expect((await listTenants(api)).map((t) => t.issuer)).toEqual(['acme.com']);
  });

  it('a wrong key: one sentence, and which permissions a limited key needs', async () => {
    const error = await failure(checkKey(await connect(idp.url, 'wrong-key-0123456789')));
    expect(error.status).toBe(401);
    expect(error.message).toBe('FusionAuth rejected the API key while checking the API key (GET /api/system/version).');
    expect(error.hint).toContain('Settings → API Keys');
    expect(error.hint).toContain('/api/application GET POST PUT');
  });

  it("a fresh key's transient 401 is retried until FusionAuth knows it", async () => {
    expect(await checkKey(await connect(idp.url, 'fresh-key-0123456789'))).toBe('1.69.0');
  });

  it('a key without a permission: names the method and endpoint to allow', async () => {
    const api = await connect(idp.url, 'read-only-key-0123456789');
    await checkKey(api);
    const error = await failure(createApplication(api, 'needs-post', TEST_OWNER, () => {}));
    expect(error.message).toBe(
      'FusionAuth rejected the API key while creating the application: it may not call POST /api/application.',
    );
    expect(error.hint).toContain('Allow POST on /api/application');
  });

  it("a 400 carries FusionAuth's field error codes", async () => {
    const error = await failure(createApplication(await connect(idp.url), 'FusionAuth', TEST_OWNER, () => {}));
    expect(error.status).toBe(400);
    expect(error.codes).toEqual(['[duplicate]application.name']);
    expect(error.message).toBe(
      'FusionAuth refused creating the application: [duplicate]application.name: An Application with name [FusionAuth] already exists.',
    );
    expect(error.hint).toMatch(/another name/);
  });

  it('several tenants and no tenant named: [TenantIdRequired], with what to do', async () => {
    const multi = await startIdp({ secondTenant: true });
    try {
      const error = await failure(
        createApplication(await connect(multi.url, multi.apiKey), 'ngrok', TEST_OWNER, () => {}),
      );
      expect(error.message).toContain(
        'FusionAuth refused creating the application: [TenantIdRequired]: A Tenant Id is required',
      );
      expect(error.hint).toMatch(/several tenants: choose the tenant/);
      const wrongTenant = await failure(
        createApplication(
          await connect(multi.url, multi.apiKey, { tenantId: '00000000-0000-4000-8000-000000000000' }),
          'ngrok',
          TEST_OWNER,
          () => {},
        ),
      );
      expect(wrongTenant.message).toContain('[invalid]tenantId');
      expect(wrongTenant.hint).toMatch(/does not exist/);
    } finally {
      await multi.close();
    }
  });
});

describe('a broken FusionAuth or network', () => {
  it('500s are retried with backoff, then reported', async () => {
    const broken = await faultyServer(answer500);
    try {
      const error = await failure(checkKey(await connect(broken.url)));
      expect(broken.requests).toHaveLength(4);
      expect(error.message).toBe(
        'FusionAuth had an internal error (HTTP 500) while checking the API key: [ServerError]: Something broke.',
      );
      expect(error.hint).toMatch(/retried/);
    } finally {
      await broken.close();
    }
  });

  it('a 500 that passes is not an error', async () => {
    const flaky = await faultyServer((req, res, n) => (n <= 2 ? answer500(req, res) : version(req, res)));
    try {
      expect(await checkKey(await connect(flaky.url))).toBe('1.69.0');
      expect(flaky.requests).toHaveLength(3);
    } finally {
      await flaky.close();
    }
  });

  it('a dropped connection is retried, then reported', async () => {
    const dropping = await faultyServer(dropConnection);
    try {
      const error = await failure(listTenants(await connect(dropping.url)));
      expect(dropping.requests).toHaveLength(4);
      expect(error.message).toBe(`${dropping.url} closed the connection while listing the tenants.`);
    } finally {
      await dropping.close();
    }
    const once = await faultyServer((req, res, n) => (n === 1 ? dropConnection(req) : version(req, res)));
    try {
      expect(await checkKey(await connect(once.url))).toBe('1.69.0');
    } finally {
      await once.close();
    }
  });

  it('an unreachable host is reported at once, not retried', async () => {
    const closed = await faultyServer(version);
    await closed.close();
    const started = Date.now();
    const error = await failure(checkKey(await connect(closed.url)));
    expect(Date.now() - started).toBeLessThan(1000);
    expect(error.message).toBe(
      `Nothing is listening at ${closed.url} (connection refused) while checking the API key.`,
    );
  });

  it('TLS failures: an untrusted certificate, and https:// on a plain http server', async () => {
    const tls = await selfSignedServer();
    try {
      const error = await failure(checkKey(await connect(tls.url)));
      expect(error.message).toBe(`${tls.url} uses a self-signed TLS certificate while checking the API key.`);
    } finally {
      await tls.close();
    }
    const plain = await faultyServer(version);
    try {
      const error = await failure(checkKey(await connect(plain.url.replace('http:', 'https:'))));
      expect(error.message).toMatch(
        /^TLS with https:\/\/127\.0\.0\.1:\d+ failed \(is it plain http on an https URL\?\) while checking the API key\.$/,
      );
    } finally {
      await plain.close();
    }
  });

  it('an answer that is not JSON (a web page where the API should be)', async () => {
    const page = await faultyServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html>hello</html>');
    });
    try {
      const error = await failure(checkKey(await connect(page.url)));
      expect(error.message).toBe(
        'FusionAuth answered HTTP 200 with a page that is not JSON while checking the API key.',
      );
    } finally {
      await page.close();
    }
  });

  it("Ctrl-C (the caller's signal) ends a pending call at once, as an abort", async () => {
    const silent = await faultyServer(neverAnswer);
    try {
      const controller = new AbortController();
      const pending = checkKey(await connect(silent.url, idp.apiKey, { signal: controller.signal }));
      setTimeout(() => controller.abort(), 100);
      const error = await pending.catch((e: unknown) => e);
      expect((error as Error).name).toBe('AbortError');
      expect(error).not.toBeInstanceOf(FusionAuthError);
    } finally {
      await silent.close();
    }
  });
});
