// A new user's first start has no settings file: the store then opens with the schema's defaults and
// never runs the generated validator (V8 compiles that one large function at its first call, ~1.5 ms
// before the wizard's first frame; docs/ARCHITECTURE.md, "Performance"). A file that exists is still
// validated on every open. The validator is the real generated one, wrapped only to count its calls.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { tempDir } from '../../helpers/cli';

type Validator = ((data: unknown) => boolean) & { errors?: unknown };
const VALIDATOR = '../../../src/core/store/generated/store-validator.js';
let calls = 0;
let store: typeof import('../../../src/core/store');

// The integration tier reuses workers (isolate: false), so the store may already be loaded unwrapped:
// a fresh module graph is loaded with the wrapper, and dropped again afterwards.
beforeAll(async () => {
  vi.doMock(VALIDATOR, async (importOriginal) => {
    const real = (await importOriginal<{ default: Validator }>()).default;
    const counted: Validator = (data) => {
      calls++;
      const ok = real(data);
      counted.errors = real.errors;
      return ok;
    };
    return { default: counted };
  });
  vi.resetModules();
  store = await import('../../../src/core/store');
});

afterAll(() => {
  vi.doUnmock(VALIDATOR);
  vi.resetModules();
});

beforeEach(() => {
  calls = 0;
});

describe('the store with no settings file', () => {
  it('holds exactly what the validator makes of an empty file, a fresh object each time', () => {
    const { checkedStoreData, emptyStoreData } = store;
    expect(emptyStoreData()).toEqual(checkedStoreData({}));
    expect(emptyStoreData()).not.toBe(emptyStoreData());
    expect(emptyStoreData().values).not.toBe(emptyStoreData().values);
  });

  it('opens without running the validator, in a missing folder and in an empty one', () => {
    const { Store } = store;
    expect(Store.open(path.join(tempDir(), 'absent')).values).toEqual({});
    expect(Store.open(tempDir()).values).toEqual({});
    expect(calls).toBe(0);
  });

  it('still validates a file that exists, and refuses one off the schema', () => {
    const { Store, StoreCorruptError } = store;
    const dir = tempDir();
    writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ values: { sitePort: 8000 } }), { mode: 0o600 });
    expect(Store.open(dir).values).toEqual({ sitePort: 8000 });
    expect(calls).toBe(1);
    writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ values: { sitePort: 'eighty' } }), { mode: 0o600 });
    expect(() => Store.open(dir)).toThrow(StoreCorruptError);
    expect(calls).toBe(2);
  });
});
