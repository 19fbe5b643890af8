import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Store, StoreCorruptError } from '../../../src/core/store';
import { runCli, tempDir } from '../../helpers/cli';

const mode = (file: string) => statSync(file).mode & 0o777;
const TENANT = '6b7c8d9e-0f1a-4b2c-8d3e-4f5a6b7c8d9e';

describe('Store', () => {
  it('keeps values and step states across opens, in a 0600 file in a 0700 folder', () => {
    const dir = path.join(tempDir(), 'cfg');
    const store = Store.open(dir);
    store.setValues({ fusionauthUrl: 'https://auth.example.com', clientSecret: 's3cret-value-123', sitePort: 8000 });
    store.setStep('prereqs', 'done');
    const again = Store.open(dir);
    expect(again.values).toMatchObject({ fusionauthUrl: 'https://auth.example.com', sitePort: 8000 });
    expect(again.step('prereqs')?.status).toBe('done');
    expect(mode(dir)).toBe(0o700);
    expect(mode(again.path)).toBe(0o600);
  });

  it("leaves the mode of a folder it did not make as it is (0750 is nobody else's to write)", () => {
    const dir = tempDir();
    chmodSync(dir, 0o750);
    Store.open(dir).setValues({ sitePort: 1234 });
    expect(mode(dir)).toBe(0o750);
  });

  it.each([
    ['truncated', '{"values": {"fusionauthUrl": "https://a', /not valid JSON/],
    ['empty', '', /empty/],
    ['not an object', '[1,2]', /JSON object/],
    ['wrong types', JSON.stringify({ values: { sitePort: 'eighty' }, created: {}, steps: {} }), /wrong values/],
    [
      'unknown step state',
      JSON.stringify({ values: {}, created: {}, steps: { site: { status: 'half', updatedAt: 'x' } } }),
      /wrong values/,
    ],
  ])('a %s file is kept aside with a clear error, never silently reset', (_name, content, reason) => {
    const dir = tempDir();
    const file = path.join(dir, 'config.json');
    writeFileSync(file, content);
    let error: unknown;
    try {
      Store.open(dir);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(StoreCorruptError);
    const corrupt = error as StoreCorruptError;
    expect(corrupt.message).toContain(file);
    expect(corrupt.message).toMatch(reason);
    expect(existsSync(file)).toBe(false);
    expect(readFileSync(corrupt.keptAt, 'utf8')).toBe(content);
    expect(readdirSync(dir).filter((f) => f.startsWith('config.json.broken-'))).toHaveLength(1);
  });
});

describe('the CLI and the store', () => {
  it('`status --json` on an empty config dir lists every step as pending', async () => {
    const dir = path.join(tempDir(), 'fresh');
    const result = await runCli(['--config-dir', dir, 'status', '--json']);
    expect(result.exitCode).toBe(0);
    const status = JSON.parse(result.stdout);
    expect(status.values).toEqual({});
    expect(status.steps.map((s: { id: string; status: string }) => `${s.id}:${s.status}`)).toEqual(
      ['prereqs', 'site', 'fusionauth', 'ngrok', 'finish', 'test', 'next'].map((id) => `${id}:pending`),
    );
  });

  it('`status` masks the client secret', async () => {
    const dir = tempDir();
    Store.open(dir).setValues({
      clientSecret: 'hF0x_9Jq3kLm8NvB2cR5tY7uW1zX4aS6dE0gI2oP',
      clientId: '3c219e58-ed0e-4b18-ad48-f4f92793ae32',
    });
    for (const args of [['status'], ['status', '--json']]) {
      const result = await runCli(['--config-dir', dir, ...args]);
      expect(result.exitCode).toBe(0);
      expect(result.stdout).not.toContain('hF0x_9Jq3kLm8NvB2cR5tY7uW1zX4aS6dE0gI2oP');
      expect(result.stdout).toContain('2oP');
    }
  });

  it('NGROK_FUSIONAUTH_CONFIG_DIR picks the folder; --config-dir wins over it', async () => {
    const a = tempDir();
    const b = tempDir();
    Store.open(a).setValues({ sitePort: 1111 });
    Store.open(b).setValues({ sitePort: 2222 });
    const fromEnv = await runCli(['status', '--json'], { env: { NGROK_FUSIONAUTH_CONFIG_DIR: a } });
    expect(JSON.parse(fromEnv.stdout).values.sitePort).toBe(1111);
    const fromFlag = await runCli(['--config-dir', b, 'status', '--json'], { env: { NGROK_FUSIONAUTH_CONFIG_DIR: a } });
    expect(JSON.parse(fromFlag.stdout).values.sitePort).toBe(2222);
  });

  it('`status` reports the file it read, whatever keys the file holds', async () => {
    const dir = tempDir();
    writeFileSync(
      path.join(dir, 'config.json'),
      JSON.stringify({ path: '/etc/elsewhere.json', configPath: '/etc/x', values: {} }),
    );
    const result = await runCli(['status', '--json'], { env: { NGROK_FUSIONAUTH_CONFIG_DIR: dir } });
    expect(JSON.parse(result.stdout).configPath).toBe(path.join(dir, 'config.json'));
  });

  // Both ways of naming the folder (the env, --config-dir): `status` is bundled on its own, and its
  // UserError must be the one class cli.ts knows (dist/errors.js), so it is reported as one.
  it.each([
    ['the env', (dir: string) => ({ args: ['status'], env: { NGROK_FUSIONAUTH_CONFIG_DIR: dir } })],
    ['--config-dir', (dir: string) => ({ args: ['--config-dir', dir, 'status'], env: {} })],
  ])('a corrupted store (folder from %s): exit 1, the file named and kept, no stack trace', async (_how, call) => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'config.json'), '{"values": ');
    const { args, env } = call(dir);
    const result = await runCli(args, { env });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain(path.join(dir, 'config.json'));
    expect(result.stderr).toMatch(/moved to .*config\.json\.broken-/);
    expect(result.stderr).not.toMatch(/\n\s+at |unexpected failure/);
    expect(readdirSync(dir).some((f) => f.startsWith('config.json.broken-'))).toBe(true);
  });

  it('`reset` counts every recorded object and keeps them, with the setup id, for `destroy`', async () => {
    const dir = tempDir();
    const store = Store.open(dir);
    const { setupId } = store.owner();
    store.setValues({ sitePort: 1111, fusionauthUrl: 'https://auth.example.com', tenantId: TENANT });
    store.recordObject({ kind: 'ngrok-edge', id: 'edghts_1' });
    store.recordObject({ kind: 'ngrok-edge-route', id: 'edghtsrt_1', parent: 'edghts_1' });
    store.recordObject({ kind: 'ngrok-backend', id: 'bkdtg_1' });
    const objects = store.created.objects;
    const result = await runCli(['--config-dir', dir, 'reset']);
    expect(result.stdout).toContain('3 object(s) created in FusionAuth/ngrok were left as they are');
    // Forgotten: the settings. Kept: whose the objects are, which they are, and where they live.
    expect(Store.open(dir).snapshot()).toEqual({
      values: { fusionauthUrl: 'https://auth.example.com', tenantId: TENANT },
      created: { setupId, objects },
      steps: {},
    });
  });

  it('`reset` forgets local state: the settings, the policy file and the agent log it made, not the sandbox', async () => {
    const dir = tempDir();
    const store = Store.open(dir);
    store.setValues({ sitePort: 1111 });
    for (const file of ['traffic-policy.yml', 'agent.log'] as const) writeFileSync(store.ownFile(file), 'x');
    writeFileSync(path.join(dir, 'agent.log.1'), 'x');
    mkdirSync(path.join(dir, 'sandbox'));
    const result = await runCli(['--config-dir', dir, 'reset']);
    expect(result.exitCode).toBe(0);
    expect(Store.open(dir).values).toEqual({});
    expect(readdirSync(dir).sort()).toEqual(['config.json', 'sandbox']);
  });
});

