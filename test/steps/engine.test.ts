import { describe, expect, it } from 'vitest';
import { Store } from '../../src/core/store';
import { recheck } from '../../src/steps/engine';
import { tempDir } from '../helpers/cli';
import { unusedPort } from '../helpers/ports';

describe('recheck before resuming', () => {
  it('checks every step recorded as done, also those after the resume point, and returns the first not done', async () => {
    const store = Store.open(tempDir());
    // The site was served once from a folder whose page is gone now (a server merely stopped on exit
    // would leave the step done: see site.test.ts). Before You Start failed last time.
    store.setValues({ siteDir: tempDir(), sitePort: await unusedPort() });
    store.setStep('prereqs', 'failed', 'ngrok not found');
    store.setStep('site', 'done');
    const first = await recheck({ store, options: {}, env: {}, signal: new AbortController().signal });
    expect(first).toBe('prereqs');
    // Not trusted: the wizard would otherwise skip over it when Before You Start is fixed.
    expect(store.step('site')).toMatchObject({
      status: 'failed',
      message: expect.stringMatching(/no longer holds: .*index\.html cannot be read/),
    });
  });
});
