// cli.js reports a UserError in one line and anything else as a bug, by `instanceof UserError`. The
// shipped CLI is more than one bundle (dist/status.js is built on its own), so that only holds if
// src/core/errors.ts is in exactly one file of dist/ that every other file imports: scripts/build.mjs.
// test/core/store/store.test.ts shows the effect (a damaged store seen by status, either route).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli';
import { outputsHolding } from './metafile';

describe('one UserError class in dist/', () => {
  it('errors.ts is bundled into dist/errors.js and nowhere else', () => {
    expect(outputsHolding('src/core/errors.ts')).toEqual(['dist/errors.js']);
  });

  it('cli.js and status.js both import it', () => {
    for (const file of ['dist/cli.js', 'dist/status.js'])
      expect(readFileSync(path.join(ROOT, file), 'utf8'), file).toMatch(/from\s*"\.\/errors\.js"/);
  });
});