describe('the schema, compiled at build time', () => {
  // Documents that break the schema in each of its rules, and some that keep it, with the verdict the
  // schema means (not only what ajv says of it).
  const documents: Array<[string, unknown, boolean]> = [
    ['empty', {}, true],
    [
      'full sections',
      {
        values: { sitePort: 8000, ngrokMode: 'edge', allowCidrs: ['10.0.0.0/8'], addHeaders: { 'x-a': 'b' } },
        created: {
          setupId: '0b5c3a52-6f1e-4d7a-9c2b-8e4f1a3d5c7e',
          objects: [
            { kind: 'ngrok-edge', id: 'edg_1' },
            { kind: 'ngrok-edge-route', id: 'edgrt_1', parent: 'edg_1', role: 'second' },
          ],
        },
        steps: { site: { status: 'done', updatedAt: 'now' } },
      },
      true,
    ],
    ['an unknown top-level key (conf keeps its own there)', { __internal__: { migrations: {} }, values: {} }, true],
    ['port as text', { values: { sitePort: 'eighty' } }, false],
    ['port out of range', { values: { sitePort: 70000 } }, false],
    ['port not whole', { values: { secondPort: 80.5 } }, false],
    ['unknown mode', { values: { ngrokMode: 'tunnel' } }, false],
    ['header map of numbers', { values: { addHeaders: { 'x-a': 1 } } }, false],
    ['created id as number', { created: { edgeId: 7 } }, false],
    ['an object of an unknown kind', { created: { objects: [{ kind: 'ngrok-tunnel', id: 'tn_1' }] } }, false],
    ['an object id with a slash', { created: { objects: [{ kind: 'ngrok-edge', id: '../x' }] } }, false],
    ['a setup id that is not a UUID', { created: { setupId: 'mine' } }, false],
    ['unknown step', { steps: { launch: { status: 'done', updatedAt: 'x' } } }, false],
    ['step without time', { steps: { site: { status: 'done' } } }, false],
    ['unknown step state', { steps: { site: { status: 'half', updatedAt: 'x' } } }, false],
    ['values as a list', { values: [] }, false],
  ];

  it('judges each document as the schema means, and as ajv compiling the schema now does (the build is current)', async () => {
    const { storeAjv } = await import('../../../scripts/compile-store-schema.mjs');
    const { STORE_SCHEMA } = await import('../../../src/core/store');
    const { checkedStoreData } = await import('../../../src/core/store');
    const live = storeAjv().compile(structuredClone(STORE_SCHEMA));
    for (const [name, document, valid] of documents) {
      const liveCopy = structuredClone(document);
      const ours = structuredClone(document);
      let ourError: unknown;
      try {
        checkedStoreData(ours);
      } catch (error) {
        ourError = error;
      }
      expect(ourError === undefined, name).toBe(valid);
      expect(live(liveCopy), name).toBe(valid);
      if (valid) expect(ours, name).toEqual({ values: {}, created: {}, steps: {}, ...(liveCopy as object) });
      else expect((ourError as Error).message, name).toMatch(/^wrong values: /);
    }
  });

  it('reads a file an editor saved with a byte-order mark, as conf does', () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'config.json'), `\uFEFF${JSON.stringify({ values: { sitePort: 8123 } })}`);
    expect(Store.open(dir).values.sitePort).toBe(8123);
  });

  it('refuses a write off the schema and leaves the file as it was', () => {
    const dir = tempDir();
    const store = Store.open(dir);
    store.setValues({ sitePort: 8000 });
    const before = readFileSync(store.path, 'utf8');
    expect(() => store.setValues({ sitePort: 0 })).toThrow(/sitePort must be >= 1/);
    expect(readFileSync(store.path, 'utf8')).toBe(before);
  });

  it('names the value and the rule it breaks', () => {
    const dir = tempDir();
    writeFileSync(
      path.join(dir, 'config.json'),
      JSON.stringify({ values: { sitePort: 'eighty', ngrokMode: 'tunnel' } }),
    );
    expect(() => Store.open(dir)).toThrow(/values\/sitePort must be integer/);
    writeFileSync(
      path.join(dir, 'config.json'),
      JSON.stringify({ values: { sitePort: 'eighty', ngrokMode: 'tunnel' } }),
    );
    expect(() => Store.open(dir)).toThrow(
      /values\/ngrokMode must be equal to one of the allowed values \(edge, endpoint, agent\)/,
    );
  });
});
