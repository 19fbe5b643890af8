// A store read once and written through. Two Store instances on one folder are two processes' views
// of it: each answers from its own snapshot, and sees the other's writes at its next step boundary
// (the real engine's runCheck) or before its own next write.
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Store, StoreCorruptError } from '../../../src/core/store';
import { STEPS } from '../../../src/steps';
import { runCheck } from '../../../src/steps/engine';
import type { StepContext } from '../../../src/steps/types';
import { tempDir } from '../../helpers/cli';
import { unusedPort } from '../../helpers/ports';

const contextOf = (store: Store): StepContext => ({
  store,
  options: {},
  env: {},
  signal: new AbortController().signal,
});
const brokenFiles = (dir: string) => readdirSync(dir).filter((f) => f.startsWith('config.json.broken-'));
const siteStep = STEPS.find((step) => step.id === 'site')!;

describe('the store reads its file once', () => {
  it('getters answer from what open read: the file changed, removed or damaged afterwards is not read', () => {
    const dir = tempDir();
    Store.open(dir).setValues({ sitePort: 8000, applicationName: 'first' });
    const store = Store.open(dir);
    // Another writer changes the file: the snapshot stays what open read, since no getter reads.
    writeFileSync(store.path, JSON.stringify({ values: { sitePort: 9000 }, created: { edgeId: 'edg_x' }, steps: {} }));
    expect(store.values).toEqual({ sitePort: 8000, applicationName: 'first' });
    expect(store.created).toEqual({});
    rmSync(store.path);
    expect(store.values.sitePort).toBe(8000);
    writeFileSync(store.path, '{"values": ');
    // Fifty reads of every getter, as renders make them: none throws, none moves the file aside.
    for (let i = 0; i < 50; i++)
      expect(store.snapshot()).toEqual({
        values: { sitePort: 8000, applicationName: 'first' },
        created: {},
        steps: {},
      });
    expect(store.step('site')).toBeUndefined();
    expect(brokenFiles(dir)).toEqual([]);
    expect(readFileSync(store.path, 'utf8')).toBe('{"values": ');
  });

  it('a set is kept in the snapshot and in the file', () => {
    const dir = tempDir();
    const store = Store.open(dir);
    store.setValues({ sitePort: 8000 });
    store.setStep('site', 'done');
    expect(JSON.parse(readFileSync(store.path, 'utf8'))).toEqual(store.snapshot());
    rmSync(store.path);
    // The file is gone and not read again: what was written is what the getters give...
    expect(store.values.sitePort).toBe(8000);
    expect(store.step('site')?.status).toBe('done');
    // ...until the next write, which first takes in the removal as another writer's change.
    store.recordObject({ kind: 'ngrok-edge', id: 'edg_1' });
    expect(store.snapshot()).toEqual({
      values: {},
      created: { objects: [{ kind: 'ngrok-edge', id: 'edg_1' }] },
      steps: {},
    });
    expect(Store.open(dir).snapshot()).toEqual(store.snapshot());
  });

  it('the snapshot cannot be changed in place, only through a set', () => {
    const store = Store.open(tempDir());
    store.setValues({ allowCidrs: ['10.0.0.0/8'] });
    expect(() => {
      (store.values as { sitePort?: number }).sitePort = 1;
    }).toThrow(TypeError);
    expect(() => store.values.allowCidrs!.push('0.0.0.0/0')).toThrow(TypeError);
    expect(store.values).toEqual({ allowCidrs: ['10.0.0.0/8'] });
  });

  it("a value handed to a set stays the caller's: it is copied, not frozen", () => {
    const store = Store.open(tempDir());
    const cidrs = ['10.0.0.0/8'];
    store.setValues({ allowCidrs: cidrs });
    cidrs.push('192.168.0.0/16');
    expect(store.values.allowCidrs).toEqual(['10.0.0.0/8']);
  });

  it('a set off the schema leaves the file and the snapshot as they were', () => {
    const dir = tempDir();
    const store = Store.open(dir);
    store.setValues({ sitePort: 8000, applicationName: 'kept' });
    const before = readFileSync(store.path, 'utf8');
    expect(() => store.setValues({ sitePort: 0, applicationName: 'not kept' })).toThrow(/sitePort must be >= 1/);
    expect(() => store.recordObject({ kind: 'ngrok-edge', id: 7 as unknown as string })).toThrow(
      /created\/objects\/0\/id must be string/,
    );
    expect(store.values).toEqual({ sitePort: 8000, applicationName: 'kept' });
    expect(store.created).toEqual({});
    expect(readFileSync(store.path, 'utf8')).toBe(before);
  });
});

describe('two processes on one store', () => {
  it('a write through one is seen by the other at its next step boundary', async () => {
    const dir = tempDir();
    const wizard = Store.open(dir);
    const other = Store.open(dir);
    // The other process served the site once and recorded it; nothing serves it now.
    const port = await unusedPort();
    other.setValues({ siteDir: tempDir(), sitePort: port });
    other.setStep('site', 'done');
    expect(wizard.step('site')).toBeUndefined();
    await runCheck(siteStep, contextOf(wizard));
    // The check ran on the other's values and knew the step as done, so it records that it no longer holds.
    expect(wizard.values.sitePort).toBe(port);
    expect(wizard.step('site')).toMatchObject({ status: 'failed', message: expect.stringMatching(/^no longer holds/) });
    // ...and the other sees that at its own next boundary.
    expect(other.step('site')?.status).toBe('done');
    expect(other.reloadIfChanged()).toBe(true);
    expect(other.step('site')?.status).toBe('failed');
  });

  it('an unchanged file is not read again at a boundary, a changed one is', () => {
    const dir = tempDir();
    const store = Store.open(dir);
    expect(store.reloadIfChanged()).toBe(false);
    store.setValues({ sitePort: 8000 });
    // Its own write is no change from outside.
    expect(store.reloadIfChanged()).toBe(false);
    Store.open(dir).setValues({ sitePort: 8001 });
    expect(store.reloadIfChanged()).toBe(true);
    expect(store.values.sitePort).toBe(8001);
    expect(store.reloadIfChanged()).toBe(false);
  });

  it('a write keeps what the other process wrote meanwhile, in every section', () => {
    const dir = tempDir();
    const one = Store.open(dir);
    const two = Store.open(dir);
    one.recordObject({ kind: 'fusionauth-application', id: 'app-1' });
    one.setValues({ applicationName: 'client-1' });
    two.setValues({ sitePort: 8000 });
    two.setStep('site', 'done');
    expect(Store.open(dir).snapshot()).toEqual({
      values: { applicationName: 'client-1', sitePort: 8000 },
      created: { objects: [{ kind: 'fusionauth-application', id: 'app-1' }] },
      steps: { site: expect.objectContaining({ status: 'done' }) },
    });
  });

  it('a file damaged from outside is moved aside by reload, at the boundary, not by a getter', async () => {
    const dir = tempDir();
    const store = Store.open(dir);
    store.setValues({ sitePort: 8000 });
    writeFileSync(store.path, '{"values": {"sitePort": 80');
    expect(store.values.sitePort).toBe(8000);
    expect(brokenFiles(dir)).toEqual([]);
    let checked = false;
    const step = { ...siteStep, check: async () => ((checked = true), { done: true, findings: [] }) };
    await expect(runCheck(step, contextOf(store))).rejects.toBeInstanceOf(StoreCorruptError);
    // The step did not run on data that is no longer there; the snapshot is the now empty folder's.
    expect(checked).toBe(false);
    expect(brokenFiles(dir)).toHaveLength(1);
    expect(readFileSync(path.join(dir, brokenFiles(dir)[0]!), 'utf8')).toBe('{"values": {"sitePort": 80');
    expect(store.snapshot()).toEqual({ values: {}, created: {}, steps: {} });
    expect(store.reloadIfChanged()).toBe(false);
  });

  it('reload itself moves a damaged file aside and throws; the next set starts a fresh file', () => {
    const dir = tempDir();
    const store = Store.open(dir);
    store.setValues({ sitePort: 8000 });
    writeFileSync(store.path, '');
    expect(() => store.reload()).toThrow(StoreCorruptError);
    expect(brokenFiles(dir)).toHaveLength(1);
    store.setValues({ applicationName: 'fresh' });
    expect(Store.open(dir).values).toEqual({ applicationName: 'fresh' });
  });
});
